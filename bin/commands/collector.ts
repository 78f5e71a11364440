// `dss-obs collector`: run the collector (OTLP in, SQLite store, query server), and look after its
// database: `stats` (what is stored) and `vacuum` (apply retention once, give free space back).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULT_QUEUE_LIMIT_BYTES,
  formatBytes,
  parseByteSize,
  parseDuration,
  type RunningCollector,
  startCollector,
} from '@dss/collector/collector';
import type { ScrapeTarget } from '@dss/collector/metrics';
import { isLoopback, parseTokenList } from '@dss/collector/receiver';
import {
  fileSizes,
  openDatabase,
  pageUsage,
  Retention,
  readStoreStats,
  type StoreStats,
} from '@dss/collector/store';
import { type Command, InvalidArgumentError } from 'commander';

const DEFAULT_DATA_PATH = '.data/collector.sqlite';
const DEFAULT_MAX_AGE = '7d';
const DEFAULT_MAX_SIZE = '2GiB';

function portArgument(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('expected a port number (0-65535)');
  return n;
}

// `off` stays a string: commander replaces a parser's undefined with ''.
type Limit = number | 'off';
const limit = (value: Limit | undefined): number | undefined => (value === 'off' ? undefined : value);

/** A duration, or `off` for no limit. */
function maxAgeArgument(value: string): Limit {
  if (value === 'off') return value;
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** A size, or `off` for no limit. */
function sizeArgument(value: string): Limit {
  if (value === 'off') return value;
  try {
    return parseByteSize(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export interface ServeOptions {
  host: string;
  /** `job=url` or a bare url (job "scrape"), repeatable. */
  scrape?: string[];
  scrapeInterval?: number;
  /** Scrape the collector's own /metrics (default true). */
  selfScrape?: boolean;
  grpcPort: number;
  httpPort: number;
  queryPort: number;
  data: string;
  queueLimit?: Limit;
  maxAge?: Limit;
  maxSize?: Limit;
}

interface MaintenanceOptions {
  data: string;
  json?: boolean;
  maxAge?: Limit;
  maxSize?: Limit;
}

export function registerCollectorCommand(program: Command): void {
  const collector = program
    .command('collector')
    .description('the OTLP collector and its SQLite store (serve by default; stats, vacuum)');

  addServeOptions(
    collector
      .command('serve', { isDefault: true })
      .description('receive OTLP (gRPC and HTTP), store it in SQLite, serve the query API and /metrics'),
  ).action(async function (this: Command, options: ServeOptions) {
    await serveCollector(this, options, 'dss-obs collector');
  });

  collector
    .command('stats')
    .description('rows, time range and size of the store, per table and per tenant')
    .option('--data <file>', 'the SQLite database file', DEFAULT_DATA_PATH)
    .option('--json', 'print JSON')
    .action((options: MaintenanceOptions) => {
      const file = existingDatabase(options.data);
      const { db } = openDatabase(file, { create: false, upgrade: false });
      try {
        const stats = readStoreStats(db, file);
        process.stdout.write(options.json ? `${statsJson(stats)}\n` : renderStats(stats));
      } finally {
        db.close();
      }
    });

  collector
    .command('vacuum')
    .description('apply retention once (with --max-age/--max-size), then rebuild the file to give space back')
    .option('--data <file>', 'the SQLite database file', DEFAULT_DATA_PATH)
    .option('--max-age <duration>', 'first delete records older than this (e.g. 7d)', maxAgeArgument)
    .option('--max-size <size>', 'first delete the oldest records past this size (e.g. 2GiB)', sizeArgument)
    .action(async (options: MaintenanceOptions) => {
      const file = existingDatabase(options.data);
      const { db } = openDatabase(file, { create: false });
      try {
        const before = onDisk(file);
        // A running collector may share the file: its writer caches resource ids, so leave resources be.
        const retention = new Retention(db, {
          maxAgeMs: limit(options.maxAge),
          maxBytes: limit(options.maxSize),
          deleteUnusedResources: false,
        });
        if (retention.enabled) {
          const pass = await retention.runPass();
          console.log(`retention: deleted ${pass.spans} spans and ${pass.logRecords} log records`);
        }
        // VACUUM takes the write lock for its duration: a running collector answers 503 meanwhile.
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.exec('VACUUM');
        db.pragma('wal_checkpoint(TRUNCATE)');
        console.log(
          `${file}: ${formatBytes(before)} → ${formatBytes(onDisk(file))} (in use: ${formatBytes(pageUsage(db).usedBytes)})`,
        );
      } finally {
        db.close();
      }
    });
}

/** The flags of `dss-obs collector serve`, shared with `dss-obs up`. */
export function addServeOptions(command: Command): Command {
  return command
    .option(
      '--host <address>',
      'address to bind (other than loopback needs DSS_COLLECTOR_TOKENS)',
      '127.0.0.1',
    )
    .option('--grpc-port <port>', 'OTLP/gRPC port', portArgument, 4317)
    .option('--http-port <port>', 'OTLP/HTTP port', portArgument, 4318)
    .option('--query-port <port>', 'query API and /metrics port', portArgument, 3200)
    .option('--data <file>', 'the SQLite database file', DEFAULT_DATA_PATH)
    .option(
      '--queue-limit <size>',
      `queued bytes past which exports are refused, to be retried (default: ${formatBytes(DEFAULT_QUEUE_LIMIT_BYTES)})`,
      sizeArgument,
    )
    .option(
      '--max-age <duration>',
      `delete records older than this (e.g. 7d, 36h), or off (default: ${DEFAULT_MAX_AGE})`,
      maxAgeArgument,
    )
    .option(
      '--max-size <size>',
      `delete the oldest records past this size (e.g. 2GiB), or off (default: ${DEFAULT_MAX_SIZE})`,
      sizeArgument,
    )
    .option(
      '--scrape <[job=]url>',
      'a Prometheus /metrics endpoint to scrape into the metrics store (repeatable)',
      (value: string, previous: string[] = []) => [...previous, scrapeTargetArgument(value)],
    )
    .option(
      '--scrape-interval <duration>',
      'time between scrapes of a target (default: 15s)',
      durationArgument,
    )
    .option('--no-self-scrape', "do not scrape the collector's own /metrics");
}

/** `job=url` or a bare url, validated. */
function scrapeTargetArgument(value: string): string {
  const url = value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new InvalidArgumentError(`expected [job=]http://host:port/metrics, got "${value}"`);
  }
  return value;
}

function durationArgument(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** The scrape targets of the flags, plus the collector's own /metrics unless --no-self-scrape. */
function scrapeTargets(options: ServeOptions): ScrapeTarget[] {
  const targets = (options.scrape ?? []).map((value) => {
    const at = value.indexOf('=');
    const job = at > 0 && !value.slice(0, at).includes('/') ? value.slice(0, at) : 'scrape';
    const url = job === 'scrape' && at <= 0 ? value : value.slice(at + 1);
    return { job, url };
  });
  if (options.selfScrape !== false) {
    targets.push({ job: 'dss-collector', url: `http://127.0.0.1:${options.queryPort}/metrics` });
  }
  return targets;
}

/** What runs beside the collector (`dss-obs up`'s services): lines to print, and how to stop it. */
export interface Companion {
  lines: string[];
  /** Called before the collector closes, so that the companions' last telemetry is stored. */
  stop?: () => Promise<void>;
}

/** Runs the collector until SIGINT or SIGTERM, printing where everything is. */
export async function serveCollector(
  command: Command,
  options: ServeOptions,
  title: string,
  companion: (
    running: RunningCollector,
    url: (port: number | undefined) => string,
  ) => Promise<Companion> = async () => ({
    lines: [],
  }),
): Promise<void> {
  const maxAge = limit(options.maxAge ?? parseDuration(DEFAULT_MAX_AGE));
  const maxSize = limit(options.maxSize ?? parseByteSize(DEFAULT_MAX_SIZE));
  const tokens = process.env.DSS_COLLECTOR_TOKENS;
  const auth = tokens ? parseTokenList(tokens) : undefined;
  // The rule startCollector enforces, checked first so that breaking it is a usage error (exit 2).
  if (!auth && !isLoopback(options.host)) {
    command.error(
      `${title}: refusing to bind ${options.host} without authentication; set DSS_COLLECTOR_TOKENS=token=tenant,... or use 127.0.0.1`,
      { exitCode: 2, code: 'dss.usage' },
    );
  }
  const dbPath = resolve(options.data);
  const running = await startCollector({
    dbPath,
    host: options.host,
    grpcPort: options.grpcPort,
    httpPort: options.httpPort,
    queryPort: options.queryPort,
    queueLimitBytes: limit(options.queueLimit) ?? DEFAULT_QUEUE_LIMIT_BYTES,
    retention: { maxAgeMs: maxAge, maxBytes: maxSize },
    auth,
    onUpgrade: (migration) =>
      console.log(
        `${title}: upgrading ${dbPath} to schema version ${migration.version} (${migration.description}); ` +
          'this can take a minute on a large file',
      ),
    scrape: {
      // A query port of 0 is only known once bound: self-scrape needs a fixed one.
      targets: scrapeTargets({
        ...options,
        selfScrape: options.selfScrape !== false && options.queryPort !== 0,
      }),
      ...(options.scrapeInterval === undefined ? {} : { intervalMs: options.scrapeInterval }),
    },
  });
  // Listen before printing: until a listener exists, a signal's default action ends the process.
  const stopRequested = new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  const url = (port: number | undefined) => `http://${options.host}:${port}`;
  console.log(`${title}: storing in ${dbPath}`);
  console.log(`  OTLP/gRPC  ${url(running.grpcPort)}   (OTEL_EXPORTER_OTLP_ENDPOINT for gRPC)`);
  console.log(`  OTLP/HTTP  ${url(running.httpPort)}   (/v1/traces, /v1/metrics, /v1/logs)`);
  console.log(
    `  Query API  ${url(running.queryPort)}   (Tempo, Loki and Prometheus APIs; /metrics: the collector's own metrics)`,
  );
  const scraped = scrapeTargets(options);
  if (scraped.length > 0) console.log(`  Scraping   ${scraped.map((t) => `${t.job}=${t.url}`).join(', ')}`);
  console.log(
    `  Retention: ${maxAge === undefined ? 'no age limit' : `records older than ${formatDuration(maxAge)}`}, ` +
      `${maxSize === undefined ? 'no size limit' : `at most ${formatBytes(maxSize)}`}`,
  );
  console.log(
    auth
      ? `  Authentication: ${auth.tokens.length} bearer token(s) from DSS_COLLECTOR_TOKENS`
      : '  No authentication (DSS_COLLECTOR_TOKENS unset): serving on this machine only.',
  );
  const beside = await companion(running, url);
  for (const line of beside.lines) console.log(line);
  console.log('  Ctrl-C to stop.');
  await stopRequested;
  console.log(`${title}: stopping (committing what was acknowledged)`);
  await beside.stop?.();
  await running.close();
}

function existingDatabase(path: string): string {
  const file = resolve(path);
  if (!existsSync(file)) throw new Error(`no collector database at ${file} (use --data <file>)`);
  return file;
}

function onDisk(file: string): number {
  const { fileBytes, walBytes } = fileSizes(file);
  return fileBytes + walBytes;
}

function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const isoTime = (ns: bigint | undefined) =>
  ns === undefined ? '' : new Date(Number(ns / 1_000_000n)).toISOString();

function statsJson(stats: StoreStats): string {
  return JSON.stringify(stats, (_key, value) => (typeof value === 'bigint' ? value.toString() : value), 2);
}

function renderStats(stats: StoreStats): string {
  const lines = [
    `${stats.file} (schema version ${stats.schemaVersion})`,
    `  on disk ${formatBytes(stats.fileBytes)} + WAL ${formatBytes(stats.walBytes)}; in use ${formatBytes(stats.pages.usedBytes)}, free ${formatBytes(stats.pages.freePages * stats.pages.pageSize)}`,
    '',
    table(
      ['table', 'rows', 'from', 'to'],
      Object.entries(stats.tables).map(([name, t]) => [
        name,
        String(t.rows),
        isoTime(t.fromNs),
        isoTime(t.toNs),
      ]),
    ),
    '',
    stats.tenants.length === 0
      ? 'no spans or log records stored'
      : table(
          ['tenant (dss.client)', 'spans', 'log records', 'services'],
          stats.tenants.map((t) => [
            t.tenant === '' ? '(none)' : t.tenant,
            String(t.spans),
            String(t.logRecords),
            t.services.join(', '),
          ]),
        ),
  ];
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
