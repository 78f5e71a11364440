// Time of day and the daily patterns: water demand (night low, morning and evening peaks, later and
// flatter on weekends) and the electricity tariff period. The simulated clock is UTC: a client's
// network runs on UTC hours here.
import type { TariffConfig, TariffPeriod } from './config.ts';

const HOUR_MS = 3_600_000;

/** Saturday or Sunday (UTC). */
export function isWeekend(timeMs: number): boolean {
  const day = new Date(timeMs).getUTCDay();
  return day === 0 || day === 6;
}

/** Hours since midnight UTC, fractional. */
export function hourOfDay(timeMs: number): number {
  const ms = ((timeMs % 86_400_000) + 86_400_000) % 86_400_000;
  return ms / HOUR_MS;
}

export function tariffPeriod(tariff: TariffConfig, timeMs: number): TariffPeriod {
  if (isWeekend(timeMs)) return tariff.weekendPeriod;
  return tariff.weekdayHours[Math.floor(hourOfDay(timeMs))] ?? 'mid';
}

export function tariffPrice(tariff: TariffConfig, timeMs: number): number {
  return tariff.prices[tariffPeriod(tariff, timeMs)];
}

// Demand multipliers at the middle of each hour (00:30, 01:30, ...), normalised below so that a
// weekday averages 1 and a weekend day 0.92 (less industry, more people at home).
const WEEKDAY_SHAPE = [
  0.45, 0.4, 0.38, 0.38, 0.42, 0.6, 1.05, 1.55, 1.6, 1.3, 1.1, 1.05, 1.1, 1.05, 0.95, 0.95, 1.05, 1.25, 1.45,
  1.5, 1.3, 1.05, 0.8, 0.58,
];
const WEEKEND_SHAPE = [
  0.55, 0.48, 0.42, 0.4, 0.4, 0.45, 0.55, 0.75, 1.05, 1.35, 1.45, 1.4, 1.3, 1.15, 1.05, 1.0, 1.05, 1.15, 1.3,
  1.35, 1.25, 1.05, 0.85, 0.65,
];

function normalised(shape: readonly number[], mean: number): number[] {
  const sum = shape.reduce((a, b) => a + b, 0);
  return shape.map((x) => (x * mean * shape.length) / sum);
}

export const WEEKDAY_PROFILE: readonly number[] = normalised(WEEKDAY_SHAPE, 1);
export const WEEKEND_PROFILE: readonly number[] = normalised(WEEKEND_SHAPE, 0.92);

/** The demand multiplier at a time: the hourly profile, interpolated linearly between hour middles. */
export function demandFactor(timeMs: number): number {
  const profile = isWeekend(timeMs) ? WEEKEND_PROFILE : WEEKDAY_PROFILE;
  const x = hourOfDay(timeMs) - 0.5;
  const i = Math.floor(x);
  const frac = x - i;
  const at = (k: number) => profile[(k + 24) % 24] as number;
  return at(i) * (1 - frac) + at(i + 1) * frac;
}
