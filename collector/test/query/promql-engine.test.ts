// PromQL engine behaviour the conformance data cannot show (staleness markers cannot be backfilled into
// Prometheus), error types, limits, and the parser's precedence repairs.
import { describe, expect, it } from 'vitest';
import { MemoryMetricsStore } from '../../src/metrics/memory-store.ts';
import {
  formatFloat,
  instantQuery,
  PromQLError,
  parsePromQL,
  rangeQuery,
} from '../../src/query/promql/index.ts';

const T0 = Date.UTC(2026, 0, 1);

function store(): MemoryMetricsStore {
  const s = new MemoryMetricsStore();
  const samples = [];
  for (let i = 0; i < 40; i++)
    samples.push({ labels: { __name__: 'level', tank: 'a' }, timestampMs: T0 + i * 15_000, value: i });
  // Tank b stops with a staleness marker at 5 minutes.
  for (let i = 0; i < 20; i++)
    samples.push({ labels: { __name__: 'level', tank: 'b' }, timestampMs: T0 + i * 15_000, value: 100 + i });
  samples.push({
    labels: { __name__: 'level', tank: 'b' },
    timestampMs: T0 + 20 * 15_000,
    value: 0,
    stale: true,
  });
  s.appendSync({ tenant: 'north', samples });
  s.appendSync({
    tenant: 'south',
    samples: [{ labels: { __name__: 'level', tank: 'z' }, timestampMs: T0, value: 7 }],
  });
  return s;
}

const options = (tenant?: string) => ({ reader: store(), tenant });

function values(data: ReturnType<typeof instantQuery>): Record<string, string> {
  if (data.resultType !== 'vector') throw new Error(`expected a vector, got ${data.resultType}`);
  return Object.fromEntries(data.result.map((s) => [s.metric.tank ?? '', s.value[1]]));
}

describe('PromQL engine', () => {
  it('ends a series at its staleness marker instead of looking back 5 minutes', () => {
    const before = values(instantQuery(options('north'), 'level', T0 + 19 * 15_000 + 1000));
    expect(before).toEqual({ a: '19', b: '119' });
    const after = values(instantQuery(options('north'), 'level', T0 + 20 * 15_000 + 1000));
    expect(after).toEqual({ a: '20' });
  });

  it('leaves staleness markers out of range vectors', () => {
    const data = instantQuery(options('north'), 'count_over_time(level{tank="b"}[10m])', T0 + 25 * 15_000);
    expect(values(data)).toEqual({ b: '20' });
  });

  it('looks back at most 5 minutes, left-open', () => {
    const last = T0 + 39 * 15_000;
    expect(values(instantQuery(options('north'), 'level', last + 300_000 - 1))).toEqual({ a: '39' });
    expect(values(instantQuery(options('north'), 'level', last + 300_000))).toEqual({});
  });

  it('reads only the tenant it is given', () => {
    expect(values(instantQuery(options('south'), 'level', T0 + 1000))).toEqual({ z: '7' });
    expect(Object.keys(values(instantQuery(options(undefined), 'level', T0 + 1000))).sort()).toEqual([
      'a',
      'b',
      'z',
    ]);
  });

  it('answers a range vector at the offset time', () => {
    const data = instantQuery(options('north'), 'level{tank="a"}[1m] offset 2m', T0 + 10 * 15_000);
    expect(data.resultType).toBe('matrix');
    if (data.resultType !== 'matrix') return;
    expect(data.result[0]?.values.map(([, v]) => v)).toEqual(['0', '1', '2']);
  });

  it('gives parse and type errors as bad_data and matching errors as execution', () => {
    const errorOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof PromQLError ? error.errorType : 'other';
      }
      return 'none';
    };
    expect(errorOf(() => instantQuery(options(), 'rate(level)', T0))).toBe('bad_data');
    expect(errorOf(() => instantQuery(options(), 'holt_winters(level[5m], 0.5, 0.5)', T0))).toBe('bad_data');
    expect(errorOf(() => instantQuery(options('north'), 'level + on() level', T0 + 1000))).toBe('execution');
    expect(errorOf(() => rangeQuery(options(), 'level', T0, T0 - 1, 1000))).toBe('bad_data');
    expect(errorOf(() => rangeQuery(options(), 'level', T0, T0 + 86_400_000, 1000))).toBe('bad_data');
    expect(errorOf(() => rangeQuery(options(), 'level[5m]', T0, T0 + 60_000, 1000))).toBe('bad_data');
  });

  it('names the unknown or unsupported function', () => {
    expect(() => parsePromQL('nonsense(up)')).toThrow(/unknown function with name "nonsense"/);
    expect(() => parsePromQL('mad_over_time(up[5m])')).toThrow(/mad_over_time/);
  });

  it('fails with errorType timeout past the deadline', () => {
    try {
      rangeQuery({ ...options('north'), timeoutMs: -1 }, 'level', T0, T0 + 60_000, 15_000);
      expect.unreachable();
    } catch (error) {
      expect((error as PromQLError).errorType).toBe('timeout');
    }
  });

  it('refuses to read more samples than allowed', () => {
    expect(() =>
      instantQuery({ ...options('north'), maxSamples: 10 }, 'count_over_time(level[10m])', T0 + 600_000),
    ).toThrow(/too many samples/);
  });

  it('binds offset to the selector before it and unary minus looser than ^', () => {
    const expr = parsePromQL('a == 0 or b offset 1h == 1');
    expect(expr).toMatchObject({
      op: 'or',
      rhs: { op: '==', lhs: { kind: 'vectorSelector', offsetMs: 3_600_000 } },
    });
    expect(parsePromQL('-2 ^ 2')).toMatchObject({ kind: 'unary', op: '-' });
  });

  it('formats values as Go does', () => {
    expect(formatFloat(1e21)).toBe('1000000000000000000000');
    expect(formatFloat(1.5e-7)).toBe('0.00000015');
    expect(formatFloat(-2.5)).toBe('-2.5');
    expect(formatFloat(Number.NaN)).toBe('NaN');
    expect(formatFloat(Number.NEGATIVE_INFINITY)).toBe('-Inf');
  });
});
