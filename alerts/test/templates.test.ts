// The alert template engine: Go's float formatting and printf, the Prometheus functions, parse and execution
// errors; and the whole corpus of fixtures/template-corpus.txt expanded by promtool and compared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  compileAlertTemplate,
  executeAlertTemplate,
  expandAlertTemplate,
  formatFloat,
  humanize,
  humanizeDuration,
  sprintf,
  TemplateError,
} from '../src/templates/index.ts';
import { runRuleTests } from '../src/unit-tests/index.ts';
import { promtool, promtoolAvailable, tempDir } from './support/promtool.ts';

const data = {
  labels: { __name__: 'm', instance: 'host.example.com:9090', job: 'api' },
  externalLabels: { dc: 'eu' },
  externalURL: 'http://prom.example:9090/prefix',
  value: 1234.5678,
};

const expand = (text: string, value = data.value) =>
  expandAlertTemplate(compileAlertTemplate(text, 'A'), { ...data, value });

describe('Go float formatting', () => {
  it('rounds fixed precisions half to even on exact ties, like Go', () => {
    expect(formatFloat(0.125, 'f', 2)).toBe('0.12');
    expect(formatFloat(0.375, 'f', 2)).toBe('0.38');
    expect(formatFloat(2.5, 'f', 0)).toBe('2');
    expect(formatFloat(1234.5, 'g', 4)).toBe('1234');
    expect(formatFloat(12345, 'g', 4)).toBe('1.234e+04');
    expect(formatFloat(1.5, 'g', 4)).toBe('1.5');
    expect(formatFloat(0, 'g', 4)).toBe('0');
  });

  it('prints %v as the shortest form, with an exponent below 1e-4 and from 1e6', () => {
    expect(sprintf('%v %v %v %v %v', [1e6, 123456.7, 0.0001, 0.00001, 1234567])).toBe(
      '1e+06 123456.7 0.0001 1e-05 1.234567e+06',
    );
    expect(sprintf('%v %v %v', [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN])).toBe(
      '+Inf -Inf NaN',
    );
  });

  it('complains as Go does about verbs and arguments', () => {
    expect(sprintf('%d', [1.5])).toBe('%!d(float64=1.5)');
    expect(sprintf('%d %d', [1n])).toBe('1 %!d(MISSING)');
    expect(sprintf('x', [1n])).toBe('x%!(EXTRA int=1)');
  });
});

describe('Prometheus template functions', () => {
  it('humanizes with SI prefixes and %.4g', () => {
    expect(humanize(1234.5678)).toBe('1.235k');
    expect(humanize(0.000012345)).toBe('12.35u');
    expect(humanize(-1234567)).toBe('-1.235M');
    expect(humanize(0)).toBe('0');
  });

  it('humanizes durations like "1d 2h 3m 4s", "1.5s", "100ms"', () => {
    expect(humanizeDuration(93784)).toBe('1d 2h 3m 4s');
    expect(humanizeDuration(1.5)).toBe('1.5s');
    expect(humanizeDuration(0.1)).toBe('100ms');
    expect(humanizeDuration(0)).toBe('0s');
  });

  it('expands $labels, $value, .Labels, .Value, $externalLabels and pipelines', () => {
    expect(
      expand(
        '{{ $labels.job }} {{ .Labels.instance }} {{ $value }} {{ .Value | humanize }} {{ $externalLabels.dc }}',
      ),
    ).toBe('api host.example.com:9090 1234.5678 1.235k eu');
    expect(expand('{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}')).toBe(
      '__name__=m;instance=host.example.com:9090;job=api;',
    );
    expect(
      expand('{{ $x := printf "%.1f" $value }}{{ if gt $value 1000.0 }}high {{ $x }}{{ else }}low{{ end }}'),
    ).toBe('high 1234.6');
  });

  it('answers query with an error unless a query function is given', () => {
    const template = compileAlertTemplate('{{ query "up" | len }}', 'A');
    expect(expandAlertTemplate(template, data)).toContain(
      'error calling query: query not supported in this context',
    );
    const answer = executeAlertTemplate(template, data, { query: () => [{ labels: { a: 'b' }, value: 1 }] });
    expect(answer).toBe('1');
  });
});

