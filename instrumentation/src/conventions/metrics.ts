// Metric names of the DSS conventions, with their instrument, unit and attributes.
import {
  ATTR_DSS_JOB_NAME,
  ATTR_DSS_JOB_OUTCOME,
  ATTR_DSS_PUMP_ID,
  ATTR_DSS_TANK_ID,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from './attributes.ts';
import { HTTP_DURATION_BUCKETS_SECONDS, JOB_DURATION_BUCKETS_SECONDS } from './buckets.ts';
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
  METRIC_PUMP_STATE,
  METRIC_PUMP_SPEED,
  METRIC_PUMP_POWER,
  METRIC_JOB_DURATION,
  METRIC_JOB_FAILURES,
  METRIC_JOB_LAST_SUCCESS,
  METRIC_JOB_SCHEDULE_DELAY,
  METRIC_HTTP_SERVER_DURATION,
  METRIC_TELEMETRY_DROPPED,
  METRIC_PROCESS_CPU_TIME,
  METRIC_PROCESS_OPEN_HANDLES,
];
