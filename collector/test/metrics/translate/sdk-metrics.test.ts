// Metrics recorded by the real OpenTelemetry SDK, exported over OTLP/HTTP to the receiver, then translated:
// what a DSS service's metrics look like once in the Prometheus model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppendBatch } from '../../../src/metrics/model.ts';
import { TranslationState, translateMetrics } from '../../../src/metrics/translate/index.ts';
import { InMemorySink, type RunningReceiver, startOtlpHttpReceiver } from '../../../src/receiver/index.ts';
import { exportWith, metricExporter, recordMetrics } from '../../support/sdk-telemetry.ts';

describe('SDK metrics through the receiver and the translation', () => {
  const sink = new InMemorySink();
  let receiver: RunningReceiver;
  let batch: AppendBatch;

  beforeAll(async () => {
    receiver = await startOtlpHttpReceiver({ host: '127.0.0.1', port: 0, sink });
    const result = await exportWith(metricExporter('http/protobuf', receiver.port), await recordMetrics());
    expect(result.code).toBe(0);
    const [request] = sink.metrics;
    if (request === undefined) throw new Error('no metrics received');
    const translated = translateMetrics(request, new TranslationState());
    expect(translated.rejected).toBe(0);
    expect(translated.batches.map((b) => b.tenant)).toEqual(['aveiro']);
    batch = translated.batches[0] as AppendBatch;
  });
  afterAll(() => receiver.close());

  const named = (name: string) => batch.samples.filter((s) => s.labels.__name__ === name);

  it('names counters, gauges and histograms with their unit and type suffixes', () => {
    expect(named('dss_jobs_runs_total')[0]?.labels).toEqual({
      __name__: 'dss_jobs_runs_total',
      dss_job_name: 'nightly',
      job: 'receiver-test',
      dss_client: 'aveiro',
      otel_scope_name: 'dss-receiver-test',
      otel_scope_version: '0.0.1',
    });
    expect(named('dss_jobs_runs_total')[0]?.value).toBe(3);
    expect(named('dss_tank_level_meters')[0]?.value).toBe(3.25);
    expect(named('dss_job_duration_seconds_bucket').map((s) => [s.labels.le, s.value])).toEqual([
      ['1', 1],
      ['5', 3],
      ['10', 4],
      ['+Inf', 5],
    ]);
    expect(named('dss_job_duration_seconds_sum')[0]?.value).toBe(42.5);
  });

  it('turns the exponential histogram into classic buckets that add up to its count', () => {
    const buckets = named('dss_flow_rate_bucket');
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: 4 });
    const finite = buckets.slice(0, -1).map((s) => [Number(s.labels.le), s.value] as const);
    expect(finite.length).toBeGreaterThan(1);
    expect(finite.at(-1)?.[1]).toBe(4);
    for (let i = 1; i < finite.length; i++) {
      expect(finite[i]?.[0]).toBeGreaterThan(finite[i - 1]?.[0] ?? Number.POSITIVE_INFINITY);
      expect(finite[i]?.[1]).toBeGreaterThanOrEqual(finite[i - 1]?.[1] ?? Number.POSITIVE_INFINITY);
    }
    // Observations 1, 2, 4 and 8 each sit at or below their own bucket's bound.
    for (const [observation, atMost] of [
      [1, 1],
      [2, 2],
      [4, 3],
      [8, 4],
    ]) {
      const bucket = finite.find(([le]) => le >= (observation as number));
      expect(bucket?.[1]).toBeGreaterThanOrEqual(atMost as number);
    }
  });

  it('writes target_info with the resource attributes and the metadata of each family', () => {
    expect(named('target_info')[0]?.labels).toEqual({
      __name__: 'target_info',
      job: 'receiver-test',
      service_version: '1.2.3',
      dss_client: 'aveiro',
    });
    const metadata = batch.metadata?.map((m) => [m.metric, m.type, m.unit]);
    expect(metadata?.sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ['dss_flow_rate', 'histogram', ''],
      ['dss_job_duration_seconds', 'histogram', 'seconds'],
      ['dss_jobs_runs_total', 'counter', ''],
      ['dss_tank_level_meters', 'gauge', 'meters'],
      ['target_info', 'gauge', ''],
    ]);
  });
});
