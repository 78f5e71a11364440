// Series and label queries of the metrics store: each matcher type with Prometheus semantics (a missing
// label is '', regexes anchored with `.` matching newlines), tenant isolation, time ranges, label names
// and values over matcher sets, and metadata.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelMatcher, Labels } from '../../../src/metrics/model.ts';
import { ALL_TIME, type StoreFixture, samplesOf, series, storeFixture, T0 } from './support.ts';

let fx: StoreFixture;
const HOUR = 3_600_000;

// Tenant a: tank levels of two tanks, a pump, a series with a newline in a label; tenant b: its own tank.
// Each series covers its own hour, so time ranges can pick them.
const A: Labels[] = [
  series('dss_tank_level_meters', { tank: 'T-north', site: 'aveiro' }),
  series('dss_tank_level_meters', { tank: 'T-south', site: 'aveiro' }),
  series('dss_pump_state', { pump: 'P-3', site: 'aveiro' }),
  series('weird', { text: 'line one\nline two' }),
];
const B: Labels[] = [series('dss_tank_level_meters', { tank: 'T-braga', site: 'braga' })];

beforeAll(async () => {
  fx = await storeFixture();
  A.forEach((labels, i) => {
    fx.store.appendSync({ tenant: 'a', samples: samplesOf(labels, [1, 2, 3], 60_000, T0 + i * HOUR) });
  });
  fx.store.appendSync({ tenant: 'b', samples: samplesOf(B[0] as Labels, [7], 60_000, T0) });
});
afterAll(() => fx.close());

const names = (tenant: string | undefined, matchers: LabelMatcher[], range = ALL_TIME) =>
  fx.store
    .selectSeries(tenant, matchers, range)
    .map((ref) => ref.labels.tank ?? ref.labels.pump ?? ref.labels.__name__);
const m = (name: string, type: LabelMatcher['type'], value: string): LabelMatcher => ({ name, type, value });

describe('selectSeries', () => {
  it('with each matcher type', () => {
    expect(names('a', [m('__name__', '=', 'dss_tank_level_meters')])).toEqual(['T-north', 'T-south']);
    expect(names('a', [m('__name__', '!=', 'dss_tank_level_meters')])).toEqual(['P-3', 'weird']);
    expect(names('a', [m('__name__', '=~', 'dss_.*')])).toEqual(['T-north', 'T-south', 'P-3']);
    expect(names('a', [m('__name__', '!~', 'dss_.*')])).toEqual(['weird']);
    expect(names('a', [m('tank', '=~', 'T-n.*|T-s.*'), m('tank', '!=', 'T-south')])).toEqual(['T-north']);
    expect(names('a', [m('site', '=', 'aveiro'), m('__name__', '=~', '.*state')])).toEqual(['P-3']);
  });

  it('regexes are anchored, and `.` matches a newline', () => {
    expect(names('a', [m('__name__', '=~', 'tank')])).toEqual([]);
    expect(names('a', [m('__name__', '=~', '.*tank.*')])).toEqual(['T-north', 'T-south']);
    expect(names('a', [m('text', '=~', 'line one.line two')])).toEqual(['weird']);
    expect(names('a', [m('text', '=~', '(?i)LINE.*')])).toEqual(['weird']);
  });

  it('a matcher on a missing label compares against the empty string', () => {
    expect(names('a', [m('tank', '=', '')])).toEqual(['P-3', 'weird']);
    expect(names('a', [m('tank', '!=', '')])).toEqual(['T-north', 'T-south']);
    expect(names('a', [m('tank', '=~', 'T-north|')])).toEqual(['T-north', 'P-3', 'weird']);
    expect(names('a', [m('tank', '!~', '.+')])).toEqual(['P-3', 'weird']);
    expect(names('a', [m('nothing', '=~', '.*')])).toHaveLength(4);
    expect(names('a', [m('nothing', '=~', '.+')])).toEqual([]);
  });

  it('isolates tenants; an undefined tenant sees all of them', () => {
    const tank = [m('__name__', '=', 'dss_tank_level_meters')];
    expect(names('b', tank)).toEqual(['T-braga']);
    expect(names('a', [m('tank', '=', 'T-braga')])).toEqual([]);
    expect(names('c', [])).toEqual([]);
    expect(names(undefined, tank).sort()).toEqual(['T-braga', 'T-north', 'T-south']);
    // Same labels in two tenants are two series.
    fx.store.appendSync({ tenant: 'b', samples: samplesOf(A[2] as Labels, [1], 1, T0 + 10 * HOUR) });
    const pumps = fx.store.selectSeries(undefined, [m('pump', '=', 'P-3')], ALL_TIME);
    expect(pumps).toHaveLength(2);
    expect(pumps[0]?.id).not.toBe(pumps[1]?.id);
    expect(names('a', [m('pump', '=', 'P-3')])).toEqual(['P-3']);
  });

  it('keeps series with a sample in the range only (both ends inclusive)', () => {
    // T-north: T0 .. T0 + 2 min; T-south: T0 + 1 h .. + 2 min; pump: T0 + 2 h ..
    expect(names('a', [], { startMs: T0 + 2 * 60_000, endMs: T0 + HOUR })).toEqual(['T-north', 'T-south']);
    expect(names('a', [], { startMs: T0 + 2 * 60_000 + 1, endMs: T0 + HOUR - 1 })).toEqual([]);
    expect(names('a', [], { startMs: T0 + 2 * HOUR, endMs: T0 + 2 * HOUR })).toEqual(['P-3']);
    expect(names('a', [], { startMs: 0, endMs: T0 - 1 })).toEqual([]);
  });
});

