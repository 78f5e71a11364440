// The functions over instant vectors and scalars: element-wise math, clamping and rounding, calendar
// functions, label_replace/label_join, histogram_quantile, and the odd ones (vector, scalar, time,
// timestamp, absent, sort). Range-vector functions are in range-functions.ts.
import { type Labels, METRIC_NAME_LABEL } from '../../metrics/model.ts';
import { compileGoRegex } from '../go-regex.ts';
import type { Call, Expr } from './ast.ts';
import { executionError, PromQLError } from './errors.ts';
import { absentLabels, type Evaluator } from './evaluator.ts';
import { goExpand } from './go-expand.ts';
import { type Bucket, bucketQuantile } from './histogram-quantile.ts';
import { dropMetricName, labelsKey, makeLabels } from './labels.ts';
import { mergeSameLabels, newSeries, type StepSeries, type StepValue, type VectorValue } from './values.ts';

type Elementwise = (value: number) => number;

const MATH: Readonly<Record<string, Elementwise>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn: (x) => (Number.isNaN(x) ? x : Math.sign(x)),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (x) => (x * 180) / Math.PI,
  rad: (x) => (x * Math.PI) / 180,
};

/** Calendar functions of a Unix time in seconds, in UTC (Go truncates the seconds to an integer). */
const CALENDAR: Readonly<Record<string, (date: Date) => number>> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

export function callInstantFunction(ev: Evaluator, expr: Call, times: Float64Array): StepValue {
  const steps = times.length;
  const { name, args } = expr;
  const math = MATH[name];
  if (math) return mapValues(ev.evalVector(args[0] as Expr, times), () => math);
  const calendar = CALENDAR[name];
  if (calendar) {
    if (args.length === 0) {
      const series = newSeries(makeLabels([]), steps);
      for (let i = 0; i < steps; i++) {
        series.values[i] = calendar(new Date(Math.trunc((times[i] as number) / 1000) * 1000));
        series.present[i] = 1;
      }
      return { type: 'vector', series: [series] };
    }
    return mapValues(ev.evalVector(args[0] as Expr, times), () => (value) => {
      if (!Number.isFinite(value)) return Number.NaN;
      return calendar(new Date(Math.trunc(value) * 1000));
    });
  }
  switch (name) {
    case 'time':
      return { type: 'scalar', values: times.map((t) => t / 1000) };
    case 'pi':
      return { type: 'scalar', values: new Float64Array(steps).fill(Math.PI) };
    case 'vector': {
      const scalar = ev.evalScalar(args[0] as Expr, times);
      const series = newSeries(makeLabels([]), steps);
      series.values.set(scalar.values);
      series.present.fill(1);
      return { type: 'vector', series: [series] };
    }
    case 'scalar': {
      const vector = ev.evalVector(args[0] as Expr, times);
      const values = new Float64Array(steps);
      for (let i = 0; i < steps; i++) {
        const present = vector.series.filter((s) => s.present[i]);
        values[i] = present.length === 1 ? ((present[0] as StepSeries).values[i] as number) : Number.NaN;
      }
      return { type: 'scalar', values };
    }
    case 'timestamp':
      return timestamp(ev, args[0] as Expr, times);
    case 'absent': {
      const vector = ev.evalVector(args[0] as Expr, times);
      const series = newSeries(absentLabels(args[0] as Expr), steps);
      for (let i = 0; i < steps; i++) {
        if (vector.series.some((s) => s.present[i])) continue;
        series.values[i] = 1;
        series.present[i] = 1;
      }
      return { type: 'vector', series: series.present.includes(1) ? [series] : [] };
    }
    case 'sort':
    case 'sort_desc':
      // Order only matters in an instant query's result: the engine sorts it there (engine.ts).
      return ev.evalVector(args[0] as Expr, times);
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max':
      return clamp(ev, expr, times);
    case 'round': {
      const toNearest = args[1] ? ev.evalScalar(args[1], times).values : undefined;
      return mapValues(ev.evalVector(args[0] as Expr, times), (i) => {
        const inverse = 1 / (toNearest ? (toNearest[i] as number) : 1);
        return (value) => Math.floor(value * inverse + 0.5) / inverse;
      });
    }
    case 'label_replace':
      return labelReplace(ev, expr, times);
    case 'label_join':
      return labelJoin(ev, expr, times);
    case 'histogram_quantile':
      return histogramQuantile(ev, expr, times);
    default:
      throw new PromQLError('bad_data', `function ${JSON.stringify(name)} is not supported by this engine`);
  }
}

/** Applies a per-step function to every value; the result drops the metric name. */
function mapValues(vector: VectorValue, fnAt: (step: number) => Elementwise): VectorValue {
  const out = vector.series.map((s) => {
    const series = newSeries(dropMetricName(s.labels), s.values.length);
    for (let i = 0; i < s.values.length; i++) {
      if (!s.present[i]) continue;
      series.values[i] = fnAt(i)(s.values[i] as number);
      series.present[i] = 1;
    }
    return series;
  });
  return { type: 'vector', series: mergeSameLabels(out) };
}

function timestamp(ev: Evaluator, arg: Expr, times: Float64Array): VectorValue {
  let inner = arg;
  while (inner.kind === 'paren') inner = inner.expr;
  const vector = ev.evalVector(arg, times);
  // Of a selector: the timestamp of the sample it picked; of anything else: the evaluation time.
  const useSampleTimes = inner.kind === 'vectorSelector';
  const out = vector.series.map((s) => {
    const series = newSeries(dropMetricName(s.labels), times.length);
    for (let i = 0; i < times.length; i++) {
      if (!s.present[i]) continue;
      const t = useSampleTimes && s.sampleTimes ? (s.sampleTimes[i] as number) : (times[i] as number);
      series.values[i] = t / 1000;
      series.present[i] = 1;
    }
    return series;
  });
  return { type: 'vector', series: mergeSameLabels(out) };
}

