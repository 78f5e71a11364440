// Evaluates a PromQL syntax tree at every step of a query at once (see values.ts for the representation).
// Selectors read the store once per node for the whole time span they need; functions, operators and
// aggregations then work on those arrays. Semantics follow Prometheus 3: a 5-minute lookback that is
// open on the left, staleness markers end a series, range windows (t - range, t], subquery steps aligned
// to multiples of their step.
import {
  type LabelMatcher,
  type Labels,
  METRIC_NAME_LABEL,
  type MetricsReader,
  type SampleBlock,
} from '../../metrics/model.ts';
import { evalAggregate } from './aggregations.ts';
import type { AtModifier, Call, Expr, MatrixSelector, Subquery, VectorSelector } from './ast.ts';
import { evalBinary } from './binary.ts';
import { PromQLError } from './errors.ts';
import { KEEPS_METRIC_NAME } from './functions.ts';
import { callInstantFunction } from './instant-functions.ts';
import { dropMetricName, makeLabels } from './labels.ts';
import { RANGE_FUNCTIONS, type Window } from './range-functions.ts';
import {
  type MatrixValue,
  mergeSameLabels,
  newSeries,
  type ScalarValue,
  type StepSeries,
  type StepValue,
  type VectorValue,
} from './values.ts';

export interface EvaluationOptions {
  reader: MetricsReader;
  /** The tenant whose series the query may read; undefined: every tenant. */
  tenant: string | undefined;
  /** The query's first and last evaluation times (ms); equal for an instant query. */
  startMs: number;
  endMs: number;
  /** Default 5 minutes. */
  lookbackMs?: number;
  /** The step of subqueries that do not give one. Default 1 minute (Prometheus's evaluation_interval). */
  subqueryStepMs?: number;
  /** performance.now() past which the query fails with errorType timeout. */
  deadline?: number;
  /** Most samples the query may read from the store. Default 50 million (Prometheus's default). */
  maxSamples?: number;
}

export const DEFAULT_LOOKBACK_MS = 5 * 60_000;

export class Evaluator {
  private readonly options: EvaluationOptions;
  private readonly lookbackMs: number;
  private readonly maxSamples: number;
  private samplesRead = 0;

  constructor(options: EvaluationOptions) {
    this.options = options;
    this.lookbackMs = options.lookbackMs ?? DEFAULT_LOOKBACK_MS;
    this.maxSamples = options.maxSamples ?? 50_000_000;
  }

  get startMs(): number {
    return this.options.startMs;
  }

  get endMs(): number {
    return this.options.endMs;
  }

  checkDeadline(): void {
    const deadline = this.options.deadline;
    if (deadline !== undefined && performance.now() > deadline) {
      throw new PromQLError('timeout', 'query timed out in expression evaluation');
    }
  }

  eval(expr: Expr, times: Float64Array): StepValue {
    this.checkDeadline();
    switch (expr.kind) {
      case 'number':
        return { type: 'scalar', values: new Float64Array(times.length).fill(expr.value) };
      case 'string':
        return { type: 'string', value: expr.value };
      case 'paren':
        return this.eval(expr.expr, times);
      case 'vectorSelector':
        return this.vectorSelector(expr, times);
      case 'unary':
        return this.unary(expr.op, this.eval(expr.expr, times));
      case 'binary':
        return evalBinary(this, expr, times);
      case 'aggregate':
        return evalAggregate(this, expr, times);
      case 'call':
        return this.call(expr, times);
      case 'matrixSelector':
      case 'subquery':
        throw new PromQLError('bad_data', 'a range vector cannot be evaluated as an instant vector');
    }
  }

  evalVector(expr: Expr, times: Float64Array): VectorValue {
    const value = this.eval(expr, times);
    if (value.type !== 'vector')
      throw new PromQLError('internal', `expected an instant vector, got ${value.type}`);
    return value;
  }

  evalScalar(expr: Expr, times: Float64Array): ScalarValue {
    const value = this.eval(expr, times);
    if (value.type !== 'scalar') throw new PromQLError('internal', `expected a scalar, got ${value.type}`);
    return value;
  }

  private atMs(at: AtModifier): number {
    if (at.kind === 'start') return this.options.startMs;
    if (at.kind === 'end') return this.options.endMs;
    return at.ms;
  }

  /** The times at which a selector or subquery reads, after `@` and `offset`. */
  private effectiveTimes(times: Float64Array, offsetMs: number, at: AtModifier | undefined): Float64Array {
    const fixed = at ? this.atMs(at) : undefined;
    const out = new Float64Array(times.length);
    for (let i = 0; i < times.length; i++) out[i] = (fixed ?? (times[i] as number)) - offsetMs;
    return out;
  }

