// `dss-obs alerts test FILE...`: runs rule unit tests in `promtool test rules` format and prints as promtool
// does ("Unit Testing:  FILE", then "  SUCCESS" or "  FAILED:" and each failure followed by a blank line).
import { runRuleTests } from '../unit-tests/run-rule-tests.ts';
import { type CommandOutput, processOutput } from './output.ts';

/** Runs each test file; 0 when every test passes, 1 otherwise. */
export function testRulesCommand(files: readonly string[], output: CommandOutput = processOutput): number {
  let failed = false;
  for (const file of files) {
    output.stdout(`Unit Testing:  ${file}\n`);
    const result = runRuleTests(file);
    for (const warning of result.warnings) output.stderr(`  WARNING: ${warning}\n`);
    if (result.failures.length > 0) {
      failed = true;
      output.stderr('  FAILED:\n');
      for (const failure of result.failures) {
        output.stderr(`${failure}\n`);
        output.stdout('\n');
      }
    } else {
      output.stdout('  SUCCESS\n');
    }
    output.stdout('\n');
  }
  return failed ? 1 : 0;
}
