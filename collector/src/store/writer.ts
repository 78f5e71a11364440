// Writes prepared requests to the database, several per transaction. One writer per database: it is
// the only place that inserts, so its dictionaries of resource and scope ids stay true.
import type Database from 'better-sqlite3';
import { Dictionary } from './dictionary.ts';
import type { MetricsStore } from './metrics-store.ts';
import type { LogRow, PreparedWrite, ResourceRow, RowGroup, ScopeRow, SpanRow } from './rows.ts';
import { INSERT_TRACE_GROUP, SPAN_IDS_OF_TRACE, TRACE_EXISTS } from './trace-groups.ts';

/** Spans inserted by one statement, at most (17 parameters each, well within SQLite's 32766). */
const SPANS_PER_INSERT = 64;
const INSERT_SPANS = `INSERT INTO spans (trace_id, span_id, parent_span_id, resource_id, scope_id, name, kind, start_ns,
  end_ns, status_code, status_message, trace_state, flags, attributes, dropped_attributes_count,
  dropped_events_count, dropped_links_count)`;
const SPAN_COLUMNS = 17;
const SPAN_VALUES = `(${Array.from({ length: SPAN_COLUMNS }, () => '?').join(', ')})`;

export interface WriteOutcome {
  spans: number;
  /** Spans already stored (same trace and span id), e.g. from an export the client retried. */
  duplicateSpans: number;
  logRecords: number;
  /** Prometheus samples appended, and those refused (see metrics-appender.ts). */
  samples: number;
  outOfOrderSamples: number;
  duplicateSamples: number;
  invalidSamples: number;
}

export class StoreWriter {
  private readonly db: Database.Database;
  private readonly resources: Dictionary<ResourceRow>;
  private readonly scopes: Dictionary<ScopeRow>;
  private readonly spanInserts = new Map<number, Database.Statement>();
  private readonly spanParamArrays = new Map<number, unknown[]>();
  private readonly traceExists: Database.Statement;
  private readonly spanIdsOfTrace: Database.Statement;
  private readonly insertTraceGroup: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly insertLink: Database.Statement;
  private readonly insertLog: Database.Statement;
  private readonly writeAll: (batch: readonly PreparedWrite[]) => WriteOutcome;

  private readonly metricsStore: MetricsStore | undefined;

