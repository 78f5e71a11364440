// Read access to the intake's database (readings), for the workers and the backend API. Every query
// runs under a database span (shared/db-span.ts), so a job's or a request's trace shows its reads.
// BAD-quality readings are never used.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { withDbSpan } from './db-span.ts';

export const HOUR_MS = 3_600_000;

export interface ReadingPoint {
  ts: number;
  value: number;
  quality: string;
}

export class IntakeReader {
  readonly #path: string;
  #db: Database.Database | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** Opened on first use: the workers may start before the intake has created its database. */
  get db(): Database.Database {
    if (!this.#db) {
      if (this.#path !== ':memory:' && !existsSync(this.#path)) {
        throw new Error(`the intake database ${this.#path} does not exist (yet)`);
      }
      const db = new Database(this.#path);
      db.pragma('busy_timeout = 5000');
      this.#db = db;
    }
    return this.#db;
  }

  /** Mean value of a tag per hour, keyed by the hour index (Unix ms / 3 600 000), over [fromMs, toMs). */
  hourlyMeans(client: string, tag: string, fromMs: number, toMs: number): Map<number, number> {
    const rows = withDbSpan('SELECT', 'readings', () =>
      this.db
        .prepare(
          `SELECT ts / ${HOUR_MS} AS h, avg(value) AS v FROM readings
           WHERE client = ? AND tag = ? AND ts >= ? AND ts < ? AND quality != 'BAD' GROUP BY h`,
        )
        .all(client, tag, fromMs, toMs),
    ) as Array<{ h: number; v: number }>;
    return new Map(rows.map((r) => [r.h, r.v]));
  }

  /** The readings of several tags over [fromMs, toMs), oldest first (BAD ones left out). */
  series(client: string, tags: readonly string[], fromMs: number, toMs: number): Map<string, ReadingPoint[]> {
    const result = new Map<string, ReadingPoint[]>(tags.map((t) => [t, []]));
    if (tags.length === 0) return result;
    const rows = withDbSpan('SELECT', 'readings', () =>
      this.db
        .prepare(
          `SELECT tag, ts, value, quality FROM readings
           WHERE client = ? AND tag IN (SELECT value FROM json_each(?)) AND ts >= ? AND ts < ? AND quality != 'BAD'
           ORDER BY ts`,
        )
        .all(client, JSON.stringify(tags), fromMs, toMs),
    ) as Array<{ tag: string; ts: number; value: number; quality: string }>;
    for (const r of rows) result.get(r.tag)?.push({ ts: r.ts, value: r.value, quality: r.quality });
    return result;
  }

  /** Readings of one tag, any quality, oldest first, at most `limit` (the newest ones when cut). */
  readings(client: string, tag: string, fromMs: number, toMs: number, limit: number): ReadingPoint[] {
    const rows = withDbSpan('SELECT', 'readings', () =>
      this.db
        .prepare(
          `SELECT ts, value, quality FROM readings WHERE client = ? AND tag = ? AND ts >= ? AND ts < ?
           ORDER BY ts DESC LIMIT ?`,
        )
        .all(client, tag, fromMs, toMs, limit),
    ) as ReadingPoint[];
    return rows.reverse();
  }

  /** The newest usable value of a tag at or before `atMs`. */
  lastValue(client: string, tag: string, atMs = Number.MAX_SAFE_INTEGER): ReadingPoint | undefined {
    return withDbSpan('SELECT', 'readings', () =>
      this.db
        .prepare(
          `SELECT ts, value, quality FROM readings WHERE client = ? AND tag = ? AND ts <= ? AND quality != 'BAD'
           ORDER BY ts DESC LIMIT 1`,
        )
        .get(client, tag, atMs),
    ) as ReadingPoint | undefined;
  }

  /** Time of the newest reading of the client among these tags (one index lookup per tag). */
  newestReadingMs(client: string, tags: readonly string[]): number | undefined {
    const statement = this.db.prepare('SELECT max(ts) AS ts FROM readings WHERE client = ? AND tag = ?');
    let newest: number | undefined;
    withDbSpan('SELECT', 'readings', () => {
      for (const tag of tags) {
        const ts = (statement.get(client, tag) as { ts: number | null }).ts;
        if (ts !== null && (newest === undefined || ts > newest)) newest = ts;
      }
    });
    return newest;
  }

  close(): void {
    if (this.#db?.open) this.#db.close();
    this.#db = undefined;
  }
}
