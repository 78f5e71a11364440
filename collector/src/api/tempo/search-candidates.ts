// Candidate traces of a search, most recent first: the distinct trace ids of the spans that start in the
// time range (and pass the SQL narrowing), read a page at a time along the span start index so that a
// search that finds its `limit` traces early stops early. (better-sqlite3 cannot run the per-trace reads
// while an iterator is open on the same connection, hence pages rather than one cursor.)
import type Database from 'better-sqlite3';
import type { TenantScope } from '../../auth/tokens.ts';
import { STATUS_CODES } from '../../query/traceql/intrinsics.ts';
import { tenantFilter } from '../tenant-filter.ts';
import type { SearchNarrowing } from './search-narrowing.ts';

const PAGE_SPANS = 2000;
/** The status of the partial index spans_by_error (schema version 5). */
const ERROR = STATUS_CODES.error;

interface CandidateRow {
  id: bigint;
  trace_id: Buffer;
  start_ns: bigint;
}

export interface CandidateOptions {
  startNs: bigint;
  endNs: bigint;
  tenant: TenantScope;
  narrowing: SearchNarrowing;
}

/** Yields each trace id once. Stop consuming to stop reading. */
export function* candidateTraces(db: Database.Database, options: CandidateOptions): Generator<Buffer> {
  const tenant = tenantFilter(options.tenant);
  const conditions = [tenant.sql];
  const params: Record<string, unknown> = { ...tenant.params, start: options.startNs };
  if (options.narrowing.serviceName !== undefined) {
    conditions.push('AND resource_id IN (SELECT id FROM resources WHERE service_name = @serviceName)');
    params.serviceName = options.narrowing.serviceName;
  }
  if (options.narrowing.spanName !== undefined) {
    conditions.push('AND name = @spanName');
    params.spanName = options.narrowing.spanName;
  }
  if (options.narrowing.statusCode === ERROR) {
    // A literal, not a parameter: SQLite uses the partial index spans_by_error only then.
    conditions.push(`AND status_code = ${ERROR}`);
  } else if (options.narrowing.statusCode !== undefined) {
    conditions.push('AND status_code = @statusCode');
    params.statusCode = options.narrowing.statusCode;
  }
  const page = db
    .prepare(
      `SELECT id, trace_id, start_ns FROM spans
       WHERE start_ns >= @start AND (start_ns < @cursorNs OR (start_ns = @cursorNs AND id < @cursorId))
       ${conditions.join(' ')}
       ORDER BY start_ns DESC, id DESC LIMIT ${PAGE_SPANS}`,
    )
    .safeIntegers(true);

  const seen = new Set<string>();
  let cursorNs = options.endNs;
  let cursorId = 1n << 62n;
  for (;;) {
    const rows = page.all({ ...params, cursorNs, cursorId }) as CandidateRow[];
    for (const row of rows) {
      const key = row.trace_id.toString('hex');
      if (seen.has(key)) continue;
      seen.add(key);
      yield row.trace_id;
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE_SPANS) return;
    cursorNs = last.start_ns;
    cursorId = last.id;
  }
}
