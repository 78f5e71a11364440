// The evaluation loop: every rule group at its interval (the group's own, else the configured default),
// rules in order, against a Prometheus HTTP query API. Recorded names are inlined into later rules (see
// inline-recorded.ts); alert states advance through the pure state machine (alert-state.ts), are saved after
// each evaluation (state-store.ts) and handed to `onAlerts` as Prometheus's notifier sends them to
// Alertmanager: firing alerts with endsAt 4 intervals ahead (re-sent every evaluation), resolved ones with
// endsAt the resolution time (re-sent while retained, 15 minutes).
//
// A failing query (backend down, bad_data, …) fails that rule as in Prometheus (its alerts keep their state)
// and the group's evaluation counts as failed. The first failed evaluation of an outage is logged (later ones
// are not, until the group has evaluated cleanly again, which is logged too), and while any group fails the
// meta-alert AlertEvaluationFailing {severity="warning", dss_component="alerts"} fires through the same
// `onAlerts`; it resolves when every group evaluates again.
import { parsePromQL } from '@dss/collector/promql';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RuleGroup } from '../rules/types.ts';
import {
  type Alert,
  type AlertInstance,
  type AlertRuleState,
  advanceAlerts,
  EMPTY_ALERT_STATE,
  labelsKey,
} from './alert-state.ts';
import { httpInstantQuery } from './http-query.ts';
import { inlineRecorded, type RecordedDefinition, rulesQueries } from './inline-recorded.ts';
import { recordedSelection, selectSamples } from './recorded-selection.ts';
import { alertInstances, recordingSamples, type VectorSample } from './rule-outputs.ts';
import type { AlertStateStore, AlertTransition } from './state-store.ts';

/** An alert as sent to the dispatcher (Alertmanager's API alert). */
export interface NotifiableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAtMs: number;
  /** Resolution time of a resolved alert, or when a firing alert expires if not re-sent. */
  endsAtMs: number;
  generatorURL?: string;
}

export type Logger = (message: string) => void;

export interface EvaluatorOptions {
  groups: RuleGroup[];
  /** Base URL of a Prometheus HTTP API (the collector's query port: http://127.0.0.1:3200). */
  queryUrl: string;
  store: AlertStateStore;
  onAlerts: (alerts: NotifiableAlert[]) => void;
  /** Interval of groups that do not set one; default 1 m. */
  defaultIntervalMs?: number;
  log?: Logger;
  now?: () => number;
  externalLabels?: Record<string, string>;
  externalURL?: string;
  registry?: Registry;
  queryTimeoutMs?: number;
  /** Sent with every query (e.g. `authorization: Bearer …` for a collector with auth). */
  queryHeaders?: Record<string, string>;
}

export const META_ALERT_NAME = 'AlertEvaluationFailing';
export const META_ALERT_LABELS = { alertname: META_ALERT_NAME, severity: 'warning', dss_component: 'alerts' };

interface GroupRuntime {
  group: RuleGroup;
  key: string;
  intervalMs: number;
  queries: string[];
  recorded: Map<string, RecordedDefinition[]>;
  alerts: AlertRuleState[];
  failing: string | undefined;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  /** The evaluation time of the next run: slots exactly one interval apart. */
  slotMs: number;
}

function ruleKey(group: RuleGroup, index: number): string {
  const rule = group.rules[index];
  return `${index}:${rule?.kind}:${rule?.name}`;
}

export class Evaluator {
  readonly registry: Registry;
  readonly #options: EvaluatorOptions;
  readonly #groups: GroupRuntime[];
  readonly #now: () => number;
  readonly #log: Logger;
  #stopped = true;
  #metaSinceMs: number | undefined;
  readonly #evaluations: Counter<'rule_group'>;
  readonly #failures: Counter<'rule_group'>;
  readonly #duration: Histogram<'rule_group'>;

