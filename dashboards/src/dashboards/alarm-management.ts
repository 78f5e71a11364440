// Alarm management (ISA-18.2 / EEMUA 191): how many alerts each channel (receiver: one per client, plus
// on-call) gets against the targets the standards give, floods, chattering and shelved alerts, and which
// alerts fire most. For whoever tunes the rules, so that on-call engineers keep trusting the alerts.
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardOf, type PanelSpec } from '../panels.ts';

const alerts = 'job="alerts"';

export const ALARM_MANAGEMENT_PANELS: PanelSpec[] = [
  {
    kind: 'timeseries',
    title: 'Alarm rate per channel (10 min)',
    description:
      'New alerts each channel received within the last 10 minutes. ISA-18.2 counts more than 10 in 10 minutes for one operator as a flood; the red line is that threshold.',
    unit: 'short',
    queries: [
      { expr: `max by (receiver) (dss_alerts_channel_alert_rate{${alerts}})`, legend: '{{receiver}}' },
      { expr: 'vector(10)', legend: 'flood threshold' },
    ],
    requires: 'alerts',
  },
  {
    kind: 'timeseries',
    title: 'Alerts per day per channel',
    description:
      'New alerts per channel over the last 24 hours. EEMUA 191 / ISA-18.2: about 150 a day is manageable, 300 or more needs a significant reduction.',
    unit: 'short',
    queries: [
      {
        expr: `sum by (receiver) (increase(dss_alerts_channel_alerts_total{${alerts}}[1d]))`,
        legend: '{{receiver}}',
      },
      { expr: 'vector(150)', legend: 'manageable (150/day)' },
    ],
    requires: 'alerts',
  },
  {
    kind: 'stat',
    title: 'Channels in a flood',
    description: 'Channels getting flood summaries instead of each notification right now (0 when calm).',
    unit: 'short',
    width: 6,
    queries: [{ expr: `sum(dss_alerts_flood_active{${alerts}}) or vector(0)` }],
    requires: 'alerts',
  },
  {
    kind: 'stat',
    title: 'Floods (7 days)',
    description:
      'Alarm floods in the last 7 days, all channels. ISA-18.2 target: under 1 % of the time in flood.',
    unit: 'short',
    width: 6,
    queries: [{ expr: `sum(increase(dss_alerts_floods_total{${alerts}}[7d])) or vector(0)` }],
    requires: 'alerts',
  },
  {
    kind: 'stat',
    title: 'Shelved for chattering',
    description: 'Alerts shelved now because they became active again and again (DSSAlertChattering).',
    unit: 'short',
    width: 6,
    queries: [{ expr: `sum(dss_alerts_shelved{${alerts}}) or vector(0)` }],
    requires: 'alerts',
  },
  {
    kind: 'stat',
    title: 'Notifications held in floods (7 days)',
    description: 'Notifications summarised instead of sent one by one during floods, last 7 days.',
    unit: 'short',
    width: 6,
    queries: [
      { expr: `sum(increase(dss_alerts_flood_held_notifications_total{${alerts}}[7d])) or vector(0)` },
    ],
    requires: 'alerts',
  },
  {
    kind: 'timeseries',
    title: 'Chattering alerts',
    description:
      'Alerts shelved for chattering per hour, by alert name and client: candidates for hysteresis or a longer `for`.',
    unit: 'short',
    queries: [
      {
        expr: `sum by (alertname, dss_client) (increase(dss_alerts_chattering_total{${alerts}}[1h])) or vector(0)`,
        legend: '{{alertname}} {{dss_client}}',
      },
    ],
    requires: 'alerts',
  },
  {
    kind: 'timeseries',
    title: 'Firing alerts by name (bad actors)',
    description:
      'Alerts firing, by alert name: the top of this list is where rule tuning pays most (the "top 10 bad actors" of alarm management).',
    unit: 'short',
    queries: [
      {
        expr: `topk(10, sum by (alertname) (dss_alerts_active{${alerts},alertstate="firing"})) or vector(0)`,
        legend: '{{alertname}}',
      },
    ],
    requires: 'alerts',
  },
  {
    kind: 'timeseries',
    title: 'Notifications per channel',
    description:
      'Notifications handed to each channel per hour, before flood control (grouping already applied).',
    unit: 'short',
    queries: [
      {
        expr: `sum by (receiver) (increase(dss_alerts_channel_notifications_total{${alerts}}[1h]))`,
        legend: '{{receiver}}',
      },
    ],
    requires: 'alerts',
  },
];

export function alarmManagementDashboard(): DashboardBuilder {
  return dashboardOf(
    {
      title: 'DSS / Alarm management',
      uid: 'dss-alarm-management',
      description:
        'ISA-18.2 / EEMUA 191 view of the alerts: rates per channel against their targets, floods, chattering, bad actors.',
      tags: ['dss', 'alerts'],
      refresh: '1m',
      from: 'now-24h',
    },
    ALARM_MANAGEMENT_PANELS,
  );
}
