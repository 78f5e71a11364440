// Rule files: parsing with positions and validation as `promtool check rules` does. The fixtures in
// fixtures/rules/ are checked by both: every valid file is accepted by promtool and by us with the same
// number of rules, every invalid one is refused by both, and our error names the line and the key.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSourceError, loadRuleFile, parseRuleFile } from '../src/rules/index.ts';
import { promtool, promtoolAvailable } from './support/promtool.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/rules');

/** For each invalid fixture: the line and key our first error names, and words of promtool's message. */
const INVALID: Record<string, { line: number; column?: number; path: string; promtool: string }> = {
  'alert-and-record.yml': {
    line: 5,
    path: 'groups[0].rules[0]',
    promtool: "only one of 'record' and 'alert' must be set",
  },
  'bad-annotation-name.yml': {
    line: 7,
    path: 'groups[0].rules[0].annotations.runbook-url',
    promtool: 'invalid annotation name',
  },
  'bad-duration.yml': {
    line: 6,
    column: 14,
    path: 'groups[0].rules[0].for',
    promtool: 'not a valid duration string',
  },
  'bad-expr.yml': {
    line: 5,
    column: 54,
    path: 'groups[0].rules[0].expr',
    promtool: 'could not parse expression: 1:40',
  },
  'bad-expr-block.yml': {
    line: 8,
    column: 11,
    path: 'groups[0].rules[0].expr',
    promtool: 'could not parse expression: 3:1',
  },
  'bad-interval.yml': { line: 3, path: 'groups[0].interval', promtool: 'not a valid duration string' },
  'bad-label-name.yml': {
    line: 7,
    path: 'groups[0].rules[0].labels.team-name',
    promtool: 'invalid label name',
  },
  'bad-record-name.yml': {
    line: 4,
    path: 'groups[0].rules[0].record',
    promtool: 'invalid recording rule name',
  },
  'bad-template-function.yml': {
    line: 7,
    column: 70,
    path: 'groups[0].rules[0].annotations.summary',
    promtool: 'function "humanise" not defined',
  },
  'bad-template-syntax.yml': {
    line: 7,
    path: 'groups[0].rules[0].labels.severity',
    promtool: 'missing value for if',
  },
  'bad-template-variable.yml': {
    line: 9,
    column: 16,
    path: 'groups[0].rules[0].annotations.description',
    promtool: 'undefined variable "$label"',
  },
  'duplicate-group.yml': { line: 6, path: 'groups[1].name', promtool: 'is repeated in the same file' },
  'duplicate-key.yml': { line: 6, path: '', promtool: 'already defined' },
  'empty-group-name.yml': { line: 2, path: 'groups[0].name', promtool: 'Groupname must not be empty' },
  'missing-expr.yml': { line: 4, path: 'groups[0].rules[0].expr', promtool: "field 'expr' must be set" },
  'neither-alert-nor-record.yml': {
    line: 4,
    path: 'groups[0].rules[0]',
    promtool: "one of 'record' or 'alert' must be set",
  },
  'not-yaml.yml': { line: 5, path: '', promtool: 'yaml: line 3' },
  'recording-with-annotations.yml': {
    line: 6,
    path: 'groups[0].rules[0].annotations',
    promtool: "invalid field 'annotations' in recording rule",
  },
  'recording-with-for.yml': {
    line: 6,
    path: 'groups[0].rules[0].for',
    promtool: "invalid field 'for' in recording rule",
  },
  'unknown-function.yml': {
    line: 5,
    path: 'groups[0].rules[0].expr',
    promtool: 'unknown function with name "smooth"',
  },
  'unknown-key.yml': {
    line: 6,
    column: 9,
    path: 'groups[0].rules[0].severity',
    promtool: 'field severity not found',
  },
  'wrong-type.yml': { line: 6, path: 'groups[0].rules[0].labels', promtool: 'cannot unmarshal !!seq' },
};

const VALID: Record<string, number> = {
  'anchors.yml': 2,
  'empty.yml': 0,
  'features.yml': 4,
  'no-groups.yml': 0,
};

