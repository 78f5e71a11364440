// What LogQL stages mean for one log entry, independently of storage.
import { describe, expect, it } from 'vitest';
import type { LineFilter, LogQuery, MetricQuery } from '../../src/query/logql/ast.ts';
import { applyJsonParser } from '../../src/query/logql/json-parser.ts';
import { applyLabelFilter, parseGoDurationNanos, parseGoFloat } from '../../src/query/logql/label-filter.ts';
import { matchesLineFilter } from '../../src/query/logql/line-filter.ts';
import { renderLineFormat } from '../../src/query/logql/line-format.ts';
import { parseBytes } from '../../src/query/logql/literals.ts';
import { applyLogfmtParser } from '../../src/query/logql/logfmt-parser.ts';
import { evaluateConstant, groupLabels, rangeFunctionValue } from '../../src/query/logql/metric-values.ts';
import { parseLogQL } from '../../src/query/logql/parse-logql.ts';
import { runPipeline } from '../../src/query/logql/pipeline.ts';
import { matchesSelector } from '../../src/query/logql/stream-selector.ts';

const logQuery = (query: string): LogQuery => {
  const parsed = parseLogQL(query);
  if (parsed.type !== 'log') throw new Error('not a log query');
  return parsed;
};
const firstLineFilter = (pipeline: string): LineFilter => {
  const stage = logQuery(`{a="b"} ${pipeline}`).pipeline[0];
  if (stage?.type !== 'lineFilter') throw new Error('not a line filter');
  return stage;
};

describe('stream selectors', () => {
  const labels = { service_name: 'api', level: 'error', dss_client: 'utility-a' };
  it.each([
    ['{service_name="api"}', true],
    ['{service_name="worker"}', false],
    ['{service_name="api", level!="debug"}', true],
    ['{service_name=~"api|worker"}', true],
    ['{service_name=~"ap"}', false], // anchored
    ['{service_name=~"ap.*", level!~"info|debug"}', true],
    ['{service_name="api", missing=""}', true], // a missing label is ''
    ['{service_name="api", missing!=""}', false],
    ['{service_name="api", missing=~".*"}', true],
  ])('%s is %s', (selector, expected) => {
    expect(matchesSelector(logQuery(selector).selector, labels)).toBe(expected);
  });

  it('regular expressions match across newlines, as Prometheus matchers do', () => {
    expect(matchesSelector(logQuery('{a=~"x.*"}').selector, { a: 'x\ny' })).toBe(true);
  });
});

describe('line filters', () => {
  const line = 'level=error msg="tank 7 overflow" latency=250ms';
  it.each([
    ['|= "overflow"', true],
    ['|= "Overflow"', false], // case-sensitive
    ['|= ``', true],
    ['!= "overflow"', false],
    ['!= "debug"', true],
    ['|~ "tank \\\\d+"', true],
    ['|~ "^level=error"', true],
    ['|~ "overflow"', true], // unanchored, unlike label matchers
    ['|~ "(?i)OVERFLOW"', true],
    ['!~ "tank \\\\d+"', false],
    ['|= "debug" or "overflow"', true],
    ['|= "debug" or "info"', false],
    ['!= "debug" or "info"', true], // passes when it contains none of them
    ['!= "debug" or "overflow"', false],
    ['|~ "x+" or "lat.*ms"', true],
    ['!~ "x+" or "lat.*ms"', false],
  ])('%s is %s', (filter, expected) => {
    expect(matchesLineFilter(firstLineFilter(filter), line)).toBe(expected);
  });
});

