// One evaluation of a rule group at one time, rule after rule as Prometheus's rules.Group.Eval does: each
// rule queries at the evaluation time (minus the group's query_offset), a recording rule's series and an
// alerting rule's ALERTS/ALERTS_FOR_STATE series are appended at once (later rules see them), series a rule
// returned last time but not now get a staleness marker, and alert states advance. Storage and query
// engine come from the caller: the rule unit tests pass an in-memory store, the evaluation loop will pass
// the collector.
import type { Labels } from '@dss/collector/metrics';
import type { Rule, RuleGroup } from '../rules/types.ts';
import { type AlertRuleState, advanceAlerts, EMPTY_ALERT_STATE, labelsKey } from './alert-state.ts';
import {
  alertInstances,
  alertSeries,
  type OutputSample,
  recordingSamples,
  type TemplateEnvironment,
  type VectorSample,
} from './rule-outputs.ts';

export interface RuleState {
  alerts: AlertRuleState;
  /** The series the rule wrote at its last successful evaluation, by labelsKey. */
  previousSeries: ReadonlyMap<string, Labels>;
}

export interface GroupState {
  rules: RuleState[];
}

export interface GroupEvaluationContext extends Omit<TemplateEnvironment, 'query'> {
  /** An instant query at `timeMs`; throws on a query error. */
  query(expr: string, timeMs: number): VectorSample[];
  /** Writes samples where later queries read them. */
  append(samples: OutputSample[]): void;
}

export interface RuleEvaluationError {
  rule: Rule;
  message: string;
}

export function newGroupState(group: RuleGroup): GroupState {
  return { rules: group.rules.map(() => ({ alerts: EMPTY_ALERT_STATE, previousSeries: new Map() })) };
}

/** Evaluates every rule of `group` at `timeMs`; the new state and the rules that failed. */
export function evaluateGroup(
  group: RuleGroup,
  state: GroupState,
  timeMs: number,
  context: GroupEvaluationContext,
): { state: GroupState; errors: RuleEvaluationError[] } {
  const queryTime = timeMs - group.queryOffsetMs;
  const errors: RuleEvaluationError[] = [];
  const rules = group.rules.map((rule, i) => {
    const previous = state.rules[i] ?? { alerts: EMPTY_ALERT_STATE, previousSeries: new Map() };
    try {
      const vector = context.query(rule.expr, queryTime);
      let output: VectorSample[];
      let alerts = previous.alerts;
      if (rule.kind === 'record') output = recordingSamples(rule, group.labels, vector, group.limit);
      else {
        const instances = alertInstances(rule, group.labels, vector, {
          ...context,
          query: (q) => context.query(q, timeMs),
        });
        const step = advanceAlerts(previous.alerts, instances, timeMs, { ...rule, limit: group.limit });
        if (step.error !== undefined) {
          errors.push({ rule, message: step.error });
          return { ...previous, alerts: step.state };
        }
        alerts = step.state;
        output = alertSeries([...alerts.alerts.values()]);
      }
      const written = new Map(output.map((s) => [labelsKey(s.labels), s.labels]));
      const samples: OutputSample[] = output.map((s) => ({
        labels: s.labels,
        timestampMs: queryTime,
        value: s.value,
      }));
      for (const [key, labels] of previous.previousSeries) {
        if (!written.has(key))
          samples.push({ labels, timestampMs: queryTime, value: Number.NaN, stale: true });
      }
      context.append(samples);
      return { alerts, previousSeries: written };
    } catch (error) {
      errors.push({ rule, message: (error as Error).message });
      return previous;
    }
  });
  return { state: { rules }, errors };
}
