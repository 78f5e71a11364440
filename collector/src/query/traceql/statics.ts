// TraceQL literals (the grammar's Static node) to StaticValue.
import { parseDurationNanos } from '../durations.ts';
import { unquoteGoString } from '../go-string.ts';
import { children, type SyntaxNode, text } from '../lezer-tree.ts';
import { invalid, unsupported } from '../query-error.ts';
import type { KindValue, StaticValue, StatusValue } from './ast.ts';
import { KIND_VALUES, STATUS_VALUES } from './intrinsics.ts';

export function staticValue(query: string, node: SyntaxNode): StaticValue {
  const [literal] = children(node);
  if (!literal) return keyword(text(query, node), node.from);
  const raw = text(query, literal);
  switch (literal.name) {
    case 'String':
      return { type: 'string', value: unquote(raw, literal.from) };
    case 'Integer':
      return { type: 'int', value: Number(raw) };
    case 'Float':
      return { type: 'float', value: Number(raw) };
    case 'Duration': {
      const nanos = parseDurationNanos(raw);
      if (nanos === null) throw invalid('TraceQL', `bad duration '${raw}'`, literal.from);
      return { type: 'duration', nanos };
    }
    case 'TemplateVariable':
      throw unsupported(
        'TraceQL',
        `template variable '${raw}' (Grafana should have replaced it)`,
        literal.from,
      );
    default:
      throw unsupported('TraceQL', `value '${raw}'`, literal.from);
  }
}

function keyword(word: string, position: number): StaticValue {
  if (word === 'true' || word === 'false') return { type: 'bool', value: word === 'true' };
  if (word === 'nil') return { type: 'nil' };
  if ((STATUS_VALUES as readonly string[]).includes(word))
    return { type: 'status', value: word as StatusValue };
  if ((KIND_VALUES as readonly string[]).includes(word)) return { type: 'kind', value: word as KindValue };
  throw unsupported('TraceQL', `value '${word}'`, position);
}

export function unquote(literal: string, position: number): string {
  try {
    return unquoteGoString(literal);
  } catch (error) {
    throw invalid('TraceQL', (error as Error).message, position);
  }
}

/** Negates a numeric literal (`-3`, `-1.5`, `-2s`); null when the value is not numeric. */
export function negate(value: StaticValue): StaticValue | null {
  switch (value.type) {
    case 'int':
    case 'float':
      return { type: value.type, value: -value.value };
    case 'duration':
      return { type: 'duration', nanos: -value.nanos };
    default:
      return null;
  }
}
