// The shipped DSS rules: checked and unit tested by our tools and by the real promtool (Prometheus 2.42),
// on the same files. The tests are timed so that 2.42's closed windows and Prometheus 3's left-open ones
// agree (see the header of dss.rules.test.yml).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRulesCommand } from '../src/cli/index.ts';
import { bufferedOutput } from '../src/cli/output.ts';
import { loadRuleFile } from '../src/rules/index.ts';
import { runRuleTests } from '../src/unit-tests/index.ts';
import { promtool, promtoolAvailable } from './support/promtool.ts';

const RULES_DIR = join(import.meta.dirname, '../rules');
const RULES = join(RULES_DIR, 'dss.rules.yml');
// The seasonal tests (a week of input) are in dss-rules-seasonal.test.ts, to run in parallel with these.
const TESTS = ['dss.rules.test.yml'];

describe('dss.rules.yml', () => {
  it('is valid', () => {
    const output = bufferedOutput();
    expect(checkRulesCommand([RULES], output)).toBe(0);
    expect(output.all).toBe(`Checking ${RULES}\n  SUCCESS: 24 rules found\n\n`);
  });

  it.skipIf(!promtoolAvailable)('is valid for promtool check rules', () => {
    const result = promtool(['check', 'rules', RULES]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('SUCCESS: 24 rules found');
    expect(result.code).toBe(0);
  });

  it('gives every alert a severity, a summary, a description and a runbook in docs/alerts-rules.md', () => {
    const alerts = loadRuleFile(RULES).groups.flatMap((g) => g.rules.filter((r) => r.kind === 'alert'));
    expect(alerts.length).toBe(12);
    for (const alert of alerts) {
      if (alert.kind !== 'alert') continue;
      expect(['critical', 'warning', 'info']).toContain(alert.labels.severity);
      expect(Object.keys(alert.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(alert.annotations.runbook_url).toBe(`docs/alerts-rules.md#${alert.name.toLowerCase()}`);
    }
  });

  it('has a runbook section in docs/alerts-rules.md for every alert', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/alerts-rules.md'), 'utf8');
    const alerts = loadRuleFile(RULES).groups.flatMap((g) => g.rules.filter((r) => r.kind === 'alert'));
    for (const alert of alerts) expect(doc).toContain(`\n### ${alert.name}\n`);
  });

  for (const file of TESTS) {
    it(`passes ${file} with our runner`, () => {
      expect(runRuleTests(join(RULES_DIR, file)).failures).toEqual([]);
    });

    it.skipIf(!promtoolAvailable)(`passes ${file} with promtool test rules`, () => {
      const result = promtool(['test', 'rules', file], RULES_DIR);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('SUCCESS');
      expect(result.code).toBe(0);
    });
  }
});
