// @dss/services/workers: the scheduled algorithm jobs (forecast, optimization, KPIs). See services/README.md.
export type { JobContext, JobFunction, JobTable } from './context.ts';
export { InjectedFault, JobTimeout, parseFaults, type WorkerFaults } from './faults.ts';
export * from './forecast.ts';
export type { NetworkPlan, PumpAction, TankPlan, TankProblem } from './optimization.ts';
export {
  baselineTank,
  HOUR_MS as OPTIMIZATION_HOUR_MS,
  hourlyPrices,
  optimizeNetwork,
  optimizeTank,
  pumpActions,
} from './optimization.ts';
export { DEFAULT_SCHEDULE, type JobSchedule, Scheduler, slotAtOrBefore } from './scheduler.ts';
export {
  DEFAULT_JOBS,
  type RunningWorkers,
  startWorkers,
  type WorkersOptions,
  type WorkersStats,
} from './start-workers.ts';
export * from './store.ts';
