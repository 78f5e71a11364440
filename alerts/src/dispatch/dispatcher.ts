// Alertmanager's dispatcher (dispatch/dispatch.go, notify's dedup stage, inhibit/inhibit.go), in process:
// - an alert goes to every route that matches it (depth first; the deepest matching route, siblings tried
//   after a match only with `continue`), and there into the aggregation group of its `group_by` labels;
// - a new group flushes after `group_wait` (at once if its first alert started more than group_wait ago),
//   then every `group_interval` while it has alerts;
// - a flush notifies when the group has a firing alert not in the last notification, when every alert
//   resolved since a notification with firing alerts, when the set of resolved alerts changed, or when
//   `repeat_interval` passed since the last notification; otherwise it sends nothing;
// - resolved alerts (endsAt reached) are sent as resolved once, then dropped from the group; an alert not
//   re-sent by the evaluator resolves at its endsAt;
// - at a flush, as Alertmanager's notification pipeline: inhibited alerts (inhibit/) are left out; nothing is
//   sent while the route is in one of its mute time intervals or outside all of its active ones
//   (timeinterval/); silenced alerts (silence/) are left out; then the notification log (nflog/) decides
//   whether anything changed (dedup), and the notification is handed over and logged.
// The alerts and the notification log live in the state database when one is given, so a restart resumes
// the groups and sends nothing twice; with a synchronous `notify` (the outbox) the hand-over and the log
// entry commit in one transaction.
import type { NotifiableAlert } from '../evaluation/evaluator.ts';
import { inhibitedBy } from '../inhibit/inhibitor.ts';
import { type NflogEntry, NotificationLog } from '../nflog/notification-log.ts';
import type { StateDatabase } from '../state/database.ts';
import { intervalContains } from '../timeinterval/time-interval.ts';
import { AlertStore, type StoredAlert } from './alert-store.ts';
import { fingerprint } from './fingerprint.ts';
import { GO_ZERO_TIME, payloadTime } from './payload-time.ts';

export { fingerprint } from './fingerprint.ts';

import type { AlertmanagerConfig, Route } from './config.ts';
import { matches } from './matchers.ts';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Alertmanager's webhook payload (version 4). */
export interface Notification {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: Array<{
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }>;
}

export type Notify = (notification: Notification) => void | Promise<void>;

interface Group {
  key: string;
  route: Route;
  labels: Record<string, string>;
  alerts: Map<string, StoredAlert>;
  timer: unknown;
  hasFlushed: boolean;
  flushing: boolean;
}

/** What mutes alerts besides inhibition: the silences. */
export interface Silencer {
  /** `fingerprint` is the labels' fingerprint, which the dispatcher has already computed. */
  mutes(labels: Readonly<Record<string, string>>, fingerprint?: string): boolean;
}

/** Silences: which ones mute an alert, for the API's `silencedBy`. */
export interface SilenceLookup extends Silencer {
  mutedBy(labels: Readonly<Record<string, string>>): string[];
}

export interface DispatcherOptions {
  config: AlertmanagerConfig;
  notify: Notify;
  clock?: Clock;
  log?: (message: string) => void;
  externalURL?: string;
  silences?: SilenceLookup;
  /** Alerts shelved for chattering (alarm-management/), muted as silenced ones. */
  shelves?: Silencer;
  /** Told of every activation: an alert arriving firing that was unknown or resolved before. */
  onActivated?: (alert: StoredAlert) => void;
  /** Keep alerts and the notification log here (else in memory). */
  db?: StateDatabase;
}

/** An alert as the API lists it (Alertmanager's GettableAlert status). */
export interface AlertStatus {
  alert: StoredAlert;
  state: 'active' | 'suppressed';
  inhibited: boolean;
  /** Fingerprints of the alerts that inhibit it. */
  inhibitedBy: string[];
  /** Silenced or shelved. */
  silenced: boolean;
  /** Ids of the silences that mute it (a shelved alert can have none). */
  silencedBy: string[];
  receivers: string[];
}

function formatLabels(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}

/** The routes an alert goes to (Alertmanager's Route.Match). */
export function matchRoutes(route: Route, labels: Record<string, string>): Route[] {
  if (!matches(route.matchers, labels)) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const found = matchRoutes(child, labels);
    all.push(...found);
    if (found.length > 0 && !child.continue) break;
  }
  return all.length === 0 ? [route] : all;
}

