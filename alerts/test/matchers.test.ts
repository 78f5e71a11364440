import { describe, expect, it } from 'vitest';
import { matches, parseMatcher } from '../src/dispatch/matchers.ts';

describe('matchers', () => {
  it('regex matchers give the same answer every time (no stateful global regex)', () => {
    const m = [parseMatcher('job=~"fore.*"')];
    const answers = Array.from({ length: 4 }, () => matches(m, { job: 'forecast' }));
    expect(answers).toEqual([true, true, true, true]);
    expect(matches([parseMatcher('job!~"fore.*"')], { job: 'kpi' })).toBe(true);
  });

  it('anchors regexes and treats a missing label as empty', () => {
    expect(matches([parseMatcher('job=~"fore"')], { job: 'forecast' })).toBe(false);
    expect(matches([parseMatcher('tank=""')], {})).toBe(true);
    expect(matches([parseMatcher('{tank!="T1"}')], { tank: 'T2' })).toBe(true);
  });
});
