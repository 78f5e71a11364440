// Attribute keys of the DSS conventions. Every service, dashboard and alert rule refers to these
// names; `docs/conventions.md` is generated from this module for the services not written in
// TypeScript (the Python workers), so change them here and regenerate the document.

import type { ConventionEntry } from './entry.ts';

/** The water utility a signal belongs to. Every signal carries it; it is the tenant key. */
export const ATTR_DSS_CLIENT = 'dss.client';
/** A tank of the client's water network. */
export const ATTR_DSS_TANK_ID = 'dss.tank.id';
/** A pump of the client's water network. */
export const ATTR_DSS_PUMP_ID = 'dss.pump.id';
/** The name of a scheduled algorithm job (forecast, optimization, kpi, ...). */
export const ATTR_DSS_JOB_NAME = 'dss.job.name';
/** One run of a job. */
export const ATTR_DSS_JOB_RUN_ID = 'dss.job.run_id';
/** How a job run ended: `success` or `failure`. */
export const ATTR_DSS_JOB_OUTCOME = 'dss.job.outcome';
/** What started a job run: `schedule` (the scheduler) or `api` (a request to the backend API). */
export const ATTR_DSS_JOB_TRIGGER = 'dss.job.trigger';
/** How the intake dealt with a file: processed, rejected, duplicate (same content seen before), error. */
export const ATTR_DSS_INTAKE_OUTCOME = 'dss.intake.outcome';
/** Why a row was quarantined or a file rejected: a short code (timestamp, unit, header, binary...). */
export const ATTR_DSS_INTAKE_REASON = 'dss.intake.reason';
/** Span attributes of `intake.file`: data rows in the file, rows stored, rows quarantined. */
export const ATTR_DSS_INTAKE_ROWS = 'dss.intake.rows';
export const ATTR_DSS_INTAKE_ROWS_STORED = 'dss.intake.rows.stored';
export const ATTR_DSS_INTAKE_ROWS_QUARANTINED = 'dss.intake.rows.quarantined';

// The OpenTelemetry semantic-convention keys the DSS relies on, named here once so that code
// never spells them by hand.
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_VERSION = 'service.version';
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_FILE_NAME = 'file.name';
export const ATTR_FILE_SIZE = 'file.size';
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_COLLECTION_NAME = 'db.collection.name';

/** Values of {@link ATTR_DSS_JOB_OUTCOME}. */
export const JOB_OUTCOME = { success: 'success', failure: 'failure' } as const;
export type JobOutcome = (typeof JOB_OUTCOME)[keyof typeof JOB_OUTCOME];

/** Values of {@link ATTR_DSS_JOB_TRIGGER}. */
export const JOB_TRIGGER = { schedule: 'schedule', api: 'api' } as const;
export type JobTrigger = (typeof JOB_TRIGGER)[keyof typeof JOB_TRIGGER];

/** Values of {@link ATTR_DSS_INTAKE_OUTCOME}. */
export const INTAKE_OUTCOME = {
  processed: 'processed',
  rejected: 'rejected',
  duplicate: 'duplicate',
  error: 'error',
} as const;
export type IntakeOutcome = (typeof INTAKE_OUTCOME)[keyof typeof INTAKE_OUTCOME];

export const ATTRIBUTES: readonly ConventionEntry[] = [
  {
    name: ATTR_DSS_CLIENT,
    type: 'string',
    where: 'resource (every signal)',
    description: 'The water utility (client) the service is deployed for; the tenant key of every query.',
    example: 'aveiro',
  },
  {
    name: ATTR_DSS_TANK_ID,
    type: 'string',
    where: 'metric, span',
    description: 'Identifier of a tank in the client network.',
    example: 'T-north',
  },
  {
    name: ATTR_DSS_PUMP_ID,
    type: 'string',
    where: 'metric, span',
    description: 'Identifier of a pump in the client network.',
    example: 'P-3',
  },
  {
    name: ATTR_DSS_JOB_NAME,
    type: 'string',
    where: 'metric, span, log',
    description: 'Name of a scheduled algorithm job.',
    example: 'forecast',
  },
  {
    name: ATTR_DSS_JOB_RUN_ID,
    type: 'string',
    where: 'span, log (never a metric attribute: unbounded)',
    description: 'Identifier of one run of a job.',
    example: '2026-11-23T06:00:00Z#forecast',
  },
  {
    name: ATTR_DSS_JOB_OUTCOME,
    type: 'string',
    where: 'metric, span',
    description: 'How a job run ended: `success` or `failure`.',
    example: 'failure',
  },
  {
    name: ATTR_DSS_JOB_TRIGGER,
    type: 'string',
    where: 'metric, span, log',
    description: 'What started a job run: `schedule` (the scheduler) or `api` (a backend API request).',
    example: 'schedule',
  },
  {
    name: ATTR_DSS_INTAKE_OUTCOME,
    type: 'string',
    where: 'metric, span',
    description:
      'How the intake dealt with a sensor file: `processed`, `rejected`, `duplicate` (content already seen), `error` (retried).',
    example: 'processed',
  },
  {
    name: ATTR_DSS_INTAKE_REASON,
    type: 'string',
    where: 'metric, span',
    description:
      'Why a row was quarantined or a file rejected: a short code (csv, columns, timestamp, site, tag, value, unit, quality; empty, binary, header, no-valid-row, too-large, unreadable, duplicate).',
    example: 'timestamp',
  },
  {
    name: ATTR_DSS_INTAKE_ROWS,
    type: 'int',
    where: 'span (`intake.file`)',
    description: 'Data rows in a sensor file.',
    example: '105',
  },
  {
    name: ATTR_DSS_INTAKE_ROWS_STORED,
    type: 'int',
    where: 'span (`intake.file`)',
    description: 'Rows of a sensor file stored as readings.',
    example: '102',
  },
  {
    name: ATTR_DSS_INTAKE_ROWS_QUARANTINED,
    type: 'int',
    where: 'span (`intake.file`)',
    description: 'Rows of a sensor file quarantined.',
    example: '3',
  },
  {
    name: ATTR_SERVICE_NAME,
    type: 'string',
    where: 'resource',
    description:
      'OTel semantic convention: the logical service name (backend-api, workers, intake, simulator).',
    example: 'backend-api',
  },
  {
    name: ATTR_SERVICE_VERSION,
    type: 'string',
    where: 'resource',
    description: 'OTel semantic convention: the service version (from package.json when not given).',
    example: '1.4.2',
  },
  {
    name: ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
    type: 'string',
    where: 'resource',
    description: 'OTel semantic convention: the deployment environment.',
    example: 'production',
  },
];
