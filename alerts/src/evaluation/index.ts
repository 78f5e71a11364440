// Rule evaluation shared by the rule unit tests and the evaluation loop: the alert state machine, what a rule
// makes of a query result, and one evaluation of a group.
export {
  type Alert,
  type AlertInstance,
  type AlertRuleState,
  type AlertStateName,
  type AlertStep,
  type AlertTiming,
  activeAlerts,
  advanceAlerts,
  EMPTY_ALERT_STATE,
  firingAlerts,
  labelsKey,
  RESOLVED_RETENTION_MS,
} from './alert-state.ts';
export {
  evaluateGroup,
  type GroupEvaluationContext,
  type GroupState,
  newGroupState,
  type RuleEvaluationError,
  type RuleState,
} from './group-evaluator.ts';
export {
  alertInstances,
  alertSeries,
  effectiveLabels,
  type OutputSample,
  parseSampleValue,
  recordingSamples,
  type TemplateEnvironment,
  toVector,
  type VectorSample,
} from './rule-outputs.ts';
