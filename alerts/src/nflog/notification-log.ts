// The notification log (Alertmanager's nflog): per aggregation group and receiver, the fingerprints of the
// firing and resolved alerts last notified and when. The dispatcher asks it whether a flush needs to notify
// (dedup) and writes it after a notification is handed over. Kept in the service's SQLite state database, in
// the same transaction as the outbox row, so a restart neither repeats nor forgets a notification.
import type { StateDatabase } from '../state/database.ts';

export interface NflogEntry {
  firing: string[];
  resolved: string[];
  timestampMs: number;
}

export class NotificationLog {
  readonly #db: StateDatabase | undefined;
  readonly #memory = new Map<string, NflogEntry>();

  /** Without a database the log lives in memory (tests, `alerts test`). */
  constructor(db?: StateDatabase) {
    this.#db = db;
    db?.exec(`CREATE TABLE IF NOT EXISTS nflog (
      key TEXT PRIMARY KEY, firing TEXT NOT NULL, resolved TEXT NOT NULL, timestamp_ms INTEGER NOT NULL)`);
  }

  get(key: string): NflogEntry | undefined {
    if (!this.#db) return this.#memory.get(key);
    const row = this.#db.prepare('SELECT * FROM nflog WHERE key = ?').get(key) as
      | { firing: string; resolved: string; timestamp_ms: number }
      | undefined;
    return row
      ? {
          firing: JSON.parse(row.firing) as string[],
          resolved: JSON.parse(row.resolved) as string[],
          timestampMs: row.timestamp_ms,
        }
      : undefined;
  }

  put(key: string, entry: NflogEntry): void {
    if (!this.#db) {
      this.#memory.set(key, entry);
      return;
    }
    this.#db
      .prepare(
        `INSERT INTO nflog (key, firing, resolved, timestamp_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved,
           timestamp_ms = excluded.timestamp_ms`,
      )
      .run(key, JSON.stringify(entry.firing), JSON.stringify(entry.resolved), entry.timestampMs);
  }

  /** Forgets entries older than `retentionMs` (Alertmanager keeps them 120 h); returns how many. */
  gc(nowMs: number, retentionMs = 120 * 3_600_000): number {
    if (!this.#db) {
      let n = 0;
      for (const [k, e] of this.#memory)
        if (e.timestampMs < nowMs - retentionMs) {
          this.#memory.delete(k);
          n++;
        }
      return n;
    }
    return this.#db.prepare('DELETE FROM nflog WHERE timestamp_ms < ?').run(nowMs - retentionMs).changes;
  }
}
