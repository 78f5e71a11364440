import { describe, expect, it } from 'vitest';
import { parseAlertmanagerConfig } from '../src/dispatch/config.ts';
import { intervalContains, parseTimeIntervalSpec } from '../src/timeinterval/time-interval.ts';

const at = (iso: string) => Date.parse(iso);

describe('time intervals', () => {
  it('matches times, weekdays, days of month (negative from the end), months, years', () => {
    const office = parseTimeIntervalSpec(
      { times: [{ start_time: '08:00', end_time: '17:30' }], weekdays: ['monday:friday'] },
      't',
    );
    expect(intervalContains([office], at('2026-11-23T08:00:00Z'))).toBe(true); // a Monday
    expect(intervalContains([office], at('2026-11-23T17:30:00Z'))).toBe(false); // end is exclusive
    expect(intervalContains([office], at('2026-11-22T10:00:00Z'))).toBe(false); // Sunday
    const lastDays = parseTimeIntervalSpec(
      { days_of_month: ['-2:-1'], months: ['february'], years: ['2028'] },
      't',
    );
    expect(intervalContains([lastDays], at('2028-02-28T12:00:00Z'))).toBe(true); // leap year: 28, 29
    expect(intervalContains([lastDays], at('2028-02-27T12:00:00Z'))).toBe(false);
    expect(intervalContains([lastDays], at('2027-02-28T12:00:00Z'))).toBe(false);
  });

  it('uses the location', () => {
    const night = parseTimeIntervalSpec(
      { times: [{ start_time: '00:00', end_time: '06:00' }], location: 'Europe/Lisbon' },
      't',
    );
    // 23:30 UTC in July is 00:30 in Lisbon (WEST).
    expect(intervalContains([night], at('2026-07-01T23:30:00Z'))).toBe(true);
    expect(intervalContains([night], at('2026-01-01T23:30:00Z'))).toBe(false);
  });

  it('names the bad field', () => {
    expect(() => parseTimeIntervalSpec({ times: [{ start_time: '25:00', end_time: '26:00' }] }, 'x')).toThrow(
      'x.times[0].start_time',
    );
    expect(() => parseTimeIntervalSpec({ weekdays: ['funday'] }, 'x')).toThrow('x.weekdays[0]');
    expect(() => parseTimeIntervalSpec({ location: 'Mars/Olympus' }, 'x')).toThrow('unknown time zone');
    expect(() => parseTimeIntervalSpec({ hours: [] }, 'x')).toThrow('x.hours: field hours not found');
  });

  it('are referenced by routes by name; unknown names and root intervals are refused', () => {
    const ok = parseAlertmanagerConfig(
      `route:
  receiver: a
  routes:
    - receiver: a
      mute_time_intervals: [night]
time_intervals:
  - name: night
    time_intervals:
      - times: [{start_time: '22:00', end_time: '24:00'}]
receivers: [{name: a}]
`,
      'am.yml',
    );
    expect(ok.route.routes[0]?.muteTimeIntervals).toEqual(['night']);
    expect(ok.timeIntervals.get('night')).toHaveLength(1);
    expect(() =>
      parseAlertmanagerConfig(
        `route:
  receiver: a
  active_time_intervals: [day]
  routes:
    - receiver: a
      mute_time_intervals: [nope]
receivers: [{name: a}]
`,
        'am.yml',
      ),
    ).toThrow(/root route must not have any active time intervals[\s\S]*undefined time interval "nope"/);
  });
});
