// /api/v1/query and /api/v1/query_range, GET or POST form, as Grafana's Prometheus data source calls them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetricsReader } from '../../metrics/model.ts';
import { instantQuery, type QueryOptions, rangeQuery } from '../../query/promql/index.ts';
import { badData, durationParam, param, params, timeParam } from './params.ts';
import { success } from './respond.ts';

export interface QueryRouteOptions {
  /** Longest a query may run (and the cap on a request's `timeout`). Default 2 minutes. */
  maxTimeoutMs?: number;
  lookbackMs?: number;
  maxSamples?: number;
}

export function queryRoutes(
  app: FastifyInstance,
  reader: MetricsReader,
  options: QueryRouteOptions = {},
): void {
  const maxTimeout = options.maxTimeoutMs ?? 120_000;

  const queryOptions = (request: FastifyRequest, values: Record<string, unknown>): QueryOptions => {
    const timeout = durationParam(values, 'timeout');
    const out: QueryOptions = {
      reader,
      tenant: request.tenant,
      timeoutMs: timeout === undefined ? maxTimeout : Math.min(timeout, maxTimeout),
    };
    if (options.lookbackMs !== undefined) out.lookbackMs = options.lookbackMs;
    if (options.maxSamples !== undefined) out.maxSamples = options.maxSamples;
    return out;
  };

  const instant = async (request: FastifyRequest) => {
    const values = params(request);
    const query = requireQuery(values);
    const time = timeParam(values, 'time', Date.now());
    return success(instantQuery(queryOptions(request, values), query, time));
  };

  const range = async (request: FastifyRequest) => {
    const values = params(request);
    const query = requireQuery(values);
    const start = timeParam(values, 'start', Number.NaN);
    const end = timeParam(values, 'end', Number.NaN);
    if (Number.isNaN(start)) throw badData('invalid parameter "start": missing');
    if (Number.isNaN(end)) throw badData('invalid parameter "end": missing');
    const step = durationParam(values, 'step');
    if (step === undefined) throw badData('invalid parameter "step": missing');
    return success(rangeQuery(queryOptions(request, values), query, start, end, step));
  };

  app.get('/api/v1/query', instant);
  app.post('/api/v1/query', instant);
  app.get('/api/v1/query_range', range);
  app.post('/api/v1/query_range', range);
}

function requireQuery(values: Record<string, unknown>): string {
  const query = param(values, 'query');
  if (query === undefined) throw badData('invalid parameter "query": missing');
  return query;
}
