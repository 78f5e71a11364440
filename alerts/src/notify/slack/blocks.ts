// A notification (Alertmanager's webhook payload) as a Slack Block Kit message: `{ text, blocks }`.
// Pure: the same input and `now` give the same message.
//
//   header   🔴 DSSTankLevelBelowMinimum · north                         (✅ … when resolved)
//   context  *2 firing* · receiver `north` · severity critical
//   per alert (most severe and oldest first):
//     section  *summary* / description, fields Tank, Job, Value, Threshold, Since (or Resolved, lasted)
//     context  Runbook · Grafana (startsAt − 1 h → endsAt or now) · Source
//   section  "N more…" with a link, when the group does not fit
//   section  how to silence: `dss-obs alerts silence add alertname=… dss_client=… --duration 2h`, the API
//
// Slack's budgets (alerting-anchors.md §7) are kept: at most 50 blocks, 3,000 characters per section text,
// 150 per header, 10 fields of 2,000, `text` ≤ 40,000, and the whole blocks' text under `maxBlocksChars`
// (12,000 by default: Slack answers msg_blocks_too_long near 13k in practice, below the documented sums).
import type { Notification } from '../../dispatch/dispatcher.ts';

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  text: 40_000,
  blocksChars: 12_000,
} as const;

export type Block = Record<string, unknown>;

export interface SlackMessage {
  /** The notification text (push notifications, screen readers, clients without blocks). */
  text: string;
  blocks: Block[];
}

export interface RenderOptions {
  /** Current time, ms (for "12 min ago" and Grafana's range end). Default Date.now(). */
  now?: number;
  /** Grafana's base URL, e.g. `http://localhost:3000`. No Grafana link without it. */
  grafanaUrl?: string;
  /** A dashboard path (`/d/dss-tanks/tanks`): link to it with `from`/`to` and `var-<label>`; else Explore. */
  grafanaDashboardPath?: string;
  /** The Prometheus data source UID for Explore links (default `prometheus`). */
  grafanaDatasourceUid?: string;
  /** The silences API, e.g. `http://localhost:9093/api/v2/silences`. */
  silenceApiUrl?: string;
  /** How long the suggested silence lasts (default `2h`). */
  silenceDuration?: string;
  /** Base for relative runbook URLs (`docs/alerts-rules.md#…`), e.g. the repository's blob URL. */
  runbookBaseUrl?: string;
  /** Most alerts rendered one by one (default 10); the rest collapse into "N more…". */
  maxAlerts?: number;
  /** Where "N more…" links to (default the notification's externalURL). */
  moreUrl?: string;
  /** Budget for all blocks' text together (default 12,000). */
  maxBlocksChars?: number;
}

type Alert = Notification['alerts'][number];

const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };
const SEVERITY_EMOJI: Record<string, string> = { critical: '🔴', warning: '🟠', info: '🔵' };
const RESOLVED_EMOJI = '✅';

/** Cuts `s` to at most `max` characters (code points kept whole), ending with "…" when cut. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = s.slice(0, Math.max(0, max - 1));
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return `${out}…`;
}

/** Slack mrkdwn escaping: &, <, >. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function link(url: string, label: string): string {
  const u = url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C').replace(/ /g, '%20');
  return `<${u}|${esc(label)}>`;
}

function isZero(t: string): boolean {
  return !t || t.startsWith('0001-01-01');
}

function parseTime(t: string): number | undefined {
  if (isZero(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

function slackDate(ms: number): string {
  const iso = new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${iso}>`;
}

function severityOf(n: Notification, alerts: readonly Alert[]): string | undefined {
  if (n.commonLabels.severity) return n.commonLabels.severity;
  let best: string | undefined;
  for (const a of alerts) {
    const s = a.labels.severity;
    if (s && (best === undefined || (SEVERITY_RANK[s] ?? 9) < (SEVERITY_RANK[best] ?? 9))) best = s;
  }
  return best;
}

function alertnameOf(n: Notification): string {
  const name = n.groupLabels.alertname ?? n.commonLabels.alertname;
  if (name) return name;
  const names = new Set(n.alerts.map((a) => a.labels.alertname ?? '?'));
  return names.size === 1 ? ([...names][0] ?? 'alert') : `${names.size} alerts`;
}

/** Value and threshold: the `value`/`threshold` annotations, else "value: X" / "threshold: Y" in the text. */
function valueAndThreshold(a: Alert): { value?: string; threshold?: string } {
  const out: { value?: string; threshold?: string } = {};
  const desc = a.annotations.description ?? '';
  const find = (word: string) =>
    new RegExp(
      `\\b${word}\\b\\s*(?:[:=]|is|of)\\s*(-?\\d[\\d.,eE+-]*(?:\\s*(?:%|[a-zA-Z/³]{1,6}))?)`,
      'i',
    ).exec(desc)?.[1];
  const value = a.annotations.value ?? find('value');
  const threshold = a.annotations.threshold ?? find('threshold');
  if (value) out.value = value.trim();
  if (threshold) out.threshold = threshold.trim();
  return out;
}