  /** Without a metrics store, metric writes are refused (the caller should not prepare them). */
  constructor(db: Database.Database, metricsStore?: MetricsStore) {
    this.db = db;
    this.metricsStore = metricsStore;
    this.resources = new Dictionary<ResourceRow>(
      db,
      'resources',
      ['tenant', 'service_name', 'attributes', 'dropped_attributes_count', 'schema_url'],
      (r) => [r.tenant, r.serviceName, r.attributes, r.droppedAttributesCount, r.schemaUrl],
    );
    this.scopes = new Dictionary<ScopeRow>(
      db,
      'scopes',
      ['name', 'version', 'attributes', 'dropped_attributes_count', 'schema_url'],
      (s) => [s.name, s.version, s.attributes, s.droppedAttributesCount, s.schemaUrl],
    );
    this.traceExists = db.prepare(TRACE_EXISTS).pluck();
    this.spanIdsOfTrace = db.prepare(SPAN_IDS_OF_TRACE).pluck();
    this.insertTraceGroup = db.prepare(INSERT_TRACE_GROUP);
    this.insertEvent = db.prepare(`
      INSERT INTO span_events (span_row, seq, time_ns, name, attributes, dropped_attributes_count)
      VALUES (?, ?, ?, ?, ?, ?)`);
    this.insertLink = db.prepare(`
      INSERT INTO span_links (span_row, seq, trace_id, span_id, trace_state, flags, attributes,
        dropped_attributes_count)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertLog = db.prepare(`
      INSERT INTO log_records (resource_id, scope_id, timestamp_ns, time_ns, observed_time_ns, severity_number,
        severity_text, body, attributes, dropped_attributes_count, flags, trace_id, span_id, event_name)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.writeAll = db.transaction((batch: readonly PreparedWrite[]) => {
      const outcome = emptyOutcome();
      for (const write of batch) {
        if (write.signal === 'traces') for (const group of write.groups) this.writeSpans(group, outcome);
        else if (write.signal === 'logs') for (const group of write.groups) this.writeLogs(group, outcome);
      }
      return outcome;
    });
  }

  /**
   * Writes every request of the batch: the spans and log records in one transaction (all of it is committed,
   * or none, and it throws). Metric samples go first, through the metrics store's own transactions: an
   * append is idempotent (a sample stored again with the same value is ignored), so a batch retried after
   * a failure stores nothing twice.
   */
  write(batch: readonly PreparedWrite[]): WriteOutcome {
    const metrics = emptyOutcome();
    for (const write of batch) {
      if (write.signal !== 'metrics') continue;
      if (!this.metricsStore) throw new Error('this store writer has no metrics store');
      for (const appendBatch of write.batches) {
        const appended = this.metricsStore.appendSync(appendBatch);
        metrics.samples += appended.appended;
        metrics.outOfOrderSamples += appended.outOfOrder;
        metrics.duplicateSamples += appended.duplicates;
        metrics.invalidSamples += appended.invalid;
      }
    }
    if (!batch.some((write) => write.signal !== 'metrics')) return metrics;
    try {
      const outcome = { ...this.writeAll(batch), ...pick(metrics) };
      this.resources.committed();
      this.scopes.committed();
      return outcome;
    } catch (error) {
      this.resources.rolledBack();
      this.scopes.rolledBack();
      throw error;
    }
  }

  /** Forgets the cached resource and scope ids (call after deleting resources or scopes). */
  forgetDictionaries(): void {
    if (this.db.inTransaction) throw new Error('forgetDictionaries() inside a transaction');
    this.resources.clear();
    this.scopes.clear();
  }

  private writeSpans(group: RowGroup<SpanRow>, outcome: WriteOutcome): void {
    const resourceId = this.resources.idOf(group.resource);
    const scopeId = this.scopes.idOf(group.scope);
    const traces = this.newSpansByTrace(group.rows, outcome);
    const rows = traces.flat();
    // Spans go in by statements of up to SPANS_PER_INSERT rows (one call into SQLite per statement
    // rather than per row), in power-of-two chunks. Every span of `rows` is new, so every one gets a row,
    // and the rows of one write are consecutive: the i-th span is row first + i.
    let first = 0;
    let at = 0;
    while (at < rows.length) {
      const left = rows.length - at;
      let size = SPANS_PER_INSERT;
      while (size > left) size >>= 1;
      const last = this.insertSpanChunk(rows, at, size, resourceId, scopeId);
      if (at === 0) first = last - size + 1;
      else if (last !== first + at + size - 1) throw new Error('span rows are not consecutive');
      at += size;
    }
    outcome.spans += rows.length;
    for (let i = 0; i < rows.length; i++) {
      const span = rows[i] as SpanRow;
      if (span.events.length > 0 || span.links.length > 0) this.writeSpanChildren(span, first + i);
    }
    // One trace_groups entry per trace: its spans are the next traceSpans.length rows.
    let row = first;
    for (const traceSpans of traces) {
      this.insertTraceGroup.run((traceSpans[0] as SpanRow).traceId, row, row + traceSpans.length - 1);
      row += traceSpans.length;
    }
  }

  /**
   * The spans of `spans` the store does not have yet, grouped by trace (in the order each trace first
   * appears; no group is empty). A span is already stored when an export is retried, or given twice in one
   * request; those are counted as duplicates. Only traces the store already has are read back.
   */
  private newSpansByTrace(spans: readonly SpanRow[], outcome: WriteOutcome): SpanRow[][] {
    const byTrace = new Map<string, SpanRow[]>();
    for (const span of spans) {
      const key = span.traceId.toString('latin1');
      const group = byTrace.get(key);
      if (group) group.push(span);
      else byTrace.set(key, [span]);
    }
    const fresh: SpanRow[][] = [];
    for (const group of byTrace.values()) {
      const traceId = (group[0] as SpanRow).traceId;
      // Most traces are new: a probe of trace_groups' key says so, cheaper than reading span ids through
      // the join (measured: 2 µs a span more when every trace was read back).
      const stored =
        this.traceExists.get(traceId) === undefined ? [] : (this.spanIdsOfTrace.all(traceId) as Buffer[]);
      if (stored.length === 0 && group.length === 1) {
        fresh.push(group);
        continue;
      }
      const seen = new Set(stored.map((id) => id.toString('latin1')));
      const kept = group.filter((span) => {
        const key = span.spanId.toString('latin1');
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      outcome.duplicateSpans += group.length - kept.length;
      if (kept.length > 0) fresh.push(kept);
    }
    return fresh;
  }

  /** Inserts rows[from ... from + size - 1]; returns the last row id. */
  private insertSpanChunk(
    rows: readonly SpanRow[],
    from: number,
    size: number,
    resourceId: number,
    scopeId: number,
  ): number {
    const params = this.spanParams(size);
    let p = 0;
    for (let i = from; i < from + size; i++) {
      const span = rows[i] as SpanRow;
      params[p++] = span.traceId;
      params[p++] = span.spanId;
      params[p++] = span.parentSpanId;
      params[p++] = resourceId;
      params[p++] = scopeId;
      params[p++] = span.name;
      params[p++] = span.kind;
      params[p++] = span.startNs;
      params[p++] = span.endNs;
      params[p++] = span.statusCode;
      params[p++] = span.statusMessage;
      params[p++] = span.traceState;
      params[p++] = span.flags;
      params[p++] = span.attributes;
      params[p++] = span.droppedAttributesCount;
      params[p++] = span.droppedEventsCount;
      params[p++] = span.droppedLinksCount;
    }
    return Number(this.spanInsert(size).run(params).lastInsertRowid);
  }

  private writeSpanChildren(span: SpanRow, spanRow: number): void {
    span.events.forEach((event, seq) => {
      this.insertEvent.run(
        spanRow,
        seq,
        event.timeNs,
        event.name,
        event.attributes,
        event.droppedAttributesCount,
      );
    });
    span.links.forEach((link, seq) => {
      this.insertLink.run(
        spanRow,
        seq,
        link.traceId,
        link.spanId,
        link.traceState,
        link.flags,
        link.attributes,
        link.droppedAttributesCount,
      );
    });
  }

  /** The insert statement for `rows` spans (a power of two up to SPANS_PER_INSERT), prepared once. */
  private spanInsert(rows: number): Database.Statement {
    let statement = this.spanInserts.get(rows);
    if (!statement) {
      const values = Array.from({ length: rows }, () => SPAN_VALUES).join(', ');
      statement = this.db.prepare(`${INSERT_SPANS} VALUES ${values}`);
      this.spanInserts.set(rows, statement);
    }
    return statement;
  }

  /** A reusable parameter array for a chunk of `rows` spans. */
  private spanParams(rows: number): unknown[] {
    let params = this.spanParamArrays.get(rows);
    if (!params) {
      params = new Array<unknown>(rows * SPAN_COLUMNS);
      this.spanParamArrays.set(rows, params);
    }
    return params;
  }

  private writeLogs(group: RowGroup<LogRow>, outcome: WriteOutcome): void {
    const resourceId = this.resources.idOf(group.resource);
    const scopeId = this.scopes.idOf(group.scope);
    for (const log of group.rows) {
      this.insertLog.run(
        resourceId,
        scopeId,
        log.timestampNs,
        log.timeNs,
        log.observedTimeNs,
        log.severityNumber,
        log.severityText,
        log.body,
        log.attributes,
        log.droppedAttributesCount,
        log.flags,
        log.traceId,
        log.spanId,
        log.eventName,
      );
      outcome.logRecords++;
    }
  }
}

function emptyOutcome(): WriteOutcome {
  return {
    spans: 0,
    duplicateSpans: 0,
    logRecords: 0,
    samples: 0,
    outOfOrderSamples: 0,
    duplicateSamples: 0,
    invalidSamples: 0,
  };
}

function pick(
  outcome: WriteOutcome,
): Pick<WriteOutcome, 'samples' | 'outOfOrderSamples' | 'duplicateSamples' | 'invalidSamples'> {
  const { samples, outOfOrderSamples, duplicateSamples, invalidSamples } = outcome;
  return { samples, outOfOrderSamples, duplicateSamples, invalidSamples };
}
