// The alert state machine of one alerting rule, as Prometheus's rules/alerting.go runs it, as a pure
// function: given the previous state and the alert instances one evaluation produced at time t, the next
// state. An instance new to the rule starts `pending` (active since t) and becomes `firing` once it has been
// returned for `for`; an instance no longer returned is dropped while pending, or `inactive` (resolved at
// t, kept 15 minutes so that the resolution can be notified) once firing — unless `keep_firing_for` keeps it
// firing that long after the expression stopped returning it. The evaluation loop, the rule unit tests and
// later the notifier share it.
import type { Labels } from '@dss/collector/metrics';

export type AlertStateName = 'pending' | 'firing' | 'inactive';

export interface Alert {
  /** The alert's identity: the series labels without `__name__`, plus the rule's labels and `alertname`. */
  labels: Labels;
  annotations: Labels;
  state: AlertStateName;
  /** When the instance was first returned (the start of `pending`). */
  activeAtMs: number;
  firedAtMs?: number;
  /** When a firing alert stopped being returned (it is `inactive` since). */
  resolvedAtMs?: number;
  /** When a firing alert stopped being returned while keep_firing_for holds it. */
  keepFiringSinceMs?: number;
  /** The expression's value at the last evaluation that returned it. */
  value: number;
}

/** What one evaluation returned for one series, labels and annotations already templated. */
export interface AlertInstance {
  labels: Labels;
  annotations: Labels;
  value: number;
}

export interface AlertRuleState {
  /** By labelsKey(labels). */
  readonly alerts: ReadonlyMap<string, Alert>;
}

export interface AlertTiming {
  forMs: number;
  keepFiringForMs: number;
  /** The group's limit on alerts (pending or firing) per rule; 0 for none. */
  limit?: number;
}

/** How long a resolved alert is kept (Prometheus's resolvedRetention). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

export const EMPTY_ALERT_STATE: AlertRuleState = { alerts: new Map() };

/** A canonical key for a label set. */
export function labelsKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}\u0000${labels[name]}`)
    .join('\u0001');
}

export interface AlertStep {
  state: AlertRuleState;
  /** Set when the evaluation failed: the state is then `previous` (or emptied, for an exceeded limit). */
  error?: string;
}

/** The state after one evaluation at `timeMs` that returned `instances`. */
export function advanceAlerts(
  previous: AlertRuleState,
  instances: readonly AlertInstance[],
  timeMs: number,
  timing: AlertTiming,
): AlertStep {
  const returned = new Map<string, AlertInstance>();
  for (const instance of instances) {
    const key = labelsKey(instance.labels);
    if (returned.has(key)) {
      return {
        state: previous,
        error: 'vector contains metrics with the same labelset after applying alert labels',
      };
    }
    returned.set(key, instance);
  }

  const alerts = new Map(previous.alerts);
  for (const [key, instance] of returned) {
    const existing = alerts.get(key);
    if (existing && existing.state !== 'inactive') {
      alerts.set(key, { ...existing, value: instance.value, annotations: instance.annotations });
    } else {
      alerts.set(key, {
        labels: instance.labels,
        annotations: instance.annotations,
        state: 'pending',
        activeAtMs: timeMs,
        value: instance.value,
      });
    }
  }

  let active = 0;
  for (const [key, current] of alerts) {
    let alert = current;
    if (!returned.has(key)) {
      let keepFiring = false;
      if (alert.state === 'firing' && timing.keepFiringForMs > 0) {
        const since = alert.keepFiringSinceMs ?? timeMs;
        alert = { ...alert, keepFiringSinceMs: since };
        keepFiring = timeMs - since < timing.keepFiringForMs;
      }
      const expired = alert.resolvedAtMs !== undefined && timeMs - alert.resolvedAtMs > RESOLVED_RETENTION_MS;
      if (alert.state === 'pending' || expired) {
        alerts.delete(key);
        continue;
      }
      if (!keepFiring) {
        if (alert.state !== 'inactive') alert = { ...alert, state: 'inactive', resolvedAtMs: timeMs };
        alerts.set(key, alert);
        continue;
      }
    } else if (alert.keepFiringSinceMs !== undefined) {
      const { keepFiringSinceMs: _, ...rest } = alert;
      alert = rest;
    }
    active++;
    if (alert.state === 'pending' && timeMs - alert.activeAtMs >= timing.forMs) {
      alert = { ...alert, state: 'firing', firedAtMs: timeMs };
    }
    alerts.set(key, alert);
  }

  const limit = timing.limit ?? 0;
  if (limit > 0 && active > limit) {
    return { state: EMPTY_ALERT_STATE, error: `exceeded limit of ${limit} with ${active} alerts` };
  }
  return { state: { alerts } };
}

/** Pending and firing alerts (Prometheus's ActiveAlerts: not resolved). */
export function activeAlerts(state: AlertRuleState): Alert[] {
  return [...state.alerts.values()].filter((a) => a.resolvedAtMs === undefined);
}

export function firingAlerts(state: AlertRuleState): Alert[] {
  return activeAlerts(state).filter((a) => a.state === 'firing');
}
