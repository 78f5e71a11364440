// Notifications for the Slack tests: Alertmanager webhook payloads (v4) as the dispatcher builds them.
import type { Notification } from '../../../src/dispatch/dispatcher.ts';

export interface NotificationSpec {
  receiver?: string;
  client?: string;
  alertname?: string;
  severity?: string;
  /** Distinguishes groups (becomes dss_tank_id). */
  tank?: string;
  status?: 'firing' | 'resolved';
  /** Number of alerts in the group (tanks T-1 … T-n when `tank` is not given). */
  alerts?: number;
  startsAt?: string;
  endsAt?: string;
  description?: string;
}

export function notification(spec: NotificationSpec = {}): Notification {
  const receiver = spec.receiver ?? 'north';
  const client = spec.client ?? 'north';
  const alertname = spec.alertname ?? 'DSSTankLevelBelowMinimum';
  const severity = spec.severity ?? 'critical';
  const status = spec.status ?? 'firing';
  const count = spec.alerts ?? 1;
  const startsAt = spec.startsAt ?? new Date(Date.now() - 12 * 60_000).toISOString();
  const endsAt = status === 'resolved' ? (spec.endsAt ?? new Date().toISOString()) : '0001-01-01T00:00:00Z';
  const groupLabels: Record<string, string> = { alertname, dss_client: client };
  if (spec.tank) groupLabels.dss_tank_id = spec.tank;
  const alerts: Notification['alerts'] = [];
  for (let i = 0; i < count; i++) {
    const tank = spec.tank ?? `T-${i + 1}`;
    alerts.push({
      status,
      labels: { alertname, severity, dss_client: client, dss_tank_id: tank },
      annotations: {
        summary: `Tank ${tank} (${client}) is below its minimum level`,
        description:
          spec.description ??
          `The level of tank ${tank} is 0.20 m, below its minimum level. Value: 0.20 m, threshold: 0.50 m.`,
        runbook_url: 'docs/alerts-rules.md#dsstanklevelbelowminimum',
      },
      startsAt,
      endsAt,
      generatorURL: `http://localhost:9090/graph?g0.expr=${encodeURIComponent('dss_tank:level_meters:max < 0.5')}`,
      fingerprint: `${i.toString(16).padStart(16, '0')}`,
    });
  }
  const commonLabels: Record<string, string> = { alertname, severity, dss_client: client };
  if (count === 1 || spec.tank) commonLabels.dss_tank_id = spec.tank ?? 'T-1';
  return {
    version: '4',
    groupKey: `{}/{dss_client="${client}"}:{${Object.entries(groupLabels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ')}}`,
    truncatedAlerts: 0,
    status,
    receiver,
    groupLabels,
    commonLabels,
    commonAnnotations: count === 1 ? { ...alerts[0]?.annotations } : {},
    externalURL: 'http://localhost:9093',
    alerts,
  };
}

/** All text a message's blocks carry. */
export function blocksText(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}
