// Attribute names and values for Tempo's tag endpoints, from the spans and resources of a time range.
// Bounded: span attributes are read from the most recent MAX_SPANS_READ spans of the range, and at most
// MAX_TAGS names or values are returned, which is what autocomplete needs.
import type Database from 'better-sqlite3';
import type { TenantScope } from '../../auth/tokens.ts';
import { intrinsicTagValues, type TagValue, tagValueOf } from '../../query/tempo/index.ts';
import type { Intrinsic } from '../../query/traceql/index.ts';
import { decodeAnyValue } from '../../store/any-value-json.ts';
import { tenantFilter } from '../tenant-filter.ts';

export const MAX_SPANS_READ = 10_000;
export const MAX_TAGS = 1000;

export interface TagRange {
  startNs: bigint;
  endNs: bigint;
  tenant: TenantScope;
}

export type TagScope = 'span' | 'resource' | 'unscoped';

export class TagQueries {
  private readonly db: Database.Database;
  private readonly params: Record<string, unknown>;
  /** The recent spans of the range, as a subquery. */
  private readonly spans: string;
  /** Resources with spans in the range, as a subquery. */
  private readonly resources: string;

  constructor(db: Database.Database, range: TagRange) {
    this.db = db;
    const spanTenant = tenantFilter(range.tenant);
    const resourceTenant = tenantFilter(range.tenant, 'r.id');
    this.params = { ...spanTenant.params, start: range.startNs, end: range.endNs };
    this.spans = `(SELECT * FROM spans WHERE start_ns >= @start AND start_ns <= @end ${spanTenant.sql}
                   ORDER BY start_ns DESC LIMIT ${MAX_SPANS_READ})`;
    this.resources = `(SELECT r.* FROM resources r WHERE EXISTS
                        (SELECT 1 FROM spans WHERE resource_id = r.id AND start_ns >= @start AND start_ns <= @end)
                        ${resourceTenant.sql})`;
  }

  attributeNames(scope: 'span' | 'resource'): string[] {
    const source = scope === 'span' ? this.spans : this.resources;
    return this.column(
      `SELECT DISTINCT j.key AS v FROM ${source} s, json_each(s.attributes) j LIMIT ${MAX_TAGS}`,
    );
  }

  attributeValues(scope: TagScope, name: string): TagValue[] {
    const sources =
      scope === 'span'
        ? [this.spans]
        : scope === 'resource'
          ? [this.resources]
          : [this.spans, this.resources];
    const values: TagValue[] = [];
    for (const source of sources) {
      const texts = this.column(
        `SELECT DISTINCT j.value AS v FROM ${source} s, json_each(s.attributes) j WHERE j.key = @name LIMIT ${MAX_TAGS}`,
        { name },
      );
      for (const text of texts) {
        const value = tagValueOf(decodeAnyValue(text));
        if (value) values.push(value);
      }
    }
    return values.slice(0, MAX_TAGS);
  }

  intrinsicValues(intrinsic: Intrinsic): TagValue[] {
    const keywords = intrinsicTagValues(intrinsic);
    if (keywords) return keywords;
    const sql: Partial<Record<Intrinsic, string>> = {
      name: `SELECT DISTINCT name AS v FROM ${this.spans} LIMIT ${MAX_TAGS}`,
      statusMessage: `SELECT DISTINCT status_message AS v FROM ${this.spans} WHERE status_message != '' LIMIT ${MAX_TAGS}`,
      rootName: `SELECT DISTINCT name AS v FROM ${this.spans} WHERE parent_span_id IS NULL LIMIT ${MAX_TAGS}`,
      rootServiceName: `SELECT DISTINCT service_name AS v FROM ${this.resources} WHERE service_name != '' LIMIT ${MAX_TAGS}`,
    };
    const statement = sql[intrinsic];
    return statement ? this.column(statement).map((value) => ({ type: 'string', value })) : [];
  }

  private column(sql: string, extra: Record<string, unknown> = {}): string[] {
    const rows = this.db.prepare(sql).all({ ...this.params, ...extra }) as { v: string }[];
    return rows.map((row) => row.v);
  }
}
