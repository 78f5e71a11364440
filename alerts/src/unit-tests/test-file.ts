// The `promtool test rules` file format, read strictly (unknown keys are errors, as promtool's
// yaml.UnmarshalStrict): rule_files (relative to the test file, globs allowed), evaluation_interval
// (default 1m), group_eval_order, and tests, each with interval (default: evaluation_interval),
// input_series, alert_rule_test, promql_expr_test, external_labels, external_url and name.
import type { Labels } from '@dss/collector/metrics';
import type { Node } from 'yaml';
import { type SourceError, YamlSource } from '../rules/yaml-source.ts';

export interface InputSeries {
  series: string;
  values: string;
  path: string;
}

export interface ExpectedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface AlertRuleTest {
  evalTimeMs: number;
  alertname: string;
  expAlerts: ExpectedAlert[];
  path: string;
}

export interface PromqlExprTest {
  expr: string;
  evalTimeMs: number;
  expSamples: { labels: string; value: number }[];
  path: string;
}

export interface TestGroup {
  name: string;
  /** Spacing of the input samples. */
  intervalMs: number;
  inputSeries: InputSeries[];
  alertRuleTests: AlertRuleTest[];
  promqlExprTests: PromqlExprTest[];
  externalLabels: Labels;
  externalURL: string;
  path: string;
}

export interface TestFile {
  ruleFiles: string[];
  evaluationIntervalMs: number;
  groupEvalOrder: string[];
  tests: TestGroup[];
}

const DEFAULT_INTERVAL_MS = 60_000;

/** Parses a rule test file; `file` names it in errors. */
export function parseTestFile(text: string, file: string): { testFile: TestFile; errors: SourceError[] } {
  const source = new YamlSource(file, text);
  const testFile: TestFile = {
    ruleFiles: [],
    evaluationIntervalMs: DEFAULT_INTERVAL_MS,
    groupEvalOrder: [],
    tests: [],
  };
  const top = source.mapping(
    source.root,
    '',
    ['rule_files', 'evaluation_interval', 'group_eval_order', 'tests'],
    'main.unitTestFile',
  );
  const get = (key: string) => top.find((e) => e.key === key);
  testFile.ruleFiles = strings(source, get('rule_files')?.value ?? null, 'rule_files');
  const interval = get('evaluation_interval');
  if (interval)
    testFile.evaluationIntervalMs = source.duration(interval.value, interval.path) || DEFAULT_INTERVAL_MS;
  testFile.groupEvalOrder = strings(source, get('group_eval_order')?.value ?? null, 'group_eval_order');
  for (const item of source.sequence(get('tests')?.value ?? null, 'tests', '[]main.testGroup')) {
    testFile.tests.push(parseTestGroup(source, item.node, item.path, testFile.evaluationIntervalMs));
  }
  return { testFile, errors: source.errors };
}

function strings(source: YamlSource, node: Node | null, path: string): string[] {
  return source
    .sequence(node, path, '[]string')
    .map((item) => source.string(item.node, item.path))
    .filter((s): s is string => s !== undefined);
}

function parseTestGroup(
  source: YamlSource,
  node: Node | null,
  path: string,
  evaluationIntervalMs: number,
): TestGroup {
  const entries = source.mapping(
    node,
    path,
    [
      'interval',
      'input_series',
      'alert_rule_test',
      'promql_expr_test',
      'external_labels',
      'external_url',
      'name',
    ],
    'main.testGroup',
  );
  const get = (key: string) => entries.find((e) => e.key === key);
  const interval = get('interval');
  const group: TestGroup = {
    name: source.string(get('name')?.value ?? null, `${path}.name`) ?? '',
    intervalMs: (interval ? source.duration(interval.value, interval.path) : 0) || evaluationIntervalMs,
    inputSeries: [],
    alertRuleTests: [],
    promqlExprTests: [],
    externalLabels: source.stringMap(get('external_labels')?.value ?? null, `${path}.external_labels`),
    externalURL: source.string(get('external_url')?.value ?? null, `${path}.external_url`) ?? '',
    path,
  };
  for (const item of source.sequence(
    get('input_series')?.value ?? null,
    `${path}.input_series`,
    '[]main.series',
  )) {
    const fields = source.mapping(item.node, item.path, ['series', 'values'], 'main.series');
    const field = (key: string) => fields.find((e) => e.key === key);
    group.inputSeries.push({
      series: source.string(field('series')?.value ?? null, `${item.path}.series`) ?? '',
      values: source.string(field('values')?.value ?? null, `${item.path}.values`) ?? '',
      path: item.path,
    });
  }
  for (const item of source.sequence(
    get('alert_rule_test')?.value ?? null,
    `${path}.alert_rule_test`,
    '[]main.alertTestCase',
  )) {
    const fields = source.mapping(
      item.node,
      item.path,
      ['eval_time', 'alertname', 'exp_alerts'],
      'main.alertTestCase',
    );
    const field = (key: string) => fields.find((e) => e.key === key);
    const evalTime = field('eval_time');
    const test: AlertRuleTest = {
      evalTimeMs: (evalTime ? source.duration(evalTime.value, evalTime.path) : 0) ?? 0,
      alertname: source.string(field('alertname')?.value ?? null, `${item.path}.alertname`) ?? '',
      expAlerts: [],
      path: item.path,
    };
    for (const alert of source.sequence(
      field('exp_alerts')?.value ?? null,
      `${item.path}.exp_alerts`,
      '[]main.alert',
    )) {
      const alertFields = source.mapping(
        alert.node,
        alert.path,
        ['exp_labels', 'exp_annotations'],
        'main.alert',
      );
      const alertField = (key: string) => alertFields.find((e) => e.key === key)?.value ?? null;
      test.expAlerts.push({
        labels: source.stringMap(alertField('exp_labels'), `${alert.path}.exp_labels`),
        annotations: source.stringMap(alertField('exp_annotations'), `${alert.path}.exp_annotations`),
      });
    }
    group.alertRuleTests.push(test);
  }
  for (const item of source.sequence(
    get('promql_expr_test')?.value ?? null,
    `${path}.promql_expr_test`,
    '[]main.promqlTestCase',
  )) {
    const fields = source.mapping(
      item.node,
      item.path,
      ['expr', 'eval_time', 'exp_samples'],
      'main.promqlTestCase',
    );
    const field = (key: string) => fields.find((e) => e.key === key);
    const evalTime = field('eval_time');
    const test: PromqlExprTest = {
      expr: source.string(field('expr')?.value ?? null, `${item.path}.expr`) ?? '',
      evalTimeMs: (evalTime ? source.duration(evalTime.value, evalTime.path) : 0) ?? 0,
      expSamples: [],
      path: item.path,
    };
    for (const sample of source.sequence(
      field('exp_samples')?.value ?? null,
      `${item.path}.exp_samples`,
      '[]main.sample',
    )) {
      const sampleFields = source.mapping(sample.node, sample.path, ['labels', 'value'], 'main.sample');
      const sampleField = (key: string) => sampleFields.find((e) => e.key === key)?.value ?? null;
      test.expSamples.push({
        labels: source.string(sampleField('labels'), `${sample.path}.labels`) ?? '',
        value: source.float(sampleField('value'), `${sample.path}.value`) ?? 0,
      });
    }
    group.promqlExprTests.push(test);
  }
  return group;
}
