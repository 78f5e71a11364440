// Loki's answers, against the responses Grafana's Loki data source is tested with (grafana/grafana
// pkg/tsdb/loki/testdata) and Loki's API documentation.
import { describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../src/query/logql/ast.ts';
import { evaluateConstant } from '../../src/query/logql/metric-values.ts';
import { parseLogQL } from '../../src/query/logql/parse-logql.ts';
import { lokiBuildInfoJson } from '../../src/query/loki/buildinfo.ts';
import { lokiLabelsJson, lokiSeriesJson } from '../../src/query/loki/labels-response.ts';
import {
  lokiConstantJson,
  lokiMatrixJson,
  lokiScalarJson,
  lokiVectorJson,
} from '../../src/query/loki/metric-response.ts';
import { formatSampleValue } from '../../src/query/loki/sample-values.ts';
import { emptyLokiStats } from '../../src/query/loki/stats.ts';
import { lokiStreamsJson } from '../../src/query/loki/streams-response.ts';

describe('streams', () => {
  it('testdata/streams_simple.json', () => {
    const one = { code: 'one",', location: 'moon🌙' };
    const two = { location: 'moon🌙', code: '",two' };
    const json = lokiStreamsJson([
      { timestampNanos: 1645030244810757120n, line: 'log line error 1', streamLabels: one },
      { timestampNanos: 1645030247027735040n, line: 'log line info 1', streamLabels: two },
      { timestampNanos: 1645030246277587968n, line: 'log line info 2', streamLabels: two },
    ]);
    expect(json).toStrictEqual({
      status: 'success',
      data: {
        resultType: 'streams',
        result: [
          {
            stream: { code: 'one",', location: 'moon🌙' },
            values: [['1645030244810757120', 'log line error 1']],
          },
          {
            stream: { code: '",two', location: 'moon🌙' },
            values: [
              ['1645030247027735040', 'log line info 1'],
              ['1645030246277587968', 'log line info 2'],
            ],
          },
        ],
        stats: emptyLokiStats(),
      },
    });
  });

  it('without categorize-labels, structured metadata and parsed labels join the stream labels', () => {
    const json = lokiStreamsJson([
      {
        timestampNanos: 2n,
        line: 'a',
        streamLabels: { service_name: 'api' },
        structuredMetadata: { trace_id: 't1' },
      },
      {
        timestampNanos: 1n,
        line: 'b',
        streamLabels: { service_name: 'api' },
        structuredMetadata: { trace_id: 't2' },
        parsed: { level: 'x' },
      },
    ]);
    expect((json.data as { result: unknown }).result).toStrictEqual([
      { stream: { service_name: 'api', trace_id: 't1' }, values: [['2', 'a']] },
      { stream: { level: 'x', service_name: 'api', trace_id: 't2' }, values: [['1', 'b']] },
    ]);
  });

  it('categorize-labels, as testdata_dataplane/streams_structured_metadata_2.json', () => {
    const stream = { code: '",two', location: 'moon🌙' };
    const json = lokiStreamsJson(
      [
        {
          timestampNanos: 1704895296244577000n,
          line: '{"field2":"two"}',
          streamLabels: stream,
          parsed: { field2: 'two' },
        },
        {
          timestampNanos: 1704895267503906000n,
          line: '{"field1":"one"}',
          streamLabels: stream,
          parsed: { field1: 'one' },
        },
        {
          timestampNanos: 1704895245190222000n,
          line: 'plain',
          streamLabels: stream,
          structuredMetadata: { trace_id: 'abc' },
        },
        { timestampNanos: 1704895245190221000n, line: 'nothing', streamLabels: stream },
      ],
      { categorizeLabels: true },
    );
    expect(json).toStrictEqual({
      status: 'success',
      data: {
        encodingFlags: ['categorize-labels'],
        resultType: 'streams',
        result: [
          {
            stream: { code: '",two', location: 'moon🌙' },
            values: [
              ['1704895296244577000', '{"field2":"two"}', { parsed: { field2: 'two' } }],
              ['1704895267503906000', '{"field1":"one"}', { parsed: { field1: 'one' } }],
              ['1704895245190222000', 'plain', { structuredMetadata: { trace_id: 'abc' } }],
              ['1704895245190221000', 'nothing', {}],
            ],
          },
        ],
        stats: emptyLokiStats(),
      },
    });
  });

  it('no lines', () => {
    expect(lokiStreamsJson([])).toStrictEqual({
      status: 'success',
      data: { resultType: 'streams', result: [], stats: emptyLokiStats() },
    });
  });
});

describe('metric results', () => {
  it('matrix, as testdata/matrix_*.json', () => {
    expect(
      lokiMatrixJson([
        {
          labels: { protocol: 'http', level: 'info', location: 'moon' },
          samples: [
            { timeMs: 1643021611100, value: Infinity },
            { timeMs: 1643021911200, value: -Infinity },
            { timeMs: 1643021911300, value: Number.NaN },
            { timeMs: 1643021911000, value: 0.5 },
          ],
        },
      ]).data,
    ).toStrictEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { level: 'info', location: 'moon', protocol: 'http' },
          values: [
            [1643021611.1, '+Inf'],
            [1643021911.2, '-Inf'],
            [1643021911.3, 'NaN'],
            [1643021911, '0.5'],
          ],
        },
      ],
      stats: emptyLokiStats(),
    });
  });

  it('vector, as test_non_dataplane/vector_simple.json', () => {
    expect(
      lokiVectorJson([
        { labels: { level: 'error', location: 'moon' }, sample: { timeMs: 1645029699000, value: 23 } },
        { labels: { level: 'info', location: 'moon' }, sample: { timeMs: 1645029699000, value: 47 } },
      ]),
    ).toStrictEqual({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { level: 'error', location: 'moon' }, value: [1645029699, '23'] },
          { metric: { level: 'info', location: 'moon' }, value: [1645029699, '47'] },
        ],
        stats: emptyLokiStats(),
      },
    });
  });

  it('scalar', () => {
    expect(lokiScalarJson({ timeMs: 4000, value: 2 }).data).toStrictEqual({
      resultType: 'scalar',
      result: [4, '2'],
      stats: emptyLokiStats(),
    });
  });

  it("Grafana's health check: vector(1)+vector(1), instant, gives one series of value 2", () => {
    const result = evaluateConstant(parseLogQL('vector(1)+vector(1)') as MetricQuery);
    if (!result) throw new Error('not constant');
    const json = lokiConstantJson(result, [4000], true);
    expect(json).toStrictEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [4, '2'] }], stats: emptyLokiStats() },
    });
  });

  it('a constant over a range is a matrix with a sample per step', () => {
    const json = lokiConstantJson({ resultType: 'vector', value: 2 }, [1000, 2000, 3000], false);
    expect((json.data as { result: unknown }).result).toStrictEqual([
      {
        metric: {},
        values: [
          [1, '2'],
          [2, '2'],
          [3, '2'],
        ],
      },
    ]);
  });
});