describe('labelNames and labelValues', () => {
  const range = { startMs: T0, endMs: T0 + 5 * HOUR };

  it('over every series, or over the union of matcher sets', () => {
    expect(fx.store.labelNames('a', [], range)).toEqual(['__name__', 'pump', 'site', 'tank', 'text']);
    expect(fx.store.labelNames('a', [[m('__name__', '=', 'dss_pump_state')]], range)).toEqual([
      '__name__',
      'pump',
      'site',
    ]);
    expect(
      fx.store.labelNames(
        'a',
        [[m('__name__', '=', 'dss_pump_state')], [m('__name__', '=', 'weird')]],
        range,
      ),
    ).toEqual(['__name__', 'pump', 'site', 'text']);
    expect(fx.store.labelValues('a', 'tank', [], range)).toEqual(['T-north', 'T-south']);
    expect(fx.store.labelValues(undefined, 'site', [], range)).toEqual(['aveiro', 'braga']);
    expect(
      fx.store.labelValues('a', 'tank', [[m('tank', '=~', '.*south')], [m('pump', '!=', '')]], range),
    ).toEqual(['T-south']);
    expect(fx.store.labelValues('a', 'missing', [], range)).toEqual([]);
  });

  it('within the time range', () => {
    const first = { startMs: T0, endMs: T0 + 10 * 60_000 };
    expect(fx.store.labelValues('a', '__name__', [], first)).toEqual(['dss_tank_level_meters']);
    expect(fx.store.labelNames('a', [], first)).toEqual(['__name__', 'site', 'tank']);
  });
});

describe('metadata', () => {
  it('is upserted on append, per tenant, and merged (distinct) across tenants', () => {
    const level = {
      metric: 'dss_tank_level_meters',
      type: 'gauge' as const,
      help: 'Water level.',
      unit: 'meters',
    };
    fx.store.appendSync({ tenant: 'a', samples: [], metadata: [level] });
    fx.store.appendSync({ tenant: 'b', samples: [], metadata: [level] });
    expect(fx.store.metadata('a')).toEqual(new Map([['dss_tank_level_meters', [level]]]));
    expect(fx.store.metadata(undefined)).toEqual(new Map([['dss_tank_level_meters', [level]]]));
    const changed = { ...level, help: 'Water level of a tank.' };
    fx.store.appendSync({ tenant: 'b', samples: [], metadata: [changed] });
    expect(fx.store.metadata('b').get('dss_tank_level_meters')).toEqual([changed]);
    expect(fx.store.metadata(undefined).get('dss_tank_level_meters')).toEqual([changed, level]); // sorted by help
    const pump = { metric: 'dss_pump_state', type: 'gauge' as const, help: 'On or off.', unit: '' };
    fx.store.appendSync({ tenant: 'a', samples: [], metadata: [pump, level] });
    expect([...fx.store.metadata('a').keys()]).toEqual(['dss_pump_state', 'dss_tank_level_meters']);
    expect(fx.store.metadata('a', 'dss_pump_state')).toEqual(new Map([['dss_pump_state', [pump]]]));
    expect(fx.store.metadata('c').size).toBe(0);
    // Survives reopening.
    fx.reopen();
    expect(fx.store.metadata('b').get('dss_tank_level_meters')).toEqual([changed]);
  });
});
