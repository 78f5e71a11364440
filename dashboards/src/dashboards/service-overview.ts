// Service overview: per service, request rate, errors and duration (the RED metrics of HTTP services) and
// the Node.js runtime, with links to the service's traces and logs over the same time range.
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { logsOf, tracesOf } from '../explore-links.ts';
import { dashboardOf, type PanelSpec } from '../panels.ts';
import { serviceVariable } from '../variables.ts';

const svc = 'job="$service"';

export const SERVICE_OVERVIEW_PANELS: PanelSpec[] = [
  {
    kind: 'timeseries',
    title: 'Request rate',
    description:
      'HTTP requests served per second, by route and status code (http.server.request.duration count).',
    unit: 'reqps',
    queries: [
      {
        expr: `sum by (http_route, http_response_status_code) (rate(http_server_request_duration_seconds_count{${svc}}[$__rate_interval]))`,
        legend: '{{http_route}} {{http_response_status_code}}',
      },
    ],
    links: [tracesOf('service'), logsOf('service')],
  },
  {
    kind: 'timeseries',
    title: 'Error ratio',
    description:
      'Share of HTTP requests answered with a 5xx status. Above 1 % deserves a look at the traces.',
    unit: 'percentunit',
    min: 0,
    queries: [
      {
        // `or vector(0)`: no 5xx at all is a ratio of 0, not an empty panel.
        expr: `(sum(rate(http_server_request_duration_seconds_count{${svc},http_response_status_code=~"5.."}[$__rate_interval])) or vector(0)) / sum(rate(http_server_request_duration_seconds_count{${svc}}[$__rate_interval]))`,
        legend: '5xx ratio',
      },
    ],
    links: [tracesOf('service')],
  },
  {
    kind: 'timeseries',
    title: 'Request duration p50 / p95 / p99',
    description: 'Quantiles of the HTTP server request duration over all routes, from the histogram buckets.',
    unit: 's',
    width: 24,
    queries: ['0.5', '0.95', '0.99'].map((q) => ({
      expr: `histogram_quantile(${q}, sum by (le) (rate(http_server_request_duration_seconds_bucket{${svc}}[$__rate_interval])))`,
      legend: `p${Number(q) * 100}`,
    })),
    links: [tracesOf('service')],
  },
  {
    kind: 'timeseries',
    title: 'CPU',
    description: 'CPU seconds used per second by the service process, user and system (1 = one full core).',
    unit: 'percentunit',
    queries: [
      {
        expr: `sum by (dss_client, cpu_mode) (rate(process_cpu_time_seconds_total{${svc}}[$__rate_interval]))`,
        legend: '{{dss_client}} {{cpu_mode}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Event loop delay p99',
    description: 'The 99th percentile of the Node.js event loop delay: above ~100 ms every request waits.',
    unit: 's',
    queries: [
      { expr: `max by (dss_client) (nodejs_eventloop_delay_p99_seconds{${svc}})`, legend: '{{dss_client}}' },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Heap used',
    description: 'V8 heap in use by the service process, per heap space summed.',
    unit: 'bytes',
    queries: [
      { expr: `sum by (dss_client) (v8js_memory_heap_used_bytes{${svc}})`, legend: '{{dss_client}}' },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Telemetry dropped',
    description:
      'Spans, metric points and logs the service could not deliver to the collector, per second (0 when healthy).',
    unit: 'short',
    queries: [
      {
        expr: `sum by (signal) (rate(dss_telemetry_dropped_total{${svc}}[$__rate_interval])) or vector(0)`,
        legend: '{{signal}}',
      },
    ],
  },
];

export function serviceOverview(): DashboardBuilder {
  return dashboardOf(
    {
      title: 'DSS / Service overview',
      uid: 'dss-service-overview',
      description: 'Per service: HTTP RED metrics and the Node.js runtime, with links to traces and logs.',
      tags: ['dss', 'services'],
      refresh: '30s',
      from: 'now-1h',
      variables: [serviceVariable()],
    },
    SERVICE_OVERVIEW_PANELS,
  );
}
