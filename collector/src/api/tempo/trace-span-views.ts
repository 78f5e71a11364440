// One trace's spans, read from the store, as the TraceQL evaluator sees them (SpanView) plus what the
// search answer shows (ids, times). Trace-level intrinsics (rootName, rootServiceName, traceDuration) are
// computed from every span of the trace that the tenant may read.
import type Database from 'better-sqlite3';
import type { TenantScope } from '../../auth/tokens.ts';
import type { SpanView } from '../../query/traceql/index.ts';
import type { AnyValue } from '../../receiver/decoded-types.ts';
import { decodeAttributes } from '../../store/any-value-json.ts';
import { DimensionLookup } from '../../store/read-dimensions.ts';
import { SPANS_OF_TRACE } from '../../store/trace-groups.ts';
import { tenantFilter } from '../tenant-filter.ts';

export interface StoredSpanView extends SpanView {
  spanId: string;
  startNs: bigint;
  endNs: bigint;
}

export interface TraceSpans {
  traceId: string;
  spans: StoredSpanView[];
  startNs: bigint;
  endNs: bigint;
  rootName: string;
  rootServiceName: string;
}

interface SpanRow {
  span_id: Buffer;
  parent_span_id: Buffer | null;
  resource_id: bigint;
  name: string;
  kind: bigint;
  start_ns: bigint;
  end_ns: bigint;
  status_code: bigint;
  status_message: string;
  attributes: string;
}

export class TraceSpanReader {
  private readonly db: Database.Database;
  private readonly tenant: TenantScope;
  private readonly lookup: DimensionLookup;
  private readonly resourceAttributes = new Map<number, ReadonlyMap<string, AnyValue>>();
  private statement: Database.Statement | undefined;

  constructor(db: Database.Database, tenant: TenantScope) {
    this.db = db;
    this.tenant = tenant;
    this.lookup = new DimensionLookup(db);
  }

  /** The trace's spans in start order; null when the tenant may read none of them. */
  read(traceId: Buffer): TraceSpans | null {
    const filter = tenantFilter(this.tenant);
    this.statement ??= this.db
      .prepare(
        `SELECT span_id, parent_span_id, resource_id, name, kind, start_ns, end_ns, status_code, status_message,
                attributes
         FROM ${SPANS_OF_TRACE} WHERE g.trace_id = @traceId ${filter.sql} ORDER BY start_ns, s.id`,
      )
      .safeIntegers(true);
    const rows = this.statement.all({ traceId, ...filter.params }) as SpanRow[];
    if (rows.length === 0) return null;

    const root = rows.find((row) => row.parent_span_id === null || row.parent_span_id.length === 0);
    const rootName = root?.name ?? '';
    const rootServiceName = root ? this.lookup.resource(Number(root.resource_id)).serviceName : '';
    let startNs = rows[0]?.start_ns ?? 0n;
    let endNs = 0n;
    for (const row of rows) {
      if (row.start_ns < startNs) startNs = row.start_ns;
      if (row.end_ns > endNs) endNs = row.end_ns;
    }
    const traceDurationNanos = Number(endNs - startNs);
    const spans = rows.map(
      (row): StoredSpanView => ({
        spanId: row.span_id.toString('hex'),
        startNs: row.start_ns,
        endNs: row.end_ns,
        name: row.name,
        kind: Number(row.kind),
        statusCode: Number(row.status_code),
        statusMessage: row.status_message,
        durationNanos: Number(row.end_ns - row.start_ns),
        attributes: new Map(decodeAttributes(row.attributes).map((kv) => [kv.key, kv.value])),
        resourceAttributes: this.attributesOf(Number(row.resource_id)),
        rootName,
        rootServiceName,
        traceDurationNanos,
      }),
    );
    return { traceId: traceId.toString('hex'), spans, startNs, endNs, rootName, rootServiceName };
  }

  private attributesOf(resourceId: number): ReadonlyMap<string, AnyValue> {
    let attributes = this.resourceAttributes.get(resourceId);
    if (!attributes) {
      const { resource } = this.lookup.resource(resourceId);
      attributes = new Map(resource.attributes.map((kv) => [kv.key, kv.value]));
      this.resourceAttributes.set(resourceId, attributes);
    }
    return attributes;
  }
}
