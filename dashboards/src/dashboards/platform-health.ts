// Platform health: the collector itself (ingest, refusals, queue, commits, store size, scrapes), for the
// people who run the platform.
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardOf, type PanelSpec } from '../panels.ts';

const collector = 'job="dss-collector"';

export const PLATFORM_HEALTH_PANELS: PanelSpec[] = [
  {
    kind: 'timeseries',
    title: 'Records accepted',
    description: 'Spans, log records and metric samples the collector committed per second, by signal.',
    unit: 'short',
    queries: [
      {
        expr: `sum by (signal) (rate(dss_collector_records_accepted_total{${collector}}[$__rate_interval]))`,
        legend: '{{signal}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Records refused',
    description:
      'Records not stored per second, by signal and reason: overloaded (clients retry), store_error, not_stored, out_of_order, duplicate, invalid. 0 when healthy.',
    unit: 'short',
    queries: [
      {
        expr: `sum by (signal, reason) (rate(dss_collector_records_refused_total{${collector}}[$__rate_interval])) or vector(0)`,
        legend: '{{signal}} {{reason}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Ingest queue',
    description:
      'Bytes of accepted exports waiting for their commit, against the limit past which exports are refused.',
    unit: 'bytes',
    queries: [
      { expr: `max(dss_collector_queue_bytes{${collector}})`, legend: 'queued' },
      { expr: `max(dss_collector_queue_limit_bytes{${collector}})`, legend: 'limit' },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Commit latency p99',
    description:
      'The 99th percentile of the time a batch takes to commit to SQLite: what an exporter waits for its acknowledgement.',
    unit: 's',
    queries: [
      {
        expr: `histogram_quantile(0.99, sum by (le) (rate(dss_collector_commit_duration_seconds_bucket{${collector}}[$__rate_interval])))`,
        legend: 'p99',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Store size',
    description: 'Size on disk of the collector database and its write-ahead log.',
    unit: 'bytes',
    queries: [{ expr: `max by (file) (dss_collector_database_bytes{${collector}})`, legend: '{{file}}' }],
  },
  {
    kind: 'timeseries',
    title: 'Scrape targets up',
    description: 'Whether each scraped /metrics endpoint answered its last scrape (1) or not (0).',
    unit: 'short',
    min: 0,
    max: 1,
    queries: [{ expr: 'max by (job, instance) (up)', legend: '{{job}} {{instance}}' }],
  },
  {
    kind: 'timeseries',
    title: 'Collector resident memory',
    description: 'Resident memory of the collector process (its queue limit bounds what ingest adds).',
    unit: 'bytes',
    queries: [{ expr: `max(process_resident_memory_bytes{${collector}})`, legend: 'resident' }],
  },
  {
    kind: 'timeseries',
    title: 'Data retention',
    description: 'Records deleted by retention per second, by signal (age and size limits).',
    unit: 'short',
    queries: [
      {
        expr: `sum by (signal) (rate(dss_collector_retention_deleted_total{${collector}}[$__rate_interval])) or vector(0)`,
        legend: '{{signal}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Query latency p95',
    description:
      "95th percentile of the time the collector takes to answer Grafana's queries, by API (Tempo, Loki, Prometheus).",
    unit: 's',
    queries: [
      {
        expr: `histogram_quantile(0.95, sum by (le, api) (rate(dss_collector_query_duration_seconds_bucket{${collector}}[$__rate_interval])))`,
        legend: '{{api}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Alert rule evaluations',
    description:
      'Rule group evaluations per second, and those in which a rule failed (query API down or a query error): failures also fire AlertEvaluationFailing to on-call.',
    unit: 'short',
    queries: [
      {
        expr: 'sum(rate(dss_alerts_rule_group_evaluations_total{job="alerts"}[$__rate_interval]))',
        legend: 'evaluations',
      },
      {
        expr: 'sum(rate(dss_alerts_rule_group_evaluation_failures_total{job="alerts"}[$__rate_interval])) or vector(0)',
        legend: 'failed',
      },
    ],
    requires: 'alerts',
  },
  {
    kind: 'timeseries',
    title: 'Alert rule evaluation duration p95',
    description:
      'How long a rule group evaluation takes (all its queries to the Prometheus API), 95th percentile, by group.',
    unit: 's',
    queries: [
      {
        expr: 'histogram_quantile(0.95, sum by (le, rule_group) (rate(dss_alerts_rule_group_evaluation_duration_seconds_bucket{job="alerts"}[$__rate_interval])))',
        legend: '{{rule_group}}',
      },
    ],
    requires: 'alerts',
  },
  {
    kind: 'timeseries',
    title: 'Alert notifications',
    description:
      'Notifications handed to each channel (receiver) per hour; flood summaries replace them during floods.',
    unit: 'short',
    queries: [
      {
        expr: 'sum by (receiver) (increase(dss_alerts_channel_notifications_total{job="alerts"}[1h]))',
        legend: '{{receiver}}',
      },
    ],
    requires: 'alerts',
  },
  {
    kind: 'timeseries',
    title: 'DORA data age',
    description:
      'Time since dora serve last synced GitLab successfully (with the sample history: since it was loaded). Grows without bound when syncs fail.',
    unit: 's',
    queries: [
      { expr: 'time() - max(dss_dora_last_sync_timestamp_seconds{job="dora"})', legend: 'since last sync' },
    ],
    requires: 'dora',
  },
  {
    kind: 'timeseries',
    title: 'DORA sync errors',
    description:
      'GitLab syncs that failed per hour (wrong token, GitLab down, rate limits beyond the retries).',
    unit: 'short',
    queries: [
      {
        expr: 'sum(increase(dss_dora_sync_errors_total{job="dora"}[1h])) or vector(0)',
        legend: 'failed syncs',
      },
    ],
    requires: 'dora',
  },
];

export function platformHealth(): DashboardBuilder {
  return dashboardOf(
    {
      title: 'DSS / Platform health',
      uid: 'dss-platform-health',
      description:
        'The collector: ingest and refusals, queue, commit latency, store size, scrape targets; alert evaluation and notifications; DORA sync.',
      tags: ['dss', 'platform'],
      refresh: '30s',
      from: 'now-1h',
    },
    PLATFORM_HEALTH_PANELS,
  );
}
