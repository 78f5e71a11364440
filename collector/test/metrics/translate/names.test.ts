// Metric names, units, label names and float label values, against the OTel specification, Prometheus's
// OTLP receiver and the Prometheus names docs/conventions.md promises.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatGoFloat,
  formatOpenMetricsFloat,
  type NamingKind,
  prometheusLabelName,
  prometheusMetricName,
  prometheusUnit,
} from '../../../src/metrics/translate/index.ts';

const CONVENTIONS = new URL('../../../../docs/conventions.md', import.meta.url);

/** The rows of the metrics table: OTel name, instrument, unit, Prometheus name. */
function documentedMetrics(): {
  name: string;
  instrument: NamingKind;
  unit: string;
  prometheusName: string;
}[] {
  const text = readFileSync(CONVENTIONS, 'utf8');
  const section = text.slice(text.indexOf('## Metrics'), text.indexOf('## Histogram bucket boundaries'));
  const code = (cell: string) => cell.trim().replace(/^`|`$/g, '');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, name = '', instrument = '', unit = '', prometheusName = ''] = line.split('|');
      return {
        name: code(name),
        instrument: instrument.trim() as NamingKind,
        unit: code(unit),
        prometheusName: code(prometheusName),
      };
    });
}

describe('metric names', () => {
  it('gives every Prometheus name docs/conventions.md documents', () => {
    const metrics = documentedMetrics();
    expect(metrics.length).toBeGreaterThanOrEqual(13);
    for (const metric of metrics) {
      expect(prometheusMetricName(metric.name, metric.unit, metric.instrument), metric.name).toBe(
        metric.prometheusName,
      );
    }
  });

  it.each([
    // [name, unit, kind, expected]
    ['dss.tank.level', 'm', 'gauge', 'dss_tank_level_meters'],
    ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
    ['rpc.duration', 'ms', 'histogram', 'rpc_duration_milliseconds'],
    ['op.latency', 'us', 'gauge', 'op_latency_microseconds'],
    ['op.latency', 'ns', 'gauge', 'op_latency_nanoseconds'],
    ['uptime', 'min', 'gauge', 'uptime_minutes'],
    ['uptime', 'h', 'gauge', 'uptime_hours'],
    ['retention', 'd', 'gauge', 'retention_days'],
    ['heap', 'By', 'gauge', 'heap_bytes'],
    ['heap', 'KiBy', 'gauge', 'heap_kibibytes'],
    ['heap', 'MiBy', 'gauge', 'heap_mebibytes'],
    ['heap', 'GiBy', 'gauge', 'heap_gibibytes'],
    ['disk', 'KBy', 'gauge', 'disk_kilobytes'],
    ['disk', 'MBy', 'gauge', 'disk_megabytes'],
    ['disk', 'GBy', 'gauge', 'disk_gigabytes'],
    ['supply', 'V', 'gauge', 'supply_volts'],
    ['draw', 'A', 'gauge', 'draw_amperes'],
    ['energy', 'J', 'counter', 'energy_joules_total'],
    ['power', 'W', 'gauge', 'power_watts'],
    ['dose', 'g', 'gauge', 'dose_grams'],
    ['water.temperature', 'Cel', 'gauge', 'water_temperature_celsius'],
    ['pump.speed', 'Hz', 'gauge', 'pump_speed_hertz'],
    ['cpu.utilization', '%', 'gauge', 'cpu_utilization_percent'],
    // "1": ratio for gauges only
    ['fill', '1', 'gauge', 'fill_ratio'],
    ['fill.ratio', '1', 'gauge', 'fill_ratio'],
    ['fill', '1', 'updowncounter', 'fill'],
    ['events', '1', 'counter', 'events_total'],
    // per units
    ['throughput', 'By/s', 'gauge', 'throughput_bytes_per_second'],
    ['flow', 'm/min', 'gauge', 'flow_meters_per_min'],
    ['rate', '1/s', 'gauge', 'rate_per_second'],
    ['rate', '{request}/s', 'counter', 'rate_per_second_total'],
    ['cost', 'By/h', 'gauge', 'cost_bytes_per_hour'],
    ['cost', 'By/d', 'gauge', 'cost_bytes_per_day'],
    ['cost', 'By/w', 'gauge', 'cost_bytes_per_week'],
    ['cost', 'By/mo', 'gauge', 'cost_bytes_per_month'],
    ['cost', 'By/y', 'gauge', 'cost_bytes_per_year'],
    ['speed', 'm/s', 'gauge', 'speed_meters_per_second'],
    // annotations are dropped
    ['dss.job.failures', '{run}', 'counter', 'dss_job_failures_total'],
    ['queue.depth', '{item}', 'gauge', 'queue_depth'],
    // unknown units are kept, cleaned
    ['pressure', 'mmHg', 'gauge', 'pressure_mmHg'],
    // no suffix twice
    ['request.duration.seconds', 's', 'histogram', 'request_duration_seconds'],
    ['dss.job.seconds_late', 's', 'gauge', 'dss_job_seconds_late'],
    ['bytes.per.second', 'By/s', 'gauge', 'bytes_per_second'],
    ['requests.total', '', 'counter', 'requests_total'],
    ['requests_total_count', '', 'counter', 'requests_count_total'],
    ['process.cpu.time', 's', 'counter', 'process_cpu_time_seconds_total'],
    // invalid characters, runs collapsed, colons kept, leading digit
    ['http..server--duration', '', 'gauge', 'http_server_duration'],
    ['_private.metric_', '', 'gauge', 'private_metric'],
    ['ns:metric.name', '', 'gauge', 'ns:metric_name'],
    ['2xx.responses', '', 'counter', '_2xx_responses_total'],
    ['température.eau', 'Cel', 'gauge', 'temp_rature_eau_celsius'],
  ] as [string, string, NamingKind, string][])('%s (%s, %s) → %s', (name, unit, kind, expected) => {
    expect(prometheusMetricName(name, unit, kind)).toBe(expected);
  });

  it('has no name for a metric without a valid character', () => {
    expect(prometheusMetricName('...', '', 'gauge')).toBeUndefined();
    expect(prometheusMetricName('été', '{x}', 'gauge')).toBe('t');
  });

  it.each([
    ['s', 'seconds'],
    ['By/s', 'bytes_per_second'],
    ['{packet}/s', 'per_second'],
    ['1', ''],
    ['{run}', ''],
    ['', ''],
    ['%', 'percent'],
    ['Cel', 'celsius'],
  ])('unit %s → %s in metadata', (unit, expected) => {
    expect(prometheusUnit(unit)).toBe(expected);
  });
});

