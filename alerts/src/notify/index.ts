// Delivery of a notification to its receiver: the file/console sink from dss-alerts.yml and the Alertmanager
// file's webhook_configs (POST of the same JSON). slack_configs are kept but not sent yet.
import type { AlertmanagerConfig, DssAlertsConfig } from '../dispatch/config.ts';
import type { Notification, Notify } from '../dispatch/dispatcher.ts';
import { appendNotification, consoleLine } from './file-sink.ts';

export { appendNotification, consoleLine } from './file-sink.ts';

export function receiverNotifier(
  am: AlertmanagerConfig,
  dss: DssAlertsConfig,
  log: (message: string) => void,
): Notify {
  return async (n: Notification) => {
    const sink = dss.receivers.get(n.receiver);
    if (sink?.file) appendNotification(sink.file, n);
    if (sink?.console ?? true) log(consoleLine(n));
    const receiver = am.receivers.get(n.receiver);
    for (const hook of receiver?.webhookConfigs ?? []) {
      if (n.status === 'resolved' && !hook.sendResolved) continue;
      const body = hook.sendResolved ? n : { ...n, alerts: n.alerts.filter((a) => a.status === 'firing') };
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`webhook ${hook.url}: HTTP ${res.status}`);
    }
  };
}
