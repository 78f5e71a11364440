// When the weekly digest goes out: a weekday and a local time in a time zone ("MON 08:00", Europe/Lisbon).
import { localMidnight, localParts } from '../metrics/time.ts';

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface Schedule {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  hour: number;
  minute: number;
  timeZone: string;
}

/** `MON 08:00` (any case; MON…SUN) in a time zone. */
export function parseSchedule(text: string, timeZone: string): Schedule {
  const m = /^\s*([a-z]{3})[a-z]*\s+(\d{1,2}):(\d{2})\s*$/i.exec(text);
  const weekday = m ? DAYS.indexOf((m[1] as string).toUpperCase()) : -1;
  const hour = Number(m?.[2]);
  const minute = Number(m?.[3]);
  if (!m || weekday < 0 || hour > 23 || minute > 59)
    throw new Error(`not a schedule: ${text} (expected e.g. "MON 08:00")`);
  new Intl.DateTimeFormat('en-US', { timeZone }); // throws on an unknown zone
  return { weekday, hour, minute, timeZone };
}

/** The next instant after `now` that is the schedule's weekday and local time (DST-aware). */
export function nextRun(now: number, s: Schedule): number {
  const today = localParts(now, s.timeZone);
  for (let i = 0; i <= 7; i++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    if (date.getUTCDay() !== s.weekday) continue;
    const midnight = localMidnight(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      s.timeZone,
    );
    // Local wall time: midnight + the hours, corrected when a DST change happens in between.
    let at = midnight + (s.hour * 60 + s.minute) * 60_000;
    at += localParts(midnight, s.timeZone).offset - localParts(at, s.timeZone).offset;
    if (at > now) return at;
  }
  throw new Error('no next run'); // unreachable: the weekday recurs within 8 days
}