export class Dispatcher {
  readonly #config: AlertmanagerConfig;
  readonly #notify: Notify;
  readonly #clock: Clock;
  readonly #log: (message: string) => void;
  readonly #externalURL: string;
  readonly #alerts = new Map<string, StoredAlert>();
  readonly #groups = new Map<string, Group>();
  readonly #nflog: NotificationLog;
  readonly #store: AlertStore;
  readonly #silences: SilenceLookup | undefined;
  readonly #shelves: Silencer | undefined;
  readonly #onActivated: ((alert: StoredAlert) => void) | undefined;
  readonly #db: StateDatabase | undefined;
  #stopped = false;

  constructor(options: DispatcherOptions) {
    this.#config = options.config;
    this.#notify = options.notify;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#externalURL = options.externalURL ?? '';
    this.#silences = options.silences;
    this.#shelves = options.shelves;
    this.#onActivated = options.onActivated;
    this.#db = options.db;
    this.#nflog = new NotificationLog(options.db);
    this.#store = new AlertStore(options.db);
    // Alerts kept from before a restart go back into their groups; those older than group_wait flush at once
    // and the notification log keeps what was already sent from being sent again.
    const kept = this.#store.load();
    if (kept.length > 0) this.#accept(kept, this.#clock.now());
  }

  /** Alerts from the evaluator (Alertmanager's POST /api/v2/alerts). */
  receive(alerts: readonly NotifiableAlert[]): void {
    if (this.#stopped) return;
    const now = this.#clock.now();
    const merged: StoredAlert[] = [];
    for (const incoming of alerts) {
      const fp = fingerprint(incoming.labels);
      const old = this.#alerts.get(fp);
      const alert: StoredAlert = { ...incoming, fingerprint: fp };
      // Merge as Alertmanager's Alert.Merge: an overlapping update keeps the earliest start.
      if (old && old.endsAtMs >= incoming.startsAtMs && old.startsAtMs < alert.startsAtMs)
        alert.startsAtMs = old.startsAtMs;
      if (alert.endsAtMs > now && (!old || old.endsAtMs <= now)) this.#onActivated?.(alert);
      merged.push(alert);
    }
    this.#store.put(merged);
    this.#accept(merged, now);
  }

  #accept(alerts: readonly StoredAlert[], now: number): void {
    for (const alert of alerts) {
      this.#alerts.set(alert.fingerprint, alert);
      for (const route of matchRoutes(this.#config.route, alert.labels)) this.#insert(route, alert, now);
    }
  }

  /** The alerts held, with their inhibition/silence state and receivers (GET /api/v2/alerts). */
  alerts(): AlertStatus[] {
    const now = this.#clock.now();
    return [...this.#alerts.values()].map((alert) => {
      const by = inhibitedBy(this.#config.inhibitRules, this.#alerts.values(), alert, now);
      const inhibited = by !== undefined;
      const silencedBy = this.#silences?.mutedBy(alert.labels) ?? [];
      const silenced =
        silencedBy.length > 0 || (this.#shelves?.mutes(alert.labels, alert.fingerprint) ?? false);
      return {
        alert,
        state: inhibited || silenced ? 'suppressed' : 'active',
        inhibited,
        inhibitedBy: by === undefined ? [] : [by],
        silenced,
        silencedBy,
        receivers: [...new Set(matchRoutes(this.#config.route, alert.labels).map((r) => r.receiver))],
      };
    });
  }

  #insert(route: Route, alert: StoredAlert, now: number): void {
    const labels: Record<string, string> = {};
    if (route.groupByAll) Object.assign(labels, alert.labels);
    else
      for (const name of route.groupBy)
        if (alert.labels[name] !== undefined) labels[name] = alert.labels[name];
    const key = `${route.key}:${formatLabels(labels)}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = { key, route, labels, alerts: new Map(), timer: undefined, hasFlushed: false, flushing: false };
      this.#groups.set(key, group);
      this.#arm(group, route.groupWaitMs);
    }
    group.alerts.set(alert.fingerprint, alert);
    if (!group.hasFlushed && alert.startsAtMs + route.groupWaitMs < now) this.#arm(group, 0);
  }

  #arm(group: Group, ms: number): void {
    this.#clock.clearTimeout(group.timer);
    group.timer = this.#clock.setTimeout(() => {
      void this.#flush(group);
    }, ms);
  }

  #inhibited(alert: StoredAlert, now: number): boolean {
    return inhibitedBy(this.#config.inhibitRules, this.#alerts.values(), alert, now) !== undefined;
  }

  /** A route's time intervals mute it now (Alertmanager's TimeMuteStage and TimeActiveStage). */
  #timeMuted(route: Route, now: number): boolean {
    const named = (name: string) => this.#config.timeIntervals.get(name) ?? [];
    if (route.muteTimeIntervals.some((n) => intervalContains(named(n), now))) return true;
    return (
      route.activeTimeIntervals.length > 0 &&
      !route.activeTimeIntervals.some((n) => intervalContains(named(n), now))
    );
  }

  /** Hands the notification over and logs it; atomically when notify is synchronous and state is in SQLite. */
  async #send(payload: Notification, logKey: string, entry: NflogEntry): Promise<void> {
    const handOver = () => {
      const result = this.#notify(payload);
      if (!(result instanceof Promise)) this.#nflog.put(logKey, entry);
      return result;
    };
    const result = this.#db ? this.#db.transaction(handOver)() : handOver();
    if (result instanceof Promise) {
      await result;
      this.#nflog.put(logKey, entry);
    }
  }

  async #flush(group: Group): Promise<void> {
    if (this.#stopped || group.flushing) return;
    group.flushing = true;
    const now = this.#clock.now();
    group.hasFlushed = true;
    // The pipeline stops at the first stage that leaves no alert (Alertmanager's MultiStage).
    const visible = this.#timeMuted(group.route, now)
      ? []
      : [...group.alerts.values()].filter(
          (a) =>
            !this.#inhibited(a, now) &&
            !this.#silences?.mutes(a.labels) &&
            !this.#shelves?.mutes(a.labels, a.fingerprint),
        );
    const firing = visible.filter((a) => a.endsAtMs > now);
    const resolved = visible.filter((a) => a.endsAtMs <= now);
    const logKey = `${group.key}|${group.route.receiver}`;
    const entry = this.#nflog.get(logKey);
    let ok = true;
    if (visible.length > 0 && this.#needsUpdate(entry, firing, resolved, group.route.repeatIntervalMs, now)) {
      try {
        await this.#send(this.#payload(group, firing, resolved, now), logKey, {
          firing: firing.map((a) => a.fingerprint),
          resolved: resolved.map((a) => a.fingerprint),
          timestampMs: now,
        });
      } catch (error) {
        ok = false;
        this.#log(`alerts: notify ${group.route.receiver} failed: ${(error as Error).message}`);
      }
    }
    if (ok)
      for (const a of group.alerts.values())
        if (a.endsAtMs <= now && group.alerts.get(a.fingerprint) === a) {
          group.alerts.delete(a.fingerprint);
          if (
            this.#alerts.get(a.fingerprint) === a &&
            ![...this.#groups.values()].some((g) => g !== group && g.alerts.get(a.fingerprint) === a)
          ) {
            this.#alerts.delete(a.fingerprint);
            this.#store.delete(a.fingerprint);
          }
        }
    group.flushing = false;
    if (group.alerts.size === 0) {
      this.#groups.delete(group.key);
      return;
    }
    this.#arm(group, group.route.groupIntervalMs);
  }

  #needsUpdate(
    entry: NflogEntry | undefined,
    firing: StoredAlert[],
    resolved: StoredAlert[],
    repeatMs: number,
    now: number,
  ): boolean {
    if (!entry) return firing.length > 0;
    const wasFiring = new Set(entry.firing);
    const wasResolved = new Set(entry.resolved);
    if (!firing.every((a) => wasFiring.has(a.fingerprint))) return true;
    if (firing.length === 0) return wasFiring.size > 0;
    if (!resolved.every((a) => wasResolved.has(a.fingerprint))) return true;
    return entry.timestampMs + repeatMs <= now;
  }

  #payload(group: Group, firing: StoredAlert[], resolved: StoredAlert[], now: number): Notification {
    const all = [...firing, ...resolved];
    const common = (pick: (a: StoredAlert) => Record<string, string>) => {
      const out: Record<string, string> = { ...(all[0] ? pick(all[0]) : {}) };
      for (const a of all.slice(1))
        for (const k of Object.keys(out)) if (pick(a)[k] !== out[k]) delete out[k];
      return out;
    };
    return {
      version: '4',
      groupKey: group.key,
      truncatedAlerts: 0,
      status: firing.length > 0 ? 'firing' : 'resolved',
      receiver: group.route.receiver,
      groupLabels: { ...group.labels },
      commonLabels: common((a) => a.labels),
      commonAnnotations: common((a) => a.annotations),
      externalURL: this.#externalURL,
      alerts: all.map((a) => ({
        status: a.endsAtMs > now ? 'firing' : 'resolved',
        labels: { ...a.labels },
        annotations: { ...a.annotations },
        startsAt: payloadTime(a.startsAtMs),
        endsAt: a.endsAtMs > now ? GO_ZERO_TIME : payloadTime(a.endsAtMs),
        generatorURL: a.generatorURL ?? '',
        fingerprint: a.fingerprint,
      })),
    };
  }

  stop(): void {
    this.#stopped = true;
    for (const g of this.#groups.values()) this.#clock.clearTimeout(g.timer);
  }
}
