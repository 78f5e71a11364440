// A silence as Alertmanager defines it (api/v2 PostableSilence / GettableSilence): label matchers, a time range,
// who made it and why. While active (startsAt <= now < endsAt) it mutes every alert its matchers all match.
import { type Matcher, matches, newMatcher } from '../dispatch/matchers.ts';

/** Alertmanager API v2's matcher shape. */
export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** Default true; false makes `=` into `!=` and `=~` into `!~`. */
  isEqual?: boolean;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export interface Silence {
  id: string;
  matchers: ApiMatcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
  updatedAtMs: number;
}

/** A silence as the API returns it (GettableSilence). */
export interface GettableSilence {
  id: string;
  status: { state: SilenceState };
  updatedAt: string;
  comment: string;
  createdBy: string;
  startsAt: string;
  endsAt: string;
  matchers: Array<Required<ApiMatcher>>;
}

export class SilenceError extends Error {}

export function silenceState(s: Silence, nowMs: number): SilenceState {
  if (s.endsAtMs <= nowMs) return 'expired';
  if (s.startsAtMs > nowMs) return 'pending';
  return 'active';
}

export function toMatcher(m: ApiMatcher): Matcher {
  const equal = m.isEqual ?? true;
  return newMatcher(m.name, m.isRegex ? (equal ? '=~' : '!~') : equal ? '=' : '!=', m.value);
}

export function fromMatcher(m: Matcher): ApiMatcher {
  return {
    name: m.name,
    value: m.value,
    isRegex: m.type === '=~' || m.type === '!~',
    isEqual: !m.type.startsWith('!'),
  };
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Alertmanager's silence validation, with its messages; returns the compiled matchers. */
export function validateSilence(s: Omit<Silence, 'id' | 'updatedAtMs'>, nowMs: number): Matcher[] {
  if (!Array.isArray(s.matchers) || s.matchers.length === 0)
    throw new SilenceError('invalid silence: at least one matcher required');
  const compiled: Matcher[] = [];
  for (const [i, m] of s.matchers.entries()) {
    if (typeof m?.name !== 'string' || !LABEL_NAME.test(m.name))
      throw new SilenceError(
        `invalid silence: matchers[${i}]: invalid label name ${JSON.stringify(m?.name)}`,
      );
    if (typeof m.value !== 'string' || typeof m.isRegex !== 'boolean')
      throw new SilenceError(
        `invalid silence: matchers[${i}]: value (string) and isRegex (boolean) are required`,
      );
    try {
      compiled.push(toMatcher(m));
    } catch (error) {
      throw new SilenceError(
        `invalid silence: matchers[${i}]: invalid regular expression: ${(error as Error).message}`,
      );
    }
  }
  // A silence whose matchers all match the empty label would mute every alert.
  if (compiled.every((m) => matches([m], {})))
    throw new SilenceError('invalid silence: at least one matcher must not match the empty string');
  if (!Number.isFinite(s.startsAtMs) || !Number.isFinite(s.endsAtMs))
    throw new SilenceError('invalid silence: startsAt and endsAt must be RFC 3339 times');
  if (s.endsAtMs < s.startsAtMs)
    throw new SilenceError('invalid silence: end time must not be before start time');
  if (s.endsAtMs <= nowMs) throw new SilenceError("invalid silence: end time can't be in the past");
  if (typeof s.createdBy !== 'string' || s.createdBy.trim() === '')
    throw new SilenceError('invalid silence: createdBy is required');
  if (typeof s.comment !== 'string' || s.comment.trim() === '')
    throw new SilenceError('invalid silence: comment is required');
  return compiled;
}

export function toGettable(s: Silence, nowMs: number): GettableSilence {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: s.id,
    status: { state: silenceState(s, nowMs) },
    updatedAt: iso(s.updatedAtMs),
    comment: s.comment,
    createdBy: s.createdBy,
    startsAt: iso(s.startsAtMs),
    endsAt: iso(s.endsAtMs),
    matchers: s.matchers.map((m) => ({
      name: m.name,
      value: m.value,
      isRegex: m.isRegex,
      isEqual: m.isEqual ?? true,
    })),
  };
}
