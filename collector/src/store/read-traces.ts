// Reading a trace back in the shape it arrived in: resource → scope → spans, with every attribute,
// event, link and status as sent (what the Tempo trace-by-id API returns).
import type Database from 'better-sqlite3';
import type { ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink } from '../receiver/decoded-types.ts';
import { decodeAttributes } from './any-value-json.ts';
import { DimensionLookup } from './read-dimensions.ts';
import { SPANS_OF_TRACE } from './trace-groups.ts';

export interface TraceReadOptions {
  /** Only spans whose resource has this dss.client; undefined reads every tenant. */
  tenant?: string;
}

interface SpanRecord {
  id: bigint;
  trace_id: Buffer;
  span_id: Buffer;
  parent_span_id: Buffer | null;
  resource_id: bigint;
  scope_id: bigint;
  name: string;
  kind: bigint;
  start_ns: bigint;
  end_ns: bigint;
  status_code: bigint;
  status_message: string;
  trace_state: string;
  flags: bigint;
  attributes: string;
  dropped_attributes_count: bigint;
  dropped_events_count: bigint;
  dropped_links_count: bigint;
}

interface EventRecord {
  span_row: bigint;
  time_ns: bigint;
  name: string;
  attributes: string;
  dropped_attributes_count: bigint;
}

interface LinkRecord {
  span_row: bigint;
  trace_id: Buffer;
  span_id: Buffer;
  trace_state: string;
  flags: bigint;
  attributes: string;
  dropped_attributes_count: bigint;
}

const TENANT_FILTER = 'AND resource_id IN (SELECT id FROM resources WHERE tenant = @tenant)';

/** The trace's spans grouped by resource and scope; [] when the store has none (for that tenant). */
export function readTrace(
  db: Database.Database,
  traceId: string,
  options: TraceReadOptions = {},
): ResourceSpans[] {
  if (!/^[0-9a-fA-F]{32}$/.test(traceId)) return [];
  const filter = options.tenant === undefined ? '' : TENANT_FILTER;
  const parameters = { traceId: Buffer.from(traceId, 'hex'), ...(filter ? { tenant: options.tenant } : {}) };
  const spans = db
    .prepare(`SELECT s.* FROM ${SPANS_OF_TRACE} WHERE g.trace_id = @traceId ${filter} ORDER BY start_ns, id`)
    .safeIntegers(true)
    .all(parameters) as SpanRecord[];
  if (spans.length === 0) return [];

  const ofTrace = `span_row IN (SELECT s.id FROM ${SPANS_OF_TRACE} WHERE g.trace_id = @traceId ${filter})`;
  const events = groupBySpan(
    db
      .prepare(`SELECT * FROM span_events WHERE ${ofTrace} ORDER BY span_row, seq`)
      .safeIntegers(true)
      .all(parameters) as EventRecord[],
  );
  const links = groupBySpan(
    db
      .prepare(`SELECT * FROM span_links WHERE ${ofTrace} ORDER BY span_row, seq`)
      .safeIntegers(true)
      .all(parameters) as LinkRecord[],
  );
  return groupByResourceAndScope(
    db,
    spans.map((record) => ({
      resourceId: Number(record.resource_id),
      scopeId: Number(record.scope_id),
      span: toSpan(record, events.get(record.id) ?? [], links.get(record.id) ?? []),
    })),
  );
}

function groupBySpan<T extends { span_row: bigint }>(records: T[]): Map<bigint, T[]> {
  const bySpan = new Map<bigint, T[]>();
  for (const record of records) {
    const list = bySpan.get(record.span_row);
    if (list) list.push(record);
    else bySpan.set(record.span_row, [record]);
  }
  return bySpan;
}

function toSpan(record: SpanRecord, events: EventRecord[], links: LinkRecord[]): Span {
  return {
    traceId: record.trace_id.toString('hex'),
    spanId: record.span_id.toString('hex'),
    traceState: record.trace_state,
    parentSpanId: record.parent_span_id?.toString('hex') ?? '',
    flags: Number(record.flags),
    name: record.name,
    kind: Number(record.kind),
    startTimeUnixNano: record.start_ns,
    endTimeUnixNano: record.end_ns,
    attributes: decodeAttributes(record.attributes),
    droppedAttributesCount: Number(record.dropped_attributes_count),
    events: events.map(toEvent),
    droppedEventsCount: Number(record.dropped_events_count),
    links: links.map(toLink),
    droppedLinksCount: Number(record.dropped_links_count),
    status: { code: Number(record.status_code), message: record.status_message },
  };
}

function toEvent(record: EventRecord): SpanEvent {
  return {
    timeUnixNano: record.time_ns,
    name: record.name,
    attributes: decodeAttributes(record.attributes),
    droppedAttributesCount: Number(record.dropped_attributes_count),
  };
}

function toLink(record: LinkRecord): SpanLink {
  return {
    traceId: record.trace_id.toString('hex'),
    spanId: record.span_id.toString('hex'),
    traceState: record.trace_state,
    flags: Number(record.flags),
    attributes: decodeAttributes(record.attributes),
    droppedAttributesCount: Number(record.dropped_attributes_count),
  };
}

/** Spans (in the order given) under their resource and scope, each resource and scope once. */
export function groupByResourceAndScope(
  db: Database.Database,
  spans: readonly { resourceId: number; scopeId: number; span: Span }[],
): ResourceSpans[] {
  const lookup = new DimensionLookup(db);
  const byResource = new Map<number, { resourceSpans: ResourceSpans; byScope: Map<number, ScopeSpans> }>();
  for (const { resourceId, scopeId, span } of spans) {
    let entry = byResource.get(resourceId);
    if (!entry) {
      const { resource, schemaUrl } = lookup.resource(resourceId);
      entry = { resourceSpans: { resource, schemaUrl, scopeSpans: [] }, byScope: new Map() };
      byResource.set(resourceId, entry);
    }
    let scopeSpans = entry.byScope.get(scopeId);
    if (!scopeSpans) {
      const { scope, schemaUrl } = lookup.scope(scopeId);
      scopeSpans = { scope, schemaUrl, spans: [] };
      entry.byScope.set(scopeId, scopeSpans);
      entry.resourceSpans.scopeSpans.push(scopeSpans);
    }
    scopeSpans.spans.push(span);
  }
  return [...byResource.values()].map((entry) => entry.resourceSpans);
}
