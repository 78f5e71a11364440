// POST /api/v2/alerts and GET /api/v2/alerts, as Alertmanager's API v2: alerts pushed by any Prometheus-style
// sender (our evaluator, a real Prometheus, a test) go to the dispatcher; the list shows their state.

import type { Dispatcher } from '../dispatch/dispatcher.ts';
import { matches, parseMatcher } from '../dispatch/matchers.ts';
import type { NotifiableAlert } from '../evaluation/evaluator.ts';
import { HttpError } from './http.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const ZERO_TIME = '0001-01-01T00:00:00Z';

function time(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null || value === '' || value === ZERO_TIME) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new HttpError(400, `${key}: not an RFC 3339 time: ${JSON.stringify(value)}`);
  return ms;
}

function stringMap(value: unknown, key: string, checkNames: boolean): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, `${key}: expected an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new HttpError(400, `${key}.${k}: expected a string`);
    if (checkNames && !LABEL_NAME.test(k))
      throw new HttpError(400, `${key}: invalid label name ${JSON.stringify(k)}`);
    if (v !== '') out[k] = v;
  }
  return out;
}

/**
 * PostableAlerts → alerts for the dispatcher, with Alertmanager's defaults: no startsAt is now (or endsAt when
 * only that is given); no endsAt is now + resolve_timeout, so an alert that is not re-sent resolves.
 */
export function parsePostableAlerts(
  body: unknown,
  nowMs: number,
  resolveTimeoutMs: number,
): NotifiableAlert[] {
  if (!Array.isArray(body)) throw new HttpError(400, 'body: expected a JSON array of alerts');
  return body.map((raw, i) => {
    const key = `[${i}]`;
    if (raw === null || typeof raw !== 'object') throw new HttpError(400, `${key}: expected an object`);
    const a = raw as Record<string, unknown>;
    const labels = stringMap(a.labels, `${key}.labels`, true);
    if (Object.keys(labels).length === 0)
      throw new HttpError(400, `${key}.labels: at least one label pair required`);
    const annotations = stringMap(a.annotations, `${key}.annotations`, false);
    const endsAt = time(a.endsAt, `${key}.endsAt`);
    const startsAt =
      time(a.startsAt, `${key}.startsAt`) ?? (endsAt !== undefined && endsAt < nowMs ? endsAt : nowMs);
    if (endsAt !== undefined && endsAt < startsAt)
      throw new HttpError(400, `${key}: start time must be before end time`);
    const alert: NotifiableAlert = {
      labels,
      annotations,
      startsAtMs: startsAt,
      endsAtMs: endsAt ?? nowMs + resolveTimeoutMs,
    };
    if (typeof a.generatorURL === 'string' && a.generatorURL !== '') alert.generatorURL = a.generatorURL;
    return alert;
  });
}

export interface AlertListQuery {
  filter: string[];
  active: boolean;
  silenced: boolean;
  inhibited: boolean;
}

/** GettableAlerts, filtered as Alertmanager's `filter`, `active`, `silenced`, `inhibited` parameters. */
export function listAlerts(dispatcher: Dispatcher, q: AlertListQuery, nowMs: number) {
  let filter: ReturnType<typeof parseMatcher>[];
  try {
    filter = q.filter.map((f) => parseMatcher(f));
  } catch (error) {
    throw new HttpError(400, `filter: ${(error as Error).message}`);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  return dispatcher
    .alerts()
    .filter((s) => s.alert.endsAtMs > nowMs && matches(filter, s.alert.labels))
    .filter((s) =>
      s.state === 'active' ? q.active : (s.silenced && q.silenced) || (s.inhibited && q.inhibited),
    )
    .map((s) => ({
      labels: s.alert.labels,
      annotations: s.alert.annotations,
      startsAt: iso(s.alert.startsAtMs),
      endsAt: iso(s.alert.endsAtMs),
      updatedAt: iso(nowMs),
      generatorURL: s.alert.generatorURL ?? '',
      fingerprint: s.alert.fingerprint,
      status: {
        state: s.state,
        silencedBy: s.silencedBy,
        inhibitedBy: s.inhibitedBy,
      },
      receivers: s.receivers.map((name) => ({ name })),
    }));
}
