// A rule test file, as `promtool test rules FILE` runs it: read it, resolve its rule_files (relative to the
// file, globs allowed), load and validate the rules, order the groups by group_eval_order (groups not listed
// come first, in file order), and run each test group.
import { globSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { loadRuleFile } from '../rules/load.ts';
import type { RuleGroup } from '../rules/types.ts';
import { formatSourceError } from '../rules/yaml-source.ts';
import { runTestGroup } from './run-test-group.ts';
import { parseTestFile } from './test-file.ts';

export interface RuleTestResult {
  file: string;
  /** Failures, each a promtool-style message; empty when every test passed. */
  failures: string[];
  /** Notes that do not fail the file (a rule_files pattern that matches nothing). */
  warnings: string[];
}

const GLOB = /[*?[]/;

/** Runs the rule unit tests of one test file. */
export function runRuleTests(file: string): RuleTestResult {
  const result: RuleTestResult = { file, failures: [], warnings: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    result.failures.push(
      `open ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`,
    );
    return result;
  }
  const { testFile, errors } = parseTestFile(text, file);
  if (errors.length > 0) {
    result.failures.push(...errors.map(formatSourceError));
    return result;
  }

  const ruleFiles: string[] = [];
  for (const pattern of testFile.ruleFiles) {
    const path = pattern !== '' && !isAbsolute(pattern) ? join(dirname(file), pattern) : pattern;
    const matches = GLOB.test(path) ? globSync(path).sort() : [path];
    if (matches.length === 0) result.warnings.push(`no file match pattern ${path}`);
    ruleFiles.push(...matches);
  }
  const groups: RuleGroup[] = [];
  for (const ruleFile of ruleFiles) {
    const parsed = loadRuleFile(ruleFile);
    result.failures.push(...parsed.errors.map(formatSourceError));
    groups.push(...parsed.groups);
  }
  if (result.failures.length > 0) return result;

  const order = new Map<string, number>();
  for (const [i, name] of testFile.groupEvalOrder.entries()) {
    if (order.has(name)) {
      result.failures.push(`group name repeated in evaluation order: ${name}`);
      return result;
    }
    order.set(name, i);
  }
  const ordered = groups
    .map((group, i) => ({ group, i }))
    .sort((a, b) => (order.get(a.group.name) ?? 0) - (order.get(b.group.name) ?? 0) || a.i - b.i)
    .map((x) => x.group);

  for (const test of testFile.tests) {
    result.failures.push(
      ...runTestGroup(test, { groups: ordered, evaluationIntervalMs: testFile.evaluationIntervalMs }),
    );
  }
  return result;
}
