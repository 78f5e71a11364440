// The chunk codec: every sample comes back bit for bit (values, -0, NaN, ±Inf, staleness markers),
// across irregular timestamps, huge gaps and chunk sizes from 1 sample to the maximum; the decimal
// encoding is exact and chosen when it is smaller; corrupt data is refused.
import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter } from '../../../src/metrics/chunks/bits.ts';
import {
  ChunkFormatError,
  type ChunkSamples,
  chunkEncoding,
  chunkSampleCount,
  decodeChunk,
  encodeChunk,
  MAX_CHUNK_SAMPLES,
} from '../../../src/metrics/chunks/index.ts';
import { bitsNeeded, readIntStream, writeIntStream } from '../../../src/metrics/chunks/int-stream.ts';

/** mulberry32, so failures reproduce. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const view = new DataView(new ArrayBuffer(8));
const bitsOf = (x: number): string => {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
};

function expectRoundTrip(samples: ChunkSamples, options?: Parameters<typeof encodeChunk>[1]): Uint8Array {
  const data = encodeChunk(samples, options);
  const decoded = decodeChunk(data);
  const n = samples.t.length;
  expect(chunkSampleCount(data)).toBe(n);
  expect(Array.from(decoded.t)).toEqual(Array.from(samples.t));
  const anyStale = samples.stale ? Array.from(samples.stale).some((s) => s) : false;
  expect(decoded.stale !== undefined).toBe(anyStale);
  for (let i = 0; i < n; i++) {
    const stale = samples.stale?.[i] ? 1 : 0;
    expect(decoded.stale?.[i] ?? 0).toBe(stale);
    if (stale) expect(decoded.v[i]).toBeNaN();
    else if (Number.isNaN(samples.v[i])) expect(decoded.v[i]).toBeNaN();
    else expect(bitsOf(decoded.v[i] as number)).toBe(bitsOf(samples.v[i] as number));
  }
  return data;
}

const regularTimes = (n: number, start = 1_760_000_000_000, step = 15_000) =>
  Array.from({ length: n }, (_, i) => start + i * step);

describe('bits', () => {
  it('writes and reads widths 0..32 and 64-bit halves', () => {
    const random = seeded(1);
    const writer = new BitWriter(1);
    const written: [number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(random() * 33);
      const value = n === 0 ? 0 : Math.floor(random() * 2 ** n);
      written.push([value, n]);
      writer.writeBits(value, n);
    }
    const reader = new BitReader(writer.finish());
    for (const [value, n] of written) expect(reader.readBits(n)).toBe(value);
    expect(() => new BitReader(new Uint8Array(1)).readBits(9)).toThrow(ChunkFormatError);
  });

  it('integer streams round-trip values up to ±2^53 in every layout', () => {
    const random = seeded(2);
    const sets = [
      [0, 0, 0, 0],
      [1, -1, 2, -2, 0, 7, -8],
      Array.from({ length: 300 }, () => Math.round((random() - 0.5) * 20) + 0), // + 0: no -0
      Array.from({ length: 300 }, () => (random() < 0.9 ? 0 : Math.round((random() - 0.5) * 2 ** 40) + 0)),
      [2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 32, -(2 ** 32), 2 ** 31, -(2 ** 31), 2 ** 32 - 1],
    ];
    for (const values of sets) {
      const writer = new BitWriter();
      writeIntStream(writer, values);
      const out = new Float64Array(values.length);
      readIntStream(new BitReader(writer.finish()), values.length, out);
      expect(Array.from(out)).toEqual(values);
    }
    expect([0, 1, -1, -2, 2, 127, -128, 128].map(bitsNeeded)).toEqual([0, 2, 1, 2, 3, 8, 8, 9]);
  });
});

describe('chunk round trips', () => {
  it('random floats with irregular timestamps', () => {
    const random = seeded(3);
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(random() * 300);
      let time = Math.floor(random() * 2 ** 41);
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < n; i++) {
        time += 1 + Math.floor(random() * (random() < 0.1 ? 1e9 : 20_000));
        t.push(time);
        v.push((random() - 0.5) * 10 ** Math.floor(random() * 20 - 10));
      }
      expectRoundTrip({ t, v });
    }
  });

  it('adversarial values: NaN, ±Inf, -0, denormals, extremes, stale markers anywhere', () => {
    const specials = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
      0,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.EPSILON,
      1,
      -1,
      0.1,
      2 ** 53,
    ];
    const random = seeded(4);
    for (let round = 0; round < 40; round++) {
      const n = 1 + Math.floor(random() * 100);
      const v = Array.from({ length: n }, () => specials[Math.floor(random() * specials.length)] as number);
      const stale = Array.from({ length: n }, () => (random() < 0.2 ? 1 : 0));
      expectRoundTrip({ t: regularTimes(n), v, stale });
      expectRoundTrip({ t: regularTimes(n), v, stale }, { encoding: 'xor' });
    }
  });

  it('a NaN with any payload comes back NaN and not stale; only the marker bit pattern is stale', () => {
    const signalling = new DataView(new ArrayBuffer(8));
    signalling.setUint32(0, 0x7ff00000);
    signalling.setUint32(4, 2); // the stale pattern, but as a value: must not become a marker
    const nan = signalling.getFloat64(0);
    const decoded = decodeChunk(encodeChunk({ t: [1, 2], v: [nan, 5] }));
    expect(decoded.stale).toBeUndefined();
    expect(decoded.v[0]).toBeNaN();
  });

  it('staleness markers are the 0x7ff0000000000002 pattern in XOR chunks', () => {
    const data = expectRoundTrip({ t: [1000], v: [123], stale: [1] }, { encoding: 'xor' });
    // header (2 bytes), t0 (6-bit length + 11 bits), then the 64 raw bits of the value
    const reader = new BitReader(data, 16 + 6 + 11);
    expect(reader.readBits(32)).toBe(0x7ff00000);
    expect(reader.readBits(32)).toBe(2);
  });

  it('series shapes: constant, counter with resets, one sample, huge gaps, negative and tiny times', () => {
    expectRoundTrip({ t: regularTimes(240), v: new Array(240).fill(42) });
    const counter: number[] = [];
    for (let i = 0, c = 0; i < 240; i++) {
      c = i % 97 === 96 ? 0 : c + (i % 7); // resets
      counter.push(c);
    }
    expectRoundTrip({ t: regularTimes(240), v: counter });
    expectRoundTrip({ t: [1_760_000_000_000], v: [3.14] });
    expectRoundTrip({ t: [0], v: [Number.NaN], stale: [1] });
    expectRoundTrip({ t: [-(2 ** 50), -1, 0, 1, 2 ** 49, 2 ** 50], v: [1, 2, 3, 4, 5, 6] });
    expectRoundTrip({ t: [], v: [] });
    const all = expectRoundTrip({ t: regularTimes(5), v: [0, 0, 0, 0, 0], stale: [1, 1, 1, 1, 1] });
    expect(all.length).toBeLessThan(16);
  });

  it('refuses timestamps that do not increase or are not integers', () => {
    expect(() => encodeChunk({ t: [2, 1], v: [1, 1] })).toThrow(/increase/);
    expect(() => encodeChunk({ t: [1, 1], v: [1, 1] })).toThrow(/increase/);
    expect(() => encodeChunk({ t: [1.5], v: [1] })).toThrow(/integer/);
    expect(() => encodeChunk({ t: [2 ** 51], v: [1] })).toThrow(/integer/);
    expect(() => encodeChunk({ t: [1, 2], v: [1] })).toThrow(/same length/);
  });

  it('the largest chunk', () => {
    const random = seeded(5);
    const n = MAX_CHUNK_SAMPLES;
    const v = Array.from({ length: n }, () => random());
    expectRoundTrip({ t: regularTimes(n, 0, 1), v });
    expect(() => encodeChunk({ t: regularTimes(n + 1), v: new Array(n + 1).fill(0) })).toThrow(/at most/);
  });

  it('regular scrapes cost about a bit per timestamp; millisecond jitter a few', () => {
    // 240 bits of timestamps and 240 of values, plus the first sample in full.
    const constant = new Array(240).fill(1);
    expect(encodeChunk({ t: regularTimes(240), v: constant }).length).toBeLessThan(80);
    const random = seeded(6);
    const jittered = regularTimes(240).map((t) => t + Math.floor(random() * 5));
    // 0-4 ms of jitter: delta-of-deltas within ±8, 5 bits + 1 a sample (Prometheus's ladder spends 16).
    expect(encodeChunk({ t: jittered, v: constant }).length).toBeLessThan((240 * (6 + 1)) / 8 + 20);
  });

  it('refuses corrupt data', () => {
    const good = encodeChunk({ t: regularTimes(50), v: regularTimes(50).map((t) => Math.sin(t)) });
    expect(() => decodeChunk(good.subarray(0, good.length - 10))).toThrow(ChunkFormatError);
    expect(() => decodeChunk(Uint8Array.of(9, 1, 0))).toThrow(/unknown chunk encoding/);
    expect(() => decodeChunk(Uint8Array.of(1, 0xff, 0xff, 0xff, 0x7f))).toThrow(ChunkFormatError);
    expect(() => decodeChunk(Uint8Array.of(1))).toThrow(ChunkFormatError);
  });
});

describe('decimal encoding', () => {
  /** A tank level in metres with 3 decimals: a slow curve plus millimetre noise. */
  const tankLevels = (n: number, random: () => number) =>
    Array.from(
      { length: n },
      (_, i) => Math.round((3 + Math.sin(i / 200) + (random() - 0.5) * 0.01) * 1000) / 1000,
    );

  it('is chosen for 3-decimal sensor data, and is much smaller than XOR', () => {
    const random = seeded(7);
    const samples = { t: regularTimes(240), v: tankLevels(240, random) };
    const chosen = expectRoundTrip(samples);
    const xor = expectRoundTrip(samples, { encoding: 'xor' });
    expect(chunkEncoding(chosen)).toBe('decimal');
    expect(chunkEncoding(xor)).toBe('xor');
    expect(chosen.length).toBeLessThan(xor.length * 0.5);
    expect(chosen.length / 240).toBeLessThan(1.2); // bytes per sample, timestamps included
  });

  it('is exact: m / 10^k for random m and every k round-trips bit for bit', () => {
    const random = seeded(8);
    for (let k = 0; k <= 9; k++) {
      for (let round = 0; round < 20; round++) {
        const magnitude = 2 ** Math.floor(random() * 50);
        const v = Array.from({ length: 120 }, () => {
          const m = Math.floor((random() - 0.5) * 2 * magnitude);
          return m / 10 ** k;
        });
        const stale = v.map(() => (random() < 0.05 ? 1 : 0));
        const data = expectRoundTrip({ t: regularTimes(120), v, stale }, { encoding: 'decimal' });
        if (v.some((x) => Object.is(x, -0))) expect(chunkEncoding(data)).toBe('xor');
        else expect(chunkEncoding(data)).toBe('decimal');
      }
    }
  });

  it('mixed scales share the largest; integers are scale 0; counters use delta-of-deltas', () => {
    expectRoundTrip({ t: regularTimes(4), v: [1, 2.5, 3.25, 7.125] }, { encoding: 'decimal' });
    const counter = Array.from({ length: 240 }, (_, i) => 1_000_000 + i * 37);
    const data = expectRoundTrip({ t: regularTimes(240), v: counter });
    expect(chunkEncoding(data)).toBe('decimal');
    expect(data.length).toBeLessThan(80);
  });

  it('falls back to XOR for values that are not short decimals', () => {
    for (const odd of [0.1 + 0.2, Math.PI, 1e-12, 2 ** 52, -0, Number.NaN, Number.POSITIVE_INFINITY]) {
      const data = expectRoundTrip({ t: [1, 2, 3], v: [1.5, odd, 2] }, { encoding: 'decimal' });
      expect(chunkEncoding(data)).toBe('xor');
    }
  });

  it('keeps staleness markers in decimal chunks', () => {
    const data = expectRoundTrip(
      { t: regularTimes(6), v: [1.25, 0, 1.5, 1.75, 0, 2], stale: [0, 1, 0, 0, 1, 0] },
      { encoding: 'decimal' },
    );
    expect(chunkEncoding(data)).toBe('decimal');
    expectRoundTrip({ t: regularTimes(2), v: [0, 0], stale: [1, 1] }, { encoding: 'decimal' });
  });
});
