// A loopback Slack for tests: Incoming Webhooks and the Web API methods the alerts use, over real HTTP.
//   POST /services/<T>/<B>/<secret>         Incoming Webhook: 200 "ok", errors as text bodies with Slack's
//                                           status codes (400 invalid_payload, 403 invalid_token, 404
//                                           channel_not_found / no_service, 410 channel_is_archived)
//   POST /api/chat.postMessage               JSON or form body, Bearer token (or `token` form field)
//   POST /api/chat.update
//   GET|POST /api/conversations.history      top-level messages, newest first; metadata with include_all_metadata
//   GET|POST /api/conversations.replies      a thread, oldest first
// Messages are kept per channel (text, blocks, metadata, thread_ts, edits). Like Slack, it allows about
// 1 message/s per channel (a token bucket, `burst` at once): beyond, HTTP 429 with Retry-After. Faults are
// scripted per method (and channel) and consumed by the next matching requests, in order. Every request
// is recorded.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** HTTP 429 with Retry-After (seconds); `bodyRetryAfter` puts retry_after (seconds) in the body. */
  | { kind: 'ratelimit'; retryAfter: number; bodyRetryAfter?: number }
  /** A bare HTTP status (500, 503, …). */
  | { kind: 'http'; status: number; body?: string }
  /** Handle the request normally (the message is stored) but answer after `delayMs`. */
  | { kind: 'slow'; delayMs: number }
  /** A Slack error: Web API HTTP 200 ok:false, or the webhook's status code and text body. */
  | { kind: 'error'; error: string }
  /** No fault for this request. */
  | { kind: 'pass' };

export type FaultTarget =
  | 'webhook'
  | 'chat.postMessage'
  | 'chat.update'
  | 'conversations.history'
  | 'conversations.replies';

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  reply_broadcast?: boolean;
  via: 'api' | 'webhook';
  /** Each chat.update: the text it set. */
  edits: string[];
  blocksAfterEdit?: unknown[];
}

export interface RecordedRequest {
  atMs: number;
  method: string;
  path: string;
  /** `webhook` or the Web API method. */
  api: string;
  channel: string | undefined;
  params: Record<string, unknown>;
  status: number;
  response: unknown;
  fault: string | undefined;
}

export interface FakeSlackOptions {
  /** The valid bot token (default `xoxb-fake-token`); any other is invalid_auth. */
  token?: string;
  /** Enforced per channel (default 1 message/s, burst 3). 0 disables. */
  ratePerSecond?: number;
  burst?: number;
  /** When given, other channels are channel_not_found. */
  channels?: string[];
  archived?: string[];
  /** Called when a message has been stored, before the answer is written. */
  onStored?: (m: StoredMessage) => void;
  /** Delay every chat.postMessage answer by this much, after storing (default 0). */
  postDelayMs?: number;
}

const WEBHOOK_STATUS: Record<string, number> = {
  invalid_payload: 400,
  user_not_found: 400,
  no_text: 400,
  action_prohibited: 403,
  invalid_token: 403,
  posting_to_general_channel_denied: 403,
  channel_not_found: 404,
  no_service: 404,
  channel_is_archived: 410,
  rollup_error: 500,
};

export class FakeSlack {
  readonly server: Server;
  readonly url: string;
  /** Base of the Web API: `<url>/api`. */
  readonly apiUrl: string;
  readonly requests: RecordedRequest[] = [];
  readonly options: FakeSlackOptions;
  /** 429s sent because the client went over the per-channel rate (not scripted ones). */
  rateLimited = 0;
  readonly #messages: StoredMessage[] = [];
  readonly #webhooks = new Map<string, string>();
  readonly #faults: Array<{ target: FaultTarget; channel: string | undefined; fault: Fault }> = [];
  readonly #tat = new Map<string, number>();
  #seq = 0;

