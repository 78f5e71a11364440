// Time and step parameters as Tempo and Loki read them, to nanoseconds (bigint) or milliseconds.
import { parseDurationNanos } from '../query/durations.ts';
import { BadRequestError } from './bad-request.ts';

const NANOS_PER_SECOND = 1_000_000_000n;

export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Tempo's start/end: Unix epoch seconds; `fallback` when absent. */
export function parseEpochSeconds(name: string, value: unknown, fallback: bigint): bigint {
  const text = queryString(value);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text))
    throw new BadRequestError(`invalid ${name}: expected Unix epoch seconds, got "${text}"`);
  return BigInt(text) * NANOS_PER_SECOND;
}

/**
 * Loki's timestamps (pkg/util parseTimestamp): a number with a dot is seconds, an integer of at most 10
 * digits is seconds, a longer one nanoseconds, anything else RFC 3339; `fallback` when absent.
 */
export function parseLokiTime(name: string, value: unknown, fallback: bigint): bigint {
  const text = queryString(value);
  if (text === undefined) return fallback;
  if (/^-?\d+\.\d*$/.test(text)) {
    const [whole = '0', fraction = ''] = text.split('.');
    const nanos = BigInt(`${fraction}000000000`.slice(0, 9));
    return BigInt(whole) * NANOS_PER_SECOND + (whole.startsWith('-') ? -nanos : nanos);
  }
  if (/^-?\d+$/.test(text)) return text.length <= 10 ? BigInt(text) * NANOS_PER_SECOND : BigInt(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new BadRequestError(`invalid ${name}: cannot parse "${text}" to a valid timestamp`);
  // Date.parse keeps milliseconds; take the sub-millisecond digits of RFC 3339 ourselves.
  const subMillis = /\.\d{3}(\d{1,6})/.exec(text)?.[1] ?? '';
  return BigInt(ms) * 1_000_000n + BigInt(subMillis.padEnd(6, '0') || '0');
}

/** Loki's step: a duration (`15s`, `1ms`) or a number of seconds; null when absent. Milliseconds, > 0. */
export function parseStepMs(value: unknown): number | null {
  const text = queryString(value);
  if (text === undefined) return null;
  const nanos = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1e9 : parseDurationNanos(text);
  if (nanos === null || !(nanos > 0)) {
    throw new BadRequestError(
      `invalid step: cannot parse "${text}" to a valid duration; zero or negative query resolution step widths are not accepted`,
    );
  }
  return nanos / 1e6;
}

/** A query parameter as one string; undefined when absent or empty (a repeated parameter: its first value). */
export function queryString(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** A repeated query parameter (`match[]=a&match[]=b`) as a list. */
export function queryStrings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && item !== '');
}

/** A positive integer parameter, `fallback` when absent. */
export function parsePositiveInt(name: string, value: unknown, fallback: number): number {
  const text = queryString(value);
  if (text === undefined) return fallback;
  const number = Number(text);
  if (!Number.isInteger(number) || number <= 0) {
    throw new BadRequestError(`invalid ${name}: expected a positive integer, got "${text}"`);
  }
  return number;
}
