// OTLP metrics requests through translateMetrics: every metric kind, labels, resources and scopes, tenants,
// delta accumulation, staleness and rejections.
import { describe, expect, it } from 'vitest';
import type { AppendBatch, AppendSample, Labels } from '../../../src/metrics/model.ts';
import { TranslationState, translateMetrics } from '../../../src/metrics/translate/index.ts';
import {
  attrs,
  exponentialHistogram,
  exponentialPoint,
  gauge,
  histogram,
  histogramPoint,
  labels,
  metricsRequest,
  numberPoint,
  requestOf,
  s,
  str,
  sum,
  summary,
  summaryPoint,
  T0,
  T0_MS,
} from './metric-builders.ts';

const SCOPE = { otel_scope_name: 'dss-test', otel_scope_version: '1.0.0' };
const RESOURCE = { job: 'backend-api', dss_client: 'acme' };

const only = (batches: AppendBatch[]): AppendBatch => {
  expect(batches).toHaveLength(1);
  return batches[0] as AppendBatch;
};

/** The samples of a family (by `__name__` prefix), as `name{labels…} value` for compact assertions. */
function series(
  batch: AppendBatch,
  prefix: string,
  omit: readonly string[] = ['job', 'dss_client', 'otel_scope_name', 'otel_scope_version'],
) {
  return batch.samples
    .filter((sample) => sample.labels.__name__?.startsWith(prefix))
    .map((sample) => {
      const { __name__: name, ...rest } = sample.labels;
      const shown = Object.entries(rest)
        .filter(([key]) => !omit.includes(key))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(',');
      return `${name}{${shown}} ${sample.stale ? 'stale' : sample.value}`;
    });
}

const find = (batch: AppendBatch, name: string): AppendSample[] =>
  batch.samples.filter((sample) => sample.labels.__name__ === name);

