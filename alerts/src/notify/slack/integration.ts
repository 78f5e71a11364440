// A receiver's slack_configs entries as outbox integrations (`slack/0`, `slack/1`, …).
//
// Bot mode, one Slack thread per alert group "incident" (slack_threads keeps the parent per
// (receiver, integration, group key)):
// - firing, no open thread: post the parent message; it opens the thread;
// - firing, thread open: chat.update the parent to the current state, and post the notification as a
//   thread reply (reply_broadcast false), so the channel shows one message per group and the thread its
//   history;
// - resolved, thread open: chat.update the parent to the resolved rendering, post a resolved reply in the
//   thread (only with send_resolved: true; without it the parent is still edited, silently), and close
//   the thread: the group's next firing notification opens a new parent;
// - resolved, no thread (e.g. retention removed it): a new resolved message, with send_resolved only;
// - a parent deleted in Slack (chat.update answers message_not_found): as if there were no thread.
// Webhook mode: every notification is a new message (webhooks return no ts); resolved ones only with
// send_resolved: true. Alerts that resolved inside a firing notification are left out without
// send_resolved, as Alertmanager does.
import type { Notification } from '../../dispatch/dispatcher.ts';
import type { DeliveryContext, DeliveryResult, Integration } from '../outbox/worker.ts';
import { type RenderOptions, renderNotification, type SlackMessage } from './blocks.ts';
import { type CallHooks, SlackClient, type SlackClientOptions } from './client.ts';
import { type ParseSlackConfigOptions, parseSlackConfig, type SlackTarget } from './config.ts';
import { SlackDeliveryError } from './errors.ts';
import { RateLimiter } from './rate-limiter.ts';

/** One limiter for the process: every send to a channel, from any receiver, shares its bucket. */
export const defaultSlackLimiter = new RateLimiter({ ratePerSecond: 1, burst: 2 });

export interface SlackIntegrationsOptions {
  /** Default: `defaultSlackLimiter` (1 message/s per channel, burst 2). */
  limiter?: RateLimiter;
  /** Grafana, silence API, runbook base URL, … (see blocks.ts). `now` is taken at send time. */
  render?: Omit<RenderOptions, 'now'>;
  /** Environment for SLACK_WEBHOOK_URL (default process.env) and a reader for `*_file` keys. */
  env?: ParseSlackConfigOptions['env'];
  readFile?: ParseSlackConfigOptions['readFile'];
  /** Retries within one delivery round, fetch (tests). */
  client?: Omit<SlackClientOptions, 'limiter'>;
}

export interface ReceiverLike {
  name: string;
  slackConfigs: ReadonlyArray<Record<string, unknown>>;
}

export class SlackIntegration implements Integration {
  readonly receiver: string;
  readonly name: string;
  readonly target: SlackTarget;
  readonly client: SlackClient;
  readonly #render: Omit<RenderOptions, 'now'>;

  constructor(
    receiver: string,
    target: SlackTarget,
    client: SlackClient,
    render: Omit<RenderOptions, 'now'>,
  ) {
    this.receiver = receiver;
    this.name = target.integration;
    this.target = target;
    this.client = client;
    this.#render = render;
  }

  #message(n: Notification) {
    return renderNotification(n, { ...this.#render, now: Date.now() });
  }

  async deliver(ctx: DeliveryContext): Promise<DeliveryResult> {
    const t = this.target;
    let n = ctx.notification;
    const hooks: CallHooks = {
      signal: ctx.signal,
      onAttempt: ctx.beginAttempt,
      onRetry: ctx.onRetry,
      onRateLimited: ctx.onRateLimited,
    };
    const post = {
      ...hooks,
      deliveryId: ctx.row.deliveryKey,
      maybeSent: ctx.maybeSent,
      sinceMs: ctx.row.enqueuedMs,
    };
    if (n.status === 'firing' && !t.sendResolved)
      n = { ...n, alerts: n.alerts.filter((a) => a.status === 'firing') };

    if (t.mode === 'webhook') {
      if (n.status === 'resolved' && !t.sendResolved) return { skipped: 'resolved, send_resolved is false' };
      await this.client.post(this.#message(n), post);
      return {};
    }

    let thread = ctx.thread();
    // The parent was deleted in Slack: carry on as if there were no thread (a new parent).
    const update = async (message: SlackMessage): Promise<boolean> => {
      if (!thread) return false;
      try {
        await this.client.update(thread.channel, thread.ts, message, hooks);
        return true;
      } catch (e) {
        if (
          e instanceof SlackDeliveryError &&
          (e.code === 'message_not_found' || e.code === 'cant_update_message')
        ) {
          thread = undefined;
          return false;
        }
        throw e;
      }
    };
    if (n.status === 'resolved') {
      const message = this.#message(n);
      await update(message);
      if (!thread) {
        if (!t.sendResolved) return { skipped: 'resolved, send_resolved is false', thread: { clear: true } };
        const p = await this.client.post(this.#message(n), post);
        return { channel: p.channel, ts: p.ts, reconciled: p.reconciled, thread: { clear: true } };
      }
      if (!t.sendResolved)
        return {
          channel: thread.channel,
          ts: thread.ts,
          skipped: 'reply: send_resolved is false',
          thread: { clear: true },
        };
      const r = await this.client.post(message, { ...post, threadTs: thread.ts });
      return {
        channel: r.channel,
        ts: r.ts,
        threadTs: thread.ts,
        reconciled: r.reconciled,
        thread: { clear: true },
      };
    }

    const message = this.#message(n);
    await update(message);
    if (!thread) {
      const p = await this.client.post(message, post);
      const result: DeliveryResult = { channel: p.channel, ts: p.ts, reconciled: p.reconciled };
      if (p.channel && p.ts) result.thread = { set: { channel: p.channel, ts: p.ts } };
      return result;
    }
    const r = await this.client.post(message, { ...post, threadTs: thread.ts });
    return { channel: r.channel, ts: r.ts, threadTs: thread.ts, reconciled: r.reconciled };
  }
}

/**
 * The integrations of one receiver, one per slack_configs entry (`slack/<index>`). Throws
 * SlackConfigError naming the key (`receivers[north].slack_configs[0].channel: required …`).
 */
export function createSlackIntegrations(
  receiver: ReceiverLike,
  options: SlackIntegrationsOptions = {},
): SlackIntegration[] {
  const limiter = options.limiter ?? defaultSlackLimiter;
  return receiver.slackConfigs.map((raw, i) => {
    const parseOptions: ParseSlackConfigOptions = {
      where: `receivers[${receiver.name}].slack_configs[${i}]`,
    };
    if (options.env) parseOptions.env = options.env;
    if (options.readFile) parseOptions.readFile = options.readFile;
    const target = parseSlackConfig(raw, i, parseOptions);
    const client = new SlackClient(target, { ...options.client, limiter });
    return new SlackIntegration(receiver.name, target, client, options.render ?? {});
  });
}
