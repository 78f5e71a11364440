// DORA: the four keys per client (a GitLab group) and for the whole team (`all`), with their DORA 2024 band,
// over time. The figures are dora serve's gauges (a trailing 28-day window, dora/README.md has the exact
// definitions), scraped by the collector; a Grafana time range of 12 weeks or more shows the trend. The weekly
// report itself (HTML, Markdown, JSON) is served by dora serve under /api/v1/reports/.
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardOf, type PanelSpec } from '../panels.ts';
import { doraClientVariable } from '../variables.ts';

const dora = 'job="dora",client="$dora_client"';

export const DORA_PANELS: PanelSpec[] = [
  {
    kind: 'stat',
    title: 'Deployment frequency',
    description:
      'Successful production deployments per day over the last 28 days (DORA elite: on demand, several a day).',
    unit: 'short',
    width: 6,
    queries: [{ expr: `max(dss_dora_deployments_per_day{${dora}})` }],
    requires: 'dora',
  },
  {
    kind: 'stat',
    title: 'Lead time for changes (median)',
    description: 'Median time from the first commit of a change to running in production, last 28 days.',
    unit: 's',
    width: 6,
    queries: [{ expr: `max(dss_dora_lead_time_seconds{${dora},quantile="0.5"})` }],
    requires: 'dora',
  },
  {
    kind: 'stat',
    title: 'Change failure rate',
    description:
      'Deployments followed by an incident, a rollback or a revert, over deployments, last 28 days.',
    unit: 'percentunit',
    width: 6,
    queries: [{ expr: `max(dss_dora_change_failure_ratio{${dora}})` }],
    requires: 'dora',
  },
  {
    kind: 'stat',
    title: 'Failed deployment recovery time (median)',
    description: 'Median time from a failed deployment to the next good one, last 28 days (DORA 2024 key).',
    unit: 's',
    width: 6,
    queries: [{ expr: `max(dss_dora_failed_deployment_recovery_seconds{${dora}})` }],
    requires: 'dora',
  },
  {
    kind: 'timeseries',
    title: 'DORA bands',
    description:
      'The band of each key (DORA 2024: elite, high, medium, low): the series shown is the band the key is in now.',
    unit: 'short',
    width: 24,
    queries: [{ expr: `max by (key, band) (dss_dora_band{${dora}} == 1)`, legend: '{{key}}: {{band}}' }],
    requires: 'dora',
  },
  {
    kind: 'timeseries',
    title: 'Deployment frequency trend',
    description: 'Deployments per day (28-day window) over time, per client.',
    unit: 'short',
    queries: [{ expr: 'max by (client) (dss_dora_deployments_per_day{job="dora"})', legend: '{{client}}' }],
    requires: 'dora',
  },
  {
    kind: 'timeseries',
    title: 'Lead time trend',
    description: 'Lead time for changes, median and 90th percentile (28-day window), over time.',
    unit: 's',
    queries: [{ expr: `max by (quantile) (dss_dora_lead_time_seconds{${dora}})`, legend: 'p{{quantile}}' }],
    requires: 'dora',
  },
  {
    kind: 'timeseries',
    title: 'Change failure and rework trend',
    description: 'Change failure rate and deployment rework rate (unplanned fix deployments), 28-day window.',
    unit: 'percentunit',
    queries: [
      { expr: `max(dss_dora_change_failure_ratio{${dora}})`, legend: 'change failure rate' },
      { expr: `max(dss_dora_rework_ratio{${dora}})`, legend: 'rework rate' },
    ],
    requires: 'dora',
  },
  {
    kind: 'timeseries',
    title: 'Time to restore trend',
    description:
      'Median time to restore service (incidents) and failed deployment recovery time, 28-day window.',
    unit: 's',
    queries: [
      { expr: `max(dss_dora_time_to_restore_seconds{${dora}})`, legend: 'time to restore (incidents)' },
      {
        expr: `max(dss_dora_failed_deployment_recovery_seconds{${dora}})`,
        legend: 'failed deployment recovery',
      },
    ],
    requires: 'dora',
  },
];

export function doraDashboard(): DashboardBuilder {
  return dashboardOf(
    {
      title: 'DSS / DORA',
      uid: 'dss-dora',
      description:
        'The four DORA keys per client and overall, their 2024 bands, and their trends (dora serve).',
      tags: ['dss', 'dora'],
      refresh: '5m',
      from: 'now-90d',
      variables: [doraClientVariable()],
    },
    DORA_PANELS,
  );
}
