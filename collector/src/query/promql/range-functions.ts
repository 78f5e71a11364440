// The functions over range vectors (promql/functions.go): each takes the samples of one series inside one
// step's window, samples [from, to) of `t`/`v`, and returns the value, or undefined for no output at that
// step. The window is (end - range, end] (Prometheus 3: left-open).
import { average, KahanSum, kahanSum, quantile } from './float-math.ts';

export interface Window {
  /** Right end of the window (ms, inclusive). */
  endMs: number;
  rangeMs: number;
  /** The evaluation time of the step (ms): where predict_linear's line is anchored. */
  evalMs: number;
  /** The scalar argument at this step (predict_linear's duration, quantile_over_time's φ). */
  param: number;
}

export type RangeFunction = (
  t: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
  w: Window,
) => number | undefined;

/** rate, increase and delta: the change over the window, extrapolated to its edges. */
function extrapolatedRate(isCounter: boolean, isRate: boolean): RangeFunction {
  return (t, v, from, to, w) => {
    const n = to - from;
    if (n < 2) return undefined;
    const firstT = t[from] as number;
    const lastT = t[to - 1] as number;
    const firstV = v[from] as number;
    let result = (v[to - 1] as number) - firstV;
    if (isCounter) {
      let last = 0;
      for (let i = from; i < to; i++) {
        const value = v[i] as number;
        if (value < last) result += last;
        last = value;
      }
    }
    const rangeStart = w.endMs - w.rangeMs;
    let durationToStart = (firstT - rangeStart) / 1000;
    let durationToEnd = (w.endMs - lastT) / 1000;
    const sampledInterval = (lastT - firstT) / 1000;
    const averageBetweenSamples = sampledInterval / (n - 1);
    const threshold = averageBetweenSamples * 1.1;
    if (durationToStart >= threshold) durationToStart = averageBetweenSamples / 2;
    if (isCounter && result > 0 && firstV >= 0) {
      // A counter cannot go below zero: do not extrapolate past the point where it would.
      const durationToZero = sampledInterval * (firstV / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    if (durationToEnd >= threshold) durationToEnd = averageBetweenSamples / 2;
    let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate) factor /= w.rangeMs / 1000;
    return result * factor;
  };
}

/** irate and idelta: from the last two samples. */
function instantValue(isRate: boolean): RangeFunction {
  return (t, v, from, to) => {
    if (to - from < 2) return undefined;
    const last = v[to - 1] as number;
    const previous = v[to - 2] as number;
    let result = isRate && last < previous ? last : last - previous;
    const interval = (t[to - 1] as number) - (t[to - 2] as number);
    if (interval === 0) return undefined;
    if (isRate) result /= interval / 1000;
    return result;
  };
}

/** Least-squares fit of value over time (seconds relative to `interceptMs`): [slope, intercept]. */
export function linearRegression(
  t: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
  interceptMs: number,
): [number, number] {
  let n = 0;
  const sumX = new KahanSum();
  const sumY = new KahanSum();
  const sumXY = new KahanSum();
  const sumX2 = new KahanSum();
  const initY = v[from] as number;
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = v[i] as number;
    if (constY && i > from && y !== initY) constY = false;
    n += 1;
    const x = ((t[i] as number) - interceptMs) / 1000;
    sumX.add(x);
    sumY.add(y);
    sumXY.add(x * y);
    sumX2.add(x * x);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [Number.NaN, Number.NaN];
    return [0, initY];
  }
  const x = sumX.value;
  const y = sumY.value;
  const covXY = sumXY.value - (x * y) / n;
  const varX = sumX2.value - (x * x) / n;
  const slope = covXY / varX;
  return [slope, y / n - (slope * x) / n];
}

function variance(v: Float64Array, from: number, to: number): number {
  let count = 0;
  const mean = new KahanSum();
  const aux = new KahanSum();
  for (let i = from; i < to; i++) {
    const value = v[i] as number;
    count++;
    const delta = value - mean.value;
    mean.add(delta / count);
    aux.add(delta * (value - mean.value));
  }
  return aux.value / count;
}

export const RANGE_FUNCTIONS: Readonly<Record<string, RangeFunction>> = {
  rate: extrapolatedRate(true, true),
  increase: extrapolatedRate(true, false),
  delta: extrapolatedRate(false, false),
  irate: instantValue(true),
  idelta: instantValue(false),
  deriv: (t, v, from, to) =>
    to - from < 2 ? undefined : linearRegression(t, v, from, to, t[from] as number)[0],
  predict_linear: (t, v, from, to, w) => {
    if (to - from < 2) return undefined;
    const [slope, intercept] = linearRegression(t, v, from, to, w.evalMs);
    return slope * w.param + intercept;
  },
  resets: (_t, v, from, to) => {
    let resets = 0;
    for (let i = from + 1; i < to; i++) if ((v[i] as number) < (v[i - 1] as number)) resets++;
    return resets;
  },
  changes: (_t, v, from, to) => {
    let changes = 0;
    for (let i = from + 1; i < to; i++) {
      const current = v[i] as number;
      const previous = v[i - 1] as number;
      if (!(current === previous || (Number.isNaN(current) && Number.isNaN(previous)))) changes++;
    }
    return changes;
  },
  avg_over_time: (_t, v, from, to) => average(v, from, to),
  sum_over_time: (_t, v, from, to) => kahanSum(v, from, to),
  count_over_time: (_t, _v, from, to) => to - from,
  min_over_time: (_t, v, from, to) => {
    let min = v[from] as number;
    for (let i = from + 1; i < to; i++) {
      const value = v[i] as number;
      if (value < min || Number.isNaN(min)) min = value;
    }
    return min;
  },
  max_over_time: (_t, v, from, to) => {
    let max = v[from] as number;
    for (let i = from + 1; i < to; i++) {
      const value = v[i] as number;
      if (value > max || Number.isNaN(max)) max = value;
    }
    return max;
  },
  last_over_time: (_t, v, _from, to) => v[to - 1] as number,
  present_over_time: () => 1,
  stddev_over_time: (_t, v, from, to) => Math.sqrt(variance(v, from, to)),
  stdvar_over_time: (_t, v, from, to) => variance(v, from, to),
  quantile_over_time: (_t, v, from, to, w) => quantile(w.param, Array.from(v.subarray(from, to))),
};
