// The alerts the dispatcher holds (Alertmanager keeps them in memory only and relies on Prometheus to re-send
// them after a restart; a resolve the source has forgotten is then lost). Here they are written to the state
// database as they arrive, and reloaded into their aggregation groups at start.
import type { NotifiableAlert } from '../evaluation/evaluator.ts';
import type { StateDatabase } from '../state/database.ts';

export interface StoredAlert extends NotifiableAlert {
  fingerprint: string;
}

export class AlertStore {
  readonly #db: StateDatabase | undefined;

  constructor(db?: StateDatabase) {
    this.#db = db;
    db?.exec(
      'CREATE TABLE IF NOT EXISTS dispatch_alerts (fingerprint TEXT PRIMARY KEY, alert TEXT NOT NULL, ends_ms INTEGER NOT NULL)',
    );
  }

  load(): StoredAlert[] {
    if (!this.#db) return [];
    return (this.#db.prepare('SELECT alert FROM dispatch_alerts').all() as Array<{ alert: string }>).map(
      (r) => JSON.parse(r.alert) as StoredAlert,
    );
  }

  put(alerts: readonly StoredAlert[]): void {
    const db = this.#db;
    if (!db || alerts.length === 0) return;
    const stmt = db.prepare(
      `INSERT INTO dispatch_alerts (fingerprint, alert, ends_ms) VALUES (?, ?, ?)
       ON CONFLICT (fingerprint) DO UPDATE SET alert = excluded.alert, ends_ms = excluded.ends_ms`,
    );
    db.transaction(() => {
      for (const a of alerts) stmt.run(a.fingerprint, JSON.stringify(a), a.endsAtMs);
    })();
  }

  delete(fingerprint: string): void {
    this.#db?.prepare('DELETE FROM dispatch_alerts WHERE fingerprint = ?').run(fingerprint);
  }
}
