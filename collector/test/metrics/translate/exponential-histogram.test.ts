// Exponential histograms to classic buckets: bounds, downscaling, negative and zero buckets, accumulation.
import { describe, expect, it } from 'vitest';
import {
  addHistograms,
  downscaleBuckets,
  type ExponentialHistogram,
  limitBuckets,
  toClassicBuckets,
} from '../../../src/metrics/translate/exponential-histogram.ts';

function histogram(overrides: Partial<ExponentialHistogram>): ExponentialHistogram {
  const base: ExponentialHistogram = {
    scale: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    count: 0,
    sum: null,
  };
  const h = { ...base, ...overrides };
  const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
  if (overrides.count === undefined)
    h.count = h.zeroCount + total(h.positive.bucketCounts) + total(h.negative.bucketCounts);
  return h;
}

/** A seeded pseudo-random generator (mulberry32), so failures repeat. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('exponential histograms as classic buckets', () => {
  it('bounds positive buckets above by base^(index+1)', () => {
    const h = histogram({ scale: 1, positive: { offset: -2, bucketCounts: [1, 1, 1, 1] } });
    const { bounds, cumulative } = toClassicBuckets(h, 160);
    // base √2: indices -2..1 have upper bounds √2^-1, 1, √2, 2.
    expect(bounds).toEqual([2 ** -0.5, 1, 2 ** 0.5, 2]);
    expect(cumulative).toEqual([1, 2, 3, 4]);
  });

  it('puts negative buckets first, most negative lowest, then the zero bucket', () => {
    const h = histogram({
      scale: 0,
      zeroCount: 2,
      zeroThreshold: 0.001,
      negative: { offset: 0, bucketCounts: [3, 4] }, // (-2, -1] and (-4, -2] in magnitude
      positive: { offset: 1, bucketCounts: [5] }, // (2, 4]
    });
    expect(toClassicBuckets(h, 160)).toEqual({
      bounds: [-2, -1, 0.001, 4],
      cumulative: [4, 7, 9, 14],
    });
  });

  it('writes no zero bucket when it and the negative side are empty', () => {
    const h = histogram({ positive: { offset: 0, bucketCounts: [1] } });
    expect(toClassicBuckets(h, 160).bounds).toEqual([2]);
  });

  it('trims empty buckets at both ends', () => {
    const h = histogram({ positive: { offset: 0, bucketCounts: [0, 0, 1, 0, 2, 0] } });
    expect(toClassicBuckets(h, 160)).toEqual({ bounds: [8, 16, 32], cumulative: [1, 1, 3] });
  });

  it('downscales by merging adjacent pairs, floor(index / 2) per step', () => {
    expect(downscaleBuckets({ offset: -3, bucketCounts: [1, 2, 3, 4, 5] }, 1)).toEqual({
      offset: -2,
      bucketCounts: [1, 5, 9],
    });
    expect(downscaleBuckets({ offset: 5, bucketCounts: [1, 1, 1, 1] }, 2)).toEqual({
      offset: 1,
      bucketCounts: [3, 1],
    });
  });

  it('downscales until positive and negative buckets together are at most the limit', () => {
    const h = histogram({
      scale: 8,
      positive: { offset: 100, bucketCounts: new Array(300).fill(1) },
      negative: { offset: -50, bucketCounts: new Array(100).fill(2) },
    });
    const limited = limitBuckets(h, 160);
    expect(limited.positive.bucketCounts.length + limited.negative.bucketCounts.length).toBeLessThanOrEqual(
      160,
    );
    expect(limited.scale).toBe(6);
    const { bounds, cumulative } = toClassicBuckets(h, 160);
    expect(bounds.length).toBeLessThanOrEqual(161);
    expect(cumulative.at(-1)).toBe(h.count);
  });

  it('gives increasing bounds and cumulative counts that end at the count, whatever the layout', () => {
    const next = random(42);
    for (let round = 0; round < 200; round++) {
      const scale = Math.floor(next() * 25) - 5; // -5..19
      const counts = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 5));
      const h = histogram({
        scale,
        zeroCount: Math.floor(next() * 3),
        zeroThreshold: next() < 0.5 ? 0 : 1e-9,
        positive: { offset: Math.floor(next() * 400) - 200, bucketCounts: counts(Math.floor(next() * 250)) },
        negative: { offset: Math.floor(next() * 400) - 200, bucketCounts: counts(Math.floor(next() * 60)) },
      });
      const { bounds, cumulative } = toClassicBuckets(h, 160);
      for (let i = 1; i < bounds.length; i++) {
        expect(bounds[i] as number).toBeGreaterThan(bounds[i - 1] as number);
        expect(cumulative[i] as number).toBeGreaterThanOrEqual(cumulative[i - 1] as number);
      }
      expect(bounds.every(Number.isFinite)).toBe(true);
      expect(bounds.length).toBeLessThanOrEqual(161);
      // Buckets whose bound overflowed are left to +Inf (the count); without overflow, none is.
      expect(cumulative.at(-1) ?? 0).toBeLessThanOrEqual(h.count);
      if (scale >= 0) expect(cumulative.at(-1) ?? 0).toBe(h.count);
    }
  });

  it('leaves buckets whose bound overflows to the +Inf bucket', () => {
    const h = histogram({ scale: -10, positive: { offset: 0, bucketCounts: [1, 1] } });
    // base 2^1024 overflows: no finite bound at all.
    expect(toClassicBuckets(h, 160)).toEqual({ bounds: [], cumulative: [] });
  });

  it('adds two histograms at the lower of their scales', () => {
    const a = histogram({
      scale: 2,
      positive: { offset: 4, bucketCounts: [1, 1, 1, 1] },
      sum: 10,
      zeroCount: 1,
    });
    const b = histogram({
      scale: 1,
      positive: { offset: 0, bucketCounts: [5] },
      negative: { offset: 3, bucketCounts: [2] },
      sum: 2,
    });
    const total = addHistograms(a, b);
    expect(total).toEqual({
      scale: 1,
      zeroCount: 1,
      zeroThreshold: 0,
      positive: { offset: 0, bucketCounts: [5, 0, 2, 2] },
      negative: { offset: 3, bucketCounts: [2] },
      count: 12,
      sum: 12,
    });
  });
});
