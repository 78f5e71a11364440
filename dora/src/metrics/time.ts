// Calendar helpers in an IANA time zone: ISO 8601 weeks (Monday first, week 1 holds the year's first Thursday)
// and local days, without a date library.

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const QUARTER_HOUR = 900_000;
const offsets = new Map<string, Map<number, number>>();

/**
 * The local calendar date and the zone's offset (ms) at an instant. Zone offsets change only on quarter
 * hours (UTC) in every zone in use since the 1970s, so the offset is asked of Intl once per zone and quarter
 * hour and cached; the date follows from it.
 */
export function localParts(at: number, timeZone: string): LocalDate & { offset: number } {
  const bucket = Math.floor(at / QUARTER_HOUR) * QUARTER_HOUR;
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  let offset = zone.get(bucket);
  if (offset === undefined) {
    offset = exactParts(bucket, timeZone).offset;
    if (zone.size >= 100_000) zone.clear();
    zone.set(bucket, offset);
  }
  const local = new Date(at + offset);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), offset };
}

function exactParts(at: number, timeZone: string): LocalDate & { offset: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year as number,
    (parts.month as number) - 1,
    parts.day as number,
    parts.hour as number,
    parts.minute as number,
    parts.second as number,
  );
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    offset: asUtc - Math.floor(at / 1000) * 1000,
  };
}

/** The instant of local midnight starting a calendar date in a zone. */
export function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  let t = guess - localParts(guess, timeZone).offset;
  const second = localParts(t, timeZone).offset;
  t = guess - second;
  return t;
}

export function localDay(at: number, timeZone: string): string {
  const { year, month, day } = localParts(at, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ISO week of a calendar date, e.g. 2026-W01 for 2025-12-29. */
export function isoWeekOfDate({ year, month, day }: LocalDate): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const weekYear = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

export function isoWeekOf(at: number, timeZone: string): string {
  return isoWeekOfDate(localParts(at, timeZone));
}

export interface Window {
  start: number;
  end: number;
}

/** `2026-W47` → [Monday 00:00, next Monday 00:00) local time in the zone, as UTC instants. */
export function isoWeekWindow(week: string, timeZone = 'UTC'): Window {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) throw new Error(`not an ISO week (YYYY-Www): ${week}`);
  const year = Number(m[1]);
  const w = Number(m[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4);
  monday.setUTCDate(4 - ((jan4.getUTCDay() || 7) - 1) + (w - 1) * 7);
  if (
    w < 1 ||
    w > 53 ||
    isoWeekOfDate({
      year: monday.getUTCFullYear(),
      month: monday.getUTCMonth() + 1,
      day: monday.getUTCDate(),
    }) !== week
  )
    throw new Error(`no such ISO week: ${week}`);
  const next = new Date(monday);
  next.setUTCDate(monday.getUTCDate() + 7);
  return {
    start: localMidnight(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone),
    end: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone),
  };
}

/** The ISO week before. */
export function previousIsoWeek(week: string): string {
  const { start } = isoWeekWindow(week, 'UTC');
  return isoWeekOf(start - 86_400_000, 'UTC');
}
