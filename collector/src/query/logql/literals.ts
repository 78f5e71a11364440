// LogQL literals: strings, numbers, byte sizes, durations.
import { parseDurationNanos } from '../durations.ts';
import { unquoteGoString } from '../go-string.ts';
import { invalid } from '../query-error.ts';

export function stringLiteral(raw: string, position: number): string {
  if (raw.length < 2 || raw.at(-1) !== raw.charAt(0))
    throw invalid('LogQL', `unterminated string ${raw}`, position);
  try {
    return unquoteGoString(raw);
  } catch (error) {
    throw invalid('LogQL', (error as Error).message, position);
  }
}

export function numberLiteral(raw: string, position: number): number {
  const value = Number(raw);
  if (Number.isNaN(value)) throw invalid('LogQL', `bad number '${raw}'`, position);
  return value;
}

export function durationLiteral(raw: string, position: number): number {
  const nanos = parseDurationNanos(raw);
  if (nanos === null) throw invalid('LogQL', `bad duration '${raw}'`, position);
  return nanos;
}

export function bytesLiteral(raw: string, position: number): number {
  const bytes = parseBytes(raw);
  if (bytes === null) throw invalid('LogQL', `bad byte size '${raw}'`, position);
  return bytes;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 2 ** 10,
  kib: 2 ** 10,
  m: 1e6,
  mb: 1e6,
  mi: 2 ** 20,
  mib: 2 ** 20,
  g: 1e9,
  gb: 1e9,
  gi: 2 ** 30,
  gib: 2 ** 30,
  t: 1e12,
  tb: 1e12,
  ti: 2 ** 40,
  tib: 2 ** 40,
  p: 1e15,
  pb: 1e15,
  pi: 2 ** 50,
  pib: 2 ** 50,
  e: 1e18,
  eb: 1e18,
  ei: 2 ** 60,
  eib: 2 ** 60,
};

/** A byte size as go-humanize's ParseBytes reads it (Loki's bytes filters): `1KB` = 1000, `1KiB` = 1024,
 * units case-insensitive, a space allowed before the unit, commas ignored. Null when it is not one. */
export function parseBytes(text: string): number | null {
  const match = /^([\d.]+)\s*([a-zA-Z]*)$/.exec(text.trim().replaceAll(',', ''));
  if (!match?.[1]) return null;
  const unit = BYTE_UNITS[(match[2] ?? '').toLowerCase()];
  const value = Number(match[1]);
  if (unit === undefined || Number.isNaN(value)) return null;
  return Math.floor(value * unit);
}
