// OTel exponential histograms as classic (explicit-bound) buckets. Prometheus stores them as native
// histograms, which this collector's store and PromQL engine do not have; instead each point becomes the
// cumulative `le` buckets a classic histogram would have, so histogram_quantile() works on them.
//
// Bucket `index` of scale `s` holds values in (base^index, base^(index+1)] with base = 2^(2^-s); its upper
// bound is the `le`. Negative buckets mirror that below zero, and the zero bucket holds values within
// [-zeroThreshold, zeroThreshold]. Before converting, the histogram is downscaled (each step merges
// adjacent pairs of buckets and halves the scale) until it has at most `maxBuckets` populated buckets,
// Prometheus's default native-histogram bucket limit.

export const DEFAULT_MAX_EXPONENTIAL_BUCKETS = 160;

/** The lowest scale of the OTel data model: downscaling stops there even above the bucket limit. */
const MIN_SCALE = -10;

/** Dense buckets, as OTLP has them: bucketCounts[i] is bucket offset + i. */
export interface ExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

/** The parts of an exponential histogram point the conversion and the delta accumulation use. */
export interface ExponentialHistogram {
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
  count: number;
  sum: number | null;
}

/** Cumulative classic buckets: `cumulative[i]` observations are ≤ `bounds[i]`; +Inf is the count. */
export interface ClassicBuckets {
  bounds: number[];
  cumulative: number[];
}

/** The buckets without zero counts at either end (they add series and nothing else). */
function trimmed(buckets: ExponentialBuckets): ExponentialBuckets {
  const counts = buckets.bucketCounts;
  let start = 0;
  let end = counts.length;
  while (start < end && counts[start] === 0) start++;
  while (end > start && counts[end - 1] === 0) end--;
  if (start === 0 && end === counts.length) return buckets;
  return { offset: buckets.offset + start, bucketCounts: counts.slice(start, end) };
}

/** The buckets at a scale `by` steps lower: bucket i goes to floor(i / 2^by). */
export function downscaleBuckets(buckets: ExponentialBuckets, by: number): ExponentialBuckets {
  if (by <= 0 || buckets.bucketCounts.length === 0) return buckets;
  const factor = 2 ** by;
  const offset = Math.floor(buckets.offset / factor);
  const last = Math.floor((buckets.offset + buckets.bucketCounts.length - 1) / factor);
  const counts = new Array<number>(last - offset + 1).fill(0);
  buckets.bucketCounts.forEach((count, i) => {
    const at = Math.floor((buckets.offset + i) / factor) - offset;
    counts[at] = (counts[at] as number) + count;
  });
  return { offset, bucketCounts: counts };
}

export function downscale(histogram: ExponentialHistogram, by: number): ExponentialHistogram {
  if (by <= 0) return histogram;
  return {
    ...histogram,
    scale: histogram.scale - by,
    positive: downscaleBuckets(histogram.positive, by),
    negative: downscaleBuckets(histogram.negative, by),
  };
}

const span = (buckets: ExponentialBuckets) => buckets.bucketCounts.length;

/** Downscaled until positive and negative buckets together are at most `maxBuckets`. */
export function limitBuckets(histogram: ExponentialHistogram, maxBuckets: number): ExponentialHistogram {
  let result: ExponentialHistogram = {
    ...histogram,
    positive: trimmed(histogram.positive),
    negative: trimmed(histogram.negative),
  };
  // A step takes a span of n ≥ 3 buckets to at most n/2 + 1, but two buckets either side of index 0
  // (-1 and 0) never merge: the scale floor ends the loop for limits that small.
  while (span(result.positive) + span(result.negative) > maxBuckets && result.scale > MIN_SCALE) {
    result = downscale(result, 1);
  }
  return result;
}

/** Sum of two bucket sets of the same scale. */
function addBuckets(a: ExponentialBuckets, b: ExponentialBuckets): ExponentialBuckets {
  if (a.bucketCounts.length === 0) return { offset: b.offset, bucketCounts: [...b.bucketCounts] };
  if (b.bucketCounts.length === 0) return { offset: a.offset, bucketCounts: [...a.bucketCounts] };
  const offset = Math.min(a.offset, b.offset);
  const end = Math.max(a.offset + a.bucketCounts.length, b.offset + b.bucketCounts.length);
  const counts = new Array<number>(end - offset).fill(0);
  for (const { offset: from, bucketCounts } of [a, b]) {
    bucketCounts.forEach((count, i) => {
      counts[from - offset + i] = (counts[from - offset + i] as number) + count;
    });
  }
  return { offset, bucketCounts: counts };
}

/**
 * The sum of two histograms (delta accumulation): both taken to the lower scale, buckets added. The zero
 * threshold becomes the larger one; buckets of the other below it are not moved into the zero bucket.
 */
export function addHistograms(a: ExponentialHistogram, b: ExponentialHistogram): ExponentialHistogram {
  const scale = Math.min(a.scale, b.scale);
  const x = downscale(a, a.scale - scale);
  const y = downscale(b, b.scale - scale);
  return {
    scale,
    zeroCount: x.zeroCount + y.zeroCount,
    zeroThreshold: Math.max(x.zeroThreshold, y.zeroThreshold),
    positive: addBuckets(x.positive, y.positive),
    negative: addBuckets(x.negative, y.negative),
    count: x.count + y.count,
    sum: x.sum === null || y.sum === null ? null : x.sum + y.sum,
  };
}

/** base^exponent for base = 2^(2^-scale), exact for scales ≤ 0. */
function power(scale: number, exponent: number): number {
  return scale <= 0 ? 2 ** (exponent * 2 ** -scale) : 2 ** (exponent / 2 ** scale);
}

/**
 * Cumulative classic buckets, lowest bound first: the negative buckets (most negative first, each bounded
 * above by -base^index), the zero bucket (bound zeroThreshold, when it or a negative bucket has counts),
 * then the positive buckets (bound base^(index+1)). Bounds are strictly increasing and finite: a bucket
 * whose bound overflows to +Inf is left to the +Inf bucket, one whose bound does not exceed the previous
 * one (underflow, a zero threshold above the lowest buckets) is merged into the previous one.
 */
export function toClassicBuckets(histogram: ExponentialHistogram, maxBuckets: number): ClassicBuckets {
  const h = limitBuckets(histogram, maxBuckets);
  const raw: [bound: number, count: number][] = [];
  const { negative, positive } = h;
  for (let i = negative.bucketCounts.length - 1; i >= 0; i--) {
    raw.push([-power(h.scale, negative.offset + i), negative.bucketCounts[i] as number]);
  }
  if (h.zeroCount > 0 || negative.bucketCounts.length > 0) raw.push([h.zeroThreshold, h.zeroCount]);
  positive.bucketCounts.forEach((count, i) => {
    raw.push([power(h.scale, positive.offset + i + 1), count]);
  });

  const bounds: number[] = [];
  const cumulative: number[] = [];
  let running = 0;
  for (const [bound, count] of raw) {
    running += count;
    // Overflowed bounds: +Inf is the count's bucket; values below a -Inf bound count in the next bucket.
    if (bound === Number.POSITIVE_INFINITY || bound === Number.NEGATIVE_INFINITY) continue;
    const last = bounds.length - 1;
    if (last >= 0 && bound <= (bounds[last] as number)) {
      cumulative[last] = running;
      continue;
    }
    bounds.push(bound);
    cumulative.push(running);
  }
  return { bounds, cumulative };
}