describe('| json', () => {
  it("extracts and flattens as Loki's documentation shows", () => {
    const line = JSON.stringify({
      protocol: 'HTTP/2.0',
      servers: ['129.0.1.1', '10.2.1.3'],
      request: {
        time: '6.032',
        method: 'GET',
        host: 'foo.grafana.net',
        size: '55',
        headers: { Accept: '*/*', 'User-Agent': 'curl/7.68.0' },
      },
      response: { status: 401, size: '228', latency_seconds: '6.031' },
    });
    expect(applyJsonParser({ line, labels: { job: 'app' } }).labels).toStrictEqual({
      job: 'app',
      protocol: 'HTTP/2.0',
      request_time: '6.032',
      request_method: 'GET',
      request_host: 'foo.grafana.net',
      request_size: '55',
      request_headers_Accept: '*/*',
      request_headers_User_Agent: 'curl/7.68.0',
      response_status: '401',
      response_size: '228',
      response_latency_seconds: '6.031',
    });
  });

  it('keeps numbers as written, booleans as true/false, skips null and arrays', () => {
    const line = '{"a":1.50,"b":1e3,"c":true,"d":null,"e":[1],"f":12345678901234567890,"g":{}}';
    expect(applyJsonParser({ line, labels: {} }).labels).toStrictEqual({
      a: '1.50',
      b: '1e3',
      c: 'true',
      f: '12345678901234567890',
    });
  });

  it('sanitizes names and suffixes the ones the entry already has with _extracted', () => {
    const line =
      '{"level":"error","trace_id":"abc","http.method":"GET","1st":"x"," spaced ":"y","service_name":"json"}';
    expect(applyJsonParser({ line, labels: { service_name: 'api', level: 'info' } }).labels).toStrictEqual({
      service_name: 'api',
      level: 'info',
      level_extracted: 'error',
      trace_id: 'abc',
      http_method: 'GET',
      _1st: 'x',
      spaced: 'y',
      service_name_extracted: 'json',
    });
  });

  it.each([
    ['not json at all', 'JSONParserErr'],
    ['{"a":', 'JSONParserErr'],
    ['[1,2]', 'JSONParserErr'],
    ['"a string"', 'JSONParserErr'],
    ['', 'JSONParserErr'],
  ])('%j sets __error__', (line, error) => {
    const labels = applyJsonParser({ line, labels: { job: 'app' } }).labels;
    expect(labels.__error__).toBe(error);
    expect(labels.__error_details__).toBeTypeOf('string');
    expect(labels.job).toBe('app');
  });
});

describe('| logfmt', () => {
  const lenient = { strict: false, keepEmpty: false };

  it("extracts as Loki's documentation shows", () => {
    const line = 'at=info method=GET path=/ host=grafana.net fwd="124.133.124.161" service=8ms status=200';
    expect(applyLogfmtParser({ line, labels: {} }, lenient).labels).toStrictEqual({
      at: 'info',
      method: 'GET',
      path: '/',
      host: 'grafana.net',
      fwd: '124.133.124.161',
      service: '8ms',
      status: '200',
    });
  });

  it('unescapes quoted values, sanitizes names, suffixes existing ones', () => {
    const line = 'msg="tank \\"7\\" full\\n" http.method=GET level=warn';
    expect(applyLogfmtParser({ line, labels: { level: 'info' } }, lenient).labels).toStrictEqual({
      level: 'info',
      msg: 'tank "7" full\n',
      http_method: 'GET',
      level_extracted: 'warn',
    });
  });

  it('skips keys without values unless --keep-empty', () => {
    const line = 'flag a= b=1';
    expect(applyLogfmtParser({ line, labels: {} }, lenient).labels).toStrictEqual({ b: '1' });
    expect(applyLogfmtParser({ line, labels: {} }, { strict: false, keepEmpty: true }).labels).toStrictEqual({
      flag: '',
      a: '',
      b: '1',
    });
  });

  it('skips malformed pairs by default; --strict stops and sets __error__', () => {
    const line = 'a=1 b"c=2 d=3';
    expect(applyLogfmtParser({ line, labels: {} }, lenient).labels).toMatchObject({ a: '1', d: '3' });
    expect(applyLogfmtParser({ line, labels: {} }, lenient).labels.__error__).toBeUndefined();
    expect(applyLogfmtParser({ line, labels: {} }, { strict: true, keepEmpty: false }).labels).toStrictEqual({
      a: '1',
      __error__: 'LogfmtParserErr',
      __error_details__: `logfmt syntax error at pos 6 : unexpected '"'`,
    });
  });

  it('an unterminated quote in strict mode', () => {
    expect(
      applyLogfmtParser({ line: 'a="open', labels: {} }, { strict: true, keepEmpty: false }).labels,
    ).toStrictEqual({
      __error__: 'LogfmtParserErr',
      __error_details__: 'logfmt syntax error at pos 8 : unterminated quoted value',
    });
  });

  it('a plain line gives standalone keys, all skipped', () => {
    expect(applyLogfmtParser({ line: 'just some words', labels: {} }, lenient).labels).toStrictEqual({});
  });
});