  constructor(server: Server, options: FakeSlackOptions) {
    this.server = server;
    this.options = options;
    const port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api`;
  }

  get token(): string {
    return this.options.token ?? 'xoxb-fake-token';
  }

  /** An Incoming Webhook posting to `channel`; returns its URL. */
  addWebhook(channel: string): string {
    const path = `/services/T${rand(8)}/B${rand(8)}/${rand(24)}`;
    this.#webhooks.set(path, channel);
    return `${this.url}${path}`;
  }

  /** The next requests to `target` (to `channel` if given) get these faults, in order. */
  script(target: FaultTarget, faults: Fault[], channel?: string): void {
    for (const fault of faults) this.#faults.push({ target, channel, fault });
  }

  /** Messages, oldest first (all channels, or one). */
  messages(channel?: string): StoredMessage[] {
    return this.#messages.filter((m) => channel === undefined || m.channel === channel);
  }

  /** Deletes a message, as a user would in Slack. */
  deleteMessage(channel: string, ts: string): void {
    const i = this.#messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (i >= 0) this.#messages.splice(i, 1);
  }

  /** Requests to one API (`webhook`, `chat.postMessage`, …). */
  calls(api: string, channel?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.api === api && (channel === undefined || r.channel === channel));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  #takeFault(target: FaultTarget, channel: string | undefined): Fault | undefined {
    const i = this.#faults.findIndex(
      (f) => f.target === target && (f.channel === undefined || f.channel === channel),
    );
    if (i < 0) return undefined;
    const [f] = this.#faults.splice(i, 1);
    return f?.fault.kind === 'pass' ? undefined : f?.fault;
  }

  /** True when a message to `channel` now exceeds the rate (and then it is not counted). */
  #overRate(channel: string): boolean {
    const rate = this.options.ratePerSecond ?? 1;
    if (rate <= 0) return false;
    const interval = 1000 / rate;
    const tolerance = ((this.options.burst ?? 3) - 1) * interval;
    const now = Date.now();
    const tat = Math.max(this.#tat.get(channel) ?? now, now);
    if (tat - now > tolerance) return true;
    this.#tat.set(channel, tat + interval);
    return false;
  }

  #ts(): string {
    this.#seq++;
    return `${Math.floor(Date.now() / 1000)}.${String(this.#seq).padStart(6, '0')}`;
  }

  #store(m: StoredMessage): void {
    this.#messages.push(m);
    this.options.onStored?.(m);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const rec: RecordedRequest = {
      atMs: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      api: '',
      channel: undefined,
      params: {},
      status: 0,
      response: undefined,
      fault: undefined,
    };
    this.requests.push(rec);
    const send = async (status: number, body: unknown, headers: Record<string, string> = {}, delayMs = 0) => {
      rec.status = status;
      rec.response = body;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (res.destroyed) return;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'content-type':
          typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
        ...headers,
      });
      res.end(text);
    };

