// Reading log records back by time range, with their resource and scope, as they arrived.
import type Database from 'better-sqlite3';
import type { LogRecord } from '../receiver/decoded-types.ts';
import type { RecordContext } from '../receiver/flatten.ts';
import { decodeAnyValue, decodeAttributes } from './any-value-json.ts';
import { DimensionLookup } from './read-dimensions.ts';

export interface LogReadOptions {
  /** Inclusive, nanoseconds (on the record's time, or its observed time when it has none). */
  startNs: bigint;
  /** Exclusive. */
  endNs: bigint;
  /** Only records whose resource has this dss.client; undefined reads every tenant. */
  tenant?: string;
  /** Default 1000 (Grafana's Loki default). */
  limit?: number;
  /** 'backward' (default, newest first, as Loki) or 'forward'. */
  direction?: 'backward' | 'forward';
}

export interface StoredLogRecord extends RecordContext {
  tenant: string;
  serviceName: string;
  logRecord: LogRecord;
}

interface LogRecordRow {
  resource_id: bigint;
  scope_id: bigint;
  time_ns: bigint;
  observed_time_ns: bigint;
  severity_number: bigint;
  severity_text: string;
  body: string;
  attributes: string;
  dropped_attributes_count: bigint;
  flags: bigint;
  trace_id: Buffer | null;
  span_id: Buffer | null;
  event_name: string;
}

export function readLogRecords(db: Database.Database, options: LogReadOptions): StoredLogRecord[] {
  const tenantFilter =
    options.tenant === undefined
      ? ''
      : 'AND resource_id IN (SELECT id FROM resources WHERE tenant = @tenant)';
  const order = options.direction === 'forward' ? 'ASC' : 'DESC';
  const rows = db
    .prepare(
      `SELECT * FROM log_records WHERE timestamp_ns >= @start AND timestamp_ns < @end ${tenantFilter}
       ORDER BY timestamp_ns ${order}, id ${order} LIMIT @limit`,
    )
    .safeIntegers(true)
    .all({
      start: options.startNs,
      end: options.endNs,
      limit: options.limit ?? 1000,
      ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
    }) as LogRecordRow[];
  const lookup = new DimensionLookup(db);
  return rows.map((row) => {
    const resource = lookup.resource(Number(row.resource_id));
    const scope = lookup.scope(Number(row.scope_id));
    return {
      tenant: resource.tenant,
      serviceName: resource.serviceName,
      resource: resource.resource,
      resourceSchemaUrl: resource.schemaUrl,
      scope: scope.scope,
      scopeSchemaUrl: scope.schemaUrl,
      logRecord: {
        timeUnixNano: row.time_ns,
        observedTimeUnixNano: row.observed_time_ns,
        severityNumber: Number(row.severity_number),
        severityText: row.severity_text,
        body: decodeAnyValue(row.body),
        attributes: decodeAttributes(row.attributes),
        droppedAttributesCount: Number(row.dropped_attributes_count),
        flags: Number(row.flags),
        traceId: row.trace_id?.toString('hex') ?? '',
        spanId: row.span_id?.toString('hex') ?? '',
        eventName: row.event_name,
      },
    };
  });
}
