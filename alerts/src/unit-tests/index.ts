// Rule unit tests in `promtool test rules` format.
export { type RuleTestResult, runRuleTests } from './run-rule-tests.ts';
export { runTestGroup, type TestGroupContext } from './run-test-group.ts';
export {
  parseExpectedLabels,
  parseSeriesLabels,
  parseSeriesValues,
  type SeriesValue,
} from './series-values.ts';
export { parseTestFile, type TestFile, type TestGroup } from './test-file.ts';
export { TestStorage } from './test-storage.ts';