function runbookUrl(url: string | undefined, base: string | undefined): string | undefined {
  if (!url) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

const GRAFANA_VARS = ['dss_client', 'dss_tank_id', 'dss_job_name'];

/** A Grafana link over the alert's time range: from startsAt − 1 h to endsAt (resolved) or now. */
export function grafanaLink(a: Alert, options: RenderOptions, now: number): string | undefined {
  const base = options.grafanaUrl?.replace(/\/+$/, '');
  if (!base) return undefined;
  const start = parseTime(a.startsAt) ?? now;
  const end = a.status === 'resolved' ? (parseTime(a.endsAt) ?? now) : now;
  const from = start - 3_600_000;
  const to = Math.max(end, start + 60_000);
  if (options.grafanaDashboardPath) {
    const q = new URLSearchParams({ from: String(from), to: String(to) });
    for (const v of GRAFANA_VARS) if (a.labels[v]) q.set(`var-${v}`, a.labels[v]);
    return `${base}${options.grafanaDashboardPath}?${q}`;
  }
  let expr: string | undefined;
  try {
    expr = new URL(a.generatorURL).searchParams.get('g0.expr') ?? undefined;
  } catch {
    expr = undefined;
  }
  if (!expr) {
    const sel = ['alertname', ...GRAFANA_VARS]
      .filter((k) => a.labels[k])
      .map((k) => `${k}=${JSON.stringify(a.labels[k])}`);
    expr = `ALERTS{${sel.join(',')}}`;
  }
  const uid = options.grafanaDatasourceUid ?? 'prometheus';
  const panes = {
    a: {
      datasource: uid,
      queries: [{ refId: 'A', expr, datasource: { type: 'prometheus', uid } }],
      range: { from: String(from), to: String(to) },
    },
  };
  return `${base}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

function matcherArg(name: string, value: string): string {
  return /^[A-Za-z0-9_:.\-/]+$/.test(value) ? `${name}=${value}` : `'${name}=${JSON.stringify(value)}'`;
}

/** The CLI line that silences this group. */
export function silenceCommand(n: Notification, duration = '2h'): string {
  const labels: Array<[string, string]> = [];
  const alertname = n.groupLabels.alertname ?? n.commonLabels.alertname;
  if (alertname) labels.push(['alertname', alertname]);
  for (const k of ['dss_client', 'dss_tank_id', 'dss_job_name']) {
    const v = n.groupLabels[k] ?? n.commonLabels[k];
    if (v) labels.push([k, v]);
  }
  return `dss-obs alerts silence add ${labels.map(([k, v]) => matcherArg(k, v)).join(' ')} --duration ${duration}`;
}

function textLength(b: Block): number {
  return JSON.stringify(b).length;
}

function alertBlocks(a: Alert, options: RenderOptions, now: number): Block[] {
  const resolved = a.status === 'resolved';
  const sev = a.labels.severity;
  const emoji = resolved ? RESOLVED_EMOJI : (SEVERITY_EMOJI[sev ?? ''] ?? '⚪');
  const title = a.annotations.summary ?? a.labels.alertname ?? 'alert';
  const desc = a.annotations.description ?? '';
  const head = `${emoji} *${esc(clip(title, 500))}*`;
  const text = clip(desc ? `${head}\n${esc(desc)}` : head, SLACK_LIMITS.sectionText);

  const fields: string[] = [];
  const field = (name: string, value: string) => {
    if (fields.length < SLACK_LIMITS.fields) fields.push(clip(`*${name}*\n${value}`, SLACK_LIMITS.fieldText));
  };
  if (a.labels.dss_tank_id) field('Tank', esc(a.labels.dss_tank_id));
  if (a.labels.dss_job_name) field('Job', esc(a.labels.dss_job_name));
  if (!a.labels.dss_tank_id && !a.labels.dss_job_name && a.labels.instance)
    field('Instance', esc(a.labels.instance));
  const { value, threshold } = valueAndThreshold(a);
  if (value) field('Value', esc(value));
  if (threshold) field('Threshold', esc(threshold));
  const start = parseTime(a.startsAt);
  if (start !== undefined) field('Since', `${slackDate(start)} (${humanDuration(now - start)} ago)`);
  const end = parseTime(a.endsAt);
  if (resolved && end !== undefined)
    field(
      'Resolved',
      `${slackDate(end)}${start !== undefined ? ` (lasted ${humanDuration(end - start)})` : ''}`,
    );
  if (sev) field('Severity', esc(sev));

  const section: Block = { type: 'section', text: { type: 'mrkdwn', text } };
  if (fields.length > 0) section.fields = fields.map((f) => ({ type: 'mrkdwn', text: f }));
  const links: string[] = [];
  const rb = runbookUrl(a.annotations.runbook_url, options.runbookBaseUrl);
  if (rb) links.push(link(rb, '📖 Runbook'));
  else if (a.annotations.runbook_url) links.push(`📖 Runbook: ${esc(clip(a.annotations.runbook_url, 300))}`);
  const gl = grafanaLink(a, options, now);
  if (gl) links.push(link(gl, '📈 Grafana'));
  if (a.generatorURL && /^https?:/.test(a.generatorURL)) links.push(link(a.generatorURL, 'Source'));
  const blocks: Block[] = [section];
  if (links.length > 0)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(links.join(' · '), SLACK_LIMITS.sectionText) }],
    });
  return blocks;
}

function sortAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort((x, y) => {
    if (x.status !== y.status) return x.status === 'firing' ? -1 : 1;
    const sx = SEVERITY_RANK[x.labels.severity ?? ''] ?? 9;
    const sy = SEVERITY_RANK[y.labels.severity ?? ''] ?? 9;
    if (sx !== sy) return sx - sy;
    return (parseTime(x.startsAt) ?? 0) - (parseTime(y.startsAt) ?? 0);
  });
}

/** The header line, also the start of `text`. */
export function headline(n: Notification): string {
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const resolved = n.status === 'resolved';
  const sev = severityOf(n, firing.length > 0 ? firing : n.alerts);
  const emoji = resolved ? RESOLVED_EMOJI : (SEVERITY_EMOJI[sev ?? ''] ?? '⚪');
  const client = n.groupLabels.dss_client ?? n.commonLabels.dss_client;
  const tag = resolved ? 'RESOLVED' : `FIRING:${firing.length}`;
  return `${emoji} [${tag}] ${alertnameOf(n)}${client ? ` · ${client}` : ''}`;
}

/** Renders a notification (firing or resolved) within Slack's budgets. */
export function renderNotification(n: Notification, options: RenderOptions = {}): SlackMessage {
  const now = options.now ?? Date.now();
  const maxAlerts = Math.max(0, options.maxAlerts ?? 10);
  const budget = Math.min(options.maxBlocksChars ?? SLACK_LIMITS.blocksChars, 40_000);
  const alerts = sortAlerts(n.alerts);
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const resolvedCount = alerts.length - firing;
  const sev = severityOf(n, alerts);
  const head = headline(n);

  const top: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(head, SLACK_LIMITS.headerText), emoji: true } },
  ];
  const summaryParts = [
    firing > 0 ? `*${firing} firing*` : undefined,
    resolvedCount > 0 ? `*${resolvedCount} resolved*` : undefined,
    `receiver \`${esc(n.receiver)}\``,
    sev ? `severity ${esc(sev)}` : undefined,
  ].filter((x): x is string => x !== undefined);
  top.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: clip(summaryParts.join(' · '), SLACK_LIMITS.sectionText) }],
  });

  const tail: Block[] = [];
  if (n.status === 'firing') {
    const cmd = silenceCommand(n, options.silenceDuration ?? '2h');
    const api = options.silenceApiUrl
      ? `\nor POST a silence to ${link(options.silenceApiUrl, options.silenceApiUrl)}`
      : '';
    tail.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: clip(`🔕 Silence: \`${esc(cmd)}\`${api}`, SLACK_LIMITS.sectionText),
        },
      ],
    });
  }

  // Room for the alerts: 50 blocks minus the fixed ones and one "N more…" block.
  const fixed = [...top, ...tail];
  let used = fixed.reduce((s, b) => s + textLength(b), 0);
  const room = SLACK_LIMITS.blocks - fixed.length - 1;
  const body: Block[] = [];
  let shown = 0;
  for (const a of alerts) {
    if (shown >= maxAlerts) break;
    const bs = alertBlocks(a, options, now);
    const size = bs.reduce((s, b) => s + textLength(b), 0);
    if (body.length + bs.length > room || used + size > budget - 400) break;
    body.push(...bs);
    used += size;
    shown++;
  }
  const hidden = alerts.length - shown + (n.truncatedAlerts ?? 0);
  const blocks = [...top, ...body];
  if (hidden > 0) {
    const url = options.moreUrl ?? n.externalURL;
    const more = `➕ ${hidden} more alert${hidden === 1 ? '' : 's'}…`;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          url && /^https?:/.test(url) ? `${more} ${link(url, 'see all')}` : more,
          SLACK_LIMITS.sectionText,
        ),
      },
    });
  }
  blocks.push(...tail);

  // text: the headline and one line per alert, at most 40,000 characters.
  const lines = [head];
  for (const a of alerts) {
    const where = [a.labels.dss_tank_id, a.labels.dss_job_name].filter(Boolean).join(' ');
    const what = a.annotations.summary ?? a.labels.alertname ?? 'alert';
    lines.push(`${a.status === 'resolved' ? RESOLVED_EMOJI : '•'} ${where ? `${where}: ` : ''}${what}`);
  }
  if (n.truncatedAlerts) lines.push(`… and ${n.truncatedAlerts} more`);
  const text = clip(esc(lines.join('\n')), SLACK_LIMITS.text);
  return { text, blocks };
}
