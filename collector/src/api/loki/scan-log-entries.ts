// Log records of some resources in a time range, in time order, as Loki entries (line, stream labels,
// structured metadata). Read a page at a time (keyset on timestamp and id) so that a query that has its
// `limit` lines stops reading, and so that no iterator is open while other statements run.
import type Database from 'better-sqlite3';
import { anyValueToString } from '../../receiver/attributes.ts';
import { decodeAnyValue, decodeAttributes } from '../../store/any-value-json.ts';
import { type Labels, severityLevel, structuredMetadata } from './otlp-to-loki.ts';
import type { StreamResources } from './stream-resources.ts';

const PAGE_RECORDS = 2000;

export interface ScannedEntry {
  timestampNs: bigint;
  line: string;
  streamLabels: Labels;
  structuredMetadata: Labels;
}

export interface ScanOptions {
  /** Inclusive. */
  startNs: bigint;
  /** Exclusive. */
  endNs: bigint;
  resourceIds: readonly number[];
  resources: StreamResources;
  direction: 'forward' | 'backward';
  /** Only records of this trace (hex), when the query filters on trace_id. */
  traceId?: string;
}

interface Row {
  id: bigint;
  resource_id: bigint;
  timestamp_ns: bigint;
  severity_number: bigint;
  severity_text: string;
  body: string;
  attributes: string;
  trace_id: Buffer | null;
  span_id: Buffer | null;
}

export function* scanLogEntries(db: Database.Database, options: ScanOptions): Generator<ScannedEntry> {
  if (options.resourceIds.length === 0) return;
  const forward = options.direction === 'forward';
  const order = forward ? 'ASC' : 'DESC';
  const after = forward
    ? '(timestamp_ns > @cursorNs OR (timestamp_ns = @cursorNs AND id > @cursorId))'
    : '(timestamp_ns < @cursorNs OR (timestamp_ns = @cursorNs AND id < @cursorId))';
  // The ids come from the resources table: integers, safe to inline.
  const resources = options.resourceIds.map((id) => Math.trunc(id)).join(',');
  const traceFilter = options.traceId === undefined ? '' : 'AND trace_id = @traceId';
  const page = db
    .prepare(
      `SELECT id, resource_id, timestamp_ns, severity_number, severity_text, body, attributes, trace_id, span_id
       FROM log_records
       WHERE timestamp_ns >= @start AND timestamp_ns < @end AND resource_id IN (${resources}) ${traceFilter}
         AND ${after}
       ORDER BY timestamp_ns ${order}, id ${order} LIMIT ${PAGE_RECORDS}`,
    )
    .safeIntegers(true);
  const params: Record<string, unknown> = { start: options.startNs, end: options.endNs };
  if (options.traceId !== undefined) params.traceId = Buffer.from(options.traceId, 'hex');
  let cursorNs = forward ? options.startNs - 1n : options.endNs;
  let cursorId = forward ? -1n : 1n << 62n;
  for (;;) {
    const rows = page.all({ ...params, cursorNs, cursorId }) as Row[];
    for (const row of rows) yield toEntry(row, options.resources);
    const last = rows.at(-1);
    if (!last || rows.length < PAGE_RECORDS) return;
    cursorNs = last.timestamp_ns;
    cursorId = last.id;
  }
}

function toEntry(row: Row, resources: StreamResources): ScannedEntry {
  const streamLabels: Labels = {
    ...resources.get(Number(row.resource_id)),
    level: severityLevel(Number(row.severity_number), row.severity_text),
  };
  return {
    timestampNs: row.timestamp_ns,
    line: anyValueToString(decodeAnyValue(row.body)),
    streamLabels,
    structuredMetadata: structuredMetadata(
      decodeAttributes(row.attributes),
      row.trace_id?.toString('hex') ?? '',
      row.span_id?.toString('hex') ?? '',
      streamLabels,
    ),
  };
}
