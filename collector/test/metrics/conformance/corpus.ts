// The PromQL conformance corpus: every query runs as an instant query at several times and as a range query,
// against the real Prometheus and the collector holding the same data (dataset.ts). Entries with
// `expectedDifference` are where Prometheus 3's semantics (which the collector follows) differ from the
// Prometheus 2.42 that Debian ships; docs/promql-compatibility.md lists them.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildDashboards } from '../../../../dashboards/src/index.ts';
import { substituteVariables } from '../../../../dashboards/test/substitute.ts';

export interface CorpusEntry {
  query: string;
  /** Why this query answers differently from Prometheus 2.42 by design. */
  expectedDifference?: string;
  /** Only as an instant query (range vectors and strings cannot be range queries). */
  instantOnly?: boolean;
}

const ATAN2_NAME =
  'atan2 drops the metric name since Prometheus 2.46 (prometheus/prometheus#12595); 2.42 kept it';
const RATE_EXTRAPOLATION =
  'rate/increase of a counter that starts inside the window: Prometheus 3 caps the extrapolation towards the start at half a sample interval before applying the zero-point limit; 2.42 did it the other way round';
const LEFT_OPEN =
  'a sample exactly on the left edge of a range or lookback window: Prometheus 3 excludes it (left-open), 2.42 includes it';

const RANGE_FUNCTIONS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'resets',
  'changes',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'present_over_time',
];

const RANGE_SELECTORS = [
  'http_requests_total',
  'http_requests_total{status="500",method="GET"}',
  'sensor_value',
  'dss_tank_level_meters{dss_client="north"}',
  'late_counter_total',
  'odd_values',
];

const INSTANT_FUNCTIONS = [
  'abs',
  'ceil',
  'floor',
  'exp',
  'sqrt',
  'ln',
  'log2',
  'log10',
  'sgn',
  'round',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'deg',
  'rad',
];

const CALENDAR = [
  'day_of_week',
  'day_of_month',
  'day_of_year',
  'days_in_month',
  'hour',
  'minute',
  'month',
  'year',
];

const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'];

