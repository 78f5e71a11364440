// The parameters of Loki's query endpoints (Loki's HTTP API docs): the query, its time range or instant,
// limit, direction, step. Parameters may come in the URL or, for POST, in a form body.
import type { FastifyRequest } from 'fastify';
import { BadRequestError } from '../bad-request.ts';
import { nowNanos, parseLokiTime, parsePositiveInt, parseStepMs, queryString } from '../time-params.ts';

const HOUR_NS = 3_600_000_000_000n;
/** Loki's default max_entries_limit_per_query. */
export const MAX_LIMIT = 5000;
/** Loki refuses range queries of more points than this per series. */
const MAX_POINTS = 11_000;

export type Params = Record<string, unknown>;

export function requestParams(request: FastifyRequest): Params {
  const body = request.body;
  const form = body !== null && typeof body === 'object' ? (body as Params) : {};
  return { ...(request.query as Params), ...form };
}

export function queryText(params: Params): string {
  const query = queryString(params.query);
  if (query === undefined) throw new BadRequestError('query parameter is required');
  return query;
}

export function limitOf(params: Params): number {
  const limit = parsePositiveInt('limit', params.limit, 100);
  if (limit > MAX_LIMIT) {
    throw new BadRequestError(
      `max entries limit per query exceeded, limit > max_entries_limit (${limit} > ${MAX_LIMIT})`,
    );
  }
  return limit;
}

export function directionOf(params: Params): 'forward' | 'backward' {
  const direction = (queryString(params.direction) ?? 'backward').toLowerCase();
  if (direction !== 'forward' && direction !== 'backward') {
    throw new BadRequestError(`invalid direction "${direction}": expected forward or backward`);
  }
  return direction;
}

/** start/end of a range query (end now and start an hour before by default). */
export function rangeOf(params: Params, defaultSpanNs = HOUR_NS): { startNs: bigint; endNs: bigint } {
  const endNs = parseLokiTime('end', params.end, nowNanos());
  const startNs = parseLokiTime('start', params.start, endNs - defaultSpanNs);
  if (endNs < startNs) throw new BadRequestError('end timestamp must not be before or equal to start time');
  return { startNs, endNs };
}

/** The instant of an instant query (`time`, now by default), in milliseconds. */
export function instantMsOf(params: Params): number {
  return nanosToMs(parseLokiTime('time', params.time, nowNanos()));
}

/** The evaluation times of a range metric query: start, start + step, ... up to end (milliseconds). */
export function stepTimesMs(params: Params, startNs: bigint, endNs: bigint): number[] {
  const startMs = nanosToMs(startNs);
  const endMs = nanosToMs(endNs);
  // Loki's default step: the range divided into 250 points, at least a second.
  const stepMs = parseStepMs(params.step) ?? Math.max(Math.floor((endMs - startMs) / 250_000), 1) * 1000;
  if ((endMs - startMs) / stepMs > MAX_POINTS) {
    throw new BadRequestError(
      `exceeded maximum resolution of ${MAX_POINTS} points per timeseries. Try decreasing the query resolution (?step=XX)`,
    );
  }
  const times: number[] = [];
  for (let t = startMs; t <= endMs; t += stepMs) times.push(t);
  return times;
}

function nanosToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
