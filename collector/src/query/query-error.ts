// The one error type of the query languages. The HTTP layer answers 400 with `message`, which always
// names the construct or the problem and its position: a 0-based character offset into the query.

export type QueryLanguage = 'TraceQL' | 'LogQL';

/** syntax: the grammar rejects the text; unsupported: valid upstream, not implemented here; invalid: valid
 * grammar but meaningless (a type mismatch, a bad regular expression). */
export type QueryErrorKind = 'syntax' | 'unsupported' | 'invalid';

export class QueryError extends Error {
  override readonly name = 'QueryError';
  readonly language: QueryLanguage;
  readonly kind: QueryErrorKind;
  /** 0-based character offset into the query. */
  readonly position: number;

  constructor(language: QueryLanguage, kind: QueryErrorKind, position: number, message: string) {
    super(message);
    this.language = language;
    this.kind = kind;
    this.position = position;
  }
}

/** "unsupported TraceQL: structural operator '>>' at 12" */
export function unsupported(language: QueryLanguage, construct: string, position: number): QueryError {
  return new QueryError(
    language,
    'unsupported',
    position,
    `unsupported ${language}: ${construct} at ${position}`,
  );
}

/** "TraceQL syntax error at 9: unexpected '}'" */
export function syntaxError(language: QueryLanguage, position: number, detail: string): QueryError {
  return new QueryError(language, 'syntax', position, `${language} syntax error at ${position}: ${detail}`);
}

/** "invalid TraceQL: status compared with a string at 2" */
export function invalid(language: QueryLanguage, detail: string, position: number): QueryError {
  return new QueryError(language, 'invalid', position, `invalid ${language}: ${detail} at ${position}`);
}
