// GET|POST /loki/api/v1/query_range and GET|POST /loki/api/v1/query.
// Log queries answer streams (range queries only, as Loki 3), metric queries a matrix at each step (range)
// or a vector (instant), constant queries (Grafana's health check `vector(1)+vector(1)`) their value.
import type Database from 'better-sqlite3';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LogQuery, MetricQuery } from '../../query/logql/index.ts';
import { evaluateConstant, parseLogQL } from '../../query/logql/index.ts';
import {
  emptyLokiStats,
  type LogLine,
  lokiConstantJson,
  lokiMatrixJson,
  lokiStreamsJson,
  lokiVectorJson,
} from '../../query/loki/index.ts';
import { BadRequestError } from '../bad-request.ts';
import { evaluateMetricQuery } from './metric-query.ts';
import {
  directionOf,
  instantMsOf,
  limitOf,
  type Params,
  queryText,
  rangeOf,
  requestParams,
  stepTimesMs,
} from './query-params.ts';
import { selectLogLines } from './select-log-lines.ts';

export function queryRoutes(app: FastifyInstance, db: Database.Database): void {
  const queryRange = async (request: FastifyRequest) => {
    const params = requestParams(request);
    const query = parseLogQL(queryText(params));
    const range = rangeOf(params);
    if (query.type === 'log') return logLines(db, request, query, params, range);
    return metric(db, request, query, stepTimesMs(params, range.startNs, range.endNs), false);
  };
  app.get('/loki/api/v1/query_range', queryRange);
  app.post('/loki/api/v1/query_range', queryRange);

  const instant = async (request: FastifyRequest) => {
    const params = requestParams(request);
    const query = parseLogQL(queryText(params));
    if (query.type === 'log') {
      throw new BadRequestError(
        'log queries are not supported as an instant query type, please change your query to a range query type',
      );
    }
    return metric(db, request, query, [instantMsOf(params)], true);
  };
  app.get('/loki/api/v1/query', instant);
  app.post('/loki/api/v1/query', instant);
}

function logLines(
  db: Database.Database,
  request: FastifyRequest,
  query: LogQuery,
  params: Params,
  range: { startNs: bigint; endNs: bigint },
) {
  const limit = limitOf(params);
  const selected = selectLogLines(db, query, {
    ...range,
    tenant: request.tenant,
    direction: directionOf(params),
  });
  const lines: LogLine[] = [];
  for (const line of selected.lines) {
    lines.push(line);
    if (lines.length >= limit) break;
  }
  const categorizeLabels = String(request.headers['x-loki-response-encoding-flags'] ?? '')
    .split(',')
    .some((flag) => flag.trim() === 'categorize-labels');
  return lokiStreamsJson(lines, {
    categorizeLabels,
    stats: emptyLokiStats({ totalLinesProcessed: selected.scanned(), totalEntriesReturned: lines.length }),
  });
}

function metric(
  db: Database.Database,
  request: FastifyRequest,
  query: MetricQuery,
  timesMs: number[],
  instant: boolean,
) {
  const constant = evaluateConstant(query);
  if (constant) return lokiConstantJson(constant, timesMs, instant);
  if (query.type !== 'rangeAggregation' && query.type !== 'vectorAggregation') {
    throw new BadRequestError('unsupported LogQL: arithmetic between a range query and other values');
  }
  const series = evaluateMetricQuery(db, query, { timesMs, tenant: request.tenant });
  if (!instant) return lokiMatrixJson(series.filter((s) => s.samples.length > 0));
  return lokiVectorJson(series.flatMap((s) => s.samples.map((sample) => ({ labels: s.labels, sample }))));
}