describe('label filters', () => {
  const filterOf = (expr: string) => {
    const stage = logQuery(`{a="b"} | ${expr}`).pipeline[0];
    if (stage?.type !== 'labelFilter') throw new Error('not a label filter');
    return stage.filter;
  };
  const entry = {
    line: 'x',
    labels: { level: 'error', status: '503', latency: '250ms', size: '2 KB', trace_id: 'abc', bad: 'n/a' },
  };
  const passes = (expr: string) => applyLabelFilter(filterOf(expr), entry) !== null;

  it.each([
    ['trace_id = "abc"', true],
    ['trace_id = "abd"', false],
    ['trace_id != "abc"', false],
    ['trace_id =~ "a.*"', true],
    ['trace_id =~ "b"', false],
    ['trace_id !~ "x.*"', true],
    ['missing = ""', true],
    ['missing != ""', false],
    ['status >= 500', true],
    ['status > 503', false],
    ['status == 503', true],
    ['status = 503', true],
    ['status != 503', false],
    ['status < 600', true],
    ['status <= 502', false],
    ['missing > 1', false], // numeric filters drop entries without the label
    ['missing != 1', false],
    ['latency > 200ms', true],
    ['latency > 1s', false],
    ['latency == 250ms', true],
    ['size > 1KB', true],
    ['size >= 2KB', true],
    ['size > 2KB', false],
    ['size < 2KiB', true],
    ['level = "error" and status >= 500', true],
    ['level = "error" and status < 500', false],
    ['level = "info" or status >= 500', true],
    ['level = "info" or status < 500', false],
    ['level = "info", status >= 500', false],
    ['level = "info" or status >= 500 and latency > 1s', false],
    ['(level = "info" or status >= 500) and latency > 100ms', true],
  ])('%s is %s', (expr, expected) => {
    expect(passes(expr)).toBe(expected);
  });

  it('a value that does not parse keeps the entry and sets LabelFilterErr', () => {
    expect(applyLabelFilter(filterOf('bad > 1'), entry)?.labels).toMatchObject({
      __error__: 'LabelFilterErr',
    });
    expect(applyLabelFilter(filterOf('level > 1s'), entry)?.labels).toMatchObject({
      __error__: 'LabelFilterErr',
    });
    expect(applyLabelFilter(filterOf('level > 1KB'), entry)?.labels).toMatchObject({
      __error__: 'LabelFilterErr',
    });
  });

  it('once an entry has an error, numeric filters let it through and string filters see __error__', () => {
    const failed = { line: 'x', labels: { __error__: 'JSONParserErr', status: '200' } };
    expect(applyLabelFilter(filterOf('status > 500'), failed)).toBe(failed);
    expect(applyLabelFilter(filterOf('__error__ = ""'), failed)).toBeNull();
    expect(applyLabelFilter(filterOf('__error__ != ""'), failed)).toBe(failed);
  });
});

