// Durable notification delivery: an outbox in the alerts state database and a worker that sends its rows
// to Slack. How the service wires it:
//
//   const outbox = new Outbox(db);                              // creates outbox_* / slack_* tables
//   const integrations = receivers.flatMap((r) => createSlackIntegrations(r, { render: { grafanaUrl } }));
//   const worker = new OutboxWorker({ outbox, integrations, registry, onDeadLetter: (row) => raiseMetaAlert(row) });
//   worker.start();                                             // resumes rows left pending by a crash
//   // on each notification, in the same transaction as the notification log write:
//   db.transaction(() => {
//     writeNflog(...);
//     for (const i of integrations.filter((i) => i.receiver === n.receiver))
//       outbox.enqueue({ deliveryKey: deliveryKey(n, i.name, flushMs), receiver: n.receiver,
//                        integration: i.name, groupKey: n.groupKey, payload: n });
//   })();
//   outbox.list({ receiver: 'north', state: 'dead', limit: 50 });   // history / dead letters
//   await worker.stop();
//
// Guarantees: a row is delivered at least once, in enqueue order within its (receiver, integration).
// Bot mode is effectively exactly once: every message carries metadata {event_type:
// 'dss_alert_notification', event_payload: {delivery_id: <deliveryKey>}}, a request that may have gone
// out is recorded before it is sent, and such a row is looked up (conversations.history / replies) before
// it is posted again, after a crash as after an ambiguous failure. Webhook mode is at-least-once: a crash
// or timeout after Slack accepted a message re-sends it.

export { DeliveryError, type DeliveryErrorKind } from '../delivery-error.ts';
export {
  type Block,
  type RenderOptions,
  renderNotification,
  SLACK_LIMITS,
  type SlackMessage,
} from '../slack/blocks.ts';
export { METADATA_EVENT_TYPE, SlackClient } from '../slack/client.ts';
export { parseSlackConfig, redact, SlackConfigError, type SlackTarget } from '../slack/config.ts';
export { SlackDeliveryError, type SlackErrorKind } from '../slack/errors.ts';
export {
  createSlackIntegrations,
  defaultSlackLimiter,
  type ReceiverLike,
  SlackIntegration,
  type SlackIntegrationsOptions,
} from '../slack/integration.ts';
export { RateLimiter } from '../slack/rate-limiter.ts';
export {
  type EnqueueInput,
  Outbox,
  type OutboxRow,
  type OutboxState,
  type ThreadRef,
} from './store.ts';
export {
  type DeliveryContext,
  type DeliveryResult,
  type Integration,
  OutboxWorker,
  type OutboxWorkerOptions,
} from './worker.ts';

/**
 * A delivery key for a notification through one integration: the receiver, integration, group key and
 * the flush it comes from (e.g. the notification log entry's timestamp). Stable across retries of the same
 * flush, different for the next one.
 */
export function deliveryKey(
  n: { receiver: string; groupKey: string; status: string },
  integration: string,
  flushId: string | number,
): string {
  return `${n.receiver}|${integration}|${n.groupKey}|${n.status}|${flushId}`;
}
