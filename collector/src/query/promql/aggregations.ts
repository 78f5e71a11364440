// Aggregation operators (sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile,
// count_values) with `by`/`without`. Series are put in groups once (their labels are fixed); each step then
// aggregates the members present at it.
import { type Labels, METRIC_NAME_LABEL } from '../../metrics/model.ts';
import type { Aggregate } from './ast.ts';
import { PromQLError } from './errors.ts';
import type { Evaluator } from './evaluator.ts';
import { average, formatFloat, kahanSum, quantile } from './float-math.ts';
import { keepLabels, labelsKey, makeLabels, withoutLabels } from './labels.ts';
import { newSeries, type StepSeries, type VectorValue } from './values.ts';

interface Group {
  labels: Labels;
  members: StepSeries[];
}

export function evalAggregate(ev: Evaluator, expr: Aggregate, times: Float64Array): VectorValue {
  const input = ev.evalVector(expr.expr, times);
  const steps = times.length;
  if (expr.op === 'count_values') {
    const param = ev.eval(expr.param as Aggregate['expr'], times);
    if (param.type !== 'string') throw new PromQLError('internal', 'count_values needs a string');
    return countValues(param.value, groups(input.series, expr), steps);
  }
  const params = expr.param ? ev.evalScalar(expr.param, times).values : undefined;
  const grouped = groups(input.series, expr);
  if (expr.op === 'topk' || expr.op === 'bottomk')
    return topK(expr.op, grouped, params as Float64Array, steps);
  const out: StepSeries[] = [];
  const values: number[] = [];
  for (const group of grouped) {
    const series = newSeries(group.labels, steps);
    let any = false;
    for (let i = 0; i < steps; i++) {
      values.length = 0;
      for (const member of group.members) if (member.present[i]) values.push(member.values[i] as number);
      if (values.length === 0) continue;
      series.values[i] = aggregate(expr.op, values, params?.[i] ?? 0);
      series.present[i] = 1;
      any = true;
    }
    if (any) out.push(series);
  }
  return { type: 'vector', series: out };
}

function groups(series: StepSeries[], expr: Aggregate): Group[] {
  const without = new Set([...expr.grouping, METRIC_NAME_LABEL]);
  const byKey = new Map<string, Group>();
  for (const s of series) {
    const labels = expr.without ? withoutLabels(s.labels, without) : keepLabels(s.labels, expr.grouping);
    const key = labelsKey(labels);
    let group = byKey.get(key);
    if (!group) {
      group = { labels, members: [] };
      byKey.set(key, group);
    }
    group.members.push(s);
  }
  return [...byKey.values()];
}

function aggregate(op: Aggregate['op'], values: number[], param: number): number {
  switch (op) {
    case 'sum':
      return kahanSum(values);
    case 'avg':
      return average(values);
    case 'count':
      return values.length;
    case 'group':
      return 1;
    case 'min': {
      let min = values[0] as number;
      for (const value of values) if (value < min || Number.isNaN(min)) min = value;
      return min;
    }
    case 'max': {
      let max = values[0] as number;
      for (const value of values) if (value > max || Number.isNaN(max)) max = value;
      return max;
    }
    case 'stddev':
      return Math.sqrt(variance(values));
    case 'stdvar':
      return variance(values);
    case 'quantile':
      return quantile(param, values);
    default:
      throw new PromQLError('internal', `aggregation ${op} is evaluated elsewhere`);
  }
}

function variance(values: number[]): number {
  let count = 1;
  let mean = values[0] as number;
  let m2 = 0;
  for (let i = 1; i < values.length; i++) {
    const value = values[i] as number;
    count++;
    const delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
  }
  return m2 / count;
}

function topK(op: 'topk' | 'bottomk', grouped: Group[], ks: Float64Array, steps: number): VectorValue {
  const chosen = new Map<StepSeries, StepSeries>();
  for (let i = 0; i < steps; i++) {
    const k = checkedK(ks[i] as number);
    if (k < 1) continue;
    for (const group of grouped) {
      const present = group.members.filter((m) => m.present[i]);
      present.sort((a, b) => compareForTopK(op, a.values[i] as number, b.values[i] as number));
      for (const member of present.slice(0, k)) {
        let out = chosen.get(member);
        if (!out) {
          out = newSeries(member.labels, steps);
          chosen.set(member, out);
        }
        out.values[i] = member.values[i] as number;
        out.present[i] = 1;
      }
    }
  }
  return { type: 'vector', series: [...chosen.values()] };
}

function checkedK(k: number): number {
  if (Number.isNaN(k) || Math.abs(k) > 2 ** 63)
    throw new PromQLError('execution', `Scalar value ${formatFloat(k)} overflows int64`);
  return Math.trunc(k);
}

// topk: largest first, NaN last; bottomk: smallest first, NaN last.
function compareForTopK(op: 'topk' | 'bottomk', a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return op === 'topk' ? b - a || 0 : a - b || 0;
}

function countValues(label: string, grouped: Group[], steps: number): VectorValue {
  if (label === '') throw new PromQLError('execution', `invalid label name ""`);
  const out = new Map<string, StepSeries>();
  for (const group of grouped) {
    for (let i = 0; i < steps; i++) {
      for (const member of group.members) {
        if (!member.present[i]) continue;
        const value = formatFloat(member.values[i] as number);
        const labels = makeLabels([
          ...Object.entries(group.labels).filter(([name]) => name !== label),
          [label, value],
        ]);
        const key = labelsKey(labels);
        let series = out.get(key);
        if (!series) {
          series = newSeries(labels, steps);
          out.set(key, series);
        }
        series.values[i] = (series.present[i] ? (series.values[i] as number) : 0) + 1;
        series.present[i] = 1;
      }
    }
  }
  return { type: 'vector', series: [...out.values()] };
}