    if (url.pathname.startsWith('/services/')) {
      rec.api = 'webhook';
      const channel = this.#webhooks.get(url.pathname);
      rec.channel = channel;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw.length ? raw : '{}') as Record<string, unknown>;
        rec.params = body;
      } catch {
        return send(400, 'invalid_payload');
      }
      if (req.method !== 'POST') return send(405, 'invalid_method');
      if (channel === undefined) return send(404, 'no_service');
      const fault = this.#takeFault('webhook', channel);
      let delay = 0;
      if (fault) {
        rec.fault = fault.kind;
        if (fault.kind === 'ratelimit')
          return send(
            429,
            fault.bodyRetryAfter !== undefined
              ? JSON.stringify({ retry_after: fault.bodyRetryAfter })
              : 'rate_limited',
            {
              'retry-after': String(fault.retryAfter),
            },
          );
        if (fault.kind === 'http') return send(fault.status, fault.body ?? `http_${fault.status}`);
        if (fault.kind === 'error') return send(WEBHOOK_STATUS[fault.error] ?? 400, fault.error);
        if (fault.kind === 'slow') delay = fault.delayMs;
      }
      if (this.options.archived?.includes(channel)) return send(410, 'channel_is_archived');
      if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) return send(400, 'no_text');
      if (this.#overRate(channel)) {
        this.rateLimited++;
        return send(429, 'rate_limited', { 'retry-after': '1' });
      }
      this.#store({
        channel,
        ts: this.#ts(),
        text: String(body.text ?? ''),
        blocks: (body.blocks as unknown[]) ?? [],
        via: 'webhook',
        edits: [],
      });
      return send(200, 'ok', {}, delay);
    }

    const m = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!m?.[1]) return send(404, { ok: false, error: 'unknown_method' });
    const api = m[1];
    rec.api = api;
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const type = req.headers['content-type'] ?? '';
    if (raw.length > 0) {
      if (type.includes('application/json')) {
        try {
          Object.assign(params, JSON.parse(raw));
        } catch {
          return send(200, { ok: false, error: 'invalid_json' });
        }
      } else {
        for (const [k, v] of new URLSearchParams(raw)) {
          if (['blocks', 'metadata', 'attachments'].includes(k)) {
            try {
              params[k] = JSON.parse(v);
            } catch {
              return send(200, {
                ok: false,
                error: k === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments',
              });
            }
          } else params[k] = v;
        }
      }
    }
    rec.params = params;
    const channel = typeof params.channel === 'string' ? params.channel : undefined;
    rec.channel = channel;
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? params.token;
    if (auth === undefined) return send(200, { ok: false, error: 'not_authed' });
    if (auth !== this.token) return send(200, { ok: false, error: 'invalid_auth' });
    const known = ['chat.postMessage', 'chat.update', 'conversations.history', 'conversations.replies'];
    if (!known.includes(api)) return send(200, { ok: false, error: 'unknown_method' });
    const fault = this.#takeFault(api as FaultTarget, channel);
    let delay = api === 'chat.postMessage' ? (this.options.postDelayMs ?? 0) : 0;
    if (fault) {
      rec.fault = fault.kind;
      if (fault.kind === 'ratelimit')
        return send(
          429,
          fault.bodyRetryAfter !== undefined
            ? { ok: false, error: 'ratelimited', retry_after: fault.bodyRetryAfter }
            : { ok: false, error: 'ratelimited' },
          { 'retry-after': String(fault.retryAfter) },
        );
      if (fault.kind === 'http') return send(fault.status, fault.body ?? `http_${fault.status}`);
      if (fault.kind === 'error') return send(200, { ok: false, error: fault.error });
      if (fault.kind === 'slow') delay = fault.delayMs;
    }
    if (!channel) return send(200, { ok: false, error: 'channel_not_found' });
    if (this.options.channels && !this.options.channels.includes(channel))
      return send(200, { ok: false, error: 'channel_not_found' });

    if (api === 'chat.postMessage') {
      if (this.options.archived?.includes(channel)) return send(200, { ok: false, error: 'is_archived' });
      const text = typeof params.text === 'string' ? params.text : '';
      const blocks = params.blocks;
      if (!text && !Array.isArray(blocks)) return send(200, { ok: false, error: 'no_text' });
      if (text.length > 40_000) return send(200, { ok: false, error: 'msg_too_long' });
      if (blocks !== undefined && !validBlocks(blocks))
        return send(200, { ok: false, error: 'invalid_blocks' });
      const threadTs = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
      if (threadTs && !this.#messages.some((x) => x.channel === channel && x.ts === threadTs))
        return send(200, { ok: false, error: 'thread_not_found' });
      if (this.#overRate(channel)) {
        this.rateLimited++;
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
      }
      const md = params.metadata as StoredMessage['metadata'] | undefined;
      const msg: StoredMessage = {
        channel,
        ts: this.#ts(),
        text,
        blocks: (blocks as unknown[]) ?? [],
        via: 'api',
        edits: [],
      };
      if (md) msg.metadata = md;
      if (threadTs) {
        msg.thread_ts = threadTs;
        msg.reply_broadcast = params.reply_broadcast === true || params.reply_broadcast === 'true';
      }
      this.#store(msg);
      return send(200, { ok: true, channel, ts: msg.ts, message: view(msg, false) }, {}, delay);
    }

    if (api === 'chat.update') {
      const target = this.#messages.find((x) => x.channel === channel && x.ts === params.ts);
      if (!target) return send(200, { ok: false, error: 'message_not_found' });
      const blocks = params.blocks;
      if (blocks !== undefined && !validBlocks(blocks))
        return send(200, { ok: false, error: 'invalid_blocks' });
      const text = typeof params.text === 'string' ? params.text : target.text;
      target.edits.push(text);
      target.text = text;
      if (Array.isArray(blocks)) target.blocks = blocks;
      return send(200, { ok: true, channel, ts: target.ts, text }, {}, delay);
    }

    const withMetadata = params.include_all_metadata === true || params.include_all_metadata === 'true';
    const limit = Math.min(Number(params.limit ?? 100) || 100, 1000);
    const offset = Number(params.cursor ?? 0) || 0;
    let list: StoredMessage[];
    if (api === 'conversations.history') {
      const oldest = Number(params.oldest ?? 0);
      list = this.#messages
        .filter(
          (x) =>
            x.channel === channel &&
            x.via === 'api' &&
            (!x.thread_ts || x.thread_ts === x.ts || x.reply_broadcast) &&
            Number(x.ts) >= oldest,
        )
        .reverse();
    } else {
      const ts = String(params.ts ?? '');
      const parent = this.#messages.find((x) => x.channel === channel && x.ts === ts);
      if (!parent) return send(200, { ok: false, error: 'thread_not_found' });
      list = [
        parent,
        ...this.#messages.filter((x) => x.channel === channel && x.thread_ts === ts && x.ts !== ts),
      ];
    }
    const page = list.slice(offset, offset + limit);
    const next = offset + limit < list.length ? String(offset + limit) : '';
    return send(
      200,
      {
        ok: true,
        messages: page.map((x) => view(x, withMetadata)),
        has_more: next !== '',
        response_metadata: { next_cursor: next },
      },
      {},
      delay,
    );
  }
}

