// A series' identity: its tenant and label set, in one canonical form. Labels with an empty value are
// absent (Prometheus semantics), so they are dropped; names are sorted (by UTF-16 code units), and the
// set is written as a JSON object by hand (Object.fromEntries would move integer-like names first).
import { createHash } from 'node:crypto';
import { type Labels, METRIC_NAME_LABEL } from '../metrics/model.ts';

export interface CanonicalLabels {
  /** The label set without empty values, names sorted. */
  labels: Labels;
  /** Its canonical JSON (prom_series.labels). */
  json: string;
  /** The metric name ('' when there is none). */
  name: string;
}

export function canonicalLabels(labels: Labels): CanonicalLabels {
  const names = Object.keys(labels)
    .filter((name) => labels[name] !== '' && labels[name] !== undefined)
    .sort();
  const out: Record<string, string> = {};
  const parts: string[] = [];
  for (const name of names) {
    const value = labels[name] as string;
    out[name] = value;
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`);
  }
  return { labels: Object.freeze(out), json: `{${parts.join(',')}}`, name: out[METRIC_NAME_LABEL] ?? '' };
}

/** The key of a series in memory: tenant, NUL, canonical JSON. */
export function seriesKey(tenant: string, json: string): string {
  return `${tenant}\u0000${json}`;
}

/** prom_series.hash: the first 16 bytes of the key's SHA-256. */
export function seriesHash(key: string): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, 16);
}
