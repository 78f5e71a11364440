// histogram_quantile over classic buckets (Prometheus's BucketQuantile in promql/quantile.go): buckets
// sorted by upper bound, equal bounds merged, counts forced monotonic (tiny floating-point dips ignored),
// and the quantile interpolated linearly inside the bucket that holds its rank.

export interface Bucket {
  upperBound: number;
  count: number;
}

const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  const last = sorted[sorted.length - 1];
  if (!last || last.upperBound !== Number.POSITIVE_INFINITY) return Number.NaN;
  const buckets = coalesce(sorted);
  ensureMonotonic(buckets);
  if (buckets.length < 2) return Number.NaN;
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && (buckets[b] as Bucket).count < rank) b++;
  if (b === buckets.length - 1) return (buckets[buckets.length - 2] as Bucket).upperBound;
  const bucket = buckets[b] as Bucket;
  if (b === 0 && bucket.upperBound <= 0) return bucket.upperBound;
  let bucketStart = 0;
  let count = bucket.count;
  if (b > 0) {
    const previous = buckets[b - 1] as Bucket;
    bucketStart = previous.upperBound;
    count -= previous.count;
    rank -= previous.count;
  }
  return bucketStart + (bucket.upperBound - bucketStart) * (rank / count);
}

function coalesce(buckets: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const bucket of buckets) {
    const previous = out[out.length - 1];
    if (previous && previous.upperBound === bucket.upperBound) previous.count += bucket.count;
    else out.push({ ...bucket });
  }
  return out;
}

function ensureMonotonic(buckets: Bucket[]): void {
  let previous = (buckets[0] as Bucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const bucket = buckets[i] as Bucket;
    const current = bucket.count;
    if (current === previous) continue;
    if (almostEqual(previous, current, SMALL_DELTA_TOLERANCE) || current < previous) {
      bucket.count = previous;
      continue;
    }
    previous = current;
  }
}

function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}