describe('translateMetrics', () => {
  it('writes a gauge with its labels, resource and scope labels, at the point time in ms', () => {
    const request = metricsRequest([
      gauge(
        'dss.tank.level',
        'm',
        [numberPoint(3.25, { attributes: labels({ 'dss.tank.id': 'T1' }) })],
        'Water level',
      ),
    ]);
    const result = translateMetrics(request, new TranslationState());
    expect(result.rejected).toBe(0);
    const batch = only(result.batches);
    expect(batch.tenant).toBe('acme');
    expect(find(batch, 'dss_tank_level_meters')).toEqual([
      {
        labels: { __name__: 'dss_tank_level_meters', dss_tank_id: 'T1', ...RESOURCE, ...SCOPE },
        timestampMs: T0_MS,
        value: 3.25,
      },
    ]);
    expect(batch.metadata).toContainEqual({
      metric: 'dss_tank_level_meters',
      type: 'gauge',
      help: 'Water level',
      unit: 'meters',
    });
  });

  it('floors nanoseconds to milliseconds and reads int values', () => {
    const request = metricsRequest([gauge('g', '', [numberPoint(7n, { timeUnixNano: T0 + 999_999n })])]);
    const [sample] = only(translateMetrics(request, new TranslationState()).batches).samples;
    expect(sample).toMatchObject({ timestampMs: T0_MS, value: 7 });
  });

  it('writes monotonic cumulative sums as counters with _total, passing resets through', () => {
    const request = metricsRequest([
      sum('dss.job.failures', '{run}', [
        numberPoint(5, { timeUnixNano: T0 }),
        numberPoint(2, { startTimeUnixNano: T0 + s(5), timeUnixNano: T0 + s(10) }),
      ]),
    ]);
    const batch = only(translateMetrics(request, new TranslationState()).batches);
    expect(find(batch, 'dss_job_failures_total').map((x) => [x.timestampMs, x.value])).toEqual([
      [T0_MS, 5],
      [T0_MS + 10_000, 2],
    ]);
    expect(batch.metadata).toContainEqual({
      metric: 'dss_job_failures_total',
      type: 'counter',
      help: '',
      unit: '',
    });
  });

  it('writes non-monotonic sums as gauges without _total', () => {
    const request = metricsRequest([
      sum('dss.process.open_handles', '{handle}', [numberPoint(12)], { monotonic: false }),
    ]);
    const batch = only(translateMetrics(request, new TranslationState()).batches);
    expect(series(batch, 'dss_process')).toEqual(['dss_process_open_handles{} 12']);
    expect(batch.metadata?.[0]).toMatchObject({ metric: 'dss_process_open_handles', type: 'gauge' });
  });

  it('writes histograms as cumulative _bucket series with le, _sum and _count', () => {
    const request = metricsRequest([
      histogram('dss.job.duration', 's', [
        histogramPoint({
          attributes: labels({ 'dss.job.name': 'nightly' }),
          explicitBounds: [0.005, 1, 2.5],
          bucketCounts: [1, 2, 3, 4],
          count: 10,
          sum: 20.5,
        }),
      ]),
    ]);
    const batch = only(translateMetrics(request, new TranslationState()).batches);
    expect(series(batch, 'dss_job_duration_seconds')).toEqual([
      'dss_job_duration_seconds_sum{dss_job_name="nightly"} 20.5',
      'dss_job_duration_seconds_count{dss_job_name="nightly"} 10',
      'dss_job_duration_seconds_bucket{dss_job_name="nightly",le="0.005"} 1',
      'dss_job_duration_seconds_bucket{dss_job_name="nightly",le="1"} 3',
      'dss_job_duration_seconds_bucket{dss_job_name="nightly",le="2.5"} 6',
      'dss_job_duration_seconds_bucket{dss_job_name="nightly",le="+Inf"} 10',
    ]);
    expect(batch.metadata).toContainEqual({
      metric: 'dss_job_duration_seconds',
      type: 'histogram',
      help: '',
      unit: 'seconds',
    });
  });

  it('leaves _sum out when the histogram has none, and writes +Inf alone without buckets', () => {
    const request = metricsRequest([
      histogram('h', '', [histogramPoint({ sum: null, explicitBounds: [], bucketCounts: [], count: 4 })]),
    ]);
    const batch = only(translateMetrics(request, new TranslationState()).batches);
    expect(series(batch, 'h_')).toEqual(['h_count{} 4', 'h_bucket{le="+Inf"} 4']);
  });

  it('writes summaries as quantile series, _sum and _count', () => {
    const request = metricsRequest([summary('rpc.latency', 's', [summaryPoint()])]);
    const batch = only(translateMetrics(request, new TranslationState()).batches);
    expect(series(batch, 'rpc_latency_seconds')).toEqual([
      'rpc_latency_seconds_sum{} 4.5',
      'rpc_latency_seconds_count{} 10',
      'rpc_latency_seconds{quantile="0.5"} 0.4',
      'rpc_latency_seconds{quantile="0.99"} 1.2',
    ]);
    expect(batch.metadata?.[0]).toMatchObject({ type: 'summary' });
  });

  it('writes exponential histograms as classic buckets', () => {
    const request = metricsRequest([
      exponentialHistogram('payload.size', 'By', [
        exponentialPoint({
          scale: 0,
          count: 7,
          sum: 30,
          zeroCount: 1,
          positive: { offset: 0, bucketCounts: [2, 0, 4] },
        }),
      ]),
    ]);
    const batch = only(translateMetrics(request, new TranslationState()).batches);
    expect(series(batch, 'payload_size_bytes')).toEqual([
      'payload_size_bytes_sum{} 30',
      'payload_size_bytes_count{} 7',
      'payload_size_bytes_bucket{le="0"} 1',
      'payload_size_bytes_bucket{le="2"} 3',
      'payload_size_bytes_bucket{le="4"} 3',
      'payload_size_bytes_bucket{le="8"} 7',
      'payload_size_bytes_bucket{le="+Inf"} 7',
    ]);
    expect(batch.metadata?.[0]).toMatchObject({ metric: 'payload_size_bytes', type: 'histogram' });
  });

  describe('labels', () => {
    it('joins the values of attributes that sanitise to one name with ";", by original key', () => {
      const request = metricsRequest([
        gauge('g', '', [
          numberPoint(1, {
            attributes: labels({ 'tank/id': 'b', 'tank.id': 'a', tank_id: 'c', 'tank-id': 'd' }),
          }),
        ]),
      ]);
      const [sample] = only(translateMetrics(request, new TranslationState()).batches).samples;
      // Sorted keys: tank-id, tank.id, tank/id, tank_id.
      expect(sample?.labels.tank_id).toBe('d;a;b;c');
    });

    it('writes non-string attribute values as text and leaves empty ones out', () => {
      const request = metricsRequest([
        gauge('g', '', [
          numberPoint(1, {
            attributes: attrs({
              code: { type: 'int', value: 200n },
              ok: { type: 'bool', value: true },
              ratio: { type: 'double', value: 0.5 },
              list: { type: 'array', value: [str('a'), str('b')] },
              empty: str(''),
            }),
          }),
        ]),
      ]);
      const [sample] = only(translateMetrics(request, new TranslationState()).batches).samples;
      expect(sample?.labels).toMatchObject({ code: '200', ok: 'true', ratio: '0.5', list: '["a","b"]' });
      expect(sample?.labels).not.toHaveProperty('empty');
    });

    it('makes job from service.namespace/service.name and instance from service.instance.id', () => {
      const request = metricsRequest([gauge('g', '', [numberPoint(1)])], {
        resource: {
          'service.name': 'intake',
          'service.namespace': 'dss',
          'service.instance.id': 'pod-7',
          'dss.client': 'acme',
        },
      });
      const [sample] = only(translateMetrics(request, new TranslationState()).batches).samples;
      expect(sample?.labels).toMatchObject({ job: 'dss/intake', instance: 'pod-7' });
    });

    it('has no instance label without service.instance.id, and no job without service.name', () => {
      const request = metricsRequest([gauge('g', '', [numberPoint(1)])], {
        resource: { 'dss.client': 'acme' },
      });
      const [sample] = only(translateMetrics(request, new TranslationState()).batches).samples;
      expect(sample?.labels).not.toHaveProperty('instance');
      expect(sample?.labels).not.toHaveProperty('job');
    });

    it('promotes dss.client and deployment.environment.name, configurable, without overriding point attributes', () => {
      const resource = {
        'service.name': 'api',
        'dss.client': 'acme',
        'deployment.environment.name': 'prod',
        'host.name': 'h1',
      };
      const request = metricsRequest(
        [
          gauge('g', '', [
            numberPoint(1),
            numberPoint(2, { attributes: labels({ 'dss.client': 'point-wins' }) }),
          ]),
        ],
        { resource },
      );
      const defaults = only(translateMetrics(request, new TranslationState()).batches);
      expect(find(defaults, 'g').map((x) => x.labels)).toEqual([
        { __name__: 'g', job: 'api', dss_client: 'acme', deployment_environment_name: 'prod', ...SCOPE },
        {
          __name__: 'g',
          job: 'api',
          dss_client: 'point-wins',
          deployment_environment_name: 'prod',
          ...SCOPE,
        },
      ]);
      const custom = only(
        translateMetrics(request, new TranslationState(), { promoteResourceAttributes: ['host.name'] })
          .batches,
      );
      expect(find(custom, 'g')[0]?.labels).toEqual({ __name__: 'g', job: 'api', host_name: 'h1', ...SCOPE });
    });

    it('lets job, instance, the scope labels, __name__ and le override attributes of those names', () => {
      const request = metricsRequest([
        histogram('h', '', [
          histogramPoint({
            attributes: labels({ job: 'x', __name__: 'y', le: 'z', otel_scope_name: 'w' }),
            explicitBounds: [],
            bucketCounts: [],
          }),
        ]),
      ]);
      const batch = only(translateMetrics(request, new TranslationState()).batches);
      expect(find(batch, 'h_bucket')[0]?.labels).toMatchObject({
        __name__: 'h_bucket',
        job: 'backend-api',
        le: '+Inf',
        otel_scope_name: 'dss-test',
      });
    });

    it('adds otel_scope_* labels (name, version, schema URL, attributes) unless turned off', () => {
      const request = metricsRequest([gauge('g', '', [numberPoint(1)])], {
        scope: {
          name: '@dss/instrumentation',
          version: '2.1.0',
          attributes: labels({ 'library.kind': 'auto' }),
        },
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      });
      const on = only(translateMetrics(request, new TranslationState()).batches);
      expect(find(on, 'g')[0]?.labels).toMatchObject({
        otel_scope_name: '@dss/instrumentation',
        otel_scope_version: '2.1.0',
        otel_scope_schema_url: 'https://opentelemetry.io/schemas/1.26.0',
        otel_scope_library_kind: 'auto',
      });
      const off = only(translateMetrics(request, new TranslationState(), { scopeLabels: false }).batches);
      expect(Object.keys(find(off, 'g')[0]?.labels ?? {}).filter((k) => k.startsWith('otel_'))).toEqual([]);
    });

    it('keeps series of two scopes with the same metric name apart', () => {
      const request = metricsRequest([gauge('g', '', [numberPoint(1)])]);
      const resourceMetrics = request.resourceMetrics[0];
      if (resourceMetrics === undefined) throw new Error('no resource');
      resourceMetrics.scopeMetrics.push({
        scope: { name: 'other', version: '', attributes: [], droppedAttributesCount: 0 },
        schemaUrl: '',
        metrics: [gauge('g', '', [numberPoint(2)])],
      });
      const batch = only(translateMetrics(request, new TranslationState()).batches);
      expect(find(batch, 'g').map((x) => x.labels.otel_scope_name)).toEqual(['dss-test', 'other']);
    });
  });

  describe('target_info', () => {
    it('is written once per resource, at its latest point, with the other resource attributes', () => {
      const request = metricsRequest(
        [
          gauge('a', '', [numberPoint(1, { timeUnixNano: T0 + s(5) })]),
          gauge('b', '', [numberPoint(1, { timeUnixNano: T0 + s(9) }), numberPoint(1, { timeUnixNano: T0 })]),
        ],
        {
          resource: {
            'service.name': 'intake',
            'service.namespace': 'dss',
            'service.instance.id': 'i-1',
            'dss.client': 'acme',
            'host.name': 'h1',
          },
        },
      );
      const batch = only(translateMetrics(request, new TranslationState()).batches);
      expect(find(batch, 'target_info')).toEqual([
        {
          labels: {
            __name__: 'target_info',
            job: 'dss/intake',
            instance: 'i-1',
            dss_client: 'acme',
            host_name: 'h1',
          },
          timestampMs: T0_MS + 9_000,
          value: 1,
        },
      ]);
      expect(batch.metadata).toContainEqual({
        metric: 'target_info',
        type: 'gauge',
        help: 'Target metadata',
        unit: '',
      });
    });

    it('is not written for a resource with only service attributes, or when turned off', () => {
      const bare = metricsRequest([gauge('g', '', [numberPoint(1)])], {
        resource: { 'service.name': 'api' },
      });
      expect(find(only(translateMetrics(bare, new TranslationState()).batches), 'target_info')).toEqual([]);
      const request = metricsRequest([gauge('g', '', [numberPoint(1)])]);
      const off = only(translateMetrics(request, new TranslationState(), { targetInfo: false }).batches);
      expect(find(off, 'target_info')).toEqual([]);
    });
  });

  it('splits samples into one batch per tenant (dss.client), with its own metadata', () => {
    const request = requestOf([
      {
        metrics: [gauge('g', '', [numberPoint(1)])],
        resource: { 'service.name': 'api', 'dss.client': 'acme' },
      },
      {
        metrics: [gauge('g', '', [numberPoint(2)])],
        resource: { 'service.name': 'api', 'dss.client': 'globex' },
      },
      { metrics: [gauge('h', '', [numberPoint(3)])], resource: { 'service.name': 'api' } },
      {
        metrics: [gauge('g', '', [numberPoint(4)])],
        resource: { 'service.name': 'api2', 'dss.client': 'acme' },
      },
    ]);
    const { batches } = translateMetrics(request, new TranslationState());
    expect(batches.map((b) => [b.tenant, b.samples.map((x) => x.value)])).toEqual([
      ['acme', [1, 1, 4, 1]],
      ['globex', [2, 1]],
      ['', [3]],
    ]);
    expect(batches.map((b) => b.metadata?.map((m) => m.metric))).toEqual([
      ['g', 'target_info'],
      ['g', 'target_info'],
      ['h'],
    ]);
  });

  describe('delta temporality', () => {
    const labelsOf = (sample: AppendSample | undefined): Labels => sample?.labels ?? {};

    it('adds delta sums up across requests into a counter', () => {
      const state = new TranslationState();
      const point = (value: number, at: number, attributes = labels({ 'error.type': 'timeout' })) =>
        numberPoint(value, { startTimeUnixNano: T0 + s(at - 10), timeUnixNano: T0 + s(at), attributes });
      const first = translateMetrics(
        metricsRequest([sum('dss.job.failures', '{run}', [point(2, 10), point(1, 10, [])], { delta: true })]),
        state,
      );
      const second = translateMetrics(
        metricsRequest([sum('dss.job.failures', '{run}', [point(3, 20)], { delta: true })]),
        state,
      );
      // A gap (start after the previous end) still adds.
      const third = translateMetrics(
        metricsRequest([
          sum(
            'dss.job.failures',
            '{run}',
            [
              numberPoint(4, {
                startTimeUnixNano: T0 + s(25),
                timeUnixNano: T0 + s(30),
                attributes: labels({ 'error.type': 'timeout' }),
              }),
            ],
            { delta: true },
          ),
        ]),
        state,
      );
      const values = [first, second, third].map((r) => series(only(r.batches), 'dss_job_failures_total'));
      expect(values).toEqual([
        ['dss_job_failures_total{error_type="timeout"} 2', 'dss_job_failures_total{} 1'],
        ['dss_job_failures_total{error_type="timeout"} 5'],
        ['dss_job_failures_total{error_type="timeout"} 9'],
      ]);
      expect(labelsOf(only(third.batches).samples[0]).__name__).toBe('dss_job_failures_total');
      expect(state.size).toBe(2);
    });

    it('keeps tenants apart in the running totals', () => {
      const state = new TranslationState();
      const request = (tenant: string, value: number, at: number) =>
        metricsRequest([sum('c', '', [numberPoint(value, { timeUnixNano: T0 + s(at) })], { delta: true })], {
          resource: { 'service.name': 'api', 'dss.client': tenant },
        });
      translateMetrics(request('acme', 1, 1), state);
      const globex = translateMetrics(request('globex', 10, 2), state);
      const acme = translateMetrics(request('acme', 1, 3), state);
      expect(find(only(globex.batches), 'c_total')[0]?.value).toBe(10);
      expect(find(only(acme.batches), 'c_total')[0]?.value).toBe(2);
    });

    it('refuses a delta point not later than the last one added (a retry counts once)', () => {
      const state = new TranslationState();
      const request = metricsRequest([sum('c', '', [numberPoint(5)], { delta: true })]);
      expect(find(only(translateMetrics(request, state).batches), 'c_total')[0]?.value).toBe(5);
      const retried = translateMetrics(request, state);
      expect(retried).toMatchObject({ batches: [], rejected: 1 });
      expect(retried.message).toMatch(/1 data point rejected: delta point not later .* \(metric "c"\): 1/);
    });

    it('writes delta non-monotonic sums as gauges of the running total', () => {
      const state = new TranslationState();
      const request = (value: number, at: number) =>
        metricsRequest([
          sum('queue', '{item}', [numberPoint(value, { timeUnixNano: T0 + s(at) })], {
            monotonic: false,
            delta: true,
          }),
        ]);
      translateMetrics(request(5, 1), state);
      const batch = only(translateMetrics(request(-2, 2), state).batches);
      expect(series(batch, 'queue')).toEqual(['queue{} 3']);
    });

    it('adds delta histograms bucket by bucket, starting again when the bounds change', () => {
      const state = new TranslationState();
      const point = (at: number, bucketCounts: number[], explicitBounds = [1, 5]) =>
        histogramPoint({
          timeUnixNano: T0 + s(at),
          explicitBounds,
          bucketCounts,
          count: bucketCounts.reduce((a, b) => a + b, 0),
          sum: 1,
        });
      const run = (p: ReturnType<typeof point>) =>
        series(
          only(translateMetrics(metricsRequest([histogram('h', '', [p], { delta: true })]), state).batches),
          'h_',
        );
      run(point(1, [1, 0, 2]));
      expect(run(point(2, [0, 3, 1]))).toEqual([
        'h_sum{} 2',
        'h_count{} 7',
        'h_bucket{le="1"} 1',
        'h_bucket{le="5"} 4',
        'h_bucket{le="+Inf"} 7',
      ]);
      expect(run(point(3, [1, 1], [10]))).toEqual([
        'h_sum{} 1',
        'h_count{} 2',
        'h_bucket{le="10"} 1',
        'h_bucket{le="+Inf"} 2',
      ]);
    });

    it('adds delta exponential histograms across scales', () => {
      const state = new TranslationState();
      const run = (at: number, scale: number, offset: number, bucketCounts: number[]) => {
        const count = bucketCounts.reduce((a, b) => a + b, 0);
        const p = exponentialPoint({
          timeUnixNano: T0 + s(at),
          scale,
          count,
          sum: 1,
          positive: { offset, bucketCounts },
        });
        return series(
          only(
            translateMetrics(metricsRequest([exponentialHistogram('e', '', [p], { delta: true })]), state)
              .batches,
          ),
          'e_',
        );
      };
      // Scale 1: buckets (√2^1, 2], (2, 2√2]; scale 0: (1, 2], (2, 4].
      run(1, 1, 1, [1, 2]);
      expect(run(2, 0, 0, [1, 1])).toEqual([
        'e_sum{} 2',
        'e_count{} 5',
        'e_bucket{le="2"} 2',
        'e_bucket{le="4"} 5',
        'e_bucket{le="+Inf"} 5',
      ]);
    });

    it('forgets series not updated for forgetAfterMs, and the oldest past maxSeries', () => {
      let now = 0;
      const state = new TranslationState({ forgetAfterMs: 1000, maxSeries: 2, now: () => now });
      const request = (name: string, at: number) =>
        metricsRequest([sum(name, '', [numberPoint(1, { timeUnixNano: T0 + s(at) })], { delta: true })]);
      translateMetrics(request('a', 1), state);
      now = 500;
      translateMetrics(request('b', 1), state);
      expect(state.size).toBe(2);
      now = 1200; // a is forgotten, b is not
      const again = translateMetrics(request('a', 2), state);
      expect(find(only(again.batches), 'a_total')[0]?.value).toBe(1);
      expect(state.size).toBe(2);
      translateMetrics(request('c', 1), state); // past maxSeries: b, the least recently updated, goes
      expect(state.size).toBe(2);
      expect(find(only(translateMetrics(request('b', 2), state).batches), 'b_total')[0]?.value).toBe(1);
    });
  });

  describe('NO_RECORDED_VALUE', () => {
    const flags = 1;

    it('writes a staleness marker for a number point', () => {
      const request = metricsRequest([gauge('g', '', [numberPoint(null, { flags })])]);
      const [sample] = only(translateMetrics(request, new TranslationState()).batches).samples;
      expect(sample).toMatchObject({ stale: true, timestampMs: T0_MS });
      expect(sample?.value).toBeNaN();
    });

    it('marks every series of a histogram, a summary and an exponential histogram stale', () => {
      const request = metricsRequest([
        histogram('h', '', [histogramPoint({ flags })]),
        summary('s', '', [summaryPoint({ flags })]),
        exponentialHistogram('e', '', [
          exponentialPoint({ flags, positive: { offset: 0, bucketCounts: [1] }, count: 1 }),
        ]),
      ]);
      const batch = only(translateMetrics(request, new TranslationState()).batches);
      const families = batch.samples.filter((x) => x.labels.__name__ !== 'target_info');
      expect(series(batch, 'h_')).toEqual([
        'h_sum{} stale',
        'h_count{} stale',
        'h_bucket{le="1"} stale',
        'h_bucket{le="5"} stale',
        'h_bucket{le="+Inf"} stale',
      ]);
      expect(series(batch, 's')).toEqual([
        's_sum{} stale',
        's_count{} stale',
        's{quantile="0.5"} stale',
        's{quantile="0.99"} stale',
      ]);
      expect(series(batch, 'e_')).toEqual([
        'e_sum{} stale',
        'e_count{} stale',
        'e_bucket{le="2"} stale',
        'e_bucket{le="+Inf"} stale',
      ]);
      expect(families.every((x) => x.stale === true && Number.isNaN(x.value))).toBe(true);
    });

    it('does not change the running total of a delta series', () => {
      const state = new TranslationState();
      translateMetrics(metricsRequest([sum('c', '', [numberPoint(4)], { delta: true })]), state);
      const stale = translateMetrics(
        metricsRequest([
          sum('c', '', [numberPoint(null, { flags, timeUnixNano: T0 + s(1) })], { delta: true }),
        ]),
        state,
      );
      expect(find(only(stale.batches), 'c_total')[0]?.stale).toBe(true);
      const next = translateMetrics(
        metricsRequest([sum('c', '', [numberPoint(1, { timeUnixNano: T0 + s(2) })], { delta: true })]),
        state,
      );
      expect(find(only(next.batches), 'c_total')[0]?.value).toBe(5);
    });
  });

  describe('rejections', () => {
    it('counts points with time 0 and says why', () => {
      const request = metricsRequest([
        gauge('g', '', [numberPoint(1, { timeUnixNano: 0n }), numberPoint(2)]),
        histogram('h', '', [histogramPoint({ timeUnixNano: 0n })]),
      ]);
      const result = translateMetrics(request, new TranslationState());
      expect(result.rejected).toBe(2);
      expect(result.message).toBe(
        '2 data points rejected: time_unix_nano is 0 (metric "g"): 1; time_unix_nano is 0 (metric "h"): 1',
      );
      expect(find(only(result.batches), 'g').map((x) => x.value)).toEqual([2]);
    });

    it('refuses whole metrics with an unusable name or temporality, and values that are missing', () => {
      const unspecified = sum('c', '', [numberPoint(1), numberPoint(2)]);
      if (unspecified.type === 'sum') unspecified.aggregationTemporality = 0;
      const request = metricsRequest([
        gauge('...', '', [numberPoint(1)]),
        unspecified,
        gauge('v', '', [numberPoint(null)]),
      ]);
      const result = translateMetrics(request, new TranslationState());
      expect(result).toMatchObject({ batches: [], rejected: 4 });
      expect(result.message).toContain('metric name has no character valid in Prometheus (metric "...")');
      expect(result.message).toContain(
        'aggregation temporality 0 is neither delta nor cumulative (metric "c"): 2',
      );
      expect(result.message).toContain('data point has no value (metric "v")');
    });

    it('has no message when nothing is rejected', () => {
      const result = translateMetrics(
        metricsRequest([gauge('g', '', [numberPoint(1)])]),
        new TranslationState(),
      );
      expect(result).not.toHaveProperty('message');
    });
  });

  it('types gauges and sums by their prometheus.type metadata (unknown, info, stateset)', () => {
    const unknown = gauge('u', '', [numberPoint(1)]);
    unknown.metadata = labels({ 'prometheus.type': 'unknown' });
    const info = sum('build.info', '', [numberPoint(1)], { monotonic: false });
    info.metadata = labels({ 'prometheus.type': 'info' });
    const batch = only(translateMetrics(metricsRequest([unknown, info]), new TranslationState()).batches);
    expect(batch.metadata?.map((m) => [m.metric, m.type])).toEqual([
      ['u', 'unknown'],
      ['build_info', 'info'],
      ['target_info', 'gauge'],
    ]);
  });
});
