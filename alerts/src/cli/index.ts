// The `dss-obs alerts` commands: check rule files, run rule unit tests.
export { checkRulesCommand } from './check-rules.ts';
export { bufferedOutput, type CommandOutput, processOutput } from './output.ts';
export { testRulesCommand } from './test-rules.ts';
