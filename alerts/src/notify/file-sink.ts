// The file/console sink: one JSON line per notification (Alertmanager's webhook payload) appended to a file,
// and a short human line, e.g.
//   [FIRING:2] north DSSTankLevelBelowMinimum {dss_client="north", dss_tank_id="T-1"} (group …)
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Notification } from '../dispatch/dispatcher.ts';

export function appendNotification(file: string, notification: Notification): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(notification)}\n`);
}

export function consoleLine(n: Notification): string {
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const head = n.status === 'firing' ? `[FIRING:${firing}]` : `[RESOLVED:${n.alerts.length}]`;
  const labels = Object.entries(n.groupLabels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  const summary = n.commonAnnotations.summary ? ` — ${n.commonAnnotations.summary}` : '';
  return `${head} ${n.receiver} {${labels}}${summary}`;
}
