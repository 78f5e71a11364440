// Writes spans into a database of an older schema version (before 6, trace_groups) the way the writer of
// that time stored them: a resource, a scope and one row per span, by plain SQL. The current StoreWriter
// needs the current schema, so migration tests use this to make the data an upgrade must keep.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Span } from '../../src/receiver/decoded-types.ts';
import { prepareTraces } from '../../src/store/rows.ts';
import { tracesRequest } from './telemetry-builders.ts';

export function writeSpansAsBeforeVersion6(db: Database.Database, spans: Span[], tenant = 'aveiro'): void {
  const write = prepareTraces(tracesRequest(spans, { tenant })).write;
  if (write?.signal !== 'traces') throw new Error('nothing to write');
  for (const group of write.groups) {
    const r = group.resource;
    const resourceId = db
      .prepare(
        `INSERT INTO resources (hash, tenant, service_name, attributes, dropped_attributes_count, schema_url)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        randomBytes(32),
        r.tenant,
        r.serviceName,
        r.attributes,
        r.droppedAttributesCount,
        r.schemaUrl,
      ).lastInsertRowid;
    const s = group.scope;
    const scopeId = db
      .prepare(
        `INSERT INTO scopes (hash, name, version, attributes, dropped_attributes_count, schema_url)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        randomBytes(32),
        s.name,
        s.version,
        s.attributes,
        s.droppedAttributesCount,
        s.schemaUrl,
      ).lastInsertRowid;
    const insert =
      db.prepare(`INSERT INTO spans (trace_id, span_id, parent_span_id, resource_id, scope_id, name,
      kind, start_ns, end_ns, status_code, status_message, trace_state, flags, attributes, dropped_attributes_count,
      dropped_events_count, dropped_links_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const row of group.rows) {
      if (row.events.length > 0 || row.links.length > 0)
        throw new Error('events and links are not written here');
      insert.run(
        row.traceId,
        row.spanId,
        row.parentSpanId,
        resourceId,
        scopeId,
        row.name,
        row.kind,
        row.startNs,
        row.endNs,
        row.statusCode,
        row.statusMessage,
        row.traceState,
        row.flags,
        row.attributes,
        row.droppedAttributesCount,
        row.droppedEventsCount,
        row.droppedLinksCount,
      );
    }
  }
}
