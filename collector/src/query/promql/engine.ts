// The PromQL engine's entry points: an instant query at one time, a range query over start..end by step,
// answered in the `data` shapes of Prometheus's HTTP API (resultType + result).
import type { Labels, MetricsReader } from '../../metrics/model.ts';
import { type Expr, typeName, typeOf } from './ast.ts';
import { PromQLError } from './errors.ts';
import { type EvaluationOptions, Evaluator, firstAfter, lastAtOrBefore } from './evaluator.ts';
import { formatFloat } from './float-math.ts';
import { compareLabels } from './labels.ts';
import { parsePromQL } from './parse.ts';
import type { StepSeries } from './values.ts';

/** Most points per series in a range query (Prometheus's limit). */
export const MAX_POINTS_PER_SERIES = 11_000;

export type SamplePair = [number, string];

export type QueryData =
  | { resultType: 'vector'; result: { metric: Labels; value: SamplePair }[] }
  | { resultType: 'matrix'; result: { metric: Labels; values: SamplePair[] }[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: SamplePair };

export interface QueryOptions {
  reader: MetricsReader;
  tenant: string | undefined;
  /** Milliseconds the evaluation may take. Default 2 minutes (Prometheus's default). */
  timeoutMs?: number;
  lookbackMs?: number;
  maxSamples?: number;
  subqueryStepMs?: number;
}

function evaluator(options: QueryOptions, startMs: number, endMs: number): Evaluator {
  const evaluation: EvaluationOptions = {
    reader: options.reader,
    tenant: options.tenant,
    startMs,
    endMs,
    deadline: performance.now() + (options.timeoutMs ?? 120_000),
  };
  if (options.lookbackMs !== undefined) evaluation.lookbackMs = options.lookbackMs;
  if (options.maxSamples !== undefined) evaluation.maxSamples = options.maxSamples;
  if (options.subqueryStepMs !== undefined) evaluation.subqueryStepMs = options.subqueryStepMs;
  return new Evaluator(evaluation);
}

const seconds = (ms: number) => ms / 1000;

// Dashboards and alert rules send the same queries again and again: keep their syntax trees (the evaluator
// never changes a tree). Errors are not cached; they are cheap to find again.
const PARSE_CACHE_SIZE = 2000;
const parsed = new Map<string, Expr>();

function parseCached(query: string): Expr {
  const hit = parsed.get(query);
  if (hit) {
    parsed.delete(query);
    parsed.set(query, hit);
    return hit;
  }
  const expr = parsePromQL(query);
  parsed.set(query, expr);
  if (parsed.size > PARSE_CACHE_SIZE) parsed.delete(parsed.keys().next().value as string);
  return expr;
}

export function instantQuery(options: QueryOptions, query: string, timeMs: number): QueryData {
  const expr = parseCached(query);
  const ev = evaluator(options, timeMs, timeMs);
  const times = Float64Array.of(timeMs);
  const type = typeOf(expr);
  if (type === 'matrix') {
    const matrix = ev.evalMatrix(expr, times);
    const end = matrix.windowEnds[0] as number;
    const result = matrix.series
      .map(({ labels, block }) => {
        const to = lastAtOrBefore(block.t, end) + 1;
        const from = firstAfter(block.t, end - matrix.rangeMs);
        const values: SamplePair[] = [];
        for (let i = from; i < to; i++)
          values.push([seconds(block.t[i] as number), formatFloat(block.v[i] as number)]);
        return { metric: labels, values };
      })
      .filter((s) => s.values.length > 0)
      .sort((a, b) => compareLabels(a.metric, b.metric));
    return { resultType: 'matrix', result: result };
  }
  const value = ev.eval(expr, times);
  if (value.type === 'string') return { resultType: 'string', result: [seconds(timeMs), value.value] };
  if (value.type === 'scalar')
    return { resultType: 'scalar', result: [seconds(timeMs), formatFloat(value.values[0] as number)] };
  const samples = value.series.filter((s) => s.present[0]);
  sortInstantResult(expr, samples);
  return {
    resultType: 'vector',
    result: samples.map((s) => ({
      metric: s.labels,
      value: [seconds(timeMs), formatFloat(s.values[0] as number)],
    })),
  };
}

/** sort(), sort_desc(), topk() and bottomk() order an instant result by value; anything else by labels. */
function sortInstantResult(expr: Expr, samples: StepSeries[]): void {
  let top = expr;
  while (top.kind === 'paren') top = top.expr;
  const byValue = (a: StepSeries, b: StepSeries) => nanFirst(a.values[0] as number, b.values[0] as number);
  if (top.kind === 'call' && top.name === 'sort') samples.sort(byValue);
  else if (top.kind === 'call' && top.name === 'sort_desc')
    samples.sort((a, b) => nanFirst(b.values[0] as number, a.values[0] as number, true));
  else if (top.kind === 'aggregate' && top.op === 'topk')
    samples.sort((a, b) => (b.values[0] as number) - (a.values[0] as number) || 0);
  else if (top.kind === 'aggregate' && top.op === 'bottomk')
    samples.sort((a, b) => (a.values[0] as number) - (b.values[0] as number) || 0);
  else samples.sort((a, b) => compareLabels(a.labels, b.labels));
}

function nanFirst(a: number, b: number, reversed = false): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : reversed ? 1 : -1;
  if (Number.isNaN(b)) return reversed ? -1 : 1;
  return a - b;
}

export function rangeQuery(
  options: QueryOptions,
  query: string,
  startMs: number,
  endMs: number,
  stepMs: number,
): QueryData {
  if (endMs < startMs) throw new PromQLError('bad_data', 'end timestamp must not be before start time');
  if (!(stepMs > 0)) {
    throw new PromQLError(
      'bad_data',
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  }
  if ((endMs - startMs) / stepMs > MAX_POINTS_PER_SERIES) {
    throw new PromQLError(
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const expr = parseCached(query);
  const type = typeOf(expr);
  if (type !== 'scalar' && type !== 'vector') {
    throw new PromQLError(
      'bad_data',
      `invalid expression type ${JSON.stringify(typeName(type))} for range query, must be Scalar or instant Vector`,
    );
  }
  const count = Math.floor((endMs - startMs) / stepMs) + 1;
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) times[i] = startMs + i * stepMs;
  const ev = evaluator(options, startMs, endMs);
  const value = ev.eval(expr, times);
  if (value.type === 'scalar') {
    return {
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: Array.from(
            times,
            (t, i) => [seconds(t), formatFloat(value.values[i] as number)] as SamplePair,
          ),
        },
      ],
    };
  }
  if (value.type !== 'vector') throw new PromQLError('internal', 'unexpected string result');
  const result = value.series
    .map((s) => {
      const values: SamplePair[] = [];
      for (let i = 0; i < count; i++)
        if (s.present[i]) values.push([seconds(times[i] as number), formatFloat(s.values[i] as number)]);
      return { metric: s.labels, values };
    })
    .filter((s) => s.values.length > 0)
    .sort((a, b) => compareLabels(a.metric, b.metric));
  return { resultType: 'matrix', result };
}
