// Decoded export requests turned into the rows the store writes: attributes encoded as JSON, ids as
// bytes, resources and scopes with the content key they are deduplicated by. Done when a request
// arrives, before it is queued, so the queue knows its size and the commit only binds values.
import type { AppendBatch } from '../metrics/model.ts';
import { findAttribute } from '../receiver/attributes.ts';
import type {
  DecodedLogs,
  DecodedTraces,
  InstrumentationScope,
  LogRecord,
  Resource,
  Span,
} from '../receiver/decoded-types.ts';
import { encodeAnyValue, encodeAttributes } from './any-value-json.ts';

/** The resource attribute that names the tenant (the water utility). */
export const TENANT_ATTRIBUTE = 'dss.client';
export const SERVICE_NAME_ATTRIBUTE = 'service.name';

export interface ResourceRow {
  /** The whole content as one string: the dictionary key, and what the stored hash is taken of. */
  key: string;
  tenant: string;
  serviceName: string;
  attributes: string;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface ScopeRow {
  key: string;
  name: string;
  version: string;
  attributes: string;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface SpanEventRow {
  timeNs: bigint;
  name: string;
  attributes: string;
  droppedAttributesCount: number;
}

export interface SpanLinkRow {
  traceId: Buffer;
  spanId: Buffer;
  traceState: string;
  flags: number;
  attributes: string;
  droppedAttributesCount: number;
}

export interface SpanRow {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer | null;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  statusCode: number;
  statusMessage: string;
  traceState: string;
  flags: number;
  attributes: string;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  events: SpanEventRow[];
  links: SpanLinkRow[];
}

export interface LogRow {
  timestampNs: bigint;
  timeNs: bigint;
  observedTimeNs: bigint;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: string;
  droppedAttributesCount: number;
  flags: number;
  traceId: Buffer | null;
  spanId: Buffer | null;
  eventName: string;
}

export interface RowGroup<Row> {
  resource: ResourceRow;
  scope: ScopeRow;
  rows: Row[];
}

export type PreparedWrite =
  | { signal: 'traces'; groups: RowGroup<SpanRow>[]; records: number; bytes: number }
  | { signal: 'logs'; groups: RowGroup<LogRow>[]; records: number; bytes: number }
  /** Prometheus samples (translated OTLP metrics or a scrape): `records` counts samples. */
  | { signal: 'metrics'; batches: AppendBatch[]; records: number; bytes: number };

export interface Preparation {
  /** Absent when no record of the request can be stored. */
  write?: PreparedWrite;
  /** Records left out, and why (for the partial-success message). */
  rejected: number;
  message: string;
}

// Rough per-row cost of the JavaScript objects and Buffers beside the strings, for the queue's size.
const SPAN_OVERHEAD_BYTES = 200;
const CHILD_OVERHEAD_BYTES = 80;
const LOG_OVERHEAD_BYTES = 160;

const MAX_INT64 = 2n ** 63n - 1n;
const fitsInteger = (ns: bigint) => ns <= MAX_INT64; // times are unsigned: never below 0

export function prepareTraces(request: DecodedTraces): Preparation {
  const groups: RowGroup<SpanRow>[] = [];
  const problems = new Problems('spans');
  let records = 0;
  let bytes = 0;
  for (const resourceSpans of request.resourceSpans) {
    const resource = resourceRow(resourceSpans.resource, resourceSpans.schemaUrl);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const rows: SpanRow[] = [];
      for (const span of scopeSpans.spans) {
        const problem = spanTimeProblem(span);
        if (problem) {
          problems.add(`span ${span.spanId} of trace ${span.traceId}: ${problem}`);
          continue;
        }
        const row = spanRow(span);
        rows.push(row);
        bytes += spanBytes(row);
      }
      if (rows.length === 0) continue;
      const scope = scopeRow(scopeSpans.scope, scopeSpans.schemaUrl);
      groups.push({ resource, scope, rows });
      records += rows.length;
      bytes += resource.key.length + scope.key.length;
    }
  }
  return finish(records > 0 ? { signal: 'traces', groups, records, bytes } : undefined, problems);
}

export function prepareLogs(request: DecodedLogs): Preparation {
  const groups: RowGroup<LogRow>[] = [];
  const problems = new Problems('log records');
  let records = 0;
  let bytes = 0;
  for (const resourceLogs of request.resourceLogs) {
    const resource = resourceRow(resourceLogs.resource, resourceLogs.schemaUrl);
    for (const scopeLogs of resourceLogs.scopeLogs) {
      const rows: LogRow[] = [];
      for (const record of scopeLogs.logRecords) {
        if (!fitsInteger(record.timeUnixNano) || !fitsInteger(record.observedTimeUnixNano)) {
          problems.add('a log record has a time after the year 2262');
          continue;
        }
        const row = logRow(record);
        rows.push(row);
        bytes += LOG_OVERHEAD_BYTES + row.body.length + row.attributes.length + row.severityText.length;
      }
      if (rows.length === 0) continue;
      const scope = scopeRow(scopeLogs.scope, scopeLogs.schemaUrl);
      groups.push({ resource, scope, rows });
      records += rows.length;
      bytes += resource.key.length + scope.key.length;
    }
  }
  return finish(records > 0 ? { signal: 'logs', groups, records, bytes } : undefined, problems);
}

function finish(write: PreparedWrite | undefined, problems: Problems): Preparation {
  return write ? { write, ...problems.outcome() } : problems.outcome();
}

/** Counts rejected records and keeps the first few reasons. */
class Problems {
  private count = 0;
  private readonly reasons: string[] = [];
  private readonly recordName: string;

