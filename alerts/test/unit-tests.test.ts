// The rule unit-test runner: the series notation, and fixtures/unit/ run by us and by promtool — the passing
// file passes in both, and the failing one fails with the same report, character for character.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testRulesCommand } from '../src/cli/index.ts';
import { bufferedOutput } from '../src/cli/output.ts';
import { parseSeriesLabels, parseSeriesValues, runRuleTests } from '../src/unit-tests/index.ts';
import { promtool, promtoolAvailable, tempDir } from './support/promtool.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/unit');

const values = (text: string) =>
  parseSeriesValues(text).map((v) => (v.kind === 'value' ? v.value : v.kind === 'stale' ? 'stale' : '_'));

describe('series values notation', () => {
  it('expands a+bxn, a-bxn and axn to n+1 values, added one after the other', () => {
    expect(values('1+2x3')).toEqual([1, 3, 5, 7]);
    expect(values('10-1x4')).toEqual([10, 9, 8, 7, 6]);
    expect(values('5x2')).toEqual([5, 5, 5]);
    expect(values('0.1+0.1x2')).toEqual([0.1, 0.2, 0.30000000000000004]);
  });

  it('reads _ (missing), _xn, stale, and numbers such as 1e3, -Inf and NaN', () => {
    expect(values('_ 1 _x2 stale 1e3 -Inf +Inf')).toEqual([
      '_',
      1,
      '_',
      '_',
      'stale',
      1000,
      -Infinity,
      Infinity,
    ]);
    expect(values('NaN')[0]).toBeNaN();
    expect(values('  -1.5x1  ')).toEqual([-1.5, -1.5]);
  });

  it('refuses anything else', () => {
    expect(() => parseSeriesValues('1+2')).toThrow(/bad item "1\+2"/);
    expect(() => parseSeriesValues('1 x3')).toThrow(/bad item "x3"/);
    expect(() => parseSeriesValues('0x1f')).toThrow();
    expect(() => parseSeriesValues('5m')).toThrow();
  });

  it('reads series labels', () => {
    expect(parseSeriesLabels('up{job="a", instance="b"}')).toEqual({
      __name__: 'up',
      job: 'a',
      instance: 'b',
    });
    expect(parseSeriesLabels('{__name__="up"}')).toEqual({ __name__: 'up' });
    expect(() => parseSeriesLabels('up{job=~"a"}')).toThrow(/only =/);
  });
});

describe('runRuleTests', () => {
  it('passes the features fixture (group order, staleness, ALERTS, keep_firing_for, query, offsets)', () => {
    expect(runRuleTests(join(FIXTURES, 'features.test.yml')).failures).toEqual([]);
  });

  it.skipIf(!promtoolAvailable)('and so does promtool', () => {
    const result = promtool(['test', 'rules', 'features.test.yml'], FIXTURES);
    expect(result.stdout).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it.skipIf(!promtoolAvailable)('reports the failures of the failing fixture exactly as promtool', () => {
    const ours = runRuleTests(join(FIXTURES, 'failures.test.yml')).failures;
    expect(ours.length).toBe(5);
    const theirs = promtool(['test', 'rules', 'failures.test.yml'], FIXTURES);
    expect(theirs.code).toBe(1);
    expect(theirs.stderr).toBe(`  FAILED:\n${ours.map((f) => `${f}\n`).join('')}`);
  });

  it.skipIf(!promtoolAvailable)(
    'stops at a rule that fails to evaluate, naming it and the time, as promtool',
    () => {
      const ours = runRuleTests(join(FIXTURES, 'eval-error.test.yml')).failures;
      const theirs = promtool(['test', 'rules', 'eval-error.test.yml'], FIXTURES);
      const prefix =
        '    rule: ratio, time: 0s, err: found duplicate series for the match group {job="x"} on the right hand-side';
      expect(ours).toHaveLength(1);
      expect(ours[0]?.startsWith(prefix)).toBe(true);
      expect(theirs.stderr).toContain(prefix);
    },
  );

  it('prints as promtool, and exits 1 on failures', () => {
    const output = bufferedOutput();
    const code = testRulesCommand(
      [join(FIXTURES, 'features.test.yml'), join(FIXTURES, 'failures.test.yml')],
      output,
    );
    expect(code).toBe(1);
    expect(
      output.out.startsWith(`Unit Testing:  ${join(FIXTURES, 'features.test.yml')}\n  SUCCESS\n\n`),
    ).toBe(true);
    expect(
      output.err.startsWith(
        '  FAILED:\n    name: wrong expectations,\n    alertname: FlagRaised, time: 6m, \n',
      ),
    ).toBe(true);
  });

  it('reports problems of the test file itself', () => {
    const dir = tempDir({
      'rules.yml': 'groups: []\n',
      'unknown-key.yml': 'rule_files: [rules.yml]\ntests:\n  - interval: 1m\n    input_seres: []\n',
      'bad-series.yml':
        "rule_files: [rules.yml]\ntests:\n  - input_series:\n      - series: 'up'\n        values: '1 2 three'\n",
      'no-alertname.yml': 'rule_files: [rules.yml]\ntests:\n  - alert_rule_test:\n      - eval_time: 5m\n',
      'bad-rules.yml': 'rule_files: [broken.yml]\ntests: []\n',
      'broken.yml': 'groups:\n  - name: g\n    rules:\n      - record: a b\n        expr: up\n',
      'glob.yml': 'rule_files: ["r*.yml", "none-*.yml"]\ntests: []\n',
      'order.yml': 'rule_files: [rules.yml]\ngroup_eval_order: [a, a]\ntests: []\n',
    });
    const failures = (name: string) => runRuleTests(join(dir, name)).failures;
    expect(failures('unknown-key.yml')).toEqual([
      `${join(dir, 'unknown-key.yml')}:4:5: tests[0].input_seres: field input_seres not found in type main.testGroup`,
    ]);
    expect(failures('bad-series.yml')[0]).toMatch(
      /^tests\[0\]\.input_series\[0\]: series "up": bad item "three"/,
    );
    expect(failures('no-alertname.yml')).toEqual([
      'an item under alert_rule_test misses required attribute alertname at eval_time 5m',
    ]);
    expect(failures('bad-rules.yml')).toEqual([
      `${join(dir, 'broken.yml')}:4:17: groups[0].rules[0].record: invalid recording rule name: a b`,
    ]);
    expect(runRuleTests(join(dir, 'glob.yml'))).toMatchObject({
      failures: [],
      warnings: [`no file match pattern ${join(dir, 'none-*.yml')}`],
    });
    expect(failures('order.yml')).toEqual(['group name repeated in evaluation order: a']);
    expect(failures('missing.yml')[0]).toMatch(/no such file or directory/);
  });
});
