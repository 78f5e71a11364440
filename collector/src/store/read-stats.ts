// What is in the store: rows and time range per table, file sizes, and spans and log records per tenant
// (`dss-obs collector stats`). Counting scans the indexes: a second or so for millions of rows.
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { forEachLogSample } from './metrics-head-log.ts';
import { schemaVersionOf } from './migrate.ts';

export interface PageUsage {
  pageSize: number;
  pageCount: number;
  freePages: number;
  /** Bytes in pages that hold data: what size-based retention measures. */
  usedBytes: number;
}

export interface TableStats {
  rows: number;
  /** Oldest and newest record time (ns), for tables with a time index. */
  fromNs?: bigint;
  toNs?: bigint;
}

export interface TenantStats {
  /** The dss.client of the data; '' for data without one. */
  tenant: string;
  services: string[];
  spans: number;
  logRecords: number;
}

export interface StoreStats {
  file: string;
  schemaVersion: number;
  fileBytes: number;
  walBytes: number;
  pages: PageUsage;
  tables: Record<string, TableStats>;
  tenants: TenantStats[];
}

export const STORE_TABLES = [
  'resources',
  'scopes',
  'spans',
  'span_events',
  'span_links',
  'log_records',
  'metric_series',
  'metric_samples',
  'prom_series',
  'prom_head',
  'prom_chunks',
  'prom_metadata',
] as const;

/** The tables of Prometheus metrics (metrics-store.ts). */
export const METRIC_TABLES = ['prom_series', 'prom_head', 'prom_chunks', 'prom_metadata'] as const;

const TIME_COLUMNS: Partial<Record<(typeof STORE_TABLES)[number], string>> = {
  spans: 'start_ns',
  log_records: 'timestamp_ns',
  metric_samples: 'time_ns',
};

export interface MetricStorageStats {
  series: number;
  /** Samples in the head (its log, not yet compacted) and in chunks, and their sum. */
  headSamples: number;
  chunkSamples: number;
  samples: number;
  chunks: number;
  /** Bytes of the pages of each metric table with its indexes (dbstat), and their sum. */
  bytes: Record<(typeof METRIC_TABLES)[number], number> & { total: number };
  /** bytes.total / samples (NaN when there is no sample). */
  bytesPerSample: number;
}

/**
 * Samples and on-disk bytes of the Prometheus metrics: what a sample costs. Sums the chunks' sample
 * counts (a scan of the chunk table) and the dbstat page sizes of the tables and their indexes.
 */
export function metricStorageStats(db: Database.Database): MetricStorageStats {
  const count = (sql: string) => Number(db.prepare(sql).pluck().get() ?? 0);
  const series = count('SELECT count(*) FROM prom_series');
  // The head log keeps compacted samples until every sample of their row is: count those after the floor.
  const floors = new Map(
    (db.prepare('SELECT id, floor_t FROM prom_series').raw().all() as [number, number | null][]).map(
      ([id, floor]) => [id, floor ?? Number.NEGATIVE_INFINITY],
    ),
  );
  let headSamples = 0;
  for (const data of db.prepare('SELECT data FROM prom_head').pluck().iterate() as IterableIterator<Buffer>) {
    forEachLogSample(data, (id, t) => {
      const floor = floors.get(id);
      if (floor !== undefined && t > floor) headSamples++;
    });
  }
  const chunkSamples = count('SELECT coalesce(sum(count), 0) FROM prom_chunks');
  const chunks = count('SELECT count(*) FROM prom_chunks');
  const bytes = { prom_series: 0, prom_head: 0, prom_chunks: 0, prom_metadata: 0, total: 0 };
  const pages = db
    .prepare(
      `SELECT s.tbl_name AS tbl, sum(d.pgsize) AS size FROM dbstat d JOIN sqlite_schema s ON s.name = d.name
       WHERE d.aggregate = TRUE AND s.tbl_name IN (${METRIC_TABLES.map(() => '?').join(', ')})
       GROUP BY s.tbl_name`,
    )
    .all(...METRIC_TABLES) as { tbl: (typeof METRIC_TABLES)[number]; size: number }[];
  for (const { tbl, size } of pages) {
    bytes[tbl] = size;
    bytes.total += size;
  }
  const samples = headSamples + chunkSamples;
  return { series, headSamples, chunkSamples, samples, chunks, bytes, bytesPerSample: bytes.total / samples };
}

export function pageUsage(db: Database.Database): PageUsage {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const freePages = db.pragma('freelist_count', { simple: true }) as number;
  return { pageSize, pageCount, freePages, usedBytes: (pageCount - freePages) * pageSize };
}

/** Size of the database file and its WAL on disk, in bytes (0 for a file that does not exist). */
export function fileSizes(file: string): { fileBytes: number; walBytes: number } {
  const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  return { fileBytes: size(file), walBytes: size(`${file}-wal`) };
}

export function readStoreStats(db: Database.Database, file: string): StoreStats {
  const tables: Record<string, TableStats> = {};
  for (const table of STORE_TABLES) {
    const rows = Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
    const column = TIME_COLUMNS[table];
    if (column && rows > 0) {
      // Two queries, so each is answered from the end of the time index.
      const first = db
        .prepare(`SELECT min(${column}) FROM ${table}`)
        .pluck()
        .safeIntegers(true)
        .get() as bigint;
      const last = db
        .prepare(`SELECT max(${column}) FROM ${table}`)
        .pluck()
        .safeIntegers(true)
        .get() as bigint;
      tables[table] = { rows, fromNs: first, toNs: last };
    } else {
      tables[table] = { rows };
    }
  }
  return {
    file,
    schemaVersion: schemaVersionOf(db),
    ...fileSizes(file),
    pages: pageUsage(db),
    tables,
    tenants: tenantStats(db),
  };
}

function tenantStats(db: Database.Database): TenantStats[] {
  const resources = db.prepare('SELECT id, tenant, service_name FROM resources').all() as {
    id: number;
    tenant: string;
    service_name: string;
  }[];
  const count = (table: string) =>
    new Map(
      (
        db.prepare(`SELECT resource_id AS id, count(*) AS n FROM ${table} GROUP BY resource_id`).all() as {
          id: number;
          n: number;
        }[]
      ).map(({ id, n }) => [id, n]),
    );
  const spans = count('spans');
  const logs = count('log_records');
  const byTenant = new Map<string, { services: Set<string>; spans: number; logRecords: number }>();
  for (const resource of resources) {
    const spanCount = spans.get(resource.id) ?? 0;
    const logCount = logs.get(resource.id) ?? 0;
    if (spanCount === 0 && logCount === 0) continue;
    let entry = byTenant.get(resource.tenant);
    if (!entry) {
      entry = { services: new Set(), spans: 0, logRecords: 0 };
      byTenant.set(resource.tenant, entry);
    }
    if (resource.service_name !== '') entry.services.add(resource.service_name);
    entry.spans += spanCount;
    entry.logRecords += logCount;
  }
  return [...byTenant.entries()]
    .map(([tenant, entry]) => ({
      tenant,
      services: [...entry.services].sort(),
      spans: entry.spans,
      logRecords: entry.logRecords,
    }))
    .sort((a, b) => a.tenant.localeCompare(b.tenant));
}
