// Alarm management for the alerts service: flood summaries per channel and shelving of chattering alerts.
// `alarmManagement()` builds both from the settings and wires them around a dispatcher's notify function.
import type { Registry } from 'prom-client';
import type { StoredAlert } from '../dispatch/alert-store.ts';
import type { Notify } from '../dispatch/dispatcher.ts';
import type { NotifiableAlert } from '../evaluation/evaluator.ts';
import type { StateDatabase } from '../state/database.ts';
import { ChatterDetector, type Shelved } from './chatter-detector.ts';
import { FloodGuard } from './flood-guard.ts';
import type { AlarmManagementSettings } from './settings.ts';

export { ChatterDetector, type Shelved } from './chatter-detector.ts';
export { FloodGuard } from './flood-guard.ts';
export { type AlarmManagementSettings, DEFAULT_ALARM_MANAGEMENT } from './settings.ts';

/** The report of a shelved alert: an alert of its own (same labels, alertname DSSAlertChattering), routed
 * like the original (so to the same client's channel), firing while the shelve lasts. */
export function chatteringReport(s: Shelved, nowMs: number): NotifiableAlert {
  const { alertname, ...rest } = s.alert.labels;
  const minutes = Math.round((s.untilMs - nowMs) / 60_000);
  return {
    labels: {
      ...rest,
      alertname: 'DSSAlertChattering',
      chattering_alertname: alertname ?? '',
      severity: 'info',
    },
    annotations: {
      summary: `${alertname} is chattering: active ${s.cycles} times in a short window; held back for ${minutes} min`,
      description:
        `${alertname} (${Object.entries(rest)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}) kept changing state. Its notifications are shelved until ` +
        `${new Date(s.untilMs).toISOString()}. Fix the cause (a threshold at the noise level, a missing hysteresis) rather than silencing it.`,
      runbook_url: 'docs/alerts-rules.md#dssalertchattering',
    },
    startsAtMs: nowMs,
    endsAtMs: s.untilMs,
  };
}

export interface AlarmManagement {
  notify: Notify;
  shelves: ChatterDetector | undefined;
  onActivated: ((alert: StoredAlert) => void) | undefined;
  floods: FloodGuard | undefined;
  /** Report shelved alerts through this (the dispatcher's receive); set after the dispatcher exists. */
  setReporter(report: (alerts: NotifiableAlert[]) => void): void;
}

export function alarmManagement(
  settings: AlarmManagementSettings,
  options: {
    notify: Notify;
    clientOf: (receiver: string) => string | undefined;
    registry?: Registry;
    now?: () => number;
    externalURL?: string;
    receivers?: string[];
    /** Keeps shelves across restarts. */
    db?: StateDatabase;
  },
): AlarmManagement {
  const now = options.now ?? Date.now;
  let reporter: ((alerts: NotifiableAlert[]) => void) | undefined;
  const floods = settings.flood
    ? new FloodGuard(settings.flood, {
        notify: options.notify,
        clientOf: options.clientOf,
        now,
        ...(options.receivers ? { receivers: options.receivers } : {}),
        ...(options.registry ? { registry: options.registry } : {}),
        ...(options.externalURL ? { externalURL: options.externalURL } : {}),
      })
    : undefined;
  const shelves = settings.chattering
    ? new ChatterDetector(settings.chattering, {
        now,
        ...(options.db ? { db: options.db } : {}),
        ...(options.registry ? { registry: options.registry } : {}),
        // Reported after the current receive() returns, never from inside it.
        onShelved: (s) => queueMicrotask(() => reporter?.([chatteringReport(s, now())])),
      })
    : undefined;
  return {
    notify: floods?.notify ?? options.notify,
    shelves,
    onActivated: shelves ? (a) => shelves.activated(a) : undefined,
    floods,
    setReporter(report) {
      reporter = report;
    },
  };
}
