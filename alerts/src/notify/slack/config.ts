// One Alertmanager `slack_configs` entry (raw JSON, as alerts/src/dispatch/config.ts keeps it) as a typed
// delivery target. Two modes:
// - webhook: an Incoming Webhook URL in `api_url` / `api_url_file`, else the SLACK_WEBHOOK_URL environment
//   variable. Webhooks answer "ok" and no message `ts`: no updates, no threads, no reconciliation.
// - bot: a bot token (`http_config.authorization.credentials` / `credentials_file`, the legacy
//   `http_config.bearer_token` / `bearer_token_file`, or Alertmanager 0.30's `app_token` / `app_token_file`)
//   and a `channel` ID such as C0123456789 (names are refused: conversations.history, which finds a message
//   after a crash, and chat.update need the ID). `api_url` (or `app_url`) may be absent (https://slack.com/api) or
//   end in `/chat.postMessage`; the Web API base is derived from it, which is how tests point at a fake.
// Secrets (the token, the webhook URL's path) are never put in errors: use `redact` for anything logged.
import { readFileSync } from 'node:fs';
import { parseModelDuration } from '../../rules/durations.ts';

export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}

interface TargetBase {
  /** `slack/<index>`: the integration name, as Alertmanager names integrations. */
  integration: string;
  /** Alertmanager's default for Slack is false: resolved notifications are not sent. */
  sendResolved: boolean;
  /** Per request timeout (Alertmanager's `timeout`), default 10 s. */
  timeoutMs: number;
  username?: string;
  iconEmoji?: string;
  iconUrl?: string;
}

export interface WebhookTarget extends TargetBase {
  mode: 'webhook';
  /** Secret: the whole URL. */
  url: string;
  /** Channel override (honoured by legacy webhooks only). */
  channel?: string;
}

export interface BotTarget extends TargetBase {
  mode: 'bot';
  /** Secret. */
  token: string;
  /** `https://slack.com/api` or what api_url names, without the trailing `/chat.postMessage`. */
  apiBase: string;
  channel: string;
}

export type SlackTarget = WebhookTarget | BotTarget;

/** The keys Alertmanager accepts in a slack_configs entry (v0.34). Template keys are accepted and ignored. */
const KNOWN_KEYS = new Set([
  'send_resolved',
  'api_url',
  'api_url_file',
  'app_token',
  'app_token_file',
  'app_url',
  'http_config',
  'channel',
  'username',
  'color',
  'title',
  'title_link',
  'pretext',
  'text',
  'fields',
  'short_fields',
  'footer',
  'fallback',
  'callback_id',
  'icon_emoji',
  'icon_url',
  'image_url',
  'thumb_url',
  'link_names',
  'mrkdwn_in',
  'actions',
  'update_message',
  'message_text',
  'timeout',
]);

const DEFAULT_API_BASE = 'https://slack.com/api';

export interface ParseSlackConfigOptions {
  /** Where the entry is, for messages: `receivers[north].slack_configs[0]`. */
  where?: string;
  /** Environment for the SLACK_WEBHOOK_URL fallback (default process.env). */
  env?: Record<string, string | undefined>;
  /** Reads `*_file` keys (default: fs, trimmed). */
  readFile?: (path: string) => string;
}

function str(raw: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SlackConfigError(`${where}.${key}: must be a string`);
  return v;
}

