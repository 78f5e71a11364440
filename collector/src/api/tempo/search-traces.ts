// A Tempo search over the store: candidate traces from SQL (time range, tenant, the narrowing SQL can do),
// the TraceQL query evaluated on each whole trace, the first `limit` matches, most recent first.
//
// The work is bounded: at most MAX_INSPECTED_TRACES candidate traces are read and evaluated per search.
// A query SQL cannot narrow (`{ duration > 1s }`) over a busy hour therefore looks at the most recent
// traces only, as Tempo's own search does when it hits its job limits; narrow the time range to go further.
import type Database from 'better-sqlite3';
import type { TenantScope } from '../../auth/tokens.ts';
import type { SearchSpan, SearchTrace } from '../../query/tempo/index.ts';
import { evaluateTrace, type TraceQLQuery } from '../../query/traceql/index.ts';
import { candidateTraces } from './search-candidates.ts';
import { narrowingOf } from './search-narrowing.ts';
import { attributeFieldsOf, shownAttributes } from './shown-attributes.ts';
import { TraceSpanReader } from './trace-span-views.ts';

export const MAX_INSPECTED_TRACES = 5000;

/** What Tempo shows for a trace whose root span has not arrived. */
const NO_ROOT_SPAN = '<root span not yet received>';

export interface SearchOptions {
  startNs: bigint;
  endNs: bigint;
  tenant: TenantScope;
  /** Traces returned. */
  limit: number;
  /** Spans returned per spanset. */
  spansPerSpanSet: number;
}

export interface SearchResult {
  traces: SearchTrace[];
  inspectedTraces: number;
}

export function searchTraces(
  db: Database.Database,
  query: TraceQLQuery,
  options: SearchOptions,
): SearchResult {
  const reader = new TraceSpanReader(db, options.tenant);
  const fields = attributeFieldsOf(query);
  const traces: SearchTrace[] = [];
  let inspectedTraces = 0;
  const candidates = candidateTraces(db, {
    startNs: options.startNs,
    endNs: options.endNs,
    tenant: options.tenant,
    narrowing: narrowingOf(query),
  });
  for (const traceId of candidates) {
    if (traces.length >= options.limit || inspectedTraces >= MAX_INSPECTED_TRACES) break;
    inspectedTraces++;
    const trace = reader.read(traceId);
    if (!trace) continue;
    const matched = evaluateTrace(query, trace.spans);
    if (!matched) continue;
    const spans = matched.slice(0, options.spansPerSpanSet).map(
      (span): SearchSpan => ({
        spanId: span.spanId,
        name: span.name,
        startTimeUnixNano: span.startNs,
        durationNanos: span.endNs - span.startNs,
        attributes: shownAttributes(fields, span),
      }),
    );
    traces.push({
      traceId: trace.traceId,
      rootServiceName: trace.rootServiceName || NO_ROOT_SPAN,
      rootTraceName: trace.rootName,
      startTimeUnixNano: trace.startNs,
      durationMs: Number(trace.endNs - trace.startNs) / 1e6,
      spanSets: [{ spans, matched: matched.length }],
    });
  }
  traces.sort((a, b) =>
    a.startTimeUnixNano > b.startTimeUnixNano ? -1 : a.startTimeUnixNano < b.startTimeUnixNano ? 1 : 0,
  );
  return { traces, inspectedTraces };
}
