// @dss/services/intake: sensor files in, readings out, each file exactly once. See services/README.md.
export {
  type ErrorReason,
  type IntakeHooks,
  type IntakeOptions,
  type IntakeStats,
  isIgnoredName,
  PROCESSED_DIR,
  REJECTED_DIR,
  type RunningIntake,
  startIntake,
} from './start-intake.ts';
export { type FileRecord, type FileStatus, IntakeStore } from './store.ts';
export {
  type FileReason,
  type ParsedFile,
  parseCsvFile,
  parseTimestamp,
  type QuarantinedRow,
  type Reading,
  type RowReason,
} from './validate.ts';
