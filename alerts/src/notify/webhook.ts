// A receiver's webhook_configs entries as outbox integrations (`webhook/0`, …): POST of Alertmanager's
// webhook payload. Without send_resolved, resolved notifications are skipped and resolved alerts left out
// of firing ones, as Alertmanager does. 5xx, 429 and network errors are retried by the outbox; other 4xx are
// permanent (the row goes dead and on-call hears of it).
import type { Notification } from '../dispatch/dispatcher.ts';
import { DeliveryError } from './delivery-error.ts';
import type { DeliveryContext, DeliveryResult, Integration } from './outbox/worker.ts';

export class WebhookIntegration implements Integration {
  readonly receiver: string;
  readonly name: string;
  readonly #url: string;
  readonly #sendResolved: boolean;
  readonly #timeoutMs: number;

  constructor(
    receiver: string,
    index: number,
    hook: { url: string; sendResolved: boolean },
    timeoutMs = 10_000,
  ) {
    this.receiver = receiver;
    this.name = `webhook/${index}`;
    this.#url = hook.url;
    this.#sendResolved = hook.sendResolved;
    this.#timeoutMs = timeoutMs;
  }

  async deliver(ctx: DeliveryContext): Promise<DeliveryResult> {
    const n: Notification = ctx.notification;
    if (n.status === 'resolved' && !this.#sendResolved)
      return { skipped: 'resolved, send_resolved is false' };
    const body = this.#sendResolved ? n : { ...n, alerts: n.alerts.filter((a) => a.status === 'firing') };
    // The host only: a webhook URL can carry a secret in its path or query.
    const where = new URL(this.#url).host;
    ctx.beginAttempt();
    let res: Response;
    try {
      res = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(this.#timeoutMs)]),
      });
    } catch (error) {
      throw new DeliveryError('transient', 'network', `webhook ${where}: ${(error as Error).message}`);
    }
    await res.body?.cancel();
    if (res.ok) return {};
    const kind = res.status >= 500 || res.status === 429 ? 'transient' : 'permanent';
    throw new DeliveryError(kind, `http_${res.status}`, `webhook ${where}: HTTP ${res.status}`, {
      status: res.status,
    });
  }
}
