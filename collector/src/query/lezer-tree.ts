// Small helpers over the lezer trees of @grafana/lezer-traceql and @grafana/lezer-logql. The grammars are
// error-tolerant: a malformed query still parses, with error (⚠) nodes in the tree, so every parse must be
// checked with `assertNoSyntaxError` before the tree is read.
import type { parser as traceqlParser } from '@grafana/lezer-traceql';
import { type QueryLanguage, syntaxError } from './query-error.ts';

// The lezer types, derived from the parser so that @lezer/common need not be a direct dependency.
export type Tree = ReturnType<typeof traceqlParser.parse>;
export type SyntaxNode = Tree['topNode'];

/** The child nodes, comments left out (the grammars keep comments in the tree). */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (!COMMENTS.has(child.name)) out.push(child);
  }
  return out;
}

const COMMENTS = new Set(['LineComment', 'BlockComment']);

export function text(query: string, node: { from: number; to: number }): string {
  return query.slice(node.from, node.to);
}

/** Throws a syntax QueryError for an empty query or the first error node of the tree. */
export function assertNoSyntaxError(language: QueryLanguage, query: string, tree: Tree): void {
  if (query.trim() === '') throw syntaxError(language, 0, 'empty query');
  let error: { from: number; to: number } | null = null;
  tree.iterate({
    enter(node) {
      if (error) return false;
      if (node.type.isError) {
        error = { from: node.from, to: node.to };
        return false;
      }
      return undefined;
    },
  });
  if (!error) return;
  const { from, to } = error as { from: number; to: number };
  // An empty error node marks where the parser expected something else: report what follows it.
  const at = from === to ? nextNonSpace(query, from) : from;
  if (at >= query.length) throw syntaxError(language, query.length, 'unexpected end of query');
  throw syntaxError(language, at, `unexpected ${quote(tokenAt(query, at))}`);
}

function nextNonSpace(query: string, from: number): number {
  let i = from;
  while (i < query.length && /\s/.test(query.charAt(i))) i++;
  return i;
}

/** The word or single punctuation character at `at`, for error messages. */
function tokenAt(query: string, at: number): string {
  const word = /^[\p{L}\p{N}_.:$]+/u.exec(query.slice(at));
  return word ? word[0] : String.fromCodePoint(query.codePointAt(at) ?? 0);
}

function quote(token: string): string {
  return `'${token}'`;
}
