// The seasonal DSS rules (rate of change against the previous days) on a week of input: our runner and the
// real promtool pass alerts/rules/dss.rules.seasonal.test.yml. Apart from dss-rules.test.ts because each run
// takes seconds.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../src/unit-tests/index.ts';
import { promtool, promtoolAvailable } from './support/promtool.ts';

const RULES_DIR = join(import.meta.dirname, '../rules');
const FILE = 'dss.rules.seasonal.test.yml';

describe('dss.rules.seasonal.test.yml', () => {
  it('passes with our runner', () => {
    expect(runRuleTests(join(RULES_DIR, FILE)).failures).toEqual([]);
  });

  it.skipIf(!promtoolAvailable)('passes with promtool test rules', () => {
    const result = promtool(['test', 'rules', FILE], RULES_DIR);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});
