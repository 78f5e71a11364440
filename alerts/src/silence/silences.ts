// The silences of the alerts service, kept in its SQLite state database so they survive restarts (Alertmanager
// only snapshots them every 15 minutes). Create, update, expire, list, and `mutes(labels)` for the dispatcher.
// Expired silences are kept 120 h (Alertmanager's default retention), then deleted.
import { randomUUID } from 'node:crypto';
import type { Matcher } from '../dispatch/matchers.ts';
import { matches } from '../dispatch/matchers.ts';
import type { StateDatabase } from '../state/database.ts';
import {
  type ApiMatcher,
  type Silence,
  SilenceError,
  silenceState,
  toMatcher,
  validateSilence,
} from './silence.ts';

export interface SilencesOptions {
  now?: () => number;
  /** How long expired silences are kept; default 120 h. */
  retentionMs?: number;
}

export interface SilenceInput {
  id?: string;
  matchers: ApiMatcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

interface Row {
  id: string;
  matchers: string;
  starts_ms: number;
  ends_ms: number;
  created_by: string;
  comment: string;
  updated_ms: number;
}

const fromRow = (r: Row): Silence => ({
  id: r.id,
  matchers: JSON.parse(r.matchers) as ApiMatcher[],
  startsAtMs: r.starts_ms,
  endsAtMs: r.ends_ms,
  createdBy: r.created_by,
  comment: r.comment,
  updatedAtMs: r.updated_ms,
});

const key = (ms: readonly ApiMatcher[]): string =>
  JSON.stringify(ms.map((m) => [m.name, m.value, m.isRegex, m.isEqual ?? true]));

/** Alertmanager's canUpdate: same matchers, and times that the silence's state allows to change in place. */
function canUpdate(old: Silence, next: SilenceInput, now: number): boolean {
  if (key(old.matchers) !== key(next.matchers)) return false;
  switch (silenceState(old, now)) {
    case 'active':
      return next.startsAtMs === old.startsAtMs && next.endsAtMs >= now;
    case 'pending':
      return next.startsAtMs >= now;
    default:
      return false;
  }
}

export class Silences {
  readonly #db: StateDatabase;
  readonly #now: () => number;
  readonly #retentionMs: number;
  /** Compiled matchers of the silences not yet expired, by id (kept in step with the table). */
  #live = new Map<string, { silence: Silence; matchers: Matcher[] }>();
  readonly #listeners = new Set<() => void>();

  constructor(db: StateDatabase, options: SilencesOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#retentionMs = options.retentionMs ?? 120 * 3_600_000;
    db.exec(`CREATE TABLE IF NOT EXISTS silences (
      id TEXT PRIMARY KEY, matchers TEXT NOT NULL, starts_ms INTEGER NOT NULL, ends_ms INTEGER NOT NULL,
      created_by TEXT NOT NULL, comment TEXT NOT NULL, updated_ms INTEGER NOT NULL)`);
    this.#reload();
  }

  #reload(): void {
    const now = this.#now();
    const rows = this.#db.prepare('SELECT * FROM silences WHERE ends_ms > ?').all(now) as Row[];
    this.#live = new Map(
      rows.map((r) => {
        const s = fromRow(r);
        return [s.id, { silence: s, matchers: s.matchers.map(toMatcher) }];
      }),
    );
  }

  /** Called after every change (the dispatcher re-checks its groups). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }

  /**
   * Creates a silence, or updates the one with `input.id`. As Alertmanager: an active silence whose matchers
   * or start change is expired and replaced by a new one (a new id); other updates keep the id.
   * Returns the id. Throws SilenceError with Alertmanager's message for an invalid silence or an unknown id.
   */
  set(input: SilenceInput): string {
    const now = this.#now();
    if (input.id) {
      const old = this.get(input.id);
      if (!old) throw new SilenceError(`silence ${input.id} not found`);
      if (canUpdate(old, input, now)) {
        validateSilence(input, now);
        const s: Silence = { ...input, id: old.id, updatedAtMs: now };
        this.#write(s);
        return s.id;
      }
    }
    // A new silence starts now at the earliest.
    const candidate = { ...input, startsAtMs: Math.max(input.startsAtMs, now) };
    validateSilence(candidate, now);
    const old = input.id ? this.get(input.id) : undefined;
    if (old && silenceState(old, now) !== 'expired') this.expire(old.id);
    const s: Silence = { ...candidate, id: randomUUID(), updatedAtMs: now };
    this.#write(s);
    return s.id;
  }

  #write(s: Silence): void {
    this.#db
      .prepare(
        `INSERT INTO silences (id, matchers, starts_ms, ends_ms, created_by, comment, updated_ms)
         VALUES (@id, @matchers, @starts, @ends, @by, @comment, @updated)
         ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, starts_ms = excluded.starts_ms,
           ends_ms = excluded.ends_ms, created_by = excluded.created_by, comment = excluded.comment,
           updated_ms = excluded.updated_ms`,
      )
      .run({
        id: s.id,
        matchers: JSON.stringify(s.matchers),
        starts: s.startsAtMs,
        ends: s.endsAtMs,
        by: s.createdBy,
        comment: s.comment,
        updated: s.updatedAtMs,
      });
    this.#reload();
    this.#changed();
  }

  /** Ends a silence now. Throws SilenceError when unknown or already expired. */
  expire(id: string): void {
    const s = this.get(id);
    if (!s) throw new SilenceError(`silence ${id} not found`);
    const now = this.#now();
    if (silenceState(s, now) === 'expired') throw new SilenceError(`silence ${id} already expired`);
    this.#db
      .prepare('UPDATE silences SET ends_ms = ?, starts_ms = MIN(starts_ms, ?), updated_ms = ? WHERE id = ?')
      .run(now, now, now, id);
    this.#reload();
    this.#changed();
  }

  get(id: string): Silence | undefined {
    const row = this.#db.prepare('SELECT * FROM silences WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Every silence kept (expired ones within retention), newest first. */
  list(): Silence[] {
    this.gc();
    return (this.#db.prepare('SELECT * FROM silences ORDER BY updated_ms DESC').all() as Row[]).map(fromRow);
  }

  /** The ids of the active silences that mute an alert with these labels. */
  mutedBy(labels: Readonly<Record<string, string>>): string[] {
    const now = this.#now();
    const ids: string[] = [];
    for (const { silence, matchers } of this.#live.values())
      if (silence.startsAtMs <= now && silence.endsAtMs > now && matches(matchers, labels))
        ids.push(silence.id);
    return ids;
  }

  mutes(labels: Readonly<Record<string, string>>): boolean {
    return this.mutedBy(labels).length > 0;
  }

  /** Deletes silences expired longer than the retention; returns how many. */
  gc(): number {
    return this.#db.prepare('DELETE FROM silences WHERE ends_ms <= ?').run(this.#now() - this.#retentionMs)
      .changes;
  }
}
