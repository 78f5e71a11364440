// Chattering alerts (ISA-18.2): an alert that becomes active again and again is held back (shelved for a while)
// and reported once, instead of notifying at every cycle. The dispatcher tells it each activation (an alert
// arriving with a new start); it mutes shelved alerts as silences do; when it shelves one it calls
// `onShelved` so the service can report it to the alert's channel.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StoredAlert } from '../dispatch/alert-store.ts';
import { fingerprint } from '../dispatch/fingerprint.ts';
import type { StateDatabase } from '../state/database.ts';
import type { ChatterSettings } from './settings.ts';

export interface Shelved {
  alert: StoredAlert;
  cycles: number;
  untilMs: number;
}

export class ChatterDetector {
  readonly #settings: ChatterSettings;
  readonly #activations = new Map<string, number[]>();
  readonly #shelved = new Map<string, Shelved>();
  readonly #onShelved: (s: Shelved) => void;
  readonly #now: () => number;
  readonly #chattering: Counter | undefined;

  readonly #db: StateDatabase | undefined;

  /** With a state database, shelves survive a restart (the activation history does not need to). */
  constructor(
    settings: ChatterSettings,
    options: { onShelved: (s: Shelved) => void; now?: () => number; registry?: Registry; db?: StateDatabase },
  ) {
    this.#settings = settings;
    this.#onShelved = options.onShelved;
    this.#now = options.now ?? Date.now;
    this.#db = options.db;
    if (this.#db) {
      this.#db.exec(
        'CREATE TABLE IF NOT EXISTS alarm_shelves (fingerprint TEXT PRIMARY KEY, shelved TEXT NOT NULL, until_ms INTEGER NOT NULL)',
      );
      this.#db.prepare('DELETE FROM alarm_shelves WHERE until_ms <= ?').run(this.#now());
      for (const row of this.#db.prepare('SELECT shelved FROM alarm_shelves').all() as Array<{
        shelved: string;
      }>) {
        const shelved = JSON.parse(row.shelved) as Shelved;
        this.#shelved.set(shelved.alert.fingerprint, shelved);
      }
    }
    if (options.registry) {
      this.#chattering = new Counter({
        name: 'dss_alerts_chattering_total',
        help: 'Alerts shelved because they chattered (became active again and again).',
        labelNames: ['alertname', 'dss_client'],
        registers: [options.registry],
      });
      const shelved = this.#shelved;
      const now = this.#now;
      new Gauge({
        name: 'dss_alerts_shelved',
        help: 'Alerts currently shelved for chattering.',
        registers: [options.registry],
        collect() {
          this.set([...shelved.values()].filter((s) => s.untilMs > now()).length);
        },
      });
    }
  }

  /** An alert became active (first seen, or seen again after it had resolved). */
  activated(alert: StoredAlert): void {
    const now = this.#now();
    const times = (this.#activations.get(alert.fingerprint) ?? []).filter(
      (t) => t > now - this.#settings.windowMs,
    );
    times.push(now);
    this.#activations.set(alert.fingerprint, times);
    const current = this.#shelved.get(alert.fingerprint);
    if (times.length >= this.#settings.cycles && !(current && current.untilMs > now)) {
      const s = { alert, cycles: times.length, untilMs: now + this.#settings.shelveForMs };
      this.#shelved.set(alert.fingerprint, s);
      this.#db
        ?.prepare(
          'INSERT INTO alarm_shelves (fingerprint, shelved, until_ms) VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET shelved = excluded.shelved, until_ms = excluded.until_ms',
        )
        .run(alert.fingerprint, JSON.stringify(s), s.untilMs);
      this.#chattering?.inc({
        alertname: alert.labels.alertname ?? '',
        dss_client: alert.labels.dss_client ?? '',
      });
      this.#onShelved(s);
    }
  }

  mutes(labels: Readonly<Record<string, string>>, fp = fingerprint(labels)): boolean {
    const s = this.#shelved.get(fp);
    if (!s) return false;
    if (s.untilMs > this.#now()) return true;
    this.#shelved.delete(s.alert.fingerprint);
    this.#db?.prepare('DELETE FROM alarm_shelves WHERE fingerprint = ?').run(s.alert.fingerprint);
    return false;
  }

  shelved(): Shelved[] {
    const now = this.#now();
    return [...this.#shelved.values()].filter((s) => s.untilMs > now);
  }
}