function view(m: StoredMessage, withMetadata: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'message', ts: m.ts, text: m.text, blocks: m.blocks };
  if (m.thread_ts) out.thread_ts = m.thread_ts;
  if (withMetadata && m.metadata) out.metadata = m.metadata;
  return out;
}

/** Block Kit checks Slack makes (a subset): at most 50 blocks, known types, text budgets. */
export function validBlocks(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > 50) return false;
  for (const b of blocks as Array<Record<string, unknown>>) {
    if (!b || typeof b !== 'object') return false;
    const text = (b.text as { text?: string } | undefined)?.text;
    switch (b.type) {
      case 'header':
        if (typeof text !== 'string' || text.length > 150) return false;
        break;
      case 'section': {
        if (text !== undefined && (typeof text !== 'string' || text.length > 3000)) return false;
        const fields = b.fields as Array<{ text?: string }> | undefined;
        if (fields && (fields.length > 10 || fields.some((f) => (f.text ?? '').length > 2000))) return false;
        if (text === undefined && !fields) return false;
        break;
      }
      case 'context': {
        const els = b.elements as Array<{ text?: string }> | undefined;
        if (!els || els.length === 0 || els.length > 10 || els.some((e) => (e.text ?? '').length > 3000))
          return false;
        break;
      }
      case 'divider':
      case 'actions':
      case 'image':
      case 'rich_text':
        break;
      default:
        return false;
    }
  }
  return true;
}

function rand(n: number): string {
  return randomBytes(n).toString('hex').slice(0, n).toUpperCase();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  let fake: FakeSlack | undefined;
  const server = createServer((req, res) => {
    fake?.handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake = new FakeSlack(server, options);
  return fake;
}
