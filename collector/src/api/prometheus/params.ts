// Request parameters as Prometheus's HTTP API reads them (web/api/v1/api.go): parameters come from the query
// string or a POST form; times are Unix seconds (with decimals) or RFC 3339; durations are seconds or
// PromQL durations; `match[]` repeats.
import type { FastifyRequest } from 'fastify';
import type { LabelMatcher } from '../../metrics/model.ts';
import { parseDurationParam } from '../../query/promql/duration.ts';
import { PromQLError } from '../../query/promql/errors.ts';
import { parsePromQL } from '../../query/promql/index.ts';

/** Prometheus's bounds for "no start" and "no end" in label and series queries. */
export const MIN_TIME_MS = -9_223_372_036_854.775;
export const MAX_TIME_MS = 9_223_372_036_854.775;

export function badData(message: string): PromQLError {
  return new PromQLError('bad_data', message);
}

/** Query string and form body parameters merged (the form wins, as in Go's Request.FormValue order). */
export function params(request: FastifyRequest): Record<string, unknown> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body =
    request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  return { ...query, ...body };
}

export function param(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

export function repeated(values: Record<string, unknown>, name: string): string[] {
  const value = values[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

/** A time parameter in ms; `fallback` when absent. */
export function timeParam(values: Record<string, unknown>, name: string, fallback: number): number {
  const text = param(values, name);
  if (text === undefined) return fallback;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    const seconds = Number(text);
    if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw badData(
      `invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid timestamp`,
    );
  }
  return ms;
}

/** A duration parameter in ms; undefined when absent. */
export function durationParam(values: Record<string, unknown>, name: string): number | undefined {
  const text = param(values, name);
  if (text === undefined) return undefined;
  const ms = parseDurationParam(text);
  if (ms === null) {
    throw badData(
      `invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid duration`,
    );
  }
  return ms;
}

/** `limit`: a non-negative integer, 0 or absent meaning no limit. */
export function limitParam(values: Record<string, unknown>): number {
  const text = param(values, 'limit');
  if (text === undefined) return 0;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 0)
    throw badData(`invalid parameter "limit": cannot parse ${JSON.stringify(text)}`);
  return limit;
}

/** `match[]` selectors as matcher sets. Each must be a plain series selector. */
export function matcherSets(values: Record<string, unknown>): LabelMatcher[][] {
  return repeated(values, 'match[]').map((selector) => {
    let expr: ReturnType<typeof parsePromQL>;
    try {
      expr = parsePromQL(selector);
    } catch (error) {
      throw badData(`invalid parameter "match[]": ${(error as Error).message}`);
    }
    if (expr.kind !== 'vectorSelector') {
      throw badData(`invalid parameter "match[]": ${JSON.stringify(selector)} is not a series selector`);
    }
    return expr.matchers;
  });
}
