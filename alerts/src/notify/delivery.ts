// How notifications leave the service. `createDelivery` returns the dispatcher's notify function: it writes
// the file/console sink at once and enqueues one outbox row per webhook and Slack integration of the
// receiver, synchronously, so the dispatcher commits the rows and its notification-log entry in one
// transaction; the outbox worker then delivers them (retries, rate limits, dead letters).
import type { Registry } from 'prom-client';
import type { AlertmanagerConfig, DssAlertsConfig } from '../dispatch/config.ts';
import type { Notification, Notify } from '../dispatch/dispatcher.ts';
import type { StateDatabase } from '../state/database.ts';
import { appendNotification, consoleLine } from './file-sink.ts';
import { deliveryKey, Outbox, type OutboxRow, OutboxWorker } from './outbox/index.ts';
import type { Integration } from './outbox/worker.ts';
import type { RenderOptions } from './slack/blocks.ts';
import { createSlackIntegrations } from './slack/integration.ts';
import { WebhookIntegration } from './webhook.ts';

export interface DeliveryOptions {
  alertmanager: AlertmanagerConfig;
  dss: DssAlertsConfig;
  db: StateDatabase;
  log: (message: string) => void;
  registry?: Registry;
  /** Links in Slack messages (Grafana, the silence API, runbooks). */
  render?: Omit<RenderOptions, 'now'>;
  /** A row went dead: the service raises a meta-alert. */
  onDeadLetter?: (row: OutboxRow) => void;
  /** Retry timing of the worker (tests). */
  retryInitialMs?: number;
}

export interface Delivery {
  notify: Notify;
  outbox: Outbox;
  worker: OutboxWorker;
  integrations: Integration[];
  stop(): Promise<void>;
}

/** Builds every integration (throws with the receiver and key of a bad slack_configs entry). */
export function createDelivery(o: DeliveryOptions): Delivery {
  const integrations: Integration[] = [];
  for (const receiver of o.alertmanager.receivers.values()) {
    for (const [i, hook] of receiver.webhookConfigs.entries())
      integrations.push(new WebhookIntegration(receiver.name, i, hook));
    try {
      integrations.push(...createSlackIntegrations(receiver, o.render ? { render: o.render } : {}));
    } catch (error) {
      throw new Error(`${o.alertmanager.file}: receivers "${receiver.name}": ${(error as Error).message}`);
    }
  }
  const byReceiver = new Map<string, Integration[]>();
  for (const i of integrations) byReceiver.set(i.receiver, [...(byReceiver.get(i.receiver) ?? []), i]);
  const outbox = new Outbox(o.db);
  const worker = new OutboxWorker({
    outbox,
    integrations,
    log: o.log,
    ...(o.registry ? { registry: o.registry } : {}),
    ...(o.onDeadLetter ? { onDeadLetter: o.onDeadLetter } : {}),
    ...(o.retryInitialMs !== undefined ? { retryInitialMs: o.retryInitialMs } : {}),
  });
  let flush = 0;
  const notify = (n: Notification): void => {
    const sink = o.dss.receivers.get(n.receiver);
    if (sink?.file) appendNotification(sink.file, n);
    if (sink?.console ?? true) o.log(consoleLine(n));
    // Unique per hand-over; the transaction around it makes a crash either keep both the rows and the
    // notification-log entry or neither.
    const flushId = `${Date.now()}.${flush++}`;
    for (const i of byReceiver.get(n.receiver) ?? [])
      outbox.enqueue({
        deliveryKey: deliveryKey(n, i.name, flushId),
        receiver: n.receiver,
        integration: i.name,
        groupKey: n.groupKey,
        payload: n,
      });
  };
  worker.start();
  return { notify, outbox, worker, integrations, stop: () => worker.stop() };
}
