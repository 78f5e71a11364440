// Alertmanager's time intervals (timeinterval/timeinterval.go), for a route's `mute_time_intervals` and
// `active_time_intervals`:
//   time_intervals:
//     - name: night
//       time_intervals:
//         - times: [{start_time: '22:00', end_time: '24:00'}]   # [start, end), minutes of the day
//           weekdays: ['monday:friday', 'sunday']               # ranges inclusive
//           days_of_month: ['1:5', '-1']                        # negative: from the end of the month
//           months: ['january:march', '12']
//           years: ['2026:2027']
//           location: Europe/Lisbon                             # default UTC
// A time is in an interval when every field given matches; a named interval matches when any entry does.

/** A bad field: its key (`time_intervals[0].times[1].start_time`) and what is wrong. */
export class TimeIntervalError extends Error {
  readonly key: string;
  readonly reason: string;
  constructor(key: string, reason: string) {
    super(`${key}: ${reason}`);
    this.key = key;
    this.reason = reason;
  }
}

export interface Range {
  start: number;
  end: number;
}

export interface TimeIntervalSpec {
  times: Range[];
  weekdays: Range[];
  daysOfMonth: Range[];
  months: Range[];
  years: Range[];
  location: string;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const KEYS = ['times', 'weekdays', 'days_of_month', 'months', 'years', 'location'];

function parseClock(text: unknown, key: string): number {
  const m = typeof text === 'string' ? /^(\d{2}):(\d{2})$/.exec(text) : null;
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || h > 24 || min > 59 || (h === 24 && min !== 0))
    throw new TimeIntervalError(key, `couldn't parse timestamp ${JSON.stringify(text)}, invalid format`);
  return h * 60 + min;
}

/** A list of `a:b` or `a` items; `value` maps one side to a number (names or numbers). */
function parseRanges(
  items: unknown,
  key: string,
  value: (side: string) => number,
  check: (r: Range) => string | undefined,
): Range[] {
  if (!Array.isArray(items)) throw new TimeIntervalError(key, `expected a list`);
  return items.map((item, i) => {
    const text = String(item).trim().toLowerCase();
    const [a, b, extra] = text.split(':');
    if (a === undefined || a === '' || extra !== undefined || b === '')
      throw new TimeIntervalError(`${key}[${i}]`, `invalid range ${JSON.stringify(item)}`);
    const range = { start: value(a), end: value(b ?? a) };
    if (Number.isNaN(range.start) || Number.isNaN(range.end))
      throw new TimeIntervalError(`${key}[${i}]`, `invalid value in ${JSON.stringify(item)}`);
    const problem = check(range);
    if (problem) throw new TimeIntervalError(`${key}[${i}]`, problem);
    return range;
  });
}

const named = (names: string[], base: number) => (side: string) => {
  const i = names.indexOf(side);
  if (i >= 0) return i + base;
  return /^-?\d+$/.test(side) ? Number(side) : Number.NaN;
};

/** One entry of a named interval's `time_intervals`; throws with the key of the bad field. */
export function parseTimeIntervalSpec(raw: unknown, key: string): TimeIntervalSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new TimeIntervalError(key, `expected a mapping`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!KEYS.includes(k)) throw new TimeIntervalError(`${key}.${k}`, `field ${k} not found`);
  const spec: TimeIntervalSpec = {
    times: [],
    weekdays: [],
    daysOfMonth: [],
    months: [],
    years: [],
    location: 'UTC',
  };
  if (o.times !== undefined) {
    if (!Array.isArray(o.times)) throw new TimeIntervalError(`${key}.times`, `expected a list`);
    spec.times = o.times.map((t, i) => {
      const k = `${key}.times[${i}]`;
      const r = t as Record<string, unknown>;
      const range = {
        start: parseClock(r?.start_time, `${k}.start_time`),
        end: parseClock(r?.end_time, `${k}.end_time`),
      };
      if (range.end <= range.start)
        throw new TimeIntervalError(k, `start time cannot be equal or greater than end time`);
      return range;
    });
  }
  if (o.weekdays !== undefined)
    spec.weekdays = parseRanges(o.weekdays, `${key}.weekdays`, named(WEEKDAYS, 0), (r) =>
      r.start > r.end
        ? 'start day cannot be before end day'
        : r.start < 0 || r.end > 6
          ? 'unknown weekday'
          : undefined,
    );
  if (o.days_of_month !== undefined)
    spec.daysOfMonth = parseRanges(o.days_of_month, `${key}.days_of_month`, named([], 0), (r) => {
      const ok = (d: number) => d !== 0 && d >= -31 && d <= 31;
      if (!ok(r.start) || !ok(r.end)) return 'days of month must be between 1 and 31 or -31 and -1';
      if (Math.sign(r.start) === Math.sign(r.end) && r.start > r.end)
        return 'start day cannot be after end day';
      return undefined;
    });
  if (o.months !== undefined)
    spec.months = parseRanges(o.months, `${key}.months`, named(MONTHS, 1), (r) =>
      r.start < 1 || r.end > 12
        ? 'months must be between 1 and 12'
        : r.start > r.end
          ? 'start month cannot be after end month'
          : undefined,
    );
  if (o.years !== undefined)
    spec.years = parseRanges(o.years, `${key}.years`, named([], 0), (r) =>
      r.start > r.end ? 'start year cannot be after end year' : undefined,
    );
  if (o.location !== undefined) {
    const loc = String(o.location);
    try {
      new Intl.DateTimeFormat('en', { timeZone: loc === 'Local' ? undefined : loc });
    } catch {
      throw new TimeIntervalError(`${key}.location`, `unknown time zone ${JSON.stringify(loc)}`);
    }
    spec.location = loc;
  }
  return spec;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(ms: number, location: string) {
  let f = formatters.get(location);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: location === 'Local' ? undefined : location,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'long',
    });
    formatters.set(location, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: WEEKDAYS.indexOf(String(parts.weekday).toLowerCase()),
  };
}

const inRanges = (ranges: readonly Range[], v: number) =>
  ranges.length === 0 || ranges.some((r) => v >= r.start && v <= r.end);

export function specContains(spec: TimeIntervalSpec, ms: number): boolean {
  const t = localParts(ms, spec.location);
  if (spec.times.length > 0 && !spec.times.some((r) => t.minutes >= r.start && t.minutes < r.end))
    return false;
  if (!inRanges(spec.weekdays, t.weekday)) return false;
  if (spec.daysOfMonth.length > 0) {
    const daysInMonth = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
    const abs = (d: number) => (d < 0 ? daysInMonth + d + 1 : d);
    if (
      !spec.daysOfMonth.some(
        (r) => t.day >= Math.max(abs(r.start), 1) && t.day <= Math.min(abs(r.end), daysInMonth),
      )
    )
      return false;
  }
  if (!inRanges(spec.months, t.month)) return false;
  return inRanges(spec.years, t.year);
}

/** Whether `ms` falls in any entry of a named interval. */
export function intervalContains(specs: readonly TimeIntervalSpec[], ms: number): boolean {
  return specs.some((s) => specContains(s, ms));
}
