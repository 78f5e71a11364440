// The alert state machine against Prometheus's rules/alerting.go semantics.
import { describe, expect, it } from 'vitest';
import {
  type AlertInstance,
  type AlertRuleState,
  activeAlerts,
  advanceAlerts,
  EMPTY_ALERT_STATE,
  firingAlerts,
  RESOLVED_RETENTION_MS,
} from '../src/evaluation/index.ts';

const MIN = 60_000;
const instance = (tank: string, value = 1, summary = `tank ${tank}`): AlertInstance => ({
  labels: { alertname: 'TankLow', dss_tank_id: tank },
  annotations: { summary },
  value,
});

/** Runs evaluations at 0, 1 m, 2 m, ... returning each resulting state. */
function run(steps: AlertInstance[][], forMs: number, keepFiringForMs = 0): AlertRuleState[] {
  let state = EMPTY_ALERT_STATE;
  return steps.map((instances, i) => {
    const step = advanceAlerts(state, instances, i * MIN, { forMs, keepFiringForMs });
    expect(step.error).toBeUndefined();
    state = step.state;
    return state;
  });
}

const states = (state: AlertRuleState) =>
  [...state.alerts.values()].map((a) => `${a.labels.dss_tank_id}:${a.state}`);

describe('advanceAlerts', () => {
  it('goes pending, then firing once the expression held for `for`', () => {
    const result = run([[instance('A')], [instance('A')], [instance('A')], [instance('A')]], 2 * MIN);
    expect(result.map(states)).toEqual([['A:pending'], ['A:pending'], ['A:firing'], ['A:firing']]);
    expect(result[2]?.alerts.values().next().value).toMatchObject({ activeAtMs: 0, firedAtMs: 2 * MIN });
  });

  it('fires at once with for: 0', () => {
    expect(run([[instance('A')]], 0).map(states)).toEqual([['A:firing']]);
  });

  it('forgets a pending alert that is not returned any more', () => {
    expect(run([[instance('A')], [], [instance('A')]], 5 * MIN).map(states)).toEqual([
      ['A:pending'],
      [],
      ['A:pending'],
    ]);
  });

  it('resolves a firing alert, keeps it 15 minutes, then drops it', () => {
    let state = run([[instance('A')], []], 0)[1] as AlertRuleState;
    expect(states(state)).toEqual(['A:inactive']);
    expect(activeAlerts(state)).toEqual([]);
    expect(state.alerts.values().next().value?.resolvedAtMs).toBe(MIN);
    state = advanceAlerts(state, [], MIN + RESOLVED_RETENTION_MS, { forMs: 0, keepFiringForMs: 0 }).state;
    expect(states(state)).toEqual(['A:inactive']);
    state = advanceAlerts(state, [], MIN + RESOLVED_RETENTION_MS + 1, { forMs: 0, keepFiringForMs: 0 }).state;
    expect(states(state)).toEqual([]);
  });

  it('starts a resolved alert again from pending when it comes back', () => {
    const result = run([[instance('A')], [instance('A')], [], [instance('A')]], MIN);
    expect(result.map(states)).toEqual([['A:pending'], ['A:firing'], ['A:inactive'], ['A:pending']]);
    expect(result[3]?.alerts.values().next().value?.activeAtMs).toBe(3 * MIN);
  });

  it('keeps a firing alert for keep_firing_for after the expression stops returning it', () => {
    const result = run([[instance('A')], [], [], [], [instance('A')], [], [], []], 0, 2 * MIN);
    expect(result.map(states)).toEqual([
      ['A:firing'],
      ['A:firing'],
      ['A:firing'],
      ['A:inactive'],
      ['A:firing'],
      ['A:firing'],
      ['A:firing'],
      ['A:inactive'],
    ]);
    expect(result[1]?.alerts.values().next().value?.keepFiringSinceMs).toBe(MIN);
  });

  it('forgets keep_firing_for when the expression returns the alert again', () => {
    const result = run([[instance('A')], [], [instance('A')], [], [], []], 0, 2 * MIN);
    expect(result.map(states)).toEqual([
      ['A:firing'],
      ['A:firing'],
      ['A:firing'],
      ['A:firing'],
      ['A:firing'],
      ['A:inactive'],
    ]);
  });

  it('updates value and annotations of an active alert, not its start', () => {
    const result = run([[instance('A', 1, 'one')], [instance('A', 2, 'two')]], 0);
    expect(result[1]?.alerts.values().next().value).toMatchObject({
      value: 2,
      annotations: { summary: 'two' },
      activeAtMs: 0,
    });
  });

  it('tracks each label set on its own', () => {
    const result = run([[instance('A'), instance('B')], [instance('B')], [instance('B')]], 2 * MIN);
    expect(result.map(states)).toEqual([['A:pending', 'B:pending'], ['B:pending'], ['B:firing']]);
    expect(firingAlerts(result[2] as AlertRuleState).map((a) => a.labels.dss_tank_id)).toEqual(['B']);
  });

  it('refuses two instances with the same labels, keeping the previous state', () => {
    const previous = run([[instance('A')]], 0)[0] as AlertRuleState;
    const step = advanceAlerts(previous, [instance('B'), instance('B', 2)], MIN, {
      forMs: 0,
      keepFiringForMs: 0,
    });
    expect(step.error).toBe('vector contains metrics with the same labelset after applying alert labels');
    expect(step.state).toBe(previous);
  });

  it('empties the state when the group limit is exceeded', () => {
    const step = advanceAlerts(EMPTY_ALERT_STATE, [instance('A'), instance('B')], 0, {
      forMs: 0,
      keepFiringForMs: 0,
      limit: 1,
    });
    expect(step.error).toBe('exceeded limit of 1 with 2 alerts');
    expect(step.state.alerts.size).toBe(0);
  });

  it('does not change the state it was given', () => {
    const first = run([[instance('A')]], MIN)[0] as AlertRuleState;
    advanceAlerts(first, [instance('A')], 5 * MIN, { forMs: MIN, keepFiringForMs: 0 });
    expect(states(first)).toEqual(['A:pending']);
  });
});