describe('sample values as Go formats them', () => {
  it.each([
    [2, '2'],
    [0.5, '0.5'],
    [-3.25, '-3.25'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.5e-10, '-0.00000000015'],
    [123456789012345680000, '123456789012345680000'],
    [Number.NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%s', (value, expected) => {
    expect(formatSampleValue(value)).toBe(expected);
  });
});

describe('labels and series', () => {
  it('labels and label values: sorted, unique', () => {
    expect(lokiLabelsJson(['service_name', 'level', 'dss_client', 'level'])).toStrictEqual({
      status: 'success',
      data: ['dss_client', 'level', 'service_name'],
    });
  });

  it('series: unique label sets', () => {
    expect(
      lokiSeriesJson([
        { container_name: 'loki', app: 'loki' },
        { app: 'loki', container_name: 'loki' },
        { container_name: 'promtail', app: 'promtail' },
      ]),
    ).toStrictEqual({
      status: 'success',
      data: [
        { app: 'loki', container_name: 'loki' },
        { app: 'promtail', container_name: 'promtail' },
      ],
    });
  });
});

describe('buildinfo', () => {
  it('is a bare object', () => {
    expect(Object.keys(lokiBuildInfoJson())).toStrictEqual([
      'version',
      'revision',
      'branch',
      'buildUser',
      'buildDate',
      'goVersion',
    ]);
  });
});
