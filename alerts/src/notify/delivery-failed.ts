// The meta-alert for a notification that could not be delivered (a dead outbox row): routed to on-call by
// `dss_component="alerts"`, naming the receiver and integration (never the URL or token), firing for an hour.
import type { NotifiableAlert } from '../evaluation/evaluator.ts';
import type { OutboxRow } from './outbox/index.ts';

export function deliveryFailedAlert(row: OutboxRow, nowMs: number): NotifiableAlert {
  return {
    labels: {
      alertname: 'AlertNotificationFailed',
      severity: 'warning',
      dss_component: 'alerts',
      receiver: row.receiver,
      integration: row.integration,
    },
    annotations: {
      summary: `A notification to ${row.receiver} (${row.integration}) could not be delivered`,
      description: `${row.lastError ?? 'unknown error'}. The notification is kept in the outbox as dead (group ${row.groupKey}).`,
      runbook_url: 'docs/alerts-rules.md#alertnotificationfailed',
    },
    startsAtMs: nowMs,
    endsAtMs: nowMs + 3_600_000,
  };
}
