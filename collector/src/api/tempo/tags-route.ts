// Tag names and values, v1 and v2 (Tempo's API docs): what Grafana's TraceQL autocomplete, search builder
// and ad-hoc filters read. `start`/`end` epoch seconds (the last hour by default), `scope` to keep one
// scope. The `q` filter of the v2 values endpoint is not applied: values come from the whole range.
import type Database from 'better-sqlite3';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  searchTagsV1Json,
  searchTagsV2Json,
  searchTagValuesV1Json,
  searchTagValuesV2Json,
  type TagScopeName,
} from '../../query/tempo/index.ts';
import { BadRequestError } from '../bad-request.ts';
import { nowNanos, parseEpochSeconds, queryString } from '../time-params.ts';
import { decodeTagName, parseScopedTag } from './scoped-tag-name.ts';
import { TagQueries } from './tag-queries.ts';

const HOUR_NS = 3_600_000_000_000n;
const SCOPES = new Set(['span', 'resource', 'intrinsic']);

export function tagsRoutes(app: FastifyInstance, db: Database.Database): void {
  app.get('/api/search/tags', async (request) => {
    const only = scopeParameter(request);
    const tags = queries(db, request);
    return searchTagsV1Json(
      { span: tags.attributeNames('span'), resource: tags.attributeNames('resource') },
      only,
    );
  });

  app.get('/api/v2/search/tags', async (request) => {
    const only = scopeParameter(request);
    const tags = queries(db, request);
    return searchTagsV2Json(
      {
        span: only === undefined || only === 'span' ? tags.attributeNames('span') : [],
        resource: only === undefined || only === 'resource' ? tags.attributeNames('resource') : [],
      },
      only,
    );
  });

  // v1: an unscoped name (span or resource attribute) or an intrinsic; values as strings.
  app.get('/api/search/tag/:name/values', async (request) => {
    const { name } = request.params as { name: string };
    return searchTagValuesV1Json(
      tagValues(queries(db, request), decodeTagName(name)).map((value) => value.value),
    );
  });

  app.get('/api/v2/search/tag/:name/values', async (request) => {
    const { name } = request.params as { name: string };
    return searchTagValuesV2Json(tagValues(queries(db, request), decodeTagName(name)));
  });
}

function tagValues(tags: TagQueries, name: string) {
  const tag = parseScopedTag(name);
  return tag.type === 'intrinsic'
    ? tags.intrinsicValues(tag.intrinsic)
    : tags.attributeValues(tag.scope, tag.name);
}

function queries(db: Database.Database, request: FastifyRequest): TagQueries {
  const params = request.query as Record<string, unknown>;
  const endNs = parseEpochSeconds('end', params.end, nowNanos());
  const startNs = parseEpochSeconds('start', params.start, endNs - HOUR_NS);
  return new TagQueries(db, { startNs, endNs, tenant: request.tenant });
}

function scopeParameter(request: FastifyRequest): TagScopeName | undefined {
  const scope = queryString((request.query as Record<string, unknown>).scope);
  if (scope === undefined || scope === 'all') return undefined;
  if (!SCOPES.has(scope))
    throw new BadRequestError(`invalid scope "${scope}": expected span, resource, intrinsic or all`);
  return scope as TagScopeName;
}