describe('template errors', () => {
  it('refuses an unknown function, an undefined variable or a broken action when parsing', () => {
    const parse = (text: string) => {
      try {
        compileAlertTemplate(text, 'A');
        return 'parsed';
      } catch (error) {
        expect(error).toBeInstanceOf(TemplateError);
        return (error as TemplateError).message;
      }
    };
    expect(parse('{{ $value | nofunc }}')).toBe('template: __alert_A:1: function "nofunc" not defined');
    expect(parse('{{ $nope }}')).toBe('template: __alert_A:1: undefined variable "$nope"');
    expect(parse('{{ if }}')).toBe('template: __alert_A:1: missing value for if');
    expect(parse('{{ if true }}x')).toBe('template: __alert_A:1: unexpected EOF');
    expect(parse('a\n{{ end }}')).toBe('template: __alert_A:2: unexpected {{end}}');
    expect(parse('{{ "x" ')).toBe('template: __alert_A:1: unclosed action');
  });

  it('gives the offset of the failing token in the text', () => {
    try {
      compileAlertTemplate('abc {{ nofunc }}', 'A');
    } catch (error) {
      expect((error as TemplateError).offset).toBe(7);
    }
  });

  it('turns execution errors into "<error expanding template: ...>" as Prometheus does', () => {
    expect(expand('{{ if gt $value 1000 }}x{{ end }}')).toBe(
      '<error expanding template: error executing template __alert_A: template: __alert_A:1:118: ' +
        'executing "__alert_A" at <gt $value 1000>: error calling gt: incompatible types for comparison>',
    );
  });
});

const corpus = readFileSync(join(import.meta.dirname, 'fixtures/template-corpus.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

/** A rule test file whose expected annotations are our expansions of the corpus at `value`. */
function corpusTestFiles(value: number): Record<string, string> {
  const labels = { instance: 'host.example.com:9090', job: 'api', dss_tank_id: 'T-1' };
  const annotations: Record<string, string> = {};
  const expected: Record<string, string> = {};
  corpus.forEach((text, i) => {
    annotations[`a${i}`] = text;
    expected[`a${i}`] = expandAlertTemplate(
      compileAlertTemplate(text, 'T'),
      {
        labels: { __name__: 'm', ...labels },
        externalLabels: { dc: 'eu' },
        externalURL: 'http://prom.example:9090/prefix',
        value,
      },
      { query: (q) => (q === 'm' ? [{ labels: { __name__: 'm', ...labels }, value }] : []) },
    );
  });
  const rules = stringify({ groups: [{ name: 'g', rules: [{ alert: 'T', expr: 'm', annotations }] }] });
  const series = `m{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
  const test = stringify({
    rule_files: ['rules.yml'],
    tests: [
      {
        interval: '1m',
        external_labels: { dc: 'eu' },
        external_url: 'http://prom.example:9090/prefix',
        input_series: [{ series, values: formatFloat(value, 'g', -1) }],
        alert_rule_test: [
          {
            eval_time: '0m',
            alertname: 'T',
            exp_alerts: [{ exp_labels: labels, exp_annotations: expected }],
          },
        ],
      },
    ],
  });
  return { 'rules.yml': rules, 'test.yml': test };
}

describe('the template corpus', () => {
  for (const value of [1234.5678, 0.000123, -5e9]) {
    it(`expands every template as our runner expects at $value = ${value}`, () => {
      const dir = tempDir(corpusTestFiles(value));
      expect(runRuleTests(join(dir, 'test.yml')).failures).toEqual([]);
    });

    it.skipIf(!promtoolAvailable)(
      `expands every template exactly as promtool does at $value = ${value}`,
      () => {
        const dir = tempDir(corpusTestFiles(value));
        const result = promtool(['test', 'rules', 'test.yml'], dir);
        expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
        expect(result.code).toBe(0);
      },
    );
  }
});
