// Query and body validation: each failure is a 400 naming the field.
import { parseTimestamp } from '../intake/validate.ts';
import { isJobName, JOB_NAMES, type JobName } from '../workers/store.ts';
import { badRequest } from './http-error.ts';

type Query = Record<string, unknown>;

function single(query: Query, field: string): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(field, 'give it once, as a plain value');
  return value;
}

/** An ISO-8601 time with a zone, or Unix seconds / milliseconds (the CSV rules). */
export function timeParam(query: Query, field: string): number | undefined {
  const value = single(query, field);
  if (value === undefined) return undefined;
  const ms = parseTimestamp(value);
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw badRequest(
      field,
      `not a time: ${JSON.stringify(value.slice(0, 40))} (ISO-8601 with a zone, or Unix seconds)`,
    );
  }
  return ms;
}

export function intParam(query: Query, field: string, min: number, max: number, fallback: number): number {
  const value = single(query, field);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw badRequest(field, `an integer from ${min} to ${max}`);
  const n = Number(value);
  if (n < min || n > max) throw badRequest(field, `out of range: ${min} to ${max}`);
  return n;
}

export function enumParam<T extends string>(
  query: Query,
  field: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = single(query, field);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw badRequest(field, `one of ${allowed.join(', ')}`);
  return value as T;
}

export function jobBody(body: unknown): JobName {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('body', 'a JSON object {"job": "forecast" | "optimization" | "kpi"}');
  }
  const job = (body as Record<string, unknown>).job;
  if (job === undefined) throw badRequest('job', `required: one of ${JOB_NAMES.join(', ')}`);
  if (!isJobName(job))
    throw badRequest('job', `unknown job ${JSON.stringify(job)}: one of ${JOB_NAMES.join(', ')}`);
  return job;
}
