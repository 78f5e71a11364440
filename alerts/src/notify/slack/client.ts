// Sending to Slack with fetch: an Incoming Webhook, or the Web API with a bot token (chat.postMessage,
// chat.update, and conversations.history / conversations.replies to find a message by its metadata).
// - Every send to a channel takes a slot from the shared per-channel RateLimiter (1 message/s, small burst).
// - 429: the channel is blocked for Retry-After (header, or the body's retry_after) and the send waits.
// - 5xx, network errors and timeouts: retried with exponential backoff and jitter (capped), a few times
//   within one call; after that the error goes up to the outbox, which retries later.
// - Permanent errors (errors.ts) are thrown at once.
// - Ambiguous failures (a timeout or reset after the request went out, internal_error, fatal_error): in bot
//   mode, before posting again, the client looks for a message whose metadata carries the same delivery_id
//   (conversations.history with include_all_metadata, or conversations.replies for thread replies).
// Nothing secret (token, webhook URL) goes into errors: messages pass through `redact`.
import type { SlackMessage } from './blocks.ts';
import { type BotTarget, channelKey, redact, type SlackTarget } from './config.ts';
import { classifyWebApiError, classifyWebhookStatus, retryAfterMs, SlackDeliveryError } from './errors.ts';
import { type RateLimiter, sleep } from './rate-limiter.ts';

/** The metadata event type put on every message, so it can be found again. */
export const METADATA_EVENT_TYPE = 'dss_alert_notification';

export interface SlackClientOptions {
  /** Shared by all clients: one bucket per channel. */
  limiter: RateLimiter;
  fetch?: typeof fetch;
  /** Attempts within one call for transient/ambiguous errors (default 4). */
  maxAttempts?: number;
  /** Backoff: initial (default 500 ms), doubling, ±50 % jitter, capped at maxBackoffMs (default 8 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After waited for within a call (default 60 s); beyond it the error goes up. */
  maxRetryAfterMs?: number;
  /** 429s accepted within one call before giving up to the outbox (default 10). */
  maxRateLimited?: number;
}

export interface CallHooks {
  signal?: AbortSignal;
  /** Called synchronously right before each request that may post a message. */
  onAttempt?: () => void;
  /** Called before each retry (transient or ambiguous error). */
  onRetry?: (error: SlackDeliveryError) => void;
  /** Called on each 429. */
  onRateLimited?: (retryAfterMs: number) => void;
}

export interface PostOptions extends CallHooks {
  /** Put in the message's metadata (event_payload.delivery_id); what reconciliation looks for. */
  deliveryId: string;
  /** Post as a reply in this thread (reply_broadcast false). Bot mode only. */
  threadTs?: string;
  /** A previous attempt may have posted it: look for it first (bot mode). */
  maybeSent?: boolean;
  /** When the delivery was first queued, ms: where reconciliation starts looking (default 1 h ago). */
  sinceMs?: number;
}

export interface Posted {
  /** Bot mode: channel ID and message ts; webhook mode: undefined. */
  channel?: string;
  ts?: string;
  /** Found through conversations.history / replies instead of posted. */
  reconciled: boolean;
}

