// The KPI job, per client per day (UTC): energy (kWh) and its cost (€) under the tariff, water pumped
// (m³), kWh per m³, and the forecast error of that day (the forecasts vs the actual demand); stored in
// `kpis`, one row per day, recomputed for today and yesterday on every run.
import { tagName } from '../scada-csv/format.ts';
import { tariffPrice } from '../simulator/calendar.ts';
import type { JobContext } from './context.ts';
import { HOUR_MS } from './forecast.ts';
import { tankDemand } from './forecast-job.ts';

const DAY_MS = 86_400_000;
/** A gap longer than this between two readings is not integrated over (the feed was down). */
const MAX_GAP_MS = 5 * 60_000;

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** ∫ value dt in value·hours (kW → kWh, m³/h → m³), each reading held until the next (gaps capped). */
export function integrateHours(
  points: ReadonlyArray<{ ts: number; value: number }>,
  weight: (ts: number) => number = () => 1,
): number {
  let sum = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as { ts: number; value: number };
    const b = points[i + 1] as { ts: number; value: number };
    const dt = Math.min(b.ts - a.ts, MAX_GAP_MS);
    if (dt > 0) sum += (a.value * weight(a.ts) * dt) / HOUR_MS;
  }
  return sum;
}

/**
 * The forecast error of a day: for each tank and hour, the latest forecast issued for that hour (the
 * one the optimizer would have used) against the actual hourly demand.
 */
function forecastError(context: JobContext, dayStart: number): { mae: number | null; mape: number | null } {
  const forecasts = context.store.forecastsOverlapping(context.client, dayStart, dayStart + DAY_MS);
  if (forecasts.length === 0) return { mae: null, mape: null };
  let abs = 0;
  let pct = 0;
  let n = 0;
  let nPct = 0;
  const firstHour = dayStart / HOUR_MS;
  for (const tank of context.network.tanks) {
    const actual = tankDemand(context, tank.id, firstHour, firstHour + 24);
    for (let h = firstHour; h < firstHour + 24; h++) {
      const a = actual.get(h);
      if (a === undefined) continue;
      let f: number | undefined;
      for (const forecast of forecasts) {
        const i = h - Date.parse(forecast.start) / HOUR_MS;
        const v = forecast.demand[tank.id]?.[i];
        if (i >= 0 && i < forecast.hours && v !== undefined) f = v; // later forecasts win
      }
      if (f === undefined) continue;
      abs += Math.abs(f - a);
      n++;
      if (a > 1e-6) {
        pct += (100 * Math.abs(f - a)) / a;
        nPct++;
      }
    }
  }
  return { mae: n ? round(abs / n) : null, mape: nPct ? round(pct / nPct) : null };
}

export async function runKpi(context: JobContext): Promise<Record<string, unknown>> {
  const { client, network, intake, store } = context;
  const tags = [
    ...network.pumps.map((p) => tagName.power(p.id)),
    ...network.tanks.map((t) => tagName.flowIn(t.id)),
  ];
  const newest = intake.newestReadingMs(client, tags);
  if (newest === undefined) throw new Error(`no readings for client ${client} in the intake database`);
  const today = Math.floor(newest / DAY_MS) * DAY_MS;
  const days: Array<Record<string, unknown>> = [];
  for (const dayStart of [today - DAY_MS, today]) {
    context.signal.throwIfAborted();
    const series = intake.series(client, tags, dayStart, dayStart + DAY_MS);
    let energyKwh = 0;
    let costEur = 0;
    for (const pump of network.pumps) {
      const points = series.get(tagName.power(pump.id)) ?? [];
      energyKwh += integrateHours(points);
      costEur += integrateHours(points, (ts) => tariffPrice(network.tariff, ts));
    }
    let pumpedM3 = 0;
    for (const tank of network.tanks) pumpedM3 += integrateHours(series.get(tagName.flowIn(tank.id)) ?? []);
    if (energyKwh === 0 && pumpedM3 === 0 && [...series.values()].every((s) => s.length === 0)) continue;
    const error = forecastError(context, dayStart);
    const kpi = {
      client,
      day: new Date(dayStart).toISOString().slice(0, 10),
      energyKwh: round(energyKwh),
      costEur: round(costEur),
      pumpedM3: round(pumpedM3),
      kwhPerM3: pumpedM3 > 0 ? round(energyKwh / pumpedM3, 4) : null,
      forecastMae: error.mae,
      forecastMape: error.mape,
      computedAt: new Date().toISOString(),
    };
    store.upsertKpi(kpi);
    days.push(kpi);
    await new Promise((resolve) => setImmediate(resolve));
  }
  context.log.info({ days: days.length }, 'kpis stored');
  return { days: days.map(({ client: _c, computedAt: _t, ...rest }) => rest) };
}
