// The optimization job: the cheapest feasible 24-hour pump schedule on the latest demand forecast,
// from the tanks' latest measured levels; stored in `pump_schedules` with the baseline's cost.
import { tagName } from '../scada-csv/format.ts';
import type { JobContext } from './context.ts';
import { optimizeNetwork } from './optimization.ts';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function runOptimization(context: JobContext): Promise<Record<string, unknown>> {
  const { client, network, intake, store, runId } = context;
  const forecast = store.latestForecast(client);
  if (!forecast) throw new Error(`no demand forecast for client ${client}: run the forecast job first`);
  const startMs = Date.parse(forecast.start);
  const initialLevels: Record<string, number> = {};
  for (const tank of network.tanks) {
    const last = intake.lastValue(client, tagName.level(tank.id), startMs + 3_600_000);
    if (last) initialLevels[tank.id] = last.value;
  }
  context.signal.throwIfAborted();
  const plan = optimizeNetwork(network, initialLevels, forecast.demand, startMs, forecast.hours);
  if (!plan.feasible)
    throw new Error('no feasible schedule keeps every tank within its band on this forecast');
  const scheduleId = store.insertSchedule({
    client,
    runId,
    forecastId: forecast.id,
    startMs,
    hours: forecast.hours,
    method: plan.method,
    expectedCostEur: round(plan.costEur),
    baselineCostEur: round(plan.baseline.costEur),
    plan: { hours: plan.hours, levels: plan.levels, initialLevels, baseline: plan.baseline },
  });
  const summary = {
    scheduleId,
    forecastId: forecast.id,
    start: forecast.start,
    method: plan.method,
    expectedCostEur: round(plan.costEur),
    baselineCostEur: round(plan.baseline.costEur),
    savingPercent:
      plan.baseline.costEur > 0
        ? round((100 * (plan.baseline.costEur - plan.costEur)) / plan.baseline.costEur, 1)
        : 0,
  };
  context.log.info(summary, 'pump schedule stored');
  return summary;
}