function clamp(ev: Evaluator, expr: Call, times: Float64Array): VectorValue {
  const vector = ev.evalVector(expr.args[0] as Expr, times);
  const first = ev.evalScalar(expr.args[1] as Expr, times).values;
  const second = expr.args[2] ? ev.evalScalar(expr.args[2], times).values : undefined;
  const out: StepSeries[] = [];
  for (const s of vector.series) {
    const series = newSeries(dropMetricName(s.labels), times.length);
    for (let i = 0; i < times.length; i++) {
      if (!s.present[i]) continue;
      const value = s.values[i] as number;
      let result: number;
      if (expr.name === 'clamp_min') result = Math.max(value, first[i] as number);
      else if (expr.name === 'clamp_max') result = Math.min(value, first[i] as number);
      else {
        const min = first[i] as number;
        const max = (second as Float64Array)[i] as number;
        if (max < min) continue; // clamp with min > max returns an empty vector
        result = Math.max(min, Math.min(max, value));
      }
      series.values[i] = result;
      series.present[i] = 1;
    }
    out.push(series);
  }
  return { type: 'vector', series: mergeSameLabels(out.filter((s) => s.present.includes(1))) };
}

function stringArg(ev: Evaluator, expr: Expr, times: Float64Array): string {
  const value = ev.eval(expr, times);
  if (value.type !== 'string') throw new PromQLError('internal', 'expected a string argument');
  return value.value;
}

function relabel(vector: VectorValue, change: (labels: Labels) => Labels): VectorValue {
  const out = vector.series.map((s) => ({ ...s, labels: change(s.labels), sampleTimes: undefined }));
  return { type: 'vector', series: mergeSameLabels(out) };
}

function labelReplace(ev: Evaluator, expr: Call, times: Float64Array): VectorValue {
  const [vectorArg, dstArg, replacementArg, srcArg, regexArg] = expr.args as [Expr, Expr, Expr, Expr, Expr];
  const dst = stringArg(ev, dstArg, times);
  const replacement = stringArg(ev, replacementArg, times);
  const src = stringArg(ev, srcArg, times);
  const pattern = stringArg(ev, regexArg, times);
  let regex: RegExp;
  try {
    regex = compileGoRegex(pattern, 'anchored-dotall');
  } catch (error) {
    throw new PromQLError(
      'bad_data',
      `invalid regular expression in label_replace(): ${pattern}: ${(error as Error).message}`,
    );
  }
  if (dst === '') throw executionError(`invalid destination label name in label_replace(): ${dst}`);
  const vector = ev.evalVector(vectorArg, times);
  return relabel(vector, (labels) => {
    const match = regex.exec(labels[src] ?? '');
    if (!match) return labels;
    const value = goExpand(replacement, match);
    return makeLabels([...Object.entries(labels).filter(([name]) => name !== dst), [dst, value]]);
  });
}

function labelJoin(ev: Evaluator, expr: Call, times: Float64Array): VectorValue {
  const [vectorArg, dstArg, sepArg, ...srcArgs] = expr.args as [Expr, Expr, Expr, ...Expr[]];
  const dst = stringArg(ev, dstArg, times);
  const separator = stringArg(ev, sepArg, times);
  const sources = srcArgs.map((arg) => stringArg(ev, arg, times));
  if (dst === '') throw executionError(`invalid destination label name in label_join(): ${dst}`);
  const vector = ev.evalVector(vectorArg, times);
  return relabel(vector, (labels) => {
    const value = sources.map((source) => labels[source] ?? '').join(separator);
    return makeLabels([...Object.entries(labels).filter(([name]) => name !== dst), [dst, value]]);
  });
}

function histogramQuantile(ev: Evaluator, expr: Call, times: Float64Array): VectorValue {
  const phi = ev.evalScalar(expr.args[0] as Expr, times).values;
  const vector = ev.evalVector(expr.args[1] as Expr, times);
  const groups = new Map<string, { labels: Labels; members: { le: number; series: StepSeries }[] }>();
  for (const s of vector.series) {
    const leText = s.labels.le;
    if (leText === undefined) continue; // not a bucket: ignored, as Prometheus does
    const le = parseBound(leText);
    if (Number.isNaN(le)) continue;
    const labels = makeLabels(
      Object.entries(s.labels).filter(([name]) => name !== 'le' && name !== METRIC_NAME_LABEL),
    );
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (!group) {
      group = { labels, members: [] };
      groups.set(key, group);
    }
    group.members.push({ le, series: s });
  }
  const out: StepSeries[] = [];
  for (const group of groups.values()) {
    const series = newSeries(group.labels, times.length);
    let any = false;
    for (let i = 0; i < times.length; i++) {
      const buckets: Bucket[] = [];
      for (const { le, series: member } of group.members) {
        if (member.present[i]) buckets.push({ upperBound: le, count: member.values[i] as number });
      }
      if (buckets.length === 0) continue;
      series.values[i] = bucketQuantile(phi[i] as number, buckets);
      series.present[i] = 1;
      any = true;
    }
    if (any) out.push(series);
  }
  return { type: 'vector', series: out };
}

/** A bucket's `le`, as Go's strconv.ParseFloat reads it (NaN when it does not parse). */
function parseBound(text: string): number {
  const trimmed = text.trim();
  if (/^[+]?inf(inity)?$/i.test(trimmed)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(trimmed)) return Number.NEGATIVE_INFINITY;
  if (trimmed === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number.NaN;
  return Number(trimmed);
}
