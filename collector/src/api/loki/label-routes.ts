// GET|POST /loki/api/v1/labels, /loki/api/v1/label/<name>/values and /loki/api/v1/series: the stream labels
// of the time range (`start`/`end`, the last 6 hours by default, as Loki), narrowed by the optional
// `query` selector (labels, values) or `match[]` selectors (series).
import type Database from 'better-sqlite3';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LabelMatcher } from '../../query/logql/index.ts';
import { parseLogQL } from '../../query/logql/index.ts';
import { lokiLabelsJson, lokiSeriesJson } from '../../query/loki/index.ts';
import { BadRequestError } from '../bad-request.ts';
import { queryString, queryStrings } from '../time-params.ts';
import { type Params, rangeOf, requestParams } from './query-params.ts';
import { streamLabelSets } from './stream-label-sets.ts';

const SIX_HOURS_NS = 6n * 3_600_000_000_000n;

export function labelRoutes(app: FastifyInstance, db: Database.Database): void {
  const labels = async (request: FastifyRequest) => {
    const params = requestParams(request);
    return lokiLabelsJson(
      streams(db, request, params, optionalSelector(params)).flatMap((set) => Object.keys(set)),
    );
  };
  app.get('/loki/api/v1/labels', labels);
  app.post('/loki/api/v1/labels', labels);

  app.get('/loki/api/v1/label/:name/values', async (request) => {
    const params = requestParams(request);
    const { name } = request.params as { name: string };
    const values = streams(db, request, params, optionalSelector(params)).flatMap((set) => set[name] ?? []);
    return lokiLabelsJson(values);
  });

  const series = async (request: FastifyRequest) => {
    const params = requestParams(request);
    const selectors = [...queryStrings(params['match[]']), ...queryStrings(params.match)].map(selectorOf);
    if (selectors.length === 0) throw new BadRequestError('at least one match[] selector is required');
    return lokiSeriesJson(streams(db, request, params, selectors));
  };
  app.get('/loki/api/v1/series', series);
  app.post('/loki/api/v1/series', series);
}

function streams(
  db: Database.Database,
  request: FastifyRequest,
  params: Params,
  selectors: LabelMatcher[][],
) {
  return streamLabelSets(db, { ...rangeOf(params, SIX_HOURS_NS), tenant: request.tenant }, selectors);
}

function optionalSelector(params: Params): LabelMatcher[][] {
  const query = queryString(params.query);
  return query === undefined ? [] : [selectorOf(query)];
}

/** The stream selector of a query (a log query's, or the one inside a metric query's range). */
function selectorOf(text: string): LabelMatcher[] {
  const query = parseLogQL(text);
  if (query.type === 'log') return query.selector;
  let inner = query;
  while (inner.type === 'vectorAggregation') inner = inner.expr;
  if (inner.type === 'rangeAggregation') return inner.query.selector;
  throw new BadRequestError(`expected a stream selector, got "${text}"`);
}
