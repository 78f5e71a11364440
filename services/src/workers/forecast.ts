// Demand forecast, hourly, per tank: a seasonal mean. For each target hour t:
//
//   weekly(t) = mean of the same hour of the week over the past weeks (up to 8):   d(t − 168 k)
//   daily(t)  = mean of the same hour of the day over the latest days of the same kind
//               (weekday or weekend; up to 5 such days within the past 14):        d(t − 24 k)
//   forecast  = W · weekly + (1 − W) · daily      (W = 0.5; either alone when the other is missing)
//
// The weekly term carries the weekly pattern (weekend mornings differ) with the noise averaged out;
// the daily term follows the recent level faster. The naive forecast, d(t − 24 h), is the baseline: it
// copies yesterday's noise and gets every Monday and Saturday wrong. Both are scored by a backtest
// over the last 7 days (one 24-hour forecast from each midnight-aligned origin, using only the data
// before it), MAE in m³/h and MAPE in %.
import { isWeekend } from '../simulator/calendar.ts';

export const HOUR_MS = 3_600_000;
export const FORECAST_METHOD = 'seasonal-blend(weekly 8w, same-daytype 5d, w=0.5)';

/** Hourly values keyed by the hour index (Unix ms / 3 600 000). */
export type HourlySeries = ReadonlyMap<number, number>;

export interface ForecastOptions {
  weeklyWeight?: number;
  maxWeeks?: number;
  maxDays?: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The forecast for hours origin .. origin + horizon − 1, from the history before `origin` only. */
export function seasonalForecast(
  history: HourlySeries,
  origin: number,
  horizon = 24,
  options: ForecastOptions = {},
): number[] {
  const weight = options.weeklyWeight ?? 0.5;
  const maxWeeks = options.maxWeeks ?? 8;
  const maxDays = options.maxDays ?? 5;
  const past = (h: number) => (h < origin ? history.get(h) : undefined);
  let fallback: number | undefined;
  for (let h = origin - 1; h >= origin - 24 * 7 && fallback === undefined; h--) fallback = past(h);
  const out: number[] = [];
  for (let t = origin; t < origin + horizon; t++) {
    const weekly: number[] = [];
    for (let k = 1; k <= maxWeeks; k++) {
      const v = past(t - 168 * k);
      if (v !== undefined) weekly.push(v);
    }
    const daily: number[] = [];
    const weekend = isWeekend(t * HOUR_MS);
    for (let k = 1; k <= 14 && daily.length < maxDays; k++) {
      const h = t - 24 * k;
      const v = past(h);
      if (v !== undefined && isWeekend(h * HOUR_MS) === weekend) daily.push(v);
    }
    let value: number;
    if (weekly.length > 0 && daily.length > 0) value = weight * mean(weekly) + (1 - weight) * mean(daily);
    else if (weekly.length > 0) value = mean(weekly);
    else if (daily.length > 0) value = mean(daily);
    else value = fallback ?? 0;
    out.push(value);
  }
  return out;
}

/** The naive forecast: the value 24 hours earlier (undefined where it is missing). */
export function naiveForecast(
  history: HourlySeries,
  origin: number,
  horizon = 24,
): Array<number | undefined> {
  const out: Array<number | undefined> = [];
  for (let t = origin; t < origin + horizon; t++) {
    const h = t - 24;
    out.push(h < origin ? history.get(h) : undefined);
  }
  return out;
}

export interface ErrorScore {
  /** Mean absolute error, m³/h. */
  mae: number;
  /** Mean absolute percentage error, % (hours with a near-zero actual left out). */
  mape: number;
  /** Hours scored. */
  n: number;
}

export interface BacktestResult {
  seasonal: ErrorScore;
  naive: ErrorScore;
  origins: number;
}

class ErrorAccumulator {
  absolute = 0;
  percent = 0;
  n = 0;
  nPercent = 0;

  add(forecast: number, actual: number): void {
    const error = Math.abs(forecast - actual);
    this.absolute += error;
    this.n++;
    if (Math.abs(actual) > 1e-6) {
      this.percent += (100 * error) / Math.abs(actual);
      this.nPercent++;
    }
  }

  score(): ErrorScore {
    return {
      mae: this.n ? this.absolute / this.n : Number.NaN,
      mape: this.nPercent ? this.percent / this.nPercent : Number.NaN,
      n: this.n,
    };
  }
}

/** MAE and MAPE of `forecast` against the actual values from `origin` (missing hours skipped). */
export function scoreForecast(
  forecast: ReadonlyArray<number | undefined>,
  actual: HourlySeries,
  origin: number,
): ErrorScore {
  const acc = new ErrorAccumulator();
  forecast.forEach((f, i) => {
    const a = actual.get(origin + i);
    if (f !== undefined && a !== undefined) acc.add(f, a);
  });
  return acc.score();
}

/**
 * Both methods on the last `days` days before `end` (an hour index): one 24-hour forecast from each
 * day's origin, each using only the data before it. Hours where either method has no value are left
 * out of both scores, so they are compared on the same hours.
 */
export function backtest(
  history: HourlySeries,
  end: number,
  days = 7,
  options: ForecastOptions = {},
): BacktestResult {
  const seasonal = new ErrorAccumulator();
  const naive = new ErrorAccumulator();
  let origins = 0;
  for (let d = days; d >= 1; d--) {
    const origin = end - 24 * d;
    const s = seasonalForecast(history, origin, 24, options);
    const n = naiveForecast(history, origin, 24);
    let scored = false;
    for (let i = 0; i < 24; i++) {
      const actual = history.get(origin + i);
      const naiveValue = n[i];
      const seasonalValue = s[i];
      if (actual === undefined || naiveValue === undefined || seasonalValue === undefined) continue;
      seasonal.add(seasonalValue, actual);
      naive.add(naiveValue, actual);
      scored = true;
    }
    if (scored) origins++;
  }
  return { seasonal: seasonal.score(), naive: naive.score(), origins };
}

/**
 * Demand when the outflow meter is missing: what came in minus what the tank stored,
 * d(h) = inflow(h) − area · (level(h + 1) − level(h − 1)) / 2 (hourly means; central difference).
 */
export function deriveDemand(inflow: HourlySeries, level: HourlySeries, areaM2: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [h, q] of inflow) {
    const before = level.get(h - 1);
    const after = level.get(h + 1);
    if (before === undefined || after === undefined) continue;
    out.set(h, Math.max(0, q - (areaM2 * (after - before)) / 2));
  }
  return out;
}