  /** Throws when a rule cannot be evaluated over HTTP (see inline-recorded.ts). */
  constructor(options: EvaluatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? ((m) => console.error(m));
    const defaultInterval = options.defaultIntervalMs ?? 60_000;
    const intervalOf = (g: RuleGroup) => (g.intervalSet ? g.intervalMs : defaultInterval);
    const allQueries = rulesQueries(options.groups, intervalOf);
    this.#groups = options.groups.map((group, index) => {
      const { queries, recorded } = allQueries[index] ?? { queries: [], recorded: new Map() };
      const key = `${group.file}:${group.name}`;
      const saved = options.store.load(key);
      const alerts = group.rules.map((_, i) => {
        const list = saved.rules.get(ruleKey(group, i));
        return list ? { alerts: new Map(list.map((a) => [labelsKey(a.labels), a])) } : EMPTY_ALERT_STATE;
      });
      const intervalMs = intervalOf(group);
      return {
        group,
        key,
        intervalMs,
        queries,
        recorded,
        alerts,
        failing: undefined,
        timer: undefined,
        running: undefined,
        slotMs: 0,
      };
    });
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    this.#evaluations = new Counter({
      name: 'dss_alerts_rule_group_evaluations_total',
      help: 'Rule group evaluations.',
      labelNames: ['rule_group'],
      registers,
    });
    this.#failures = new Counter({
      name: 'dss_alerts_rule_group_evaluation_failures_total',
      help: 'Rule group evaluations in which a rule failed (query error, backend down).',
      labelNames: ['rule_group'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'dss_alerts_rule_group_evaluation_duration_seconds',
      help: 'Duration of rule group evaluations.',
      labelNames: ['rule_group'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
      registers,
    });
    const groups = this.#groups;
    new Gauge({
      name: 'dss_alerts_alerts',
      help: 'Alerts by state (pending, firing).',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = { pending: 0, firing: 0 };
        for (const g of groups)
          for (const r of g.alerts)
            for (const a of r.alerts.values()) if (a.state !== 'inactive') counts[a.state]++;
        this.set({ state: 'pending' }, counts.pending);
        this.set({ state: 'firing' }, counts.firing);
      },
    });
    // Prometheus writes ALERTS back into its own store; over HTTP we cannot, so the same breakdown is a gauge
    // that the collector scrapes (the dashboards' active-alert panels read it).
    new Gauge({
      name: 'dss_alerts_active',
      help: 'Pending and firing alerts by alert name, state, severity and client (like Prometheus ALERTS).',
      labelNames: ['alertname', 'alertstate', 'severity', 'dss_client'],
      registers,
      collect() {
        this.reset();
        for (const g of groups)
          for (const r of g.alerts)
            for (const a of r.alerts.values())
              if (a.state !== 'inactive')
                this.inc({
                  alertname: a.labels.alertname ?? '',
                  alertstate: a.state,
                  severity: a.labels.severity ?? '',
                  dss_client: a.labels.dss_client ?? '',
                });
      },
    });
  }

  /** Evaluates every group now, then each at its interval. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const now = this.#now();
    for (const g of this.#groups) {
      g.slotMs = now;
      this.#schedule(g, 0);
    }
  }

  // A group is evaluated at its slot's time, not at whatever time the timer fired: a timer can fire a
  // millisecond early, and an evaluation time 1 ms short of `activeAt + for` would fire the alert one whole
  // interval late. Slots are one interval apart; slots missed by a slow evaluation are skipped, as Prometheus
  // does.
  #schedule(g: GroupRuntime, delayMs: number): void {
    if (this.#stopped) return;
    g.timer = setTimeout(() => {
      g.running = this.evaluateGroup(g.group.name, g.slotMs).finally(() => {
        g.running = undefined;
        const now = this.#now();
        const missed = Math.max(0, Math.floor((now - g.slotMs) / g.intervalMs));
        g.slotMs += (missed + 1) * g.intervalMs;
        this.#schedule(g, Math.max(0, g.slotMs - now));
      });
    }, delayMs);
    g.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const g of this.#groups) clearTimeout(g.timer);
    await Promise.all(this.#groups.map((g) => g.running));
  }

  /** Current alerts of every rule (pending, firing, recently resolved). */
  alerts(): Alert[] {
    return this.#groups.flatMap((g) => g.alerts.flatMap((r) => [...r.alerts.values()]));
  }

  /** One evaluation of the named group (all groups of that name) at `timeMs`. */
  async evaluateGroup(name: string, timeMs = this.#now()): Promise<void> {
    for (const g of this.#groups) if (g.group.name === name) await this.#evaluate(g, timeMs);
  }

  async #evaluate(g: GroupRuntime, timeMs: number): Promise<void> {
    const { group } = g;
    const endTimer = this.#duration.startTimer({ rule_group: g.key });
    const queryTime = timeMs - group.queryOffsetMs;
    const errors: string[] = [];
    const transitions: AlertTransition[] = [];
    const saved = new Map<string, Alert[]>();
    const base = this.#options.queryUrl;
    // Templates' `query` is synchronous (as Go's) and the backend may be in this very process (dss-obs up),
    // so queries cannot block: templates expand with the answers known so far, the queries they asked for
    // and that were not known are run, and they expand again, until nothing new is asked (at most 5 rounds).
    const answers = new Map<string, VectorSample[] | Error>();
    const run = async (q: string) =>
      httpInstantQuery(
        base,
        inlineRecorded(parsePromQL(q), g.recorded) ?? q,
        timeMs,
        this.#options.queryTimeoutMs,
        this.#options.queryHeaders,
      );
    // Whole recorded names, evaluated once for every template selector of them (recorded-selection.ts).
    const wholeNames = new Map<string, Promise<VectorSample[]>>();
    const fetchAnswers = async (queries: Set<string>) => {
      for (const q of queries) {
        try {
          const selection = recordedSelection(q, g.recorded);
          if (selection) {
            let whole = wholeNames.get(selection.name);
            if (!whole) {
              whole = run(selection.name);
              wholeNames.set(selection.name, whole);
            }
            answers.set(q, selectSamples(await whole, selection));
          } else answers.set(q, await run(q));
        } catch (error) {
          answers.set(q, error as Error);
        }
      }
    };
    for (const [i, rule] of group.rules.entries()) {
      const query = g.queries[i] ?? rule.expr;
      try {
        const vector = await httpInstantQuery(
          base,
          query,
          queryTime,
          this.#options.queryTimeoutMs,
          this.#options.queryHeaders,
        );
        if (rule.kind === 'record') {
          recordingSamples(rule, group.labels, vector, group.limit);
          continue;
        }
        const previous = g.alerts[i] ?? EMPTY_ALERT_STATE;
        let instances: AlertInstance[] = [];
        for (let round = 0; round < 5; round++) {
          const missing = new Set<string>();
          instances = alertInstances(rule, group.labels, vector, {
            externalLabels: this.#options.externalLabels ?? {},
            externalURL: this.#options.externalURL ?? '',
            externalURLFunctions: this.#options.externalURL,
            query: (q) => {
              const answer = answers.get(q);
              if (answer === undefined) missing.add(q);
              if (answer instanceof Error) throw answer;
              return answer ?? [];
            },
          });
          if (missing.size === 0) break;
          await fetchAnswers(missing);
        }
        const step = advanceAlerts(previous, instances, timeMs, { ...rule, limit: group.limit });
        if (step.error !== undefined) errors.push(`rule ${rule.name}: ${step.error}`);
        g.alerts[i] = step.state;
        transitions.push(...diff(group.name, rule.name, previous, step.state, timeMs));
        saved.set(ruleKey(group, i), [...step.state.alerts.values()]);
      } catch (error) {
        errors.push(`rule ${rule.name}: ${(error as Error).message}`);
      }
    }
    this.#options.store.save(g.key, timeMs, saved, transitions);
    this.#evaluations.inc({ rule_group: g.key });
    endTimer();
    if (errors.length > 0) {
      this.#failures.inc({ rule_group: g.key });
      if (g.failing === undefined)
        this.#log(
          `alerts: rule group ${g.key} evaluation failing (${errors.length} of ${group.rules.length} rules): ${errors[0]}`,
        );
      g.failing = errors[0];
    } else if (g.failing !== undefined) {
      this.#log(`alerts: rule group ${g.key} evaluates again`);
      g.failing = undefined;
    }
    this.#send(g, timeMs);
  }

  #send(g: GroupRuntime, timeMs: number): void {
    const resendMs = 4 * Math.max(60_000, g.intervalMs);
    const out: NotifiableAlert[] = [];
    for (const rule of g.alerts)
      for (const a of rule.alerts.values()) {
        if (a.state === 'pending') continue;
        out.push({
          labels: { ...a.labels },
          annotations: { ...a.annotations },
          startsAtMs: a.firedAtMs ?? a.activeAtMs,
          endsAtMs: a.resolvedAtMs ?? timeMs + resendMs,
        });
      }
    const failing = this.#groups.filter((x) => x.failing !== undefined);
    if (failing.length > 0) {
      this.#metaSinceMs ??= timeMs;
      out.push({
        labels: { ...META_ALERT_LABELS },
        annotations: {
          summary: `Alert rule evaluation failing for ${failing.length} rule group(s)`,
          description: failing.map((x) => `${x.key}: ${x.failing}`).join('\n'),
        },
        startsAtMs: this.#metaSinceMs,
        endsAtMs: timeMs + resendMs,
      });
    } else if (this.#metaSinceMs !== undefined) {
      out.push({
        labels: { ...META_ALERT_LABELS },
        annotations: {},
        startsAtMs: this.#metaSinceMs,
        endsAtMs: timeMs,
      });
      this.#metaSinceMs = undefined;
    }
    if (out.length > 0) this.#options.onAlerts(out);
  }
}

function diff(
  group: string,
  rule: string,
  before: AlertRuleState,
  after: AlertRuleState,
  timeMs: number,
): AlertTransition[] {
  const out: AlertTransition[] = [];
  for (const [key, a] of after.alerts) {
    const old = before.alerts.get(key);
    const was = old?.state;
    const now = a.state === 'inactive' ? 'resolved' : a.state;
    if ((was === 'inactive' ? 'resolved' : was) !== now)
      out.push({ timeMs, group, rule, status: now, labels: a.labels, value: a.value });
  }
  return out;
}
