// Floating-point arithmetic as Prometheus does it, so that results agree to the last bits where they can:
// Neumaier-compensated sums, Go's math.Pow special cases, and the quantile interpolation of quantile() and
// quantile_over_time().

/** One step of Kahan-Neumaier summation: returns [sum, compensation]. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}

/** A running Kahan-Neumaier sum, without allocating per addition (hot loops use this one). */
export class KahanSum {
  sum = 0;
  c = 0;

  add(inc: number): void {
    const t = this.sum + inc;
    if (!Number.isFinite(t) && !Number.isNaN(t)) this.c = 0;
    else if (Math.abs(this.sum) >= Math.abs(inc)) this.c += this.sum - t + inc;
    else this.c += inc - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.c;
  }
}

/** The compensated sum of values. */
export function kahanSum(values: ArrayLike<number>, from = 0, to = values.length): number {
  const sum = new KahanSum();
  for (let i = from; i < to; i++) sum.add(values[i] as number);
  return sum.value;
}

const isInfinite = (x: number) => x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY;

/**
 * Prometheus's mean (avg, avg_over_time): a compensated sum over the count, switching to an incremental mean
 * when the sum overflows, so that the mean of large finite values stays finite.
 */
export function average(values: ArrayLike<number>, from = 0, to = values.length): number {
  const sum = new KahanSum();
  for (let i = from; i < to; i++) {
    const k = i - from + 1;
    const previousSum = sum.sum;
    const previousC = sum.c;
    sum.add(values[i] as number);
    if (k === 1 || !isInfinite(sum.sum)) continue;
    let mean = previousSum / (k - 1);
    let c = previousC / (k - 1);
    for (let j = i; j < to; j++) {
      const value = values[j] as number;
      const n = j - from + 1;
      if (isInfinite(mean)) {
        if (isInfinite(value) && mean > 0 === value > 0) continue;
        if (!isInfinite(value) && !Number.isNaN(value)) continue;
        return Number.NaN;
      }
      [mean, c] = kahanSumInc(value / n - (mean + c) / n, mean, c);
    }
    return mean + c;
  }
  return sum.value / (to - from);
}

/** Go's math.Pow, where it differs from JavaScript's ** (1^NaN, (-1)^±Inf). */
export function goPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** Prometheus's quantile: φ < 0 → -Inf, φ > 1 → +Inf, linear interpolation between the closest ranks. */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...values].sort(compareFloats);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

/** Ascending, NaN first (Go's sort.Float64s order). */
export function compareFloats(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64), how Prometheus's API writes sample values. */
export { formatGoFloat as formatFloat } from '../../metrics/float-format.ts';