interface Message {
  ts?: string;
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class SlackClient {
  readonly target: SlackTarget;
  readonly channelKey: string;
  readonly #limiter: RateLimiter;
  readonly #fetch: typeof fetch;
  readonly #maxAttempts: number;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #maxRateLimited: number;

  constructor(target: SlackTarget, options: SlackClientOptions) {
    this.target = target;
    this.channelKey = channelKey(target);
    this.#limiter = options.limiter;
    this.#fetch = options.fetch ?? fetch;
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#initialBackoffMs = options.initialBackoffMs ?? 500;
    this.#maxBackoffMs = options.maxBackoffMs ?? 8000;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.#maxRateLimited = options.maxRateLimited ?? 10;
  }

  /** Posts a message (a new one, or a thread reply with `threadTs`). */
  async post(message: SlackMessage, options: PostOptions): Promise<Posted> {
    const t = this.target;
    if (t.mode === 'webhook') {
      await this.#retrying(options, async () => {
        await this.#limiter.acquire(this.channelKey, options.signal);
        options.onAttempt?.();
        await this.#webhook(message, options.signal);
      });
      return { reconciled: false };
    }
    let maybeSent = options.maybeSent ?? false;
    return this.#retrying(options, async () => {
      if (maybeSent) {
        const found = await this.find(options.deliveryId, options);
        if (found) return found;
        maybeSent = false;
      }
      await this.#limiter.acquire(this.channelKey, options.signal);
      options.onAttempt?.();
      const body: Record<string, unknown> = {
        channel: t.channel,
        text: message.text,
        blocks: message.blocks,
        metadata: { event_type: METADATA_EVENT_TYPE, event_payload: { delivery_id: options.deliveryId } },
        unfurl_links: false,
        unfurl_media: false,
      };
      if (options.threadTs) {
        body.thread_ts = options.threadTs;
        body.reply_broadcast = false;
      }
      if (t.username) body.username = t.username;
      if (t.iconEmoji) body.icon_emoji = t.iconEmoji;
      if (t.iconUrl) body.icon_url = t.iconUrl;
      try {
        const res = await this.#api(t, 'chat.postMessage', body, options.signal);
        return { channel: String(res.channel ?? t.channel), ts: String(res.ts), reconciled: false };
      } catch (e) {
        if (e instanceof SlackDeliveryError && e.kind === 'ambiguous') maybeSent = true;
        throw e;
      }
    });
  }

  /** chat.update of a message this app posted (bot mode). Idempotent, so simply retried. */
  async update(channel: string, ts: string, message: SlackMessage, hooks: CallHooks = {}): Promise<void> {
    const t = this.#bot('chat.update');
    await this.#retrying(hooks, async () => {
      await this.#limiter.acquire(this.channelKey, hooks.signal);
      await this.#api(
        t,
        'chat.update',
        { channel, ts, text: message.text, blocks: message.blocks },
        hooks.signal,
      );
    });
  }

  /**
   * Looks for the message carrying `deliveryId` in its metadata: in the thread `threadTs`
   * (conversations.replies) or in the channel since `sinceMs` (conversations.history), a few pages.
   */
  async find(
    deliveryId: string,
    options: { threadTs?: string; sinceMs?: number; signal?: AbortSignal; channel?: string } = {},
  ): Promise<Posted | undefined> {
    const t = this.#bot('conversations.history');
    const channel = options.channel ?? t.channel;
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const params: Record<string, string> = { channel, include_all_metadata: 'true', limit: '200' };
      if (options.threadTs) params.ts = options.threadTs;
      else params.oldest = String(Math.floor(((options.sinceMs ?? Date.now() - 3_600_000) - 120_000) / 1000));
      if (cursor) params.cursor = cursor;
      const method = options.threadTs ? 'conversations.replies' : 'conversations.history';
      const res = await this.#retrying({ signal: options.signal }, () =>
        this.#api(t, method, params, options.signal, 'GET'),
      );
      for (const m of (res.messages as Message[] | undefined) ?? []) {
        const md = m.metadata;
        if (md?.event_type === METADATA_EVENT_TYPE && md.event_payload?.delivery_id === deliveryId && m.ts)
          return { channel: String(res.channel ?? channel), ts: m.ts, reconciled: true };
      }
      const next = (res.response_metadata as { next_cursor?: string } | undefined)?.next_cursor;
      if (!next) return undefined;
      cursor = next;
    }
    return undefined;
  }

  #bot(method: string): BotTarget {
    if (this.target.mode !== 'bot')
      throw new SlackDeliveryError('permanent', 'not_bot', `${method} needs a bot token (webhook mode)`);
    return this.target;
  }

  async #retrying<T>(hooks: CallHooks, op: () => Promise<T>): Promise<T> {
    let attempt = 0;
    let limited = 0;
    for (;;) {
      try {
        return await op();
      } catch (e) {
        if (!(e instanceof SlackDeliveryError)) throw e;
        if (e.kind === 'permanent') throw e;
        if (e.kind === 'rate_limited') {
          const ms = e.retryAfterMs ?? 1000;
          hooks.onRateLimited?.(ms);
          this.#limiter.block(this.channelKey, ms);
          if (++limited > this.#maxRateLimited || ms > this.#maxRetryAfterMs) throw e;
          continue;
        }
        if (++attempt >= this.#maxAttempts) throw e;
        hooks.onRetry?.(e);
        const base = Math.min(this.#maxBackoffMs, this.#initialBackoffMs * 2 ** (attempt - 1));
        await sleep(base * (0.5 + Math.random()), hooks.signal);
      }
    }
  }

  #signal(outer?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.target.timeoutMs);
    return outer ? AbortSignal.any([outer, timeout]) : timeout;
  }

  #fetchError(e: unknown, what: string, outer?: AbortSignal): never {
    if (outer?.aborted) throw outer.reason;
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError')
      throw new SlackDeliveryError(
        'ambiguous',
        'timeout',
        `${what}: no answer within ${this.target.timeoutMs} ms`,
      );
    const code = err.cause?.code ?? '';
    const kind = NOT_SENT_CODES.has(code) ? 'transient' : 'ambiguous';
    throw new SlackDeliveryError(kind, 'network', redact(`${what}: ${code || err.message}`));
  }

  async #webhook(message: SlackMessage, outer?: AbortSignal): Promise<void> {
    const t = this.target;
    if (t.mode !== 'webhook') throw new Error('not a webhook target');
    const body: Record<string, unknown> = { text: message.text, blocks: message.blocks };
    if (t.channel) body.channel = t.channel;
    if (t.username) body.username = t.username;
    if (t.iconEmoji) body.icon_emoji = t.iconEmoji;
    if (t.iconUrl) body.icon_url = t.iconUrl;
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: this.#signal(outer),
      });
      text = await res.text();
    } catch (e) {
      this.#fetchError(e, 'webhook', outer);
    }
    if (res.ok) return;
    const code = text.trim().split(/\s/)[0]?.slice(0, 64) || `http_${res.status}`;
    const kind = classifyWebhookStatus(res.status, text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const ra = retryAfterMs(res.headers.get('retry-after'), parsed);
    throw new SlackDeliveryError(kind, code, redact(`webhook: HTTP ${res.status} ${code}`), {
      status: res.status,
      ...(ra !== undefined ? { retryAfterMs: ra } : {}),
    });
  }

  async #api(
    t: BotTarget,
    method: string,
    params: Record<string, unknown>,
    outer?: AbortSignal,
    httpMethod: 'GET' | 'POST' = 'POST',
  ): Promise<Record<string, unknown>> {
    let url = `${t.apiBase}/${method}`;
    const init: RequestInit = {
      method: httpMethod,
      headers: { authorization: `Bearer ${t.token}` },
      signal: this.#signal(outer),
    };
    if (httpMethod === 'GET') url += `?${new URLSearchParams(params as Record<string, string>)}`;
    else {
      init.headers = { ...init.headers, 'content-type': 'application/json; charset=utf-8' };
      init.body = JSON.stringify(params);
    }
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(url, init);
      text = await res.text();
    } catch (e) {
      this.#fetchError(e, method, outer);
    }
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const ra = retryAfterMs(res.headers.get('retry-after'), body);
    if (res.status === 429)
      throw new SlackDeliveryError(
        'rate_limited',
        String(body?.error ?? 'ratelimited'),
        `${method}: HTTP 429`,
        {
          status: 429,
          ...(ra !== undefined ? { retryAfterMs: ra } : {}),
        },
      );
    if (res.status >= 500 || !body)
      throw new SlackDeliveryError(
        res.status >= 500 || res.status === 408 ? 'transient' : 'permanent',
        `http_${res.status}`,
        `${method}: HTTP ${res.status}${body ? '' : ', not JSON'}`,
        { status: res.status },
      );
    if (body.ok === true) return body;
    const code = typeof body.error === 'string' ? body.error.slice(0, 64) : `http_${res.status}`;
    throw new SlackDeliveryError(classifyWebApiError(code), code, redact(`${method}: ${code}`), {
      status: res.status,
      ...(ra !== undefined ? { retryAfterMs: ra } : {}),
    });
  }
}
