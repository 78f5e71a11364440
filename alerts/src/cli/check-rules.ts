// `dss-obs alerts check FILE...`: validates rule files as `promtool check rules` does and prints the same
// way ("Checking FILE", "  SUCCESS: N rules found" or "  FAILED:" and one error per line, each naming
// file:line:column and the key). Rules that repeat another's name and labels are reported as a warning
// (promtool's duplicate-rules lint, which does not fail the check either).
import { labelsKey } from '../evaluation/alert-state.ts';
import { loadRuleFile } from '../rules/load.ts';
import type { RuleGroup } from '../rules/types.ts';
import { formatSourceError } from '../rules/yaml-source.ts';
import { type CommandOutput, processOutput } from './output.ts';

function duplicates(groups: readonly RuleGroup[]): string[] {
  const seen = new Map<string, number>();
  for (const group of groups) {
    for (const rule of group.rules) {
      const key = `${rule.name}\u0002${labelsKey(rule.labels)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key.split('\u0002')[0] as string);
}

/** Checks each file; 0 when all are valid, 1 otherwise. */
export function checkRulesCommand(files: readonly string[], output: CommandOutput = processOutput): number {
  let failed = false;
  for (const file of files) {
    output.stdout(`Checking ${file}\n`);
    const { groups, errors } = loadRuleFile(file);
    if (errors.length > 0) {
      failed = true;
      output.stderr('  FAILED:\n');
      for (const error of errors) output.stderr(`${formatSourceError(error)}\n`);
    } else {
      const count = groups.reduce((n, g) => n + g.rules.length, 0);
      output.stdout(`  SUCCESS: ${count} rules found\n`);
      const repeated = duplicates(groups);
      if (repeated.length > 0) {
        output.stderr(
          `  WARNING: ${repeated.length} duplicate rule(s) found (same name and labels): ${repeated.join(', ')}\n`,
        );
      }
    }
    output.stdout('\n');
  }
  return failed ? 1 : 0;
}
