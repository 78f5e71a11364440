// A log query's lines: the records of the streams its selector matches, through its pipeline, with each
// line's labels split back into stream labels, structured metadata and parsed labels (what the
// categorize-labels encoding shows). Used by log queries and, with all their lines, by metric queries.
//
// Bounded: at most MAX_SCANNED_RECORDS records are read per query (callers decide what hitting it means).
import type Database from 'better-sqlite3';
import type { TenantScope } from '../../auth/tokens.ts';
import type { LogQuery, PipelineStage } from '../../query/logql/index.ts';
import { matchesSelector, runPipeline } from '../../query/logql/index.ts';
import type { LogLine } from '../../query/loki/index.ts';
import type { Labels } from './otlp-to-loki.ts';
import { scanLogEntries } from './scan-log-entries.ts';
import { loadStreamResources, resourcesMatching } from './stream-resources.ts';

export const MAX_SCANNED_RECORDS = 1_000_000;

export interface SelectOptions {
  startNs: bigint;
  endNs: bigint;
  tenant: TenantScope;
  direction: 'forward' | 'backward';
}

export interface SelectedLines {
  lines: Generator<LogLine>;
  /** Records read so far (lines filtered out included). */
  scanned(): number;
}

export function selectLogLines(
  db: Database.Database,
  query: LogQuery,
  options: SelectOptions,
): SelectedLines {
  const resources = loadStreamResources(db, options.tenant);
  const entries = scanLogEntries(db, {
    startNs: options.startNs,
    endNs: options.endNs,
    direction: options.direction,
    resources,
    resourceIds: resourcesMatching(resources, query.selector),
    traceId: traceIdFilterOf(query.pipeline),
  });
  let scanned = 0;
  function* lines(): Generator<LogLine> {
    for (const entry of entries) {
      if (++scanned > MAX_SCANNED_RECORDS) return;
      if (!matchesSelector(query.selector, entry.streamLabels)) continue;
      const result = runPipeline(query.pipeline, {
        line: entry.line,
        labels: { ...entry.structuredMetadata, ...entry.streamLabels },
      });
      if (!result) continue;
      yield {
        timestampNanos: entry.timestampNs,
        line: result.line,
        ...splitLabels(result.labels, entry.streamLabels, entry.structuredMetadata),
      };
    }
  }
  return { lines: lines(), scanned: () => Math.min(scanned, MAX_SCANNED_RECORDS) };
}

/** Which of the final labels came from the stream, from structured metadata, or from the pipeline. */
function splitLabels(
  labels: Readonly<Labels>,
  stream: Readonly<Labels>,
  metadata: Readonly<Labels>,
): { streamLabels: Labels; structuredMetadata: Labels; parsed: Labels } {
  const out = { streamLabels: {} as Labels, structuredMetadata: {} as Labels, parsed: {} as Labels };
  for (const [name, value] of Object.entries(labels)) {
    if (Object.hasOwn(stream, name)) out.streamLabels[name] = value;
    else if (Object.hasOwn(metadata, name)) out.structuredMetadata[name] = value;
    else out.parsed[name] = value;
  }
  return out;
}

/**
 * `| trace_id = "<hex>"` (Grafana's trace-to-logs query) before any parser: only that trace's records can
 * pass, and the store has an index on trace_id. After a parser the label may come from the line, so no.
 */
function traceIdFilterOf(pipeline: readonly PipelineStage[]): string | undefined {
  for (const stage of pipeline) {
    if (stage.type === 'json' || stage.type === 'logfmt') return undefined;
    if (stage.type !== 'labelFilter') continue;
    const { filter } = stage;
    if (filter.type === 'string' && filter.name === 'trace_id' && filter.op === '=') {
      return /^[0-9a-f]{32}$/.test(filter.value) ? filter.value : undefined;
    }
  }
  return undefined;
}