describe('label names', () => {
  it.each([
    ['dss.tank.id', 'dss_tank_id'],
    ['http.response.status_code', 'http_response_status_code'],
    ['a..b', 'a__b'],
    ['2fa', 'key_2fa'],
    ['_hidden', 'key_hidden'],
    ['__reserved', '__reserved'],
    ['__name__', '__name__'],
    ['.', 'key_'],
    ['é', 'key_'],
    ['tank 🚰 id', 'tank___id'],
    ['valid_name', 'valid_name'],
  ])('%s → %s', (key, expected) => {
    expect(prometheusLabelName(key)).toBe(expected);
  });

  it('has none for an empty key or one of invalid characters only', () => {
    expect(prometheusLabelName('')).toBeUndefined();
    expect(prometheusLabelName('..')).toBeUndefined();
  });
});

describe('float label values', () => {
  it.each([
    [0.005, '0.005', '0.005'],
    [1, '1', '1.0'],
    [0, '0', '0.0'],
    [2.5, '2.5', '2.5'],
    [10, '10', '10.0'],
    [100000, '100000', '100000.0'],
    [1e6, '1000000', '1e+06'],
    [1.5e6, '1500000', '1.5e+06'],
    [0.0001, '0.0001', '0.0001'],
    [0.00001, '0.00001', '1e-05'],
    [1e-7, '0.0000001', '1e-07'],
    [1e21, '1000000000000000000000', '1e+21'],
    [-1, '-1', '-1.0'],
    [-0.25, '-0.25', '-0.25'],
    [0.1 + 0.2, '0.30000000000000004', '0.30000000000000004'],
    [Number.POSITIVE_INFINITY, '+Inf', '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf', '-Inf'],
    [Number.NaN, 'NaN', 'NaN'],
  ])('%d → %s (OTLP), %s (scrape)', (value, goF, openMetrics) => {
    expect(formatGoFloat(value)).toBe(goF);
    expect(formatOpenMetricsFloat(value)).toBe(openMetrics);
  });
});
