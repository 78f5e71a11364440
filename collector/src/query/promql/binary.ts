// Binary operators: arithmetic, comparison (filtering, or 0/1 with `bool`) and set operators, between
// scalars and instant vectors, with vector matching (`on`/`ignoring`, `group_left`/`group_right`) as
// Prometheus's engine does it (VectorBinop, VectorAnd/Or/Unless), including its errors for ambiguous
// matches.
import { type Labels, METRIC_NAME_LABEL } from '../../metrics/model.ts';
import type { Binary, BinaryOp, VectorMatching } from './ast.ts';
import { executionError, PromQLError } from './errors.ts';
import type { Evaluator } from './evaluator.ts';
import { goPow } from './float-math.ts';
import { dropMetricName, formatLabels, keepLabels, labelsKey, makeLabels, withoutLabels } from './labels.ts';
import { mergeSameLabels, newSeries, type StepSeries, type StepValue, type VectorValue } from './values.ts';

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
// Operators whose result drops the metric name (Prometheus 3 added atan2; 2.x kept the name for it).
const ARITHMETIC = new Set<BinaryOp>(['+', '-', '*', '/', '%', '^', 'atan2']);

export function evalBinary(ev: Evaluator, expr: Binary, times: Float64Array): StepValue {
  const lhs = ev.eval(expr.lhs, times);
  const rhs = ev.eval(expr.rhs, times);
  if (lhs.type === 'scalar' && rhs.type === 'scalar') {
    const comparison = COMPARISONS.has(expr.op);
    const values = new Float64Array(times.length);
    for (let i = 0; i < values.length; i++) {
      const l = lhs.values[i] as number;
      const r = rhs.values[i] as number;
      values[i] = comparison ? (compare(expr.op, l, r) ? 1 : 0) : apply(expr.op, l, r)[0];
    }
    return { type: 'scalar', values };
  }
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    const matching = expr.matching as VectorMatching;
    switch (expr.op) {
      case 'and':
        return filterBy(lhs, rhs, matching, times.length, true);
      case 'or':
        return setOr(lhs, rhs, matching, times.length);
      case 'unless':
        return filterBy(lhs, rhs, matching, times.length, false);
      default:
        return vectorVector(expr, lhs, rhs, matching, times.length);
    }
  }
  if (lhs.type === 'vector' && rhs.type === 'scalar') return vectorScalar(expr, lhs, rhs.values, false);
  if (lhs.type === 'scalar' && rhs.type === 'vector') return vectorScalar(expr, rhs, lhs.values, true);
  throw new PromQLError('internal', 'binary operator on a string');
}

function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      return false;
  }
}

/** [value, keep]: Prometheus's vectorElemBinop. Comparisons keep the left value when true. */
function apply(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true];
    case '^':
      return [goPow(l, r), true];
    case 'atan2':
      return [Math.atan2(l, r), true];
    default:
      return [l, compare(op, l, r)];
  }
}

function vectorScalar(
  expr: Binary,
  vector: VectorValue,
  scalar: Float64Array,
  scalarOnLeft: boolean,
): VectorValue {
  const comparison = COMPARISONS.has(expr.op);
  const dropName = ARITHMETIC.has(expr.op) || expr.returnBool;
  const out: StepSeries[] = [];
  for (const s of vector.series) {
    const series = newSeries(dropName ? dropMetricName(s.labels) : s.labels, s.values.length);
    let any = false;
    for (let i = 0; i < s.values.length; i++) {
      if (!s.present[i]) continue;
      const v = s.values[i] as number;
      const k = scalar[i] as number;
      let [value, keep] = scalarOnLeft ? apply(expr.op, k, v) : apply(expr.op, v, k);
      // A comparison keeps the vector's value, whichever side it is on.
      if (comparison && scalarOnLeft) value = v;
      if (expr.returnBool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) continue;
      series.values[i] = value;
      series.present[i] = 1;
      any = true;
    }
    if (any) out.push(series);
  }
  return { type: 'vector', series: dropName ? mergeSameLabels(out) : out };
}

/** The matching signature of a series: the `on` labels, or every label but the `ignoring` ones and the name. */
function signature(labels: Labels, matching: VectorMatching): string {
  if (matching.on) return labelsKey(keepLabels(labels, matching.labels));
  return labelsKey(withoutLabels(labels, new Set([...matching.labels, METRIC_NAME_LABEL])));
}

function bySignature(series: StepSeries[], matching: VectorMatching): Map<string, StepSeries[]> {
  const out = new Map<string, StepSeries[]>();
  for (const s of series) {
    const sig = signature(s.labels, matching);
    const list = out.get(sig);
    if (list) list.push(s);
    else out.set(sig, [s]);
  }
  return out;
}

/**
 * `and` and `unless`: the left side's samples at the steps where a right-side series of the same signature
 * is present (`and`) or absent (`unless`), labels unchanged.
 */
