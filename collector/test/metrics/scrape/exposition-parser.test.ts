// The text exposition format parser: what prom-client writes, the format's corners, OpenMetrics tolerance,
// and errors that name their line.
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExpositionParseError, parseExposition } from '../../../src/metrics/scrape/index.ts';

const compact = (text: string, openMetrics = false) =>
  parseExposition(text, { openMetrics }).samples.map(({ name, labels, value, timestampMs }) => ({
    name,
    labels,
    value,
    ...(timestampMs === undefined ? {} : { timestampMs }),
  }));

function parseError(text: string): ExpositionParseError {
  try {
    parseExposition(text);
  } catch (error) {
    if (error instanceof ExpositionParseError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

describe('parseExposition', () => {
  it('reads what prom-client writes: families, escapes, histograms, summaries, NaN', async () => {
    const registry = new Registry();
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'Requests\nwith "quotes" \\ back',
      labelNames: ['method', 'path'],
      registers: [registry],
    });
    requests.inc({ method: 'GET', path: '/a"b\\c\nd' }, 3);
    new Gauge({ name: 'temperature', help: 'T', registers: [registry] }).set(Number.NaN);
    new Histogram({ name: 'job_seconds', help: 'J', buckets: [0.005, 1], registers: [registry] }).observe(
      0.5,
    );
    new Summary({ name: 'latency', help: 'L', percentiles: [0.5], registers: [registry] }).observe(2);

    const parsed = parseExposition(await registry.metrics());
    expect(parsed.families).toEqual([
      { name: 'http_requests_total', help: 'Requests\nwith "quotes" \\ back', type: 'counter' },
      { name: 'temperature', help: 'T', type: 'gauge' },
      { name: 'job_seconds', help: 'J', type: 'histogram' },
      { name: 'latency', help: 'L', type: 'summary' },
    ]);
    const samples = parsed.samples.map(({ name, labels, value, family }) => [
      name,
      labels,
      value,
      family?.name,
    ]);
    expect(samples).toEqual([
      ['http_requests_total', { method: 'GET', path: '/a"b\\c\nd' }, 3, 'http_requests_total'],
      ['temperature', {}, Number.NaN, 'temperature'],
      ['job_seconds_bucket', { le: '0.005' }, 0, 'job_seconds'],
      ['job_seconds_bucket', { le: '1' }, 1, 'job_seconds'],
      ['job_seconds_bucket', { le: '+Inf' }, 1, 'job_seconds'],
      ['job_seconds_sum', {}, 0.5, 'job_seconds'],
      ['job_seconds_count', {}, 1, 'job_seconds'],
      ['latency', { quantile: '0.5' }, 2, 'latency'],
      ['latency_sum', {}, 2, 'latency'],
      ['latency_count', {}, 1, 'latency'],
    ]);
  });

  it('reads values, timestamps, blanks, tabs, trailing commas, CRLF and untyped samples', () => {
    const text = [
      'a 1',
      'b{x="1",} +Inf 1700000000000',
      '  c\t{ y = "2" , z="3"}\t-Inf',
      'd NaN -5',
      'e 1.5e3\r',
      'f -0.25',
      'g{} 7',
      'h .5',
      'i inf',
      '',
      '# a comment',
    ].join('\n');
    expect(compact(text)).toEqual([
      { name: 'a', labels: {}, value: 1 },
      { name: 'b', labels: { x: '1' }, value: Number.POSITIVE_INFINITY, timestampMs: 1_700_000_000_000 },
      { name: 'c', labels: { y: '2', z: '3' }, value: Number.NEGATIVE_INFINITY },
      { name: 'd', labels: {}, value: Number.NaN, timestampMs: -5 },
      { name: 'e', labels: {}, value: 1500 },
      { name: 'f', labels: {}, value: -0.25 },
      { name: 'g', labels: {}, value: 7 },
      { name: 'h', labels: {}, value: 0.5 },
      { name: 'i', labels: {}, value: Number.POSITIVE_INFINITY },
    ]);
  });

  it('keeps unknown escapes as written and reads label values with braces, commas and "#"', () => {
    expect(compact('m{a="x\\ty",b="{,}#"} 1')).toEqual([
      { name: 'm', labels: { a: 'x\\ty', b: '{,}#' }, value: 1 },
    ]);
  });

  it('tolerates OpenMetrics: # EOF, # UNIT, exemplars, _created series, timestamps in seconds', () => {
    const text = [
      '# TYPE jobs counter',
      '# UNIT jobs_seconds seconds',
      '# HELP jobs Jobs run.',
      'jobs_total 3 1700000000.5 # {trace_id="abc"} 1.0 1700000000.1',
      'jobs_created 1690000000',
      '# TYPE size histogram',
      'size_bucket{le="+Inf"} 1',
      'size_created 1690000000',
      '# TYPE level gauge',
      'level_created 4',
      '# EOF',
      'this is not parsed',
    ].join('\n');
    const parsed = parseExposition(text, { openMetrics: true });
    expect(parsed.samples.map((s) => [s.name, s.value, s.timestampMs, s.family?.name])).toEqual([
      ['jobs_total', 3, 1_700_000_000_500, 'jobs'],
      ['size_bucket', 1, undefined, 'size'],
      ['level_created', 4, undefined, undefined],
    ]);
    expect(parsed.families).toEqual([
      { name: 'jobs', type: 'counter', help: 'Jobs run.' },
      { name: 'jobs_seconds', unit: 'seconds' },
      { name: 'size', type: 'histogram' },
      { name: 'level', type: 'gauge' },
    ]);
  });

  it('stops at # EOF in the Prometheus format too', () => {
    expect(compact('a 1\n# EOF\n')).toEqual([{ name: 'a', labels: {}, value: 1 }]);
  });

  it.each([
    ['a 1\nb{x="1" 2', 2, `expected ',' or '}' after the value of label "x", found "2"`],
    ['a 1\n\nb{x=1} 2', 3, `expected '"' to open the value of label "x", found "1} 2"`],
    ['b{x="1} 2', 1, 'label value of "x" is not terminated by \'"\''],
    ['b{1x="1"} 2', 1, `expected a label name or '}', found "1x=\\"1\\"} 2"`],
    ['b{x="1",x="2"} 2', 1, 'duplicate label name "x"'],
    ['b{x} 2', 1, `expected '=' after label name "x", found "} 2"`],
    ['b', 1, 'expected a value after b'],
    ['b{x="1"}', 1, 'expected a value after b'],
    ['b one', 1, 'invalid value "one"'],
    ['b 0x10', 1, 'invalid value "0x10"'],
    ['b 1 12.5', 1, 'invalid timestamp "12.5"'],
    ['b 1 2 3', 1, 'unexpected "3" after the sample'],
    ['b-c 1', 1, 'expected a blank before the value, found "-c 1"'],
    ['9b 1', 1, 'expected a metric name, found "9b 1"'],
    ['{"my.metric"} 1', 1, 'quoted (UTF-8) label and metric names are not supported'],
    ['# TYPE a countre', 1, 'invalid metric type "countre" for a'],
    ['# TYPE a-b counter', 1, 'invalid metric name in # TYPE line: "-b counter"'],
    ['# HELP', 1, 'expected a metric name after # HELP'],
  ])('rejects %j at line %i: %s', (text, line, message) => {
    const error = parseError(text);
    expect(error.line).toBe(line);
    expect(error.message).toBe(`line ${line}: ${message}`);
  });
});
