// The forecast job: demand per tank for the next 24 hours from up to 100 days of readings, scored
// against the naive forecast on the last 7 days; stored in `forecasts`.
import { tagName } from '../scada-csv/format.ts';
import type { JobContext } from './context.ts';
import {
  backtest,
  deriveDemand,
  FORECAST_METHOD,
  HOUR_MS,
  type HourlySeries,
  seasonalForecast,
} from './forecast.ts';

export const HISTORY_DAYS = 100;
export const BACKTEST_DAYS = 7;
export const HORIZON_HOURS = 24;

const round = (x: number, digits = 3) =>
  Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null;

/** Hourly demand of a tank: the outflow meter, or (without it) inflow minus what the level stored. */
export function tankDemand(
  context: JobContext,
  tankId: string,
  fromHour: number,
  toHour: number,
): HourlySeries {
  const { intake, client, network } = context;
  const from = fromHour * HOUR_MS;
  const to = toHour * HOUR_MS;
  const out = intake.hourlyMeans(client, tagName.flowOut(tankId), from, to);
  if (out.size >= 24) return out;
  const tank = network.tanks.find((t) => t.id === tankId);
  const inflow = intake.hourlyMeans(client, tagName.flowIn(tankId), from, to);
  const level = intake.hourlyMeans(client, tagName.level(tankId), from, to);
  if (!tank || inflow.size === 0) return out;
  return deriveDemand(inflow, level, tank.areaM2);
}

export async function runForecast(context: JobContext): Promise<Record<string, unknown>> {
  const { client, network, intake, store, runId } = context;
  const tags = network.tanks.flatMap((t) => [tagName.level(t.id), tagName.flowOut(t.id)]);
  const newest = intake.newestReadingMs(client, tags);
  if (newest === undefined) throw new Error(`no readings for client ${client} in the intake database`);
  // The current (partial) hour is the first forecast hour; the history ends before it.
  const origin = Math.floor(newest / HOUR_MS);
  const demand: Record<string, number[]> = {};
  const perTank: Record<string, unknown> = {};
  const maes: number[] = [];
  const mapes: number[] = [];
  const naiveMaes: number[] = [];
  const naiveMapes: number[] = [];
  let historyHours = 0;
  for (const tank of network.tanks) {
    context.signal.throwIfAborted();
    const history = tankDemand(context, tank.id, origin - HISTORY_DAYS * 24, origin);
    historyHours = Math.max(historyHours, history.size);
    demand[tank.id] = seasonalForecast(history, origin, HORIZON_HOURS).map((v) => round(v) ?? 0);
    const score = backtest(history, origin, BACKTEST_DAYS);
    perTank[tank.id] = {
      mae: round(score.seasonal.mae),
      mape: round(score.seasonal.mape),
      naiveMae: round(score.naive.mae),
      naiveMape: round(score.naive.mape),
      hours: score.seasonal.n,
    };
    if (score.seasonal.n > 0) {
      maes.push(score.seasonal.mae);
      mapes.push(score.seasonal.mape);
      naiveMaes.push(score.naive.mae);
      naiveMapes.push(score.naive.mape);
    }
    // Yield between tanks: the event loop (HTTP, timers) keeps going during a long run.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (historyHours === 0) throw new Error(`no demand history for client ${client}`);
  const avg = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const summary = {
    start: new Date(origin * HOUR_MS).toISOString(),
    hours: HORIZON_HOURS,
    method: FORECAST_METHOD,
    historyHours,
    backtestDays: BACKTEST_DAYS,
    mae: avg(maes),
    mape: avg(mapes),
    naiveMae: avg(naiveMaes),
    naiveMape: avg(naiveMapes),
  };
  const forecastId = store.insertForecast({
    client,
    runId,
    startMs: origin * HOUR_MS,
    hours: HORIZON_HOURS,
    method: FORECAST_METHOD,
    demand,
    backtest: { days: BACKTEST_DAYS, tanks: perTank },
    mae: summary.mae,
    mape: summary.mape,
    naiveMae: summary.naiveMae,
    naiveMape: summary.naiveMape,
  });
  context.log.info({ forecastId, ...summary }, 'forecast stored');
  return { forecastId, ...summary };
}
