// GET /api/search: TraceQL (`q`) or the older tags search (`tags`, `minDuration`, `maxDuration`), over
// `start`/`end` (epoch seconds; the last hour by default), `limit` traces (20) and `spss` spans per
// spanset (3), answered as Tempo's SearchResponse JSON.
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { searchResponseJson } from '../../query/tempo/index.ts';
import { parseTraceQL } from '../../query/traceql/index.ts';
import { nowNanos, parseEpochSeconds, parsePositiveInt, queryString } from '../time-params.ts';
import { legacyTagsQuery } from './legacy-tags-query.ts';
import { searchTraces } from './search-traces.ts';

const HOUR_NS = 3_600_000_000_000n;
/** Tempo's default limit is 20; we refuse to return more than this per request. */
const MAX_LIMIT = 1000;

export function searchRoutes(app: FastifyInstance, db: Database.Database): void {
  app.get('/api/search', async (request) => {
    const params = request.query as Record<string, unknown>;
    const q = queryString(params.q);
    const query =
      q !== undefined
        ? parseTraceQL(q)
        : legacyTagsQuery(
            queryString(params.tags),
            queryString(params.minDuration),
            queryString(params.maxDuration),
          );
    const endNs = parseEpochSeconds('end', params.end, nowNanos());
    const startNs = parseEpochSeconds('start', params.start, endNs - HOUR_NS);
    const limit = Math.min(parsePositiveInt('limit', params.limit, 20), MAX_LIMIT);
    const spansPerSpanSet = parsePositiveInt('spss', params.spss, 3);
    const result = searchTraces(db, query, {
      startNs,
      endNs,
      tenant: request.tenant,
      limit,
      spansPerSpanSet,
    });
    return searchResponseJson(result.traces, {
      inspectedTraces: result.inspectedTraces,
      completedJobs: 1,
      totalJobs: 1,
    });
  });
}
