// Writes prepared requests to the database, several per transaction. One writer per database: it is
// the only place that inserts, so its dictionaries of resource and scope ids stay true.
import type Database from 'better-sqlite3';
import { Dictionary } from './dictionary.ts';
import type { MetricsStore } from './metrics-store.ts';
import type { LogRow, PreparedWrite, ResourceRow, RowGroup, ScopeRow, SpanRow } from './rows.ts';

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
  private readonly selectSpanRow: Database.Statement;
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
    this.selectSpanRow = db.prepare('SELECT id FROM spans WHERE trace_id = ? AND span_id = ?').pluck();
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
    const rows = group.rows;
    // Spans go in by statements of up to SPANS_PER_INSERT rows (one call into SQLite per statement
    // rather than per row), in the order they came, in power-of-two chunks.
    let at = 0;
    while (at < rows.length) {
      const left = rows.length - at;
      let size = SPANS_PER_INSERT;
      while (size > left) size >>= 1;
      this.insertSpanChunk(rows, at, size, resourceId, scopeId, outcome);
      at += size;
    }
  }

  private insertSpanChunk(
    rows: readonly SpanRow[],
    from: number,
    size: number,
    resourceId: number,
    scopeId: number,
    outcome: WriteOutcome,
  ): void {
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
    const inserted = this.spanInsert(size).run(params);
    outcome.spans += inserted.changes;
    outcome.duplicateSpans += size - inserted.changes;
    if (inserted.changes === 0) return;
    // Row ids of one INSERT are consecutive (each new row takes the largest id + 1, and this is the only
    // writer): the rows it added are last - changes + 1 ... last. When every span went in, the i-th one
    // is row last - size + 1 + i.
    const last = Number(inserted.lastInsertRowid);
    const all = inserted.changes === size;
    const before = last - inserted.changes;
    if (all) {
      for (let i = 0; i < size; i++) {
        const span = rows[from + i] as SpanRow;
        if (span.events.length > 0 || span.links.length > 0) this.writeSpanChildren(span, before + i + 1);
      }
      return;
    }
    // Some were duplicates: which span each new row is. A span given twice in the chunk went in at its
    // first occurrence, so every span is looked up in order, and a new id belongs to the first that finds it.
    const claimed = new Set<number>();
    for (let i = 0; i < size; i++) {
      const span = rows[from + i] as SpanRow;
      const id = this.selectSpanRow.get(span.traceId, span.spanId) as number | undefined;
      if (id === undefined || id <= before || claimed.has(id)) continue;
      claimed.add(id);
      if (span.events.length > 0 || span.links.length > 0) this.writeSpanChildren(span, id);
    }
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
      statement = this.db.prepare(
        `${INSERT_SPANS} VALUES ${values} ON CONFLICT (trace_id, span_id) DO NOTHING`,
      );
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