function filterBy(
  lhs: VectorValue,
  rhs: VectorValue,
  matching: VectorMatching,
  steps: number,
  keepWhenMatched: boolean,
): VectorValue {
  const right = bySignature(rhs.series, matching);
  const out: StepSeries[] = [];
  for (const s of lhs.series) {
    const others = right.get(signature(s.labels, matching)) ?? [];
    if (keepWhenMatched && others.length === 0) continue;
    const series = newSeries(s.labels, steps);
    let any = false;
    for (let i = 0; i < steps; i++) {
      if (s.present[i] && others.some((o) => o.present[i]) === keepWhenMatched) {
        series.values[i] = s.values[i] as number;
        series.present[i] = 1;
        any = true;
      }
    }
    if (any) out.push(series);
  }
  return { type: 'vector', series: out };
}

function setOr(lhs: VectorValue, rhs: VectorValue, matching: VectorMatching, steps: number): VectorValue {
  const left = bySignature(lhs.series, matching);
  const out: StepSeries[] = [...lhs.series];
  for (const s of rhs.series) {
    const others = left.get(signature(s.labels, matching)) ?? [];
    const series = newSeries(s.labels, steps);
    let any = false;
    for (let i = 0; i < steps; i++) {
      if (s.present[i] && !others.some((o) => o.present[i])) {
        series.values[i] = s.values[i] as number;
        series.present[i] = 1;
        any = true;
      }
    }
    if (any) out.push(series);
  }
  return { type: 'vector', series: mergeSameLabels(out) };
}

function vectorVector(
  expr: Binary,
  lhsValue: VectorValue,
  rhsValue: VectorValue,
  matching: VectorMatching,
  steps: number,
): VectorValue {
  // group_right: the "many" side is the right one; swap so that `many` is always iterated.
  const swapped = matching.card === 'one-to-many';
  const many = swapped ? rhsValue.series : lhsValue.series;
  const one = swapped ? lhsValue.series : rhsValue.series;
  const oneBySig = bySignature(one, matching);
  const manyBySig = bySignature(many, matching);
  const dropName = ARITHMETIC.has(expr.op) || expr.returnBool;
  const out: StepSeries[] = [];

  for (const [sig, oneSide] of oneBySig) {
    const manySide = manyBySig.get(sig);
    if (!manySide) continue;
    // Two series of the "one" side present at the same step: Prometheus refuses the match.
    if (oneSide.length > 1) {
      for (let i = 0; i < steps; i++) {
        const present = oneSide.filter((s) => s.present[i]);
        if (present.length > 1) {
          const side = swapped ? 'left' : 'right';
          throw executionError(
            `found duplicate series for the match group ${formatSignature(present[0] as StepSeries, matching)} on the ${side} hand-side of the operation: [${present
              .slice(0, 2)
              .map((s) => formatLabels(s.labels))
              .join(', ')}];many-to-many matching not allowed: matching labels must be unique on one side`,
          );
        }
      }
    }
    if (matching.card === 'one-to-one' && manySide.length > 1) {
      for (let i = 0; i < steps; i++) {
        if (manySide.filter((s) => s.present[i]).length > 1 && oneSide.some((s) => s.present[i])) {
          throw executionError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
      }
    }
    for (const m of manySide) {
      for (const o of oneSide) {
        const labels = resultLabels(m.labels, o.labels, matching, dropName);
        const series = newSeries(labels, steps);
        let any = false;
        for (let i = 0; i < steps; i++) {
          if (!m.present[i] || !o.present[i]) continue;
          const l = swapped ? (o.values[i] as number) : (m.values[i] as number);
          const r = swapped ? (m.values[i] as number) : (o.values[i] as number);
          let [value, keep] = apply(expr.op, l, r);
          if (expr.returnBool) {
            value = keep ? 1 : 0;
            keep = true;
          }
          if (!keep) continue;
          series.values[i] = value;
          series.present[i] = 1;
          any = true;
        }
        if (any) out.push(series);
      }
    }
  }
  const message =
    matching.card === 'one-to-one'
      ? 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)'
      : 'multiple matches for labels: grouping labels must ensure unique matches';
  return { type: 'vector', series: mergeSameLabels(out, message) };
}

function resultLabels(many: Labels, one: Labels, matching: VectorMatching, dropName: boolean): Labels {
  let labels = dropName ? dropMetricName(many) : many;
  if (matching.card === 'one-to-one') {
    labels = matching.on
      ? keepLabels(labels, matching.labels)
      : withoutLabels(labels, new Set(matching.labels));
  }
  if (matching.include.length > 0) {
    const entries = new Map(Object.entries(labels));
    for (const name of matching.include) {
      const value = one[name];
      if (value !== undefined && value !== '') entries.set(name, value);
      else entries.delete(name);
    }
    labels = makeLabels(entries);
  }
  return labels;
}

function formatSignature(series: StepSeries, matching: VectorMatching): string {
  const labels = matching.on
    ? keepLabels(series.labels, matching.labels)
    : withoutLabels(series.labels, new Set([...matching.labels, METRIC_NAME_LABEL]));
  return formatLabels(labels);
}
