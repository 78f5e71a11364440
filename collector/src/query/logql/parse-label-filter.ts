// Label filters: `| level="error"`, `| status >= 500 and duration > 2s`, `| size > 1KB`.
import { compileGoRegex } from '../go-regex.ts';
import { children, type SyntaxNode, text } from '../lezer-tree.ts';
import { invalid, unsupported } from '../query-error.ts';
import type { LabelFilter, NumericOperator } from './ast.ts';
import { bytesLiteral, durationLiteral, numberLiteral, stringLiteral } from './literals.ts';

const NUMERIC_OPERATORS: Record<string, NumericOperator> = {
  Eq: '==',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Gte: '>=',
  Lss: '<',
  Lte: '<=',
};
const MATCH_OPERATORS = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' } as const;

export function labelFilter(query: string, node: SyntaxNode): LabelFilter {
  const parts = children(node);
  const first = parts[0];
  const last = parts.at(-1);
  if (!first || !last) throw unsupported('LogQL', `label filter '${text(query, node)}'`, node.from);
  if (parts.length > 1) {
    // `a and b`, `a, b` (also and) or `a or b`; `and` binds tighter than `or`, as the grammar encodes.
    const operator = query
      .slice(first.to, last.from)
      .replaceAll(/#[^\n]*/g, '')
      .trim();
    const type = operator === 'or' ? 'or' : 'and';
    return { type, left: labelFilter(query, first), right: labelFilter(query, last) };
  }
  switch (first.name) {
    case 'LabelFilter':
      return labelFilter(query, first);
    case 'Matcher':
      return stringFilter(query, first);
    case 'NumberFilter':
      return comparison(query, first, 'number');
    case 'UnitFilter': {
      const unit = first.firstChild;
      if (unit?.name === 'DurationFilter') return comparison(query, unit, 'duration');
      if (unit?.name === 'BytesFilter') return comparison(query, unit, 'bytes');
      throw unsupported('LogQL', `label filter '${text(query, first)}'`, first.from);
    }
    case 'IpLabelFilter':
      throw unsupported('LogQL', 'ip() label filter', first.from);
    default:
      throw unsupported('LogQL', `label filter '${text(query, first)}'`, first.from);
  }
}

function stringFilter(query: string, node: SyntaxNode): LabelFilter {
  const [name, op, value] = children(node);
  const operator = op ? MATCH_OPERATORS[op.name as keyof typeof MATCH_OPERATORS] : undefined;
  if (!name || !operator || !value)
    throw unsupported('LogQL', `label filter '${text(query, node)}'`, node.from);
  const pattern = stringLiteral(text(query, value), value.from);
  if (operator === '=~' || operator === '!~') {
    try {
      compileGoRegex(pattern, 'anchored-dotall');
    } catch (error) {
      throw invalid(
        'LogQL',
        `bad regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`,
        value.from,
      );
    }
  }
  return { type: 'string', name: text(query, name), op: operator, value: pattern };
}

function comparison(query: string, node: SyntaxNode, type: 'number' | 'duration' | 'bytes'): LabelFilter {
  const [nameNode, opNode, valueNode] = children(node);
  const op = opNode ? NUMERIC_OPERATORS[opNode.name] : undefined;
  if (!nameNode || !op || !valueNode)
    throw unsupported('LogQL', `label filter '${text(query, node)}'`, node.from);
  const name = text(query, nameNode);
  const raw = text(query, valueNode).replaceAll(/\s+/g, '');
  switch (type) {
    case 'number':
      return { type, name, op, value: numberLiteral(raw.replace(/^\+/, ''), valueNode.from) };
    case 'duration':
      return { type, name, op, nanos: durationLiteral(raw, valueNode.from) };
    case 'bytes':
      return { type, name, op, bytes: bytesLiteral(raw, valueNode.from) };
  }
}
