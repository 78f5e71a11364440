import { describe, expect, it } from 'vitest';
import { recordedSelection, selectSamples } from '../src/evaluation/recorded-selection.ts';

const recorded = new Map([['dss_tank:deriv30m', []]]);

describe('template selectors of recorded names', () => {
  it('recognises a bare selector of a recorded name and filters with its matchers', () => {
    const sel = recordedSelection('dss_tank:deriv30m{dss_client="north", dss_tank_id=~"T1|T,2"}', recorded);
    expect(sel?.name).toBe('dss_tank:deriv30m');
    const samples = [
      { labels: { dss_client: 'north', dss_tank_id: 'T1' }, value: 1 },
      { labels: { dss_client: 'north', dss_tank_id: 'T,2' }, value: 2 },
      { labels: { dss_client: 'south', dss_tank_id: 'T1' }, value: 3 },
    ];
    expect(sel && selectSamples(samples, sel).map((s) => s.value)).toEqual([1, 2]);
  });

  it('leaves everything else to the query API', () => {
    expect(recordedSelection('other_metric{a="b"}', recorded)).toBeUndefined();
    expect(recordedSelection('rate(dss_tank:deriv30m{a="b"}[5m])', recorded)).toBeUndefined();
    expect(recordedSelection('dss_tank:deriv30m{a="b"} offset 1h', recorded)).toBeUndefined();
    expect(recordedSelection('dss_tank:deriv30m{__name__="x"}', recorded)).toBeUndefined();
    expect(recordedSelection('dss_tank:deriv30m{not a matcher}', recorded)).toBeUndefined();
  });
});
