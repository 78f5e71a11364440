// Label filters, with Loki's semantics (pkg/logql/log/label_filter.go):
// - String filters compare a missing label as ''; they are the only filters that see __error__.
// - Number, duration and bytes filters drop the entry when the label is missing; when its value does not
//   parse they keep the entry and set __error__="LabelFilterErr"; once an entry has an error they let it
//   through untouched (so that `| __error__=""` can deal with it).
// - `and` needs both sides, `or` either (the right side is not evaluated when the left passes).

import { compareOrdered } from '../compare-ordered.ts';
import type { LabelFilter, NumericOperator } from './ast.ts';
import { parseBytes } from './literals.ts';
import { ERROR_LABEL, type LogEntry, withError } from './log-entry.ts';
import { matchesValue } from './stream-selector.ts';

export const LABEL_FILTER_ERROR = 'LabelFilterErr';

/** The entry (possibly with __error__ added) when it passes, null when it is filtered out. */
export function applyLabelFilter(filter: LabelFilter, entry: LogEntry): LogEntry | null {
  switch (filter.type) {
    case 'and': {
      const left = applyLabelFilter(filter.left, entry);
      return left && applyLabelFilter(filter.right, left);
    }
    case 'or':
      return applyLabelFilter(filter.left, entry) ?? applyLabelFilter(filter.right, entry);
    case 'string':
      return matchesValue(filter.op, filter.value, entry.labels[filter.name] ?? '') ? entry : null;
    case 'number':
      return numeric(entry, filter.name, filter.op, filter.value, parseGoFloat);
    case 'duration':
      return numeric(entry, filter.name, filter.op, filter.nanos, parseGoDurationNanos);
    case 'bytes':
      return numeric(entry, filter.name, filter.op, filter.bytes, parseBytes);
  }
}

function numeric(
  entry: LogEntry,
  name: string,
  op: NumericOperator,
  expected: number,
  parse: (text: string) => number | null,
): LogEntry | null {
  if (entry.labels[ERROR_LABEL] !== undefined) return entry;
  const raw = entry.labels[name];
  if (raw === undefined) return null;
  const actual = parse(raw);
  if (actual === null) return { line: entry.line, labels: withError(entry.labels, LABEL_FILTER_ERROR) };
  return compare(actual, op, expected) ? entry : null;
}

function compare(actual: number, op: NumericOperator, expected: number): boolean {
  if (op === '==') return actual === expected;
  if (op === '!=') return actual !== expected;
  return compareOrdered(actual, op, expected);
}

/** Go's strconv.ParseFloat: no surrounding spaces, no empty string; Inf/NaN spelled out. */
export function parseGoFloat(text: string): number | null {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) && !/^[+-]?0[xX][0-9a-fA-F]+$/.test(text))
    return null;
  return Number(text.replace(/^\+/, ''));
}

const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's time.ParseDuration (units ns to h, "0" alone allowed), as nanoseconds. */
export function parseGoDurationNanos(text: string): number | null {
  if (/^[+-]?0$/.test(text)) return 0;
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!match) return null;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (GO_DURATION_UNITS[part[2] ?? ''] ?? Number.NaN);
  }
  return match[1] === '-' ? -Math.round(total) : Math.round(total);
}