  /** Series of the selector with their samples in [minMs, maxMs]. */
  private select(
    matchers: readonly LabelMatcher[],
    minMs: number,
    maxMs: number,
  ): { labels: Labels; block: SampleBlock }[] {
    const range = { startMs: minMs, endMs: maxMs };
    const refs = this.options.reader.selectSeries(this.options.tenant, matchers, range);
    if (refs.length === 0) return [];
    const blocks = this.options.reader.readSamples(
      refs.map((ref) => ref.id),
      range,
    );
    const out: { labels: Labels; block: SampleBlock }[] = [];
    for (const ref of refs) {
      const block = blocks.get(ref.id);
      if (!block || block.t.length === 0) continue;
      this.samplesRead += block.t.length;
      out.push({ labels: ref.labels, block });
    }
    if (this.samplesRead > this.maxSamples) {
      throw new PromQLError(
        'execution',
        'query processing would load too many samples into memory in query execution',
      );
    }
    this.checkDeadline();
    return out;
  }

  private vectorSelector(selector: VectorSelector, times: Float64Array): VectorValue {
    const eff = this.effectiveTimes(times, selector.offsetMs, selector.at);
    if (eff.length === 0) return { type: 'vector', series: [] };
    const [min, max] = bounds(eff);
    const selected = this.select(selector.matchers, min - this.lookbackMs + 1, max);
    const series: StepSeries[] = [];
    for (const { labels, block } of selected) {
      const out = newSeries(labels, times.length);
      out.sampleTimes = new Float64Array(times.length);
      let any = false;
      for (let i = 0; i < eff.length; i++) {
        const at = eff[i] as number;
        const index = lastAtOrBefore(block.t, at);
        if (index < 0) continue;
        const sampleT = block.t[index] as number;
        if (sampleT <= at - this.lookbackMs || block.stale?.[index]) continue;
        out.values[i] = block.v[index] as number;
        out.present[i] = 1;
        out.sampleTimes[i] = sampleT;
        any = true;
      }
      if (any) series.push(out);
    }
    return { type: 'vector', series };
  }

  /** A range vector argument: a matrix selector or a subquery. */
  evalMatrix(expr: Expr, times: Float64Array): MatrixValue {
    let inner = expr;
    while (inner.kind === 'paren') inner = inner.expr;
    if (inner.kind === 'matrixSelector') return this.matrixSelector(inner, times);
    if (inner.kind === 'subquery') return this.subquery(inner, times);
    throw new PromQLError('bad_data', 'expected a range vector');
  }

  private matrixSelector(expr: MatrixSelector, times: Float64Array): MatrixValue {
    const { selector, rangeMs } = expr;
    const windowEnds = this.effectiveTimes(times, selector.offsetMs, selector.at);
    if (windowEnds.length === 0) return { series: [], windowEnds, rangeMs };
    const [min, max] = bounds(windowEnds);
    const selected = this.select(selector.matchers, min - rangeMs + 1, max);
    return {
      series: selected.map(({ labels, block }) => ({ labels, block: withoutStale(block) })),
      windowEnds,
      rangeMs,
    };
  }