describe('pipelines', () => {
  const run = (query: string, line: string, labels: Record<string, string> = { service_name: 'api' }) =>
    runPipeline(logQuery(query).pipeline, { line, labels });

  it('trace to logs: a structured-metadata label filter', () => {
    const labels = { service_name: 'api', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' };
    expect(
      run('{service_name="api"} | trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"', 'GET /tanks', labels),
    ).not.toBeNull();
    expect(run('{service_name="api"} | trace_id = "0000"', 'GET /tanks', labels)).toBeNull();
  });

  it('json, a label filter on an extracted label, line_format', () => {
    const line = '{"level":"error","msg":"pump 3 stopped","pump":{"id":3}}';
    expect(
      run('{service_name="api"} | json | level="error" | line_format "{{.pump_id}}: {{ .msg }}"', line),
    ).toStrictEqual({
      line: '3: pump 3 stopped',
      labels: { service_name: 'api', level: 'error', msg: 'pump 3 stopped', pump_id: '3' },
    });
  });

  it('a parse error can be filtered out or dropped', () => {
    expect(run('{service_name="api"} | json | __error__=""', 'plain text')).toBeNull();
    expect(
      run('{service_name="api"} | json | drop __error__, __error_details__', 'plain text'),
    ).toStrictEqual({
      line: 'plain text',
      labels: { service_name: 'api' },
    });
  });

  it('drop with a matcher drops only matching values', () => {
    expect(run('{service_name="api"} | drop service_name="worker"', 'x')?.labels).toStrictEqual({
      service_name: 'api',
    });
    expect(run('{service_name="api"} | drop service_name="api"', 'x')?.labels).toStrictEqual({});
  });

  it('stops at the first stage that filters the entry out', () => {
    expect(run('{service_name="api"} |= "pump" | logfmt | level="error"', 'level=error msg=tank')).toBeNull();
    expect(
      run('{service_name="api"} |= "tank" | logfmt | level="error"', 'level=error msg=tank')?.labels,
    ).toStrictEqual({
      service_name: 'api',
      level: 'error',
      msg: 'tank',
    });
  });
});

describe('line_format rendering', () => {
  it.each([
    ['{{.a}}-{{ .b }}', 'A-B'],
    ['{{.missing}}|', '|'],
    ['x  {{- .a -}}  y', 'xAy'],
    ['no actions', 'no actions'],
  ])('%s', (template, expected) => {
    expect(renderLineFormat(template, { a: 'A', b: 'B' })).toBe(expected);
  });
});

describe('metric helpers', () => {
  it("evaluates Grafana's health check to a vector of 2", () => {
    expect(evaluateConstant(parseLogQL('vector(1)+vector(1)') as MetricQuery)).toStrictEqual({
      resultType: 'vector',
      value: 2,
    });
  });

  it('constant arithmetic', () => {
    expect(evaluateConstant(parseLogQL('1 + 2 * 3') as MetricQuery)).toStrictEqual({
      resultType: 'scalar',
      value: 7,
    });
    expect(evaluateConstant(parseLogQL('2 ^ 3 ^ 2') as MetricQuery)).toStrictEqual({
      resultType: 'scalar',
      value: 512,
    });
    expect(evaluateConstant(parseLogQL('vector(7) % 4 - 1') as MetricQuery)).toStrictEqual({
      resultType: 'vector',
      value: 2,
    });
    expect(evaluateConstant(parseLogQL('1 / 0') as MetricQuery)).toStrictEqual({
      resultType: 'scalar',
      value: Infinity,
    });
    expect(evaluateConstant(parseLogQL('rate({a="b"}[1m])') as MetricQuery)).toBeNull();
  });

  it('range function values', () => {
    const window = { count: 30, bytes: 3000 };
    expect(rangeFunctionValue('count_over_time', window, 60_000)).toBe(30);
    expect(rangeFunctionValue('rate', window, 60_000)).toBe(0.5);
    expect(rangeFunctionValue('bytes_over_time', window, 60_000)).toBe(3000);
    expect(rangeFunctionValue('bytes_rate', window, 60_000)).toBe(50);
  });

  it('grouping labels', () => {
    const labels = { level: 'error', service_name: 'api', detected_level: '' };
    expect(groupLabels({ mode: 'by', labels: ['level', 'detected_level', 'missing'] }, labels)).toStrictEqual(
      { level: 'error' },
    );
    expect(groupLabels({ mode: 'without', labels: ['level'] }, labels)).toStrictEqual({
      service_name: 'api',
      detected_level: '',
    });
    expect(groupLabels(null, labels)).toStrictEqual({});
  });
});

describe('value parsing as Go does it', () => {
  it.each([
    ['1', 1],
    ['-2.5', -2.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['+Inf', Infinity],
    ['NaN', Number.NaN],
    ['', null],
    [' 1', null],
    ['1,000', null],
    ['abc', null],
  ])('float %j', (text, expected) => {
    expect(parseGoFloat(text)).toStrictEqual(expected);
  });

  it.each([
    ['250ms', 250e6],
    ['1h30m', 5400e9],
    ['1.5s', 1.5e9],
    ['-2s', -2e9],
    ['0', 0],
    ['1d', null], // Go's ParseDuration has no days
    ['5', null],
    ['', null],
  ])('duration %j', (text, expected) => {
    expect(parseGoDurationNanos(text)).toStrictEqual(expected);
  });

  it.each([
    ['1KB', 1000],
    ['1 kB', 1000],
    ['1KiB', 1024],
    ['1.5MiB', 1572864],
    ['42', 42],
    ['2 GB', 2e9],
    ['x', null],
  ])('bytes %j', (text, expected) => {
    expect(parseBytes(text)).toStrictEqual(expected);
  });
});
