// Metric names of the DSS conventions, with their instrument, unit and attributes.
import {
  ATTR_DSS_INTAKE_OUTCOME,
  ATTR_DSS_INTAKE_REASON,
  ATTR_DSS_JOB_NAME,
  ATTR_DSS_JOB_OUTCOME,
  ATTR_DSS_JOB_TRIGGER,
  ATTR_DSS_PUMP_ID,
  ATTR_DSS_TANK_ID,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from './attributes.ts';
import {
  HTTP_DURATION_BUCKETS_SECONDS,
  INTAKE_FILE_DURATION_BUCKETS_SECONDS,
  JOB_DURATION_BUCKETS_SECONDS,
} from './buckets.ts';
import type { MetricConvention } from './entry.ts';

export const METRIC_TANK_LEVEL = {
  name: 'dss.tank.level',
  instrument: 'gauge',
  unit: 'm',
  description: 'Water level of a tank, in metres above its floor.',
  attributes: [ATTR_DSS_TANK_ID],
  prometheusName: 'dss_tank_level_meters',
} as const satisfies MetricConvention;

export const METRIC_TANK_FILL_RATIO = {
  name: 'dss.tank.fill_ratio',
  instrument: 'gauge',
  unit: '1',
  description: 'Level of a tank over its capacity (0 empty, 1 full); recorded when the capacity is known.',
  attributes: [ATTR_DSS_TANK_ID],
  prometheusName: 'dss_tank_fill_ratio',
} as const satisfies MetricConvention;

export const METRIC_TANK_MIN_LEVEL = {
  name: 'dss.tank.min_level',
  instrument: 'gauge',
  unit: 'm',
  description:
    'Bottom of the operating band of a tank (below it the supply is at risk), from the network configuration; recorded periodically so alert rules can compare levels with it.',
  attributes: [ATTR_DSS_TANK_ID],
  prometheusName: 'dss_tank_min_level_meters',
} as const satisfies MetricConvention;

export const METRIC_TANK_MAX_LEVEL = {
  name: 'dss.tank.max_level',
  instrument: 'gauge',
  unit: 'm',
  description:
    'Top of the operating band of a tank (above it the tank is full), from the network configuration; recorded periodically.',
  attributes: [ATTR_DSS_TANK_ID],
  prometheusName: 'dss_tank_max_level_meters',
} as const satisfies MetricConvention;

export const METRIC_PUMP_STATE = {
  name: 'dss.pump.state',
  instrument: 'gauge',
  // A unit of '1' would make the Prometheus name end in _ratio; a curly-brace annotation adds no suffix.
  unit: '{state}',
  description: 'Whether a pump runs: 1 on, 0 off.',
  attributes: [ATTR_DSS_PUMP_ID],
  prometheusName: 'dss_pump_state',
} as const satisfies MetricConvention;

export const METRIC_PUMP_SPEED = {
  name: 'dss.pump.speed',
  instrument: 'gauge',
  unit: 'Hz',
  description: 'Drive frequency of a variable-speed pump.',
  attributes: [ATTR_DSS_PUMP_ID],
  prometheusName: 'dss_pump_speed_hertz',
} as const satisfies MetricConvention;

export const METRIC_PUMP_POWER = {
  name: 'dss.pump.power',
  instrument: 'gauge',
  // Watts, the SI unit Prometheus maps to a suffix; the helper takes kW, as pump data sheets give it.
  unit: 'W',
  description: 'Electrical power drawn by a pump.',
  attributes: [ATTR_DSS_PUMP_ID],
  prometheusName: 'dss_pump_power_watts',
} as const satisfies MetricConvention;

export const METRIC_JOB_DURATION = {
  name: 'dss.job.duration',
  instrument: 'histogram',
  unit: 's',
  description: 'Duration of a job run, by job and outcome.',
  attributes: [ATTR_DSS_JOB_NAME, ATTR_DSS_JOB_OUTCOME],
  prometheusName: 'dss_job_duration_seconds',
  buckets: JOB_DURATION_BUCKETS_SECONDS,
} as const satisfies MetricConvention;

export const METRIC_JOB_FAILURES = {
  name: 'dss.job.failures',
  instrument: 'counter',
  unit: '{run}',
  description: 'Job runs that ended in failure.',
  attributes: [ATTR_DSS_JOB_NAME, ATTR_ERROR_TYPE],
  prometheusName: 'dss_job_failures_total',
} as const satisfies MetricConvention;

export const METRIC_JOB_LAST_SUCCESS = {
  name: 'dss.job.last_success',
  instrument: 'gauge',
  unit: 's',
  description:
    'Unix time, in seconds, of the last successful run of a job: a missed-run alert fires when it is older than the period plus slack.',
  attributes: [ATTR_DSS_JOB_NAME],
  prometheusName: 'dss_job_last_success_seconds',
} as const satisfies MetricConvention;

export const METRIC_JOB_SCHEDULE_DELAY = {
  name: 'dss.job.schedule_delay',
  instrument: 'histogram',
  unit: 's',
  description: 'How late a job run started against the time it was scheduled for.',
  attributes: [ATTR_DSS_JOB_NAME],
  prometheusName: 'dss_job_schedule_delay_seconds',
  buckets: JOB_DURATION_BUCKETS_SECONDS,
} as const satisfies MetricConvention;

export const METRIC_JOB_SCHEDULE_PERIOD = {
  name: 'dss.job.schedule_period',
  instrument: 'gauge',
  unit: 's',
  description:
    'The period a job is scheduled at, recorded by the scheduler: a missed-run alert compares the age of dss.job.last_success with it.',
  attributes: [ATTR_DSS_JOB_NAME],
  prometheusName: 'dss_job_schedule_period_seconds',
} as const satisfies MetricConvention;

export const METRIC_JOB_SKIPPED = {
  name: 'dss.job.skipped',
  instrument: 'counter',
  unit: '{run}',
  description:
    'Job runs not queued because a run of the same job for the client was already queued or running, by trigger (schedule, api).',
  attributes: [ATTR_DSS_JOB_NAME, ATTR_DSS_JOB_TRIGGER],
  prometheusName: 'dss_job_skipped_total',
} as const satisfies MetricConvention;

export const METRIC_JOB_QUEUE_DEPTH = {
  name: 'dss.job.queue.depth',
  instrument: 'gauge',
  unit: '{run}',
  description: 'Job runs waiting in the workers queue (not yet running).',
  attributes: [],
  prometheusName: 'dss_job_queue_depth',
} as const satisfies MetricConvention;

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
  buckets: INTAKE_FILE_DURATION_BUCKETS_SECONDS,
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

export const METRIC_HTTP_SERVER_DURATION = {
  name: 'http.server.request.duration',
  instrument: 'histogram',
  unit: 's',
  description:
    'OTel semantic convention: duration of HTTP server requests, by method, route template and status (the RED metrics).',
  attributes: [ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_ERROR_TYPE],
  prometheusName: 'http_server_request_duration_seconds',
  buckets: HTTP_DURATION_BUCKETS_SECONDS,
} as const satisfies MetricConvention;

export const METRIC_TELEMETRY_DROPPED = {
  name: 'dss.telemetry.dropped',
  instrument: 'counter',
  unit: '{item}',
  description:
    'Spans, metric points and log records this process could not deliver to the collector (self-observability).',
  attributes: ['signal'],
  prometheusName: 'dss_telemetry_dropped_total',
} as const satisfies MetricConvention;

export const METRIC_PROCESS_CPU_TIME = {
  name: 'process.cpu.time',
  instrument: 'counter',
  unit: 's',
  description: 'OTel semantic convention: CPU seconds used by the process, by `cpu.mode` (user, system).',
  attributes: ['cpu.mode'],
  prometheusName: 'process_cpu_time_seconds_total',
} as const satisfies MetricConvention;

export const METRIC_PROCESS_OPEN_HANDLES = {
  name: 'dss.process.open_handles',
  instrument: 'updowncounter',
  unit: '{handle}',
  description: 'Active libuv handles and requests (sockets, timers, files), by `resource.type`.',
  attributes: ['resource.type'],
  prometheusName: 'dss_process_open_handles',
} as const satisfies MetricConvention;

export const METRICS: readonly MetricConvention[] = [
  METRIC_TANK_LEVEL,
  METRIC_TANK_FILL_RATIO,
  METRIC_TANK_MIN_LEVEL,
  METRIC_TANK_MAX_LEVEL,
  METRIC_PUMP_STATE,
  METRIC_PUMP_SPEED,
  METRIC_PUMP_POWER,
  METRIC_JOB_DURATION,
  METRIC_JOB_FAILURES,
  METRIC_JOB_LAST_SUCCESS,
  METRIC_JOB_SCHEDULE_DELAY,
  METRIC_JOB_SCHEDULE_PERIOD,
  METRIC_JOB_SKIPPED,
  METRIC_JOB_QUEUE_DEPTH,
  METRIC_INTAKE_FILES,
  METRIC_INTAKE_ROWS_STORED,
  METRIC_INTAKE_ROWS_QUARANTINED,
  METRIC_INTAKE_FILE_DURATION,
  METRIC_INTAKE_LAST_READING,
  METRIC_HTTP_SERVER_DURATION,
  METRIC_TELEMETRY_DROPPED,
  METRIC_PROCESS_CPU_TIME,
  METRIC_PROCESS_OPEN_HANDLES,
];
