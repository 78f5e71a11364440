// DSS operations: per client, what the operators of the water network watch: tank levels against their
// limits, pump states and power, the sensor-file intake, and the algorithm jobs.
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardOf, type PanelSpec } from '../panels.ts';
import { clientVariable, tankVariable } from '../variables.ts';

const client = 'dss_client="$client"';

export const DSS_OPERATIONS_PANELS: PanelSpec[] = [
  {
    kind: 'timeseries',
    title: 'Tank levels and limits',
    description:
      'Level of each selected tank (m above its floor), with the bottom and top of its operating band as dashed limits.',
    unit: 'm',
    width: 24,
    height: 10,
    queries: [
      {
        expr: `max by (dss_tank_id) (dss_tank_level_meters{${client},dss_tank_id=~"$tank"})`,
        legend: '{{dss_tank_id}} level',
      },
      {
        expr: `max by (dss_tank_id) (dss_tank_min_level_meters{${client},dss_tank_id=~"$tank"})`,
        legend: '{{dss_tank_id}} minimum',
      },
      {
        expr: `max by (dss_tank_id) (dss_tank_max_level_meters{${client},dss_tank_id=~"$tank"})`,
        legend: '{{dss_tank_id}} maximum',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Tank fill ratio',
    description: 'Level over capacity (0 empty, 1 full) of each selected tank.',
    unit: 'percentunit',
    min: 0,
    max: 1,
    queries: [
      {
        expr: `max by (dss_tank_id) (dss_tank_fill_ratio{${client},dss_tank_id=~"$tank"})`,
        legend: '{{dss_tank_id}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Pumps running',
    description: 'Whether each pump runs (1) or not (0).',
    unit: 'short',
    min: 0,
    max: 1,
    queries: [{ expr: `max by (dss_pump_id) (dss_pump_state{${client}})`, legend: '{{dss_pump_id}}' }],
  },
  {
    kind: 'timeseries',
    title: 'Pump power',
    description: 'Electrical power drawn by each pump; the electricity cost the DSS optimises follows it.',
    unit: 'watt',
    queries: [{ expr: `max by (dss_pump_id) (dss_pump_power_watts{${client}})`, legend: '{{dss_pump_id}}' }],
  },
  {
    kind: 'timeseries',
    title: 'Sensor files',
    description:
      'SCADA files the intake handled per minute, by outcome: processed, rejected (with a reason file), duplicate, error (retried).',
    unit: 'short',
    queries: [
      {
        expr: `sum by (dss_intake_outcome) (increase(dss_intake_files_total{${client}}[5m])) / 5`,
        legend: '{{dss_intake_outcome}}',
      },
    ],
  },
  {
    kind: 'stat',
    title: 'Age of the newest reading',
    description:
      'Seconds since the newest stored sensor reading of the client: a missing feed shows here first.',
    unit: 's',
    width: 6,
    queries: [{ expr: `time() - max(dss_intake_last_reading_seconds{${client}})` }],
  },
  {
    kind: 'stat',
    title: 'Readings stored (last hour)',
    description: 'Sensor readings the intake stored in the last hour.',
    unit: 'short',
    width: 6,
    queries: [{ expr: `sum(increase(dss_intake_rows_stored_total{${client}}[1h]))` }],
  },
  {
    kind: 'timeseries',
    title: 'Job runs',
    description: 'Runs of the forecast, optimization and KPI jobs per hour, by job and outcome.',
    unit: 'short',
    queries: [
      {
        expr: `sum by (dss_job_name, dss_job_outcome) (increase(dss_job_duration_seconds_count{${client}}[1h]))`,
        legend: '{{dss_job_name}} {{dss_job_outcome}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Job duration against its 7-day p95',
    description:
      'p95 duration of each job over the last hour, and over the last 7 days (its baseline): a run far above the baseline is anomalous.',
    unit: 's',
    queries: [
      {
        expr: `histogram_quantile(0.95, sum by (le, dss_job_name) (rate(dss_job_duration_seconds_bucket{${client}}[1h])))`,
        legend: '{{dss_job_name}} p95 (1 h)',
      },
      {
        expr: `histogram_quantile(0.95, sum by (le, dss_job_name) (rate(dss_job_duration_seconds_bucket{${client}}[7d])))`,
        legend: '{{dss_job_name}} p95 (7 d)',
      },
    ],
  },
  {
    kind: 'stat',
    title: 'Active alerts',
    description:
      "Alerts firing for this client (dss_alerts_active, the alert evaluator's counterpart of Prometheus ALERTS, scraped from the alerts service).",
    unit: 'short',
    width: 6,
    queries: [{ expr: `sum(dss_alerts_active{${client},alertstate="firing"}) or vector(0)` }],
    requires: 'alerts',
  },
];

export function dssOperations(): DashboardBuilder {
  return dashboardOf(
    {
      title: 'DSS / Operations',
      uid: 'dss-operations',
      description:
        'Per client: tank levels against their limits, pumps, the sensor-file intake and the algorithm jobs.',
      tags: ['dss', 'operations'],
      refresh: '30s',
      from: 'now-6h',
      variables: [clientVariable(), tankVariable()],
    },
    DSS_OPERATIONS_PANELS,
  );
}