  private subquery(expr: Subquery, times: Float64Array): MatrixValue {
    const windowEnds = this.effectiveTimes(times, expr.offsetMs, expr.at);
    if (windowEnds.length === 0) return { series: [], windowEnds, rangeMs: expr.rangeMs };
    const step = expr.stepMs || this.options.subqueryStepMs || 60_000;
    const [min, max] = bounds(windowEnds);
    // The inner evaluation times: multiples of the step, from the first after (min - range) to max.
    let first = Math.floor((min - expr.rangeMs) / step) * step;
    if (first <= min - expr.rangeMs) first += step;
    const count = first > max ? 0 : Math.floor((max - first) / step) + 1;
    const inner = new Float64Array(count);
    for (let i = 0; i < count; i++) inner[i] = first + i * step;
    const value = this.evalVector(expr.expr, inner);
    const series = value.series.map((s) => {
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < inner.length; i++) {
        if (!s.present[i]) continue;
        t.push(inner[i] as number);
        v.push(s.values[i] as number);
      }
      return { labels: s.labels, block: { t: Float64Array.from(t), v: Float64Array.from(v) } };
    });
    return { series, windowEnds, rangeMs: expr.rangeMs };
  }

  private unary(op: '-' | '+', value: StepValue): StepValue {
    if (op === '+') return value;
    if (value.type === 'scalar') return { type: 'scalar', values: value.values.map((x) => -x) };
    if (value.type !== 'vector') throw new PromQLError('internal', 'unary minus on a string');
    return {
      type: 'vector',
      series: mergeSameLabels(
        value.series.map((s) => ({
          labels: dropMetricName(s.labels),
          values: s.values.map((x) => -x),
          present: s.present,
        })),
      ),
    };
  }

  private call(expr: Call, times: Float64Array): StepValue {
    const rangeFunction = RANGE_FUNCTIONS[expr.name];
    if (rangeFunction) return this.rangeFunctionCall(expr, times);
    if (expr.name === 'absent_over_time') return this.absentOverTime(expr, times);
    return callInstantFunction(this, expr, times);
  }

  private rangeFunctionCall(expr: Call, times: Float64Array): VectorValue {
    const fn = RANGE_FUNCTIONS[expr.name];
    if (!fn) throw new PromQLError('internal', `no range function ${expr.name}`);
    // predict_linear(m, s) and quantile_over_time(s, m): the scalar is the other argument.
    const matrixArg = expr.name === 'quantile_over_time' ? expr.args[1] : expr.args[0];
    const scalarArg = expr.name === 'quantile_over_time' ? expr.args[0] : expr.args[1];
    if (!matrixArg) throw new PromQLError('internal', 'missing range vector argument');
    const params = scalarArg ? this.evalScalar(scalarArg, times).values : undefined;
    const matrix = this.evalMatrix(matrixArg, times);
    const keepName = KEEPS_METRIC_NAME.has(expr.name);
    const window: Window = { endMs: 0, rangeMs: matrix.rangeMs, evalMs: 0, param: 0 };
    const out: StepSeries[] = [];
    for (const { labels, block } of matrix.series) {
      const series = newSeries(keepName ? labels : dropMetricName(labels), times.length);
      let any = false;
      for (let i = 0; i < times.length; i++) {
        const end = matrix.windowEnds[i] as number;
        const to = lastAtOrBefore(block.t, end) + 1;
        const from = firstAfter(block.t, end - matrix.rangeMs);
        if (to <= from) continue;
        window.endMs = end;
        window.evalMs = times[i] as number;
        window.param = params ? (params[i] as number) : 0;
        const value = fn(block.t, block.v, from, to, window);
        if (value === undefined) continue;
        series.values[i] = value;
        series.present[i] = 1;
        any = true;
      }
      if (any) out.push(series);
    }
    this.checkDeadline();
    return { type: 'vector', series: mergeSameLabels(out) };
  }

  private absentOverTime(expr: Call, times: Float64Array): VectorValue {
    const arg = expr.args[0] as Expr;
    const matrix = this.evalMatrix(arg, times);
    const series = newSeries(absentLabels(arg), times.length);
    for (let i = 0; i < times.length; i++) {
      const end = matrix.windowEnds[i] as number;
      const anyInWindow = matrix.series.some(
        ({ block }) => lastAtOrBefore(block.t, end) >= firstAfter(block.t, end - matrix.rangeMs),
      );
      if (!anyInWindow) {
        series.values[i] = 1;
        series.present[i] = 1;
      }
    }
    return { type: 'vector', series: series.present.includes(1) ? [series] : [] };
  }
}

/** The labels absent() and absent_over_time() give their result: the selector's equality matchers. */
export function absentLabels(arg: Expr): Labels {
  let inner = arg;
  while (inner.kind === 'paren') inner = inner.expr;
  const selector =
    inner.kind === 'vectorSelector' ? inner : inner.kind === 'matrixSelector' ? inner.selector : undefined;
  if (!selector) return makeLabels([]);
  const labels = new Map<string, string>();
  const seen = new Set<string>();
  for (const matcher of selector.matchers) {
    if (matcher.name === METRIC_NAME_LABEL) continue;
    if (matcher.type === '=' && !seen.has(matcher.name)) {
      labels.set(matcher.name, matcher.value);
      seen.add(matcher.name);
    } else {
      labels.delete(matcher.name);
    }
  }
  return makeLabels(labels);
}

function bounds(values: Float64Array): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

/** Index of the last timestamp <= at, or -1. */
export function lastAtOrBefore(t: Float64Array, at: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first timestamp > after (t.length when none). */
export function firstAfter(t: Float64Array, after: number): number {
  return lastAtOrBefore(t, after) + 1;
}

function withoutStale(block: SampleBlock): SampleBlock {
  const stale = block.stale;
  if (!stale?.includes(1)) return block;
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < block.t.length; i++) {
    if (stale[i]) continue;
    t.push(block.t[i] as number);
    v.push(block.v[i] as number);
  }
  return { t: Float64Array.from(t), v: Float64Array.from(v) };
}