  constructor(recordName: string) {
    this.recordName = recordName;
  }

  add(reason: string): void {
    this.count++;
    if (this.reasons.length < 5) this.reasons.push(reason);
  }

  outcome(): { rejected: number; message: string } {
    if (this.count === 0) return { rejected: 0, message: '' };
    return {
      rejected: this.count,
      message: `the store rejected ${this.count} ${this.recordName}: ${this.reasons.join('; ')}`,
    };
  }
}

function spanTimeProblem(span: Span): string | undefined {
  if (!fitsInteger(span.startTimeUnixNano) || !fitsInteger(span.endTimeUnixNano)) {
    return 'start or end time after the year 2262';
  }
  if (span.events.some((event) => !fitsInteger(event.timeUnixNano))) {
    return 'an event time after the year 2262';
  }
  return undefined;
}

const stringAttribute = (resource: Resource, key: string): string => {
  const value = findAttribute(resource.attributes, key);
  return value?.type === 'string' ? value.value : '';
};

function resourceRow(resource: Resource, schemaUrl: string): ResourceRow {
  const attributes = encodeAttributes(resource.attributes);
  return {
    key: `${attributes}\u0000${resource.droppedAttributesCount}\u0000${schemaUrl}`,
    tenant: stringAttribute(resource, TENANT_ATTRIBUTE),
    serviceName: stringAttribute(resource, SERVICE_NAME_ATTRIBUTE),
    attributes,
    droppedAttributesCount: resource.droppedAttributesCount,
    schemaUrl,
  };
}

function scopeRow(scope: InstrumentationScope, schemaUrl: string): ScopeRow {
  const attributes = encodeAttributes(scope.attributes);
  return {
    key: JSON.stringify([scope.name, scope.version, attributes, scope.droppedAttributesCount, schemaUrl]),
    name: scope.name,
    version: scope.version,
    attributes,
    droppedAttributesCount: scope.droppedAttributesCount,
    schemaUrl,
  };
}

const idBytes = (hex: string): Buffer | null => (hex === '' ? null : Buffer.from(hex, 'hex'));

function spanRow(span: Span): SpanRow {
  return {
    traceId: Buffer.from(span.traceId, 'hex'),
    spanId: Buffer.from(span.spanId, 'hex'),
    parentSpanId: idBytes(span.parentSpanId),
    name: span.name,
    kind: span.kind,
    startNs: span.startTimeUnixNano,
    endNs: span.endTimeUnixNano,
    statusCode: span.status.code,
    statusMessage: span.status.message,
    traceState: span.traceState,
    flags: span.flags,
    attributes: encodeAttributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    events: span.events.map((event) => ({
      timeNs: event.timeUnixNano,
      name: event.name,
      attributes: encodeAttributes(event.attributes),
      droppedAttributesCount: event.droppedAttributesCount,
    })),
    links: span.links.map((link) => ({
      traceId: Buffer.from(link.traceId, 'hex'),
      spanId: Buffer.from(link.spanId, 'hex'),
      traceState: link.traceState,
      flags: link.flags,
      attributes: encodeAttributes(link.attributes),
      droppedAttributesCount: link.droppedAttributesCount,
    })),
  };
}

function spanBytes(row: SpanRow): number {
  let bytes =
    SPAN_OVERHEAD_BYTES +
    row.name.length +
    row.attributes.length +
    row.statusMessage.length +
    row.traceState.length;
  for (const event of row.events) bytes += CHILD_OVERHEAD_BYTES + event.name.length + event.attributes.length;
  for (const link of row.links)
    bytes += CHILD_OVERHEAD_BYTES + link.attributes.length + link.traceState.length;
  return bytes;
}

function logRow(record: LogRecord): LogRow {
  return {
    timestampNs: record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano,
    timeNs: record.timeUnixNano,
    observedTimeNs: record.observedTimeUnixNano,
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: encodeAnyValue(record.body),
    attributes: encodeAttributes(record.attributes),
    droppedAttributesCount: record.droppedAttributesCount,
    flags: record.flags,
    traceId: idBytes(record.traceId),
    spanId: idBytes(record.spanId),
    eventName: record.eventName,
  };
}
