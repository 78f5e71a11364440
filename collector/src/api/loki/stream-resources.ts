// The resources a tenant may read, with their stream labels, and the ones a stream selector can match.
// Resources are stored once each, so there are few; the selector is checked on them in JavaScript and the
// log scan then reads only their records. `level` is not a resource label: matchers on it (and any other
// matcher) are checked again on each record with its full stream labels.
import type Database from 'better-sqlite3';
import type { TenantScope } from '../../auth/tokens.ts';
import type { LabelMatcher } from '../../query/logql/index.ts';
import { matchesValue } from '../../query/logql/index.ts';
import { decodeAttributes } from '../../store/any-value-json.ts';
import { tenantFilter } from '../tenant-filter.ts';
import { type Labels, resourceStreamLabels } from './otlp-to-loki.ts';

/** Resource id → stream labels (without level). */
export type StreamResources = Map<number, Labels>;

export function loadStreamResources(db: Database.Database, tenant: TenantScope): StreamResources {
  const filter = tenantFilter(tenant, 'id');
  const rows = db
    .prepare(`SELECT id, attributes FROM resources WHERE 1 = 1 ${filter.sql}`)
    .all(filter.params) as {
    id: number;
    attributes: string;
  }[];
  return new Map(rows.map((row) => [row.id, resourceStreamLabels(decodeAttributes(row.attributes))]));
}

/** Ids of the resources whose labels can satisfy the selector (matchers on `level` are left for later). */
export function resourcesMatching(resources: StreamResources, selector: readonly LabelMatcher[]): number[] {
  const onResource = selector.filter((matcher) => matcher.name !== 'level');
  const ids: number[] = [];
  for (const [id, labels] of resources) {
    if (onResource.every((m) => matchesValue(m.op, m.value, labels[m.name] ?? ''))) ids.push(id);
  }
  return ids;
}
