// Where the evaluator keeps alert state across restarts: a SQLite file (better-sqlite3) with the state of each
// alerting rule (pending/firing alerts with active-since, fired-at, last value, keep_firing_for start) and the
// history of transitions (pending, firing, resolved). Written after every group evaluation, in one
// transaction, so a restart mid-`for` resumes the timer where it was.
import { openStateDatabase, type StateDatabase } from '../state/database.ts';
import type { Alert } from './alert-state.ts';

export interface AlertTransition {
  timeMs: number;
  group: string;
  rule: string;
  /** The new state: pending, firing or resolved. */
  status: 'pending' | 'firing' | 'resolved';
  labels: Record<string, string>;
  value: number;
}

export class AlertStateStore {
  readonly #db: StateDatabase;
  readonly #owned: boolean;

  /** A file path (opened and closed by the store) or the service's open state database. */
  constructor(file: string | StateDatabase) {
    this.#owned = typeof file === 'string';
    this.#db = typeof file === 'string' ? openStateDatabase(file) : file;
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS rule_state (
        group_key TEXT NOT NULL, rule TEXT NOT NULL, alerts TEXT NOT NULL, updated_ms INTEGER NOT NULL,
        PRIMARY KEY (group_key, rule));
      CREATE TABLE IF NOT EXISTS alert_history (
        id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, group_key TEXT NOT NULL, rule TEXT NOT NULL,
        status TEXT NOT NULL, labels TEXT NOT NULL, value REAL);
      CREATE TABLE IF NOT EXISTS group_state (
        group_key TEXT PRIMARY KEY, last_eval_ms INTEGER NOT NULL);`);
  }

  /** The saved alerts of each rule of a group (by rule key), and when it was last evaluated. */
  load(groupKey: string): { rules: Map<string, Alert[]>; lastEvalMs: number | undefined } {
    const rules = new Map<string, Alert[]>();
    const rows = this.#db
      .prepare('SELECT rule, alerts FROM rule_state WHERE group_key = ?')
      .all(groupKey) as Array<{
      rule: string;
      alerts: string;
    }>;
    for (const row of rows) rules.set(row.rule, JSON.parse(row.alerts) as Alert[]);
    const g = this.#db.prepare('SELECT last_eval_ms FROM group_state WHERE group_key = ?').get(groupKey) as
      | { last_eval_ms: number }
      | undefined;
    return { rules, lastEvalMs: g?.last_eval_ms };
  }

  save(groupKey: string, timeMs: number, rules: Map<string, Alert[]>, transitions: AlertTransition[]): void {
    const upsert = this.#db.prepare(
      'INSERT INTO rule_state (group_key, rule, alerts, updated_ms) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (group_key, rule) DO UPDATE SET alerts = excluded.alerts, updated_ms = excluded.updated_ms',
    );
    const history = this.#db.prepare(
      'INSERT INTO alert_history (time_ms, group_key, rule, status, labels, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#db.transaction(() => {
      for (const [rule, alerts] of rules) upsert.run(groupKey, rule, JSON.stringify(alerts), timeMs);
      for (const t of transitions)
        history.run(
          t.timeMs,
          groupKey,
          t.rule,
          t.status,
          JSON.stringify(t.labels),
          Number.isFinite(t.value) ? t.value : null,
        );
      this.#db
        .prepare(
          'INSERT INTO group_state (group_key, last_eval_ms) VALUES (?, ?) ON CONFLICT (group_key) DO UPDATE SET last_eval_ms = excluded.last_eval_ms',
        )
        .run(groupKey, timeMs);
    })();
  }

  history(limit = 1000): AlertTransition[] {
    const rows = this.#db
      .prepare('SELECT * FROM alert_history ORDER BY id DESC LIMIT ?')
      .all(limit) as Array<{
      time_ms: number;
      group_key: string;
      rule: string;
      status: string;
      labels: string;
      value: number | null;
    }>;
    return rows.reverse().map((r) => ({
      timeMs: r.time_ms,
      group: r.group_key,
      rule: r.rule,
      status: r.status as AlertTransition['status'],
      labels: JSON.parse(r.labels) as Record<string, string>,
      value: r.value ?? Number.NaN,
    }));
  }

  close(): void {
    if (this.#owned) this.#db.close();
  }
}
