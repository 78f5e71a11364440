// One test group of a rule test file, run as promtool runs it: the input series loaded from time 0 at the
// group's interval, every rule group evaluated in order at every evaluation interval from 0 to the largest
// eval_time (recording rule outputs written back, alert states advanced), the alerts of each
// alert_rule_test compared at the evaluation at or just before its eval_time (firing alerts only, labels
// and annotations complete, order ignored), then each promql_expr_test queried and compared.
import { instantQuery } from '@dss/collector/promql';
import {
  evaluateGroup,
  firingAlerts,
  type GroupState,
  newGroupState,
  toVector,
} from '../evaluation/index.ts';
import { formatModelDuration } from '../rules/durations.ts';
import type { RuleGroup } from '../rules/types.ts';
import {
  alertMismatch,
  compareLabels,
  exprError,
  exprMismatch,
  type LabelsAndAnnotations,
  type ParsedSample,
  ruleError,
} from './report.ts';
import { parseExpectedLabels, parseSeriesLabels, parseSeriesValues } from './series-values.ts';
import type { TestGroup } from './test-file.ts';
import { TestStorage } from './test-storage.ts';

export interface TestGroupContext {
  /** Rule groups in evaluation order. */
  groups: readonly RuleGroup[];
  evaluationIntervalMs: number;
}

function sortAlerts(list: LabelsAndAnnotations[]): LabelsAndAnnotations[] {
  return list.sort(
    (a, b) => compareLabels(a.labels, b.labels) || compareLabels(a.annotations, b.annotations),
  );
}

function sameAlerts(a: readonly LabelsAndAnnotations[], b: readonly LabelsAndAnnotations[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i] as LabelsAndAnnotations;
      return compareLabels(x.labels, y.labels) === 0 && compareLabels(x.annotations, y.annotations) === 0;
    })
  );
}

/** Loads the input series; the first error's message when one does not parse. */
function loadInput(storage: TestStorage, group: TestGroup): string | undefined {
  for (const input of group.inputSeries) {
    try {
      const labels = parseSeriesLabels(input.series);
      parseSeriesValues(input.values).forEach((v, i) => {
        const t = i * group.intervalMs;
        if (v.kind === 'value') storage.append(labels, t, v.value);
        else if (v.kind === 'stale') storage.append(labels, t, Number.NaN, true);
      });
    } catch (error) {
      return `${input.path}: series ${JSON.stringify(input.series)}: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** Runs one test group; promtool-style failure messages, none when it passes. */
export function runTestGroup(group: TestGroup, context: TestGroupContext): string[] {
  const storage = new TestStorage();
  const loadError = loadInput(storage, group);
  if (loadError) return [loadError];
  for (const test of group.alertRuleTests) {
    if (test.alertname === '') {
      const where = group.name ? ` (in TestGroup ${group.name})` : '';
      return [
        `an item under alert_rule_test misses required attribute alertname at eval_time ${formatModelDuration(test.evalTimeMs)}${where}`,
      ];
    }
  }

  const interval = context.evaluationIntervalMs;
  const maxEvalMs = Math.max(
    0,
    ...group.alertRuleTests.map((t) => t.evalTimeMs),
    ...group.promqlExprTests.map((t) => t.evalTimeMs),
  );
  const alertTimes = [...new Set(group.alertRuleTests.map((t) => t.evalTimeMs))].sort((a, b) => a - b);
  const queryOptions = { reader: storage, tenant: undefined };
  const evaluation = {
    query: (expr: string, timeMs: number) => toVector(instantQuery(queryOptions, expr, timeMs)),
    append: (
      samples: { labels: Record<string, string>; timestampMs: number; value: number; stale?: boolean }[],
    ) => {
      for (const s of samples) storage.append(s.labels, s.timestampMs, s.value, s.stale);
    },
    externalLabels: group.externalLabels,
    externalURL: group.externalURL,
  };

  const errors: string[] = [];
  let states: GroupState[] = context.groups.map(newGroupState);
  let next = 0;
  let lastEvaluatedMs = 0;
  for (let ts = 0; ts <= maxEvalMs; ts += interval) {
    lastEvaluatedMs = ts;
    storage.setVisibleUntil(ts);
    const evalErrors: string[] = [];
    states = context.groups.map((ruleGroup, i) => {
      const result = evaluateGroup(ruleGroup, states[i] as GroupState, ts, evaluation);
      for (const e of result.errors) evalErrors.push(ruleError(e.rule.name, ts, e.message));
      return result.state;
    });
    if (evalErrors.length > 0) return [...errors, ...evalErrors];

    while (
      next < alertTimes.length &&
      (alertTimes[next] as number) >= ts &&
      (alertTimes[next] as number) < ts + interval
    ) {
      const t = alertTimes[next] as number;
      for (const test of group.alertRuleTests.filter((x) => x.evalTimeMs === t)) {
        const got: LabelsAndAnnotations[] = [];
        context.groups.forEach((ruleGroup, g) => {
          ruleGroup.rules.forEach((rule, r) => {
            if (rule.kind !== 'alert' || rule.name !== test.alertname) return;
            const state = states[g]?.rules[r]?.alerts;
            if (state)
              for (const a of firingAlerts(state)) got.push({ labels: a.labels, annotations: a.annotations });
          });
        });
        const expected = test.expAlerts.map((a) => ({
          labels: { ...a.labels, alertname: test.alertname },
          annotations: a.annotations,
        }));
        sortAlerts(got);
        sortAlerts(expected);
        if (!sameAlerts(expected, got))
          errors.push(alertMismatch(group.name, test.alertname, t, expected, got));
      }
      next++;
    }
  }

  storage.setVisibleUntil(lastEvaluatedMs);
  for (const test of group.promqlExprTests) {
    let got: ParsedSample[];
    try {
      got = toVector(instantQuery(queryOptions, test.expr, test.evalTimeMs));
    } catch (error) {
      errors.push(exprError(test.expr, test.evalTimeMs, (error as Error).message));
      continue;
    }
    let expected: ParsedSample[];
    try {
      expected = test.expSamples.map((s) => {
        try {
          return { labels: parseExpectedLabels(s.labels), value: s.value };
        } catch (error) {
          throw new Error(`labels ${JSON.stringify(s.labels)}: ${(error as Error).message}`);
        }
      });
    } catch (error) {
      errors.push(exprError(test.expr, test.evalTimeMs, (error as Error).message));
      continue;
    }
    expected.sort((a, b) => compareLabels(a.labels, b.labels));
    got.sort((a, b) => compareLabels(a.labels, b.labels));
    const same =
      expected.length === got.length &&
      expected.every(
        (e, i) =>
          compareLabels(e.labels, (got[i] as ParsedSample).labels) === 0 &&
          e.value === (got[i] as ParsedSample).value,
      );
    if (!same) errors.push(exprMismatch(test.expr, test.evalTimeMs, expected, got));
  }
  return errors;
}
