// PromQL errors, tagged with the `errorType` of Prometheus's HTTP API: bad_data for a query that does not
// parse or type-check (and for functions this engine does not have), execution for a query that fails while
// evaluating (many-to-many matching, duplicate label sets), timeout, and canceled.

export type PromErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal';

export class PromQLError extends Error {
  override readonly name = 'PromQLError';
  readonly errorType: PromErrorType;

  constructor(errorType: PromErrorType, message: string) {
    super(message);
    this.errorType = errorType;
  }
}

/** A parse or type error at a 0-based offset, worded as Prometheus does ("1:5: parse error: ..."). */
export function parseError(query: string, offset: number, detail: string): PromQLError {
  const before = query.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return new PromQLError('bad_data', `${line}:${column}: parse error: ${detail}`);
}

export function executionError(message: string): PromQLError {
  return new PromQLError('execution', message);
}