export function buildCorpus(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  const add = (query: string, extra: Omit<CorpusEntry, 'query'> = {}) => out.push({ query, ...extra });

  // Selectors, matchers and modifiers.
  for (const selector of [
    'up',
    'http_requests_total',
    'http_requests_total{status="500"}',
    'http_requests_total{status!="200"}',
    'http_requests_total{method=~"G.*"}',
    'http_requests_total{instance!~"api-0.*"}',
    'http_requests_total{method=~"get|GET",status=~"5.."}',
    '{__name__=~"dss_tank_(min|max)_level_meters"}',
    '{job="intake",__name__!="sensor_value"}',
    '{__name__="sensor_value",sensor=""}',
    'sensor_value{sensor="gappy"}',
    'sensor_value offset 10m',
    'sensor_value offset -5m',
    'dss_tank_level_meters offset 1h',
    'dss_tank_level_meters @ 1767582000',
    'dss_tank_level_meters @ start()',
    'dss_tank_level_meters @ end()',
    'dss_tank_level_meters @ 1767582000 offset 30m',
    'odd_values',
    'nonexistent_metric',
  ]) {
    add(selector);
  }
  for (const selector of [
    'http_requests_total{status="500"}[5m]',
    'sensor_value[2m]',
    'odd_values[1m] offset 5m',
    'up[1m] @ 1767582000',
  ]) {
    add(selector, { instantOnly: true });
  }

  // Range-vector functions.
  for (const fn of RANGE_FUNCTIONS) {
    for (const selector of RANGE_SELECTORS) add(`${fn}(${selector}[5m])`);
    add(`${fn}(http_requests_total[1m])`);
    add(`${fn}(sensor_value[1h])`);
  }
  add('rate(http_requests_total[5m] offset 30m)');
  add('rate(http_requests_total[10m] @ 1767582000)');
  add('increase(late_counter_total[30m])');
  add('rate(late_counter_total[1h])');
  add('absent_over_time(sensor_value{sensor="gappy"}[5m])');
  add('absent_over_time(nonexistent_metric{job="x"}[5m])');
  add('absent_over_time(sensor_value[5m])');
  add('predict_linear(dss_tank_level_meters[1h], 3600)');
  add('predict_linear(dss_tank_level_meters[30m], 4 * 3600)');
  add('predict_linear(sensor_value[10m], -600)');
  for (const phi of ['0', '0.5', '0.9', '1', '-1', '2']) add(`quantile_over_time(${phi}, sensor_value[10m])`);
  add('quantile_over_time(0.95, dss_tank_level_meters[1h])');

  // Instant-vector functions.
  for (const fn of INSTANT_FUNCTIONS) {
    add(`${fn}(dss_tank_level_meters{dss_client="south"})`);
    add(`${fn}(sensor_value)`);
  }
  for (const fn of ['abs', 'ceil', 'floor', 'sqrt', 'ln', 'sgn', 'exp']) add(`${fn}(odd_values)`);
  add('round(dss_tank_level_meters, 0.1)');
  add('round(sensor_value, 5)');
  add('clamp(dss_tank_level_meters, 2, 4)');
  add('clamp(dss_tank_level_meters, 4, 2)');
  add('clamp_min(sensor_value, 0)');
  add('clamp_max(sensor_value, 10)');
  add('clamp_min(odd_values, 0)');
  for (const fn of CALENDAR) {
    add(`${fn}()`);
    add(`${fn}(dss_job_last_success_timestamp_seconds)`);
  }
  add('time()');
  add('vector(1)');
  add('vector(time())');
  add('scalar(sum(up))');
  add('scalar(up)');
  add('timestamp(sensor_value)');
  add('timestamp(sum(sensor_value))');
  add('timestamp((up))');
  add('absent(up)');
  add('absent(nonexistent_metric{job="x",instance="y"})');
  add('absent(nonexistent_metric{job="x",job="y"})');
  add('absent(nonexistent_metric{job=~"x.*"})');
  add('sort(dss_tank_level_meters)');
  add('sort_desc(dss_tank_level_meters)');
  add('sort(rate(http_requests_total[5m]))');
  add('label_replace(up, "host", "$1", "instance", "(.*):.*")');
  add('label_replace(up, "host", "$1x", "instance", "(.*):.*")');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Go regexp expansion, not a template
  add('label_replace(up, "host", "${1}-x", "instance", "(.*):(.*)")');
  add('label_replace(up, "job", "", "instance", ".*")');
  add('label_replace(up, "nomatch", "x", "instance", "zzz")');
  add('label_replace(http_requests_total, "__name__", "renamed", "", "")');
  add('label_join(up, "endpoint", "/", "job", "instance")');
  add('label_join(dss_tank_level_meters, "key", "-", "dss_client", "dss_tank_id", "missing")');
  add('histogram_quantile(0.9, rate(dss_job_duration_seconds_bucket[5m]))');
  add('histogram_quantile(0.5, sum by (le) (rate(dss_job_duration_seconds_bucket[10m])))');
  add('histogram_quantile(0.99, sum by (le, dss_job_name) (rate(dss_job_duration_seconds_bucket[1h])))', {
    expectedDifference: RATE_EXTRAPOLATION,
  });
  add('histogram_quantile(0, dss_job_duration_seconds_bucket)');
  add('histogram_quantile(1, dss_job_duration_seconds_bucket)');
  add('histogram_quantile(1.5, dss_job_duration_seconds_bucket)');
  add('histogram_quantile(0.5, dss_job_duration_seconds_bucket{le!="+Inf"})');
  add('rate(dss_job_duration_seconds_sum[5m]) / rate(dss_job_duration_seconds_count[5m])');

  // Aggregations.
  for (const op of AGGREGATIONS) {
    add(`${op}(rate(http_requests_total[5m]))`);
    add(`${op} by (status) (rate(http_requests_total[5m]))`);
    add(`${op} without (instance, method) (http_requests_total)`);
    add(`${op}(dss_tank_level_meters) by (dss_client)`);
    add(`${op}(odd_values)`);
  }
  add('sum by (__name__) ({job="intake"})');
  add('count by (job) ({__name__=~".+"})');
  // No ties in these: Prometheus breaks ties between equal values in no defined order.
  add('topk(2, sum_over_time(dss_tank_level_meters[5m]))');
  add('topk(3, http_requests_total)');
  add('topk by (dss_client) (1, dss_tank_level_meters)');
  add('bottomk(2, dss_tank_level_meters)');
  add('bottomk without (dss_tank_id) (1, dss_tank_level_meters)');
  add('topk(scalar(count(up)), sensor_value)');
  add('topk(0, sensor_value)');
  for (const phi of ['0', '0.25', '0.5', '0.9', '1', '-0.5', '1.5'])
    add(`quantile(${phi}, dss_tank_level_meters)`);
  add('quantile by (dss_client) (0.5, dss_tank_level_meters)');
  add('count_values("running", dss_pump_running)');
  add('count_values by (dss_client) ("running", dss_pump_running)');
  add('count_values("value", round(dss_tank_level_meters))');
  add('sum(sum by (status) (rate(http_requests_total[5m])))');
  add('avg(avg_over_time(dss_tank_level_meters[10m])) by (dss_client)');

  // Binary operators.
  for (const op of ['+', '-', '*', '/', '%', '^', 'atan2']) {
    const extra = op === 'atan2' ? { expectedDifference: ATAN2_NAME } : {};
    add(`dss_tank_level_meters ${op} 2`, extra);
    add(`2 ${op} dss_tank_level_meters`, extra);
    add(`dss_tank_max_level_meters ${op} dss_tank_level_meters`, extra);
    add(`odd_values ${op} 0`, extra);
  }
  for (const op of ['==', '!=', '>', '<', '>=', '<=']) {
    add(`dss_tank_level_meters ${op} 3`);
    add(`3 ${op} dss_tank_level_meters`);
    add(`dss_tank_level_meters ${op} bool 3`);
    add(`dss_tank_level_meters ${op} dss_tank_min_level_meters`);
    add(`dss_tank_level_meters ${op} bool dss_tank_max_level_meters`);
    add(`1 ${op} bool 2`);
  }
  add('1 + 2 * 3 - 4 / 2 ^ 2 % 3');
  add('-2 ^ 2');
  add('2 ^ 3 ^ 2');
  add('-sensor_value');
  add('+sensor_value');
  add('- - 3');
  add('(1 + 2) * (3 - 4)');
  add('NaN == NaN');
  add('Inf - Inf');
  add('0x1f + 1e2 + .5');
  add(
    'rate(http_requests_total[5m]) / on(instance, method, status) group_left rate(http_requests_total[10m])',
  );
  add('sum by (instance) (rate(http_requests_total[5m])) / on(instance) group_left up');
  add('up * on(instance) group_right sum by (instance, status) (rate(http_requests_total[5m]))');
  add('rate(http_requests_total[5m]) * on(instance) group_left(job) up');
  add(
    'sum by (instance, status) (rate(http_requests_total[5m])) / ignoring(status) group_left sum by (instance) (rate(http_requests_total[5m]))',
  );
  add('dss_tank_level_meters / ignoring(job) dss_tank_max_level_meters');
  add('dss_tank_level_meters - on(dss_client, dss_tank_id) dss_tank_min_level_meters');
  add('dss_tank_level_meters < on(dss_client, dss_tank_id) dss_tank_min_level_meters + 2.5');
  add('http_requests_total + on(job) up');
  add('http_requests_total + ignoring(status) http_requests_total');
  add('up and on(instance) rate(http_requests_total[5m]) > 0');
  add('up or vector(0)');
  add('dss_tank_level_meters and dss_tank_level_meters > 4');
  add('dss_tank_level_meters unless dss_tank_level_meters > 4');
  add('dss_tank_level_meters or dss_tank_min_level_meters');
  add('sensor_value or on(job) up');
  add('sensor_value unless on(job) up == 0');
  add('up == 0 or up offset 1h == 1');
  add('time() - dss_job_last_success_timestamp_seconds');
  add('time() - dss_job_last_success_timestamp_seconds > 3600');
  add('(time() - dss_job_last_success_timestamp_seconds) > bool 1800');
  add('sum(up) == count(up)');
  add('scalar(sum(up)) * vector(2)');

  // Subqueries.
  add('max_over_time(rate(http_requests_total[5m])[30m:1m])');
  add('avg_over_time(dss_tank_level_meters[1h:5m])');
  add('min_over_time(sensor_value[20m:])');
  add('deriv(sum(dss_tank_level_meters)[30m:2m])');
  add('max_over_time(sum by (status) (rate(http_requests_total[5m]))[1h:5m] offset 10m)');
  add('rate(http_requests_total[5m])[10m:1m]', { instantOnly: true });
  add('sensor_value[15m:5m]', { instantOnly: true });
  add('count_over_time(up[30m:30s] @ 1767582000)', { expectedDifference: LEFT_OPEN });
  add('count_over_time(up[1m] @ 1767582000.123)', { expectedDifference: LEFT_OPEN });
  // The last sample before sensor_value's gap is exactly 5 minutes before this time.
  add('sensor_value{sensor="gappy"} @ 1767578685.123', { expectedDifference: LEFT_OPEN });

  // DSS-style alert and dashboard expressions.
  add(
    'predict_linear(dss_tank_level_meters[1h], 4 * 3600) < on(dss_client, dss_tank_id) group_left dss_tank_min_level_meters',
  );
  add(
    'changes(dss_tank_level_meters[30m]) == 0 and on(dss_client) max by (dss_client) (dss_pump_running) > 0',
  );
  add('absent_over_time(dss_tank_level_meters{dss_client="north",dss_tank_id="t1"}[10m])');
  add('(time() - dss_job_last_success_timestamp_seconds{dss_job_name="kpi"}) > 2 * 3600');
  add(
    'histogram_quantile(0.95, sum by (le, dss_job_name) (rate(dss_job_duration_seconds_bucket[30m]))) > 2 * histogram_quantile(0.95, sum by (le, dss_job_name) (rate(dss_job_duration_seconds_bucket[6h])))',
  );
  add(
    'sum by (dss_client) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (dss_client) (rate(http_requests_total[5m]))',
  );
  add('deriv(dss_tank_level_meters[15m]) * 3600');
  add(
    'abs(deriv(dss_tank_level_meters[15m])) > 3 * stddev_over_time(deriv(dss_tank_level_meters[15m])[2h:15m])',
  );
  add('1 - avg_over_time(up[1h])');

  // Strings and invalid queries (both must answer bad_data).
  add('"hello"', { instantOnly: true });
  for (const bad of [
    'rate(http_requests_total)',
    'sum(',
    'http_requests_total{',
    '1 > 2',
    'up and 1',
    'nonexistent_function(up)',
    '{}',
    '{job=""}',
    'sum(up[5m])',
    'up[5m][5m]',
    'rate(up[5m] offset 1m offset 2m)',
    'up{job=~"("}',
    'histogram_quantile(up, up)',
    'label_replace(up, "a", "b", "c")',
    'topk(up, up)',
    'count_values(1, up)',
    '1 + on(x) up',
    'up + bool up',
    'up and on(job) group_left up',
    'abs(1)',
    '(up)[5m]',
    'sum(up) by (job) by (instance)',
    '"a" + 1',
  ]) {
    add(bad);
  }
  // Every expression of the shipped alert and recording rules, and every dashboard panel query.
  for (const query of shippedRuleExpressions()) add(query);
  for (const query of dashboardQueries()) add(query);

  // Execution errors (many-to-many and ambiguous matches): errorType execution on both.
  add('http_requests_total + on(job) http_requests_total');
  add('up + on() up');
  add('label_replace(http_requests_total, "status", "x", "", "")');
  return out;
}

const RULES_DIR = fileURLToPath(new URL('../../../../alerts/rules/', import.meta.url));

/** The `expr` of every rule in alerts/rules/*.yml (test files, *.test.yml, excepted). */
export function shippedRuleExpressions(dir = RULES_DIR): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(file) || /\.test\.ya?ml$/.test(file)) continue;
    const doc = parse(readFileSync(join(dir, file), 'utf8')) as {
      groups?: { rules?: { expr?: unknown }[] }[];
    } | null;
    for (const group of doc?.groups ?? []) {
      for (const rule of group.rules ?? []) if (typeof rule.expr === 'string') out.push(rule.expr.trim());
    }
  }
  return out;
}

/** The panel queries of dashboards/, with their variables substituted as Grafana would (client north). */
export function dashboardQueries(): string[] {
  const queries = buildDashboards().flatMap((dashboard) =>
    dashboard.panels.flatMap((panel) => panel.queries.map((q) => q.expr)),
  );
  const values = { client: 'north', tank: ['t1', 't2'], service: 'intake', dora_client: 'aveiro' };
  return [...new Set(queries.map((query) => substituteVariables(query, values)))];
}
