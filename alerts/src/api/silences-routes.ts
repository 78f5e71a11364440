// The silences part of Alertmanager's API v2: GET/POST /api/v2/silences, GET/DELETE /api/v2/silence/{id}.
import { matches, parseMatcher } from '../dispatch/matchers.ts';
import { type ApiMatcher, SilenceError, toGettable, toMatcher } from '../silence/silence.ts';
import type { Silences } from '../silence/silences.ts';
import { HttpError } from './http.ts';

/** PostableSilence → the store; returns `{ silenceID }`. */
export function postSilence(silences: Silences, body: unknown): { silenceID: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(400, 'body: expected a silence object');
  const b = body as Record<string, unknown>;
  const ms = (v: unknown, key: string) => {
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (Number.isNaN(t)) throw new HttpError(400, `${key}: not an RFC 3339 time: ${JSON.stringify(v)}`);
    return t;
  };
  try {
    const id = silences.set({
      ...(typeof b.id === 'string' && b.id !== '' ? { id: b.id } : {}),
      matchers: (b.matchers ?? []) as ApiMatcher[],
      startsAtMs: ms(b.startsAt, 'startsAt'),
      endsAtMs: ms(b.endsAt, 'endsAt'),
      createdBy: String(b.createdBy ?? ''),
      comment: String(b.comment ?? ''),
    });
    return { silenceID: id };
  } catch (error) {
    if (error instanceof SilenceError)
      throw new HttpError(/not found/.test(error.message) ? 404 : 400, error.message);
    throw error;
  }
}

/** GettableSilences whose matchers include every `filter` matcher's label/value (as Alertmanager filters). */
export function listSilences(silences: Silences, filter: string[], nowMs: number) {
  let wanted: ReturnType<typeof parseMatcher>[];
  try {
    wanted = filter.map((f) => parseMatcher(f));
  } catch (error) {
    throw new HttpError(400, `filter: ${(error as Error).message}`);
  }
  return silences
    .list()
    .filter((s) => {
      // A silence passes when, for each filter matcher, it has a matcher on that label whose value the filter accepts.
      const own = s.matchers.map(toMatcher);
      return wanted.every((w) => own.some((m) => m.name === w.name && matches([w], { [w.name]: m.value })));
    })
    .map((s) => toGettable(s, nowMs));
}

export function getSilence(silences: Silences, id: string, nowMs: number) {
  const s = silences.get(id);
  if (!s) throw new HttpError(404, `silence ${id} not found`);
  return toGettable(s, nowMs);
}

export function deleteSilence(silences: Silences, id: string): void {
  try {
    silences.expire(id);
  } catch (error) {
    if (error instanceof SilenceError)
      throw new HttpError(/not found/.test(error.message) ? 404 : 500, error.message);
    throw error;
  }
}