describe('invalid rule files', () => {
  it('has an expectation for every fixture', () => {
    expect(readdirSync(join(FIXTURES, 'invalid')).sort()).toEqual(Object.keys(INVALID).sort());
  });

  for (const [name, expected] of Object.entries(INVALID)) {
    const file = join(FIXTURES, 'invalid', name);

    it(`${name}: refused, naming line ${expected.line} and ${expected.path || 'the document'}`, () => {
      const { errors } = loadRuleFile(file);
      expect(errors.length).toBeGreaterThan(0);
      const first = errors[0];
      expect(first?.file).toBe(file);
      expect(first?.line).toBe(expected.line);
      if (expected.column !== undefined) expect(first?.column).toBe(expected.column);
      expect(first?.path).toBe(expected.path);
      expect(formatSourceError(first as NonNullable<typeof first>)).toMatch(
        new RegExp(`^${file.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${expected.line}:\\d+: `),
      );
    });

    it.skipIf(!promtoolAvailable)(`${name}: refused by promtool too`, () => {
      const result = promtool(['check', 'rules', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(expected.promtool);
    });
  }
});

describe('valid rule files', () => {
  for (const [name, count] of Object.entries(VALID)) {
    const file = join(FIXTURES, 'valid', name);

    it(`${name}: accepted with ${count} rules`, () => {
      const { groups, errors } = loadRuleFile(file);
      expect(errors.map(formatSourceError)).toEqual([]);
      expect(groups.reduce((n, g) => n + g.rules.length, 0)).toBe(count);
    });

    it.skipIf(!promtoolAvailable)(`${name}: accepted by promtool with ${count} rules`, () => {
      const result = promtool(['check', 'rules', file]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`SUCCESS: ${count} rules found`);
    });
  }
});

describe('parsed rules', () => {
  it('keeps types, defaults and compiled templates', () => {
    const { groups, errors } = loadRuleFile(join(FIXTURES, 'valid/features.yml'));
    expect(errors).toEqual([]);
    const [tanks, jobs] = groups;
    expect(tanks?.intervalMs).toBe(30_000);
    expect(tanks?.intervalSet).toBe(true);
    expect(tanks?.limit).toBe(100);
    expect(jobs?.intervalMs).toBe(60_000);
    expect(jobs?.intervalSet).toBe(false);
    const alert = tanks?.rules[2];
    expect(alert?.kind).toBe('alert');
    if (alert?.kind !== 'alert') return;
    expect(alert.forMs).toBe(0);
    expect(alert.keepFiringForMs).toBe(600_000);
    expect([...alert.annotationTemplates.keys()].sort()).toEqual(['description', 'link', 'misc', 'summary']);
    expect(alert.labels).toEqual({
      severity: '{{ if lt $value 0.5 }}critical{{ else }}warning{{ end }}',
      empty: '',
    });
    expect(alert.position).toEqual({ line: 17, column: 9 });
    expect(alert.expression.kind).toBe('binary');
  });

  it('accepts Prometheus 3 group labels and query_offset (which promtool 2.42 does not know)', () => {
    const { groups, errors } = parseRuleFile(
      'groups:\n  - name: g\n    query_offset: 1m\n    labels:\n      team: water\n    rules:\n      - alert: A\n        expr: up == 0\n',
      'g.yml',
    );
    expect(errors).toEqual([]);
    expect(groups[0]?.queryOffsetMs).toBe(60_000);
    expect(groups[0]?.labels).toEqual({ team: 'water' });
  });

  it('collects every error of a file, not only the first', () => {
    const text = [
      'groups:',
      '  - name: a',
      '    rules:',
      '      - alert: A',
      '        expr: up ==',
      '        for: 1x',
      '        labels: {"a-b": c}',
      '  - name: a',
      '    rules: []',
    ].join('\n');
    const { errors } = parseRuleFile(text, 'f.yml');
    expect(errors.map(formatSourceError)).toEqual([
      'f.yml:6:14: groups[0].rules[0].for: not a valid duration string: "1x"',
      'f.yml:5:20: groups[0].rules[0].expr: parse error: unexpected end of input',
      'f.yml:7:18: groups[0].rules[0].labels.a-b: invalid label name: a-b',
      'f.yml:8:11: groups[1].name: groupname: "a" is repeated in the same file',
    ]);
  });

  it('reports a file that does not exist', () => {
    const { errors } = loadRuleFile(join(FIXTURES, 'nope.yml'));
    expect(errors[0]?.message).toBe('no such file or directory');
  });
});
