// Tempo's search before TraceQL: `tags=` (logfmt key=value pairs), `minDuration`, `maxDuration`. We turn it
// into the TraceQL query it means, `{ .k = "v" && name = "..." && duration >= min ... }`, so one evaluator
// serves both. `name` is the span name and `status.code` the status, as in Tempo; other keys are
// attributes of the span or else of its resource (unscoped).
import { parseDurationNanos } from '../../query/durations.ts';
import type { Comparison, FieldExpression, StatusValue, TraceQLQuery } from '../../query/traceql/index.ts';
import { BadRequestError } from '../bad-request.ts';

const PAIR = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/gu;
const STATUS = new Set<string>(['ok', 'error', 'unset']);

export function legacyTagsQuery(
  tags: string | undefined,
  minDuration: string | undefined,
  maxDuration: string | undefined,
): TraceQLQuery {
  const comparisons: Comparison[] = [];
  for (const match of (tags ?? '').matchAll(PAIR)) {
    const key = match[1] ?? '';
    const raw = match[2] ?? '';
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    comparisons.push(tagComparison(key, value));
  }
  if (minDuration !== undefined) comparisons.push(durationComparison('>=', 'minDuration', minDuration));
  if (maxDuration !== undefined) comparisons.push(durationComparison('<=', 'maxDuration', maxDuration));
  const expr = comparisons.reduce<FieldExpression | null>(
    (left, right) => (left === null ? right : { type: 'and', left, right }),
    null,
  );
  return { spanset: { type: 'filter', expr }, pipeline: [] };
}

function tagComparison(key: string, value: string): Comparison {
  if (key === 'name') {
    return {
      type: 'comparison',
      field: { type: 'intrinsic', name: 'name' },
      op: '=',
      value: { type: 'string', value },
    };
  }
  if (key === 'status.code' && STATUS.has(value)) {
    return {
      type: 'comparison',
      field: { type: 'intrinsic', name: 'status' },
      op: '=',
      value: { type: 'status', value: value as StatusValue },
    };
  }
  return {
    type: 'comparison',
    field: { type: 'attribute', scope: 'unscoped', name: key },
    op: '=',
    value: { type: 'string', value },
  };
}

function durationComparison(op: '>=' | '<=', name: string, text: string): Comparison {
  const nanos = parseDurationNanos(text);
  if (nanos === null) throw new BadRequestError(`invalid ${name}: "${text}" is not a duration`);
  return {
    type: 'comparison',
    field: { type: 'intrinsic', name: 'duration' },
    op,
    value: { type: 'duration', nanos },
  };
}
