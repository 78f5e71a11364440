// @dss/instrumentation: OpenTelemetry for DSS services. See instrumentation/README.md.
export type { OtlpProtocol, TelemetryOptions } from './config/options.ts';
export * as conventions from './conventions/index.ts';
export { type ExpressTelemetryOptions, expressTelemetry, REQUEST_ID_HEADER } from './helpers/express.ts';
export { type TrackJobOptions, trackJob } from './helpers/job.ts';
export { type PumpReading, recordPumpState } from './helpers/pump.ts';
export {
  recordTankLevel,
  recordTankLevelLimits,
  type TankLevelLimits,
  type TankReading,
} from './helpers/tank.ts';
export { type CreateLoggerOptions, createLogger, type Logger } from './logs/logger.ts';
export { isSecretKey, REDACTED, redactText, redactValue } from './redaction/redact.ts';
export type { TelemetryStats } from './self-observability/drop-accounting.ts';
export { startTelemetry, type Telemetry } from './start-telemetry.ts';
