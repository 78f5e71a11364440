// @dss/services/simulator: a water network per client, its control policy and physics, the SCADA
// CSV files it uploads, and injectable faults. See services/README.md.

export { demandFactor, isWeekend, tariffPeriod, tariffPrice } from './calendar.ts';
export {
  type ClientNetworkConfig,
  DEFAULT_NETWORK,
  DEFAULT_TARIFF,
  type PumpConfig,
  type PumpCurvePoint,
  type TankConfig,
  type TariffConfig,
  type TariffPeriod,
  validateNetwork,
} from './config.ts';
export { FAULT_KINDS, type Fault, type FaultKind, faultActive, parseFault } from './faults.ts';
export type { ClientTruth, PumpTruth, TankTruth } from './network.ts';
export {
  type SimulatedFile,
  Simulation,
  type SimulationOptions,
  type SimulationSample,
  simulate,
  simulateFiles,
  type TimeInput,
} from './simulation.ts';
export {
  type RunningSimulator,
  type SimulatorOptions,
  type SimulatorTruth,
  startSimulator,
} from './start-simulator.ts';
export { backfill, clientDir, writeFileAtomic, writeSimulatedFile } from './write-files.ts';
