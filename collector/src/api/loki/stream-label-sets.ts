// The label sets of the streams that have log records in a time range (stream = resource labels + level),
// for /labels, /label/<name>/values and /series. Bounded: the distinct (resource, severity) pairs are taken
// from at most MAX_RECORDS_READ records of the range, plenty to list the streams of a development store.
import type Database from 'better-sqlite3';
import type { TenantScope } from '../../auth/tokens.ts';
import type { LabelMatcher } from '../../query/logql/index.ts';
import { matchesSelector } from '../../query/logql/index.ts';
import { tenantFilter } from '../tenant-filter.ts';
import { type Labels, severityLevel } from './otlp-to-loki.ts';
import { loadStreamResources } from './stream-resources.ts';

export const MAX_RECORDS_READ = 200_000;

export interface StreamRange {
  startNs: bigint;
  endNs: bigint;
  tenant: TenantScope;
}

/** Streams matching any of the selectors (every stream when there are none). */
export function streamLabelSets(
  db: Database.Database,
  range: StreamRange,
  selectors: readonly (readonly LabelMatcher[])[],
): Labels[] {
  const resources = loadStreamResources(db, range.tenant);
  const filter = tenantFilter(range.tenant);
  const rows = db
    .prepare(
      `SELECT DISTINCT resource_id, severity_number, severity_text FROM
         (SELECT resource_id, severity_number, severity_text FROM log_records
          WHERE timestamp_ns >= @start AND timestamp_ns < @end ${filter.sql} LIMIT ${MAX_RECORDS_READ})`,
    )
    .all({ ...filter.params, start: range.startNs, end: range.endNs }) as {
    resource_id: number;
    severity_number: number;
    severity_text: string;
  }[];
  const sets: Labels[] = [];
  for (const row of rows) {
    const labels = {
      ...resources.get(row.resource_id),
      level: severityLevel(row.severity_number, row.severity_text),
    };
    if (selectors.length === 0 || selectors.some((selector) => matchesSelector(selector, labels)))
      sets.push(labels);
  }
  return sets;
}