function readSecretFile(path: string, key: string, where: string, read: (p: string) => string): string {
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    throw new SlackConfigError(
      `${where}.${key}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  const value = text.trim();
  if (value === '') throw new SlackConfigError(`${where}.${key}: ${path} is empty`);
  return value;
}

function defaultReadFile(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Parses one slack_configs entry; `index` is its position in the receiver's list. */
export function parseSlackConfig(
  raw: Record<string, unknown>,
  index: number,
  options: ParseSlackConfigOptions = {},
): SlackTarget {
  const where = options.where ?? `slack_configs[${index}]`;
  const env = options.env ?? process.env;
  const read = options.readFile ?? defaultReadFile;
  for (const key of Object.keys(raw))
    if (!KNOWN_KEYS.has(key)) throw new SlackConfigError(`${where}.${key}: unknown key`);

  const sr = raw.send_resolved;
  if (sr !== undefined && typeof sr !== 'boolean')
    throw new SlackConfigError(`${where}.send_resolved: must be true or false`);
  let timeoutMs = 10_000;
  const timeout = str(raw, 'timeout', where);
  if (timeout !== undefined) {
    const ms = parseModelDuration(timeout);
    if (typeof ms === 'string') throw new SlackConfigError(`${where}.timeout: ${ms}`);
    if (ms <= 0) throw new SlackConfigError(`${where}.timeout: must be positive`);
    timeoutMs = ms;
  }
  const base: TargetBase = {
    integration: `slack/${index}`,
    sendResolved: sr ?? false,
    timeoutMs,
  };
  const username = str(raw, 'username', where);
  const iconEmoji = str(raw, 'icon_emoji', where);
  const iconUrl = str(raw, 'icon_url', where);
  if (username !== undefined) base.username = username;
  if (iconEmoji !== undefined) base.iconEmoji = iconEmoji;
  if (iconUrl !== undefined) base.iconUrl = iconUrl;

  const channel = str(raw, 'channel', where);
  const apiUrl = str(raw, 'api_url', where);
  const apiUrlFile = str(raw, 'api_url_file', where);
  if (apiUrl !== undefined && apiUrlFile !== undefined)
    throw new SlackConfigError(`${where}.api_url_file: at most one of api_url and api_url_file`);

  const token = botToken(raw, where, read);
  if (token !== undefined) {
    if (channel === undefined || channel === '')
      throw new SlackConfigError(`${where}.channel: required with a bot token (chat.postMessage)`);
    // conversations.history (finding a message after a crash) and chat.update take IDs only.
    if (!/^[CGD][A-Z0-9]*$/.test(channel))
      throw new SlackConfigError(
        `${where}.channel: ${JSON.stringify(channel)} looks like a channel name; with a bot token give the channel ID (C0123456789, in Slack's channel details)`,
      );
    if (apiUrlFile !== undefined)
      throw new SlackConfigError(`${where}.api_url_file: not supported with a bot token; use api_url`);
    const appUrl = str(raw, 'app_url', where);
    const urlKey = apiUrl !== undefined ? 'api_url' : 'app_url';
    const url = apiUrl ?? appUrl;
    let apiBase = DEFAULT_API_BASE;
    if (url !== undefined) {
      const m = /^(https?:\/\/.+)\/chat\.postMessage\/?$/.exec(url);
      if (!m?.[1])
        throw new SlackConfigError(
          `${where}.${urlKey}: with a bot token it must be the Web API's chat.postMessage URL (…/api/chat.postMessage)`,
        );
      apiBase = m[1];
    }
    return { ...base, mode: 'bot', token, apiBase, channel };
  }

  let url: string | undefined;
  let urlKey = 'api_url';
  if (apiUrl !== undefined) url = apiUrl;
  else if (apiUrlFile !== undefined) {
    url = readSecretFile(apiUrlFile, 'api_url_file', where, read);
    urlKey = 'api_url_file';
  } else if (env.SLACK_WEBHOOK_URL) {
    url = env.SLACK_WEBHOOK_URL.trim();
    urlKey = 'SLACK_WEBHOOK_URL';
  }
  if (url === undefined)
    throw new SlackConfigError(
      `${where}.api_url: one of api_url, api_url_file, a bot token (http_config.authorization.credentials) or $SLACK_WEBHOOK_URL must be set`,
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SlackConfigError(`${where}.${urlKey}: not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new SlackConfigError(`${where}.${urlKey}: unsupported scheme ${parsed.protocol}`);
  if (/\/chat\.postMessage\/?$/.test(parsed.pathname))
    throw new SlackConfigError(
      `${where}.${urlKey}: chat.postMessage needs a bot token (http_config.authorization.credentials)`,
    );
  const target: WebhookTarget = { ...base, mode: 'webhook', url };
  if (channel !== undefined) target.channel = channel;
  return target;
}

function botToken(
  raw: Record<string, unknown>,
  where: string,
  read: (p: string) => string,
): string | undefined {
  const found: string[] = [];
  let token: string | undefined;
  const appToken = str(raw, 'app_token', where);
  const appTokenFile = str(raw, 'app_token_file', where);
  if (appToken !== undefined) {
    found.push('app_token');
    token = appToken;
  }
  if (appTokenFile !== undefined) {
    found.push('app_token_file');
    token = readSecretFile(appTokenFile, 'app_token_file', where, read);
  }
  const http = raw.http_config;
  if (http !== undefined && http !== null) {
    if (typeof http !== 'object' || Array.isArray(http))
      throw new SlackConfigError(`${where}.http_config: must be a mapping`);
    const h = http as Record<string, unknown>;
    const hw = `${where}.http_config`;
    const bearer = str(h, 'bearer_token', hw);
    const bearerFile = str(h, 'bearer_token_file', hw);
    if (bearer !== undefined) {
      found.push('http_config.bearer_token');
      token = bearer;
    }
    if (bearerFile !== undefined) {
      found.push('http_config.bearer_token_file');
      token = readSecretFile(bearerFile, 'bearer_token_file', hw, read);
    }
    const auth = h.authorization;
    if (auth !== undefined && auth !== null) {
      if (typeof auth !== 'object' || Array.isArray(auth))
        throw new SlackConfigError(`${hw}.authorization: must be a mapping`);
      const a = auth as Record<string, unknown>;
      const aw = `${hw}.authorization`;
      const type = str(a, 'type', aw) ?? 'Bearer';
      if (type.toLowerCase() !== 'bearer')
        throw new SlackConfigError(`${aw}.type: Slack needs Bearer, not ${JSON.stringify(type)}`);
      const credentials = str(a, 'credentials', aw);
      const credentialsFile = str(a, 'credentials_file', aw);
      if (credentials !== undefined) {
        found.push('http_config.authorization.credentials');
        token = credentials;
      }
      if (credentialsFile !== undefined) {
        found.push('http_config.authorization.credentials_file');
        token = readSecretFile(credentialsFile, 'credentials_file', aw, read);
      }
    }
  }
  if (found.length > 1)
    throw new SlackConfigError(`${where}.${found[1]}: at most one bot token (also ${found[0]})`);
  if (token !== undefined && token.trim() === '')
    throw new SlackConfigError(`${where}.${found[0]}: empty bot token`);
  return token?.trim();
}

/**
 * Removes secrets from a text: Incoming Webhook URLs become `https://hooks.slack.com/services/T…/…`
 * (any host: the path after /services/ is the secret), Slack tokens (xoxb-, xoxp-, xapp-, …) become
 * `xoxb-…`, and `Bearer <x>` becomes `Bearer …`.
 */
export function redact(text: string): string {
  return text
    .replace(/(\/services\/)([A-Za-z0-9]?)[^\s"'<>()]*/g, (_m, head, t) =>
      t ? `${head}${t}…/…` : `${head}…`,
    )
    .replace(/\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g, '$1-…')
    .replace(/\b(Bearer)\s+[^\s"']+/gi, '$1 …');
}

/** The rate-limit key of a target's channel (no secret in it). */
export function channelKey(target: SlackTarget): string {
  if (target.mode === 'bot') return `bot:${target.apiBase}#${target.channel}`;
  // A webhook posts to one channel: key on the URL, hashed so the key can be logged.
  return `webhook:${fnv(target.url)}`;
}

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
