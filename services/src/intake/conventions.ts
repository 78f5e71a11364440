// Names the intake records that the DSS conventions (instrumentation/src/conventions) do not have
// yet. Same shape as the conventions module, so they can move there unchanged.
import type { MetricConvention } from '@dss/instrumentation/conventions';

/** How the intake dealt with a file: processed, rejected, duplicate (same content seen before), error. */
export const ATTR_DSS_INTAKE_OUTCOME = 'dss.intake.outcome';
/** Why a row was quarantined or a file rejected: a short code (timestamp, unit, header, binary...). */
export const ATTR_DSS_INTAKE_REASON = 'dss.intake.reason';
/** Span attributes of `intake.file`: data rows in the file, rows stored, rows quarantined. */
export const ATTR_DSS_INTAKE_ROWS = 'dss.intake.rows';
export const ATTR_DSS_INTAKE_ROWS_STORED = 'dss.intake.rows.stored';
export const ATTR_DSS_INTAKE_ROWS_QUARANTINED = 'dss.intake.rows.quarantined';
/** OTel semantic conventions (file.*). */
export const ATTR_FILE_NAME = 'file.name';
export const ATTR_FILE_SIZE = 'file.size';

export const INTAKE_OUTCOME = {
  processed: 'processed',
  rejected: 'rejected',
  duplicate: 'duplicate',
  error: 'error',
} as const;
export type IntakeOutcome = (typeof INTAKE_OUTCOME)[keyof typeof INTAKE_OUTCOME];

export const METRIC_INTAKE_FILES = {
  name: 'dss.intake.files',
  instrument: 'counter',
  unit: '{file}',
  description:
    'Sensor files the intake finished with, by outcome: processed, rejected (moved to rejected/ with a reason), duplicate (content already seen), error (unreadable or vanished; retried).',
  attributes: [ATTR_DSS_INTAKE_OUTCOME, ATTR_DSS_INTAKE_REASON],
  prometheusName: 'dss_intake_files_total',
} as const satisfies MetricConvention;

export const METRIC_INTAKE_ROWS_STORED = {
  name: 'dss.intake.rows.stored',
  instrument: 'counter',
  unit: '{row}',
  description: 'Sensor readings stored by the intake.',
  attributes: [],
  prometheusName: 'dss_intake_rows_stored_total',
} as const satisfies MetricConvention;

export const METRIC_INTAKE_ROWS_QUARANTINED = {
  name: 'dss.intake.rows.quarantined',
  instrument: 'counter',
  unit: '{row}',
  description:
    'Rows of sensor files the intake quarantined, by reason (csv, columns, timestamp, site, tag, value, unit, quality).',
  attributes: [ATTR_DSS_INTAKE_REASON],
  prometheusName: 'dss_intake_rows_quarantined_total',
} as const satisfies MetricConvention;

export const METRIC_INTAKE_FILE_DURATION = {
  name: 'dss.intake.file.duration',
  instrument: 'histogram',
  unit: 's',
  description: 'Time to handle one sensor file (read, parse, store, move), by outcome.',
  attributes: [ATTR_DSS_INTAKE_OUTCOME],
  prometheusName: 'dss_intake_file_duration_seconds',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
} as const satisfies MetricConvention;

export const METRIC_INTAKE_LAST_READING = {
  name: 'dss.intake.last_reading',
  instrument: 'gauge',
  unit: 's',
  description:
    'Unix time, in seconds, of the newest reading stored for the client: a missing-feed alert fires when it is older than the upload period plus slack.',
  attributes: [],
  prometheusName: 'dss_intake_last_reading_seconds',
} as const satisfies MetricConvention;

export const INTAKE_METRICS: readonly MetricConvention[] = [
  METRIC_INTAKE_FILES,
  METRIC_INTAKE_ROWS_STORED,
  METRIC_INTAKE_ROWS_QUARANTINED,
  METRIC_INTAKE_FILE_DURATION,
  METRIC_INTAKE_LAST_READING,
];
