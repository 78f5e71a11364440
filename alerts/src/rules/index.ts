// Prometheus-format rule files: parsing with source positions, validation as `promtool check rules` does,
// and the typed rules the evaluation and the rule unit tests work on.
export { formatGoDuration, formatModelDuration, parseModelDuration } from './durations.ts';
export { loadRuleFile } from './load.ts';
export { isValidLabelName, isValidLabelValue, isValidMetricName } from './names.ts';
export { type ParsedRuleFile, parseRuleFile } from './parse-rule-file.ts';
export {
  type AlertingRule,
  DEFAULT_GROUP_INTERVAL_MS,
  type RecordingRule,
  type Rule,
  type RuleFile,
  type RuleGroup,
  type SourcePosition,
} from './types.ts';
export { formatSourceError, type SourceError } from './yaml-source.ts';
