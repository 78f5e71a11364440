// Loki's API as Grafana's Loki data source calls it, over a running collector fed by the OTel SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogQL } from '../../src/query/logql/index.ts';
import { END_NS, type Fixture, qs, START_NS, startFixture } from './query-fixture.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

type Value = [string, string] | [string, string, Record<string, Record<string, string>>];
interface StreamsBody {
  status: string;
  data: {
    resultType: string;
    encodingFlags?: string[];
    result: { stream: Record<string, string>; values: Value[] }[];
  };
}

async function queryRange(
  query: string,
  headers: Record<string, string> = {},
  extra: Record<string, string> = {},
) {
  const response = await fx.get(
    `/loki/api/v1/query_range?${qs({ query, start: START_NS, end: END_NS, limit: 1000, direction: 'backward', step: '60000ms', ...extra })}`,
    headers,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as StreamsBody;
}

describe('log queries', () => {
  it('a line filter answers streams labelled from the resource, with level and structured metadata', async () => {
    const body = await queryRange('{service_name="tank-api"} |= "level low"');
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('streams');
    expect(body.data.result).toHaveLength(1);
    const [stream] = body.data.result;
    // Without categorize-labels, Loki merges structured metadata into the stream labels.
    expect(stream?.stream).toEqual({
      dss_client: 'aveiro',
      dss_tank_id: 'T1',
      level: 'warn',
      service_name: 'tank-api',
      service_version: '1.0.0',
      span_id: fx.childA,
      trace_id: fx.traceA,
    });
    expect(stream?.values).toEqual([[expect.stringMatching(/^\d{19}$/), 'tank T1 level low']]);
  });

  it('with X-Loki-Response-Encoding-Flags: categorize-labels, metadata is the third element of each value', async () => {
    const body = await queryRange('{service_name="tank-api"}', {
      'X-Loki-Response-Encoding-Flags': 'categorize-labels',
    });
    expect(body.data.encodingFlags).toEqual(['categorize-labels']);
    // Two streams (levels warn and info), newest line first within the answer.
    expect(body.data.result.map((s) => s.stream.level)).toEqual(['info', 'warn']);
    const warn = body.data.result.find((s) => s.stream.level === 'warn');
    expect(warn?.stream).not.toHaveProperty('trace_id');
    expect(warn?.values[0]?.[2]).toEqual({
      structuredMetadata: { dss_tank_id: 'T1', span_id: fx.childA, trace_id: fx.traceA },
    });
    const info = body.data.result.find((s) => s.stream.level === 'info');
    expect(info?.values[0]?.slice(1)).toEqual(['pump P1 started', {}]);
  });

  it("Grafana's trace-to-logs query finds the trace's lines", async () => {
    const body = await queryRange(`{service_name="tank-api"} | trace_id = "${fx.traceA}"`);
    expect(body.data.result.flatMap((s) => s.values.map((v) => v[1]))).toEqual(['tank T1 level low']);
  });

  it('limit and direction', async () => {
    const forward = await queryRange('{dss_client=~".+"}', {}, { direction: 'forward', limit: '2' });
    const lines = forward.data.result.flatMap((s) => s.values).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(lines.map((v) => v[1])).toEqual(['tank T1 level low', 'pump P1 started']);
    const backward = await queryRange('{dss_client=~".+"}', {}, { limit: '1' });
    expect(backward.data.result.flatMap((s) => s.values.map((v) => v[1]))).toEqual(['invoice 42 failed']);
  });

  it('parameters may be POSTed as a form', async () => {
    const port = fx.collector.queryPort;
    const response = await fetch(`http://127.0.0.1:${port}/loki/api/v1/query_range`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: qs({ query: '{service_name="billing-api"}', start: START_NS, end: END_NS }),
    });
    const body = (await response.json()) as StreamsBody;
    expect(body.data.result.flatMap((s) => s.values.map((v) => v[1]))).toEqual(['invoice 42 failed']);
  });
});

describe('metric queries', () => {
  it("Explore's log volume: sum by (level) (count_over_time(...[1m])) → a matrix per level", async () => {
    const body = (await queryRange(
      'sum by (level) (count_over_time({service_name="tank-api"}[1m]))',
    )) as unknown as {
      data: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    expect(body.data.resultType).toBe('matrix');
    const byLevel = Object.fromEntries(body.data.result.map((s) => [s.metric.level, s.values]));
    expect(Object.keys(byLevel).sort()).toEqual(['info', 'warn']);
    // Each line is counted at the steps whose minute window holds it: one step of 60 s.
    expect(byLevel.warn).toEqual([[expect.any(Number), '1']]);
    expect(byLevel.info).toEqual([[expect.any(Number), '1']]);
    for (const [time] of byLevel.warn ?? []) expect(Number.isInteger(time)).toBe(true);
  });

  it('rate and bytes_over_time, and an instant query answers a vector', async () => {
    const rate = (await queryRange('sum(rate({service_name="billing-api"}[1m]))')) as unknown as {
      data: { result: { metric: object; values: [number, string][] }[] };
    };
    expect(rate.data.result).toEqual([{ metric: {}, values: [[expect.any(Number), String(1 / 60)]] }]);
    const time = `${BigInt(END_NS) - 60_000_000_000n}`;
    const instant = await fx.get(
      `/loki/api/v1/query?${qs({ query: 'sum by (service_name) (bytes_over_time({dss_client=~".+"}[5m]))', time })}`,
    );
    const body = (await instant.json()) as {
      data: { resultType: string; result: { metric: object; value: [number, string] }[] };
    };
    expect(body.data.resultType).toBe('vector');
    expect(body.data.result).toEqual(
      expect.arrayContaining([
        {
          metric: { service_name: 'billing-api' },
          value: [Number(time) / 1e9, String('invoice 42 failed'.length)],
        },
        {
          metric: { service_name: 'tank-api' },
          value: [Number(time) / 1e9, String('tank T1 level low'.length + 'pump P1 started'.length)],
        },
      ]),
    );
  });

  it("answers Grafana's health check vector(1)+vector(1) with one sample of value 2", async () => {
    const response = await fx.get(
      `/loki/api/v1/query?${qs({ query: 'vector(1)+vector(1)', time: '4000000000', step: '1s' })}`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      data: { resultType: string; result: { metric: object; value: [number, string] }[] };
    };
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('vector');
    expect(body.data.result).toHaveLength(1);
    expect(body.data.result[0]?.metric).toEqual({});
    expect(body.data.result[0]?.value[1]).toBe('2');
  });
});

describe('labels and series', () => {
  it('labels, label values and series', async () => {
    const range = qs({ start: START_NS, end: END_NS });
    const labels = (await (await fx.get(`/loki/api/v1/labels?${range}`)).json()) as {
      status: string;
      data: string[];
    };
    expect(labels.status).toBe('success');
    expect(labels.data).toEqual(expect.arrayContaining(['dss_client', 'level', 'service_name']));
    expect(labels.data).not.toContain('trace_id'); // structured metadata is not a stream label
    const values = (await (await fx.get(`/loki/api/v1/label/service_name/values?${range}`)).json()) as {
      data: string[];
    };
    expect(values.data).toEqual(['billing-api', 'tank-api']);
    const levels = (await (
      await fx.get(`/loki/api/v1/label/level/values?${range}&${qs({ query: '{service_name="tank-api"}' })}`)
    ).json()) as {
      data: string[];
    };
    expect(levels.data).toEqual(['info', 'warn']);
    const series = (await (
      await fx.get(`/loki/api/v1/series?${range}&${qs({ 'match[]': '{level="error"}' })}`)
    ).json()) as {
      data: Record<string, string>[];
    };
    expect(series.data).toEqual([
      expect.objectContaining({ service_name: 'billing-api', level: 'error', dss_client: 'braga' }),
    ]);
  });
});

describe('bad queries', () => {
  it('400 with the parser message', async () => {
    for (const query of ['{service_name="tank-api"} | unpack', 'service_name', '{service_name="x"} |~ "("']) {
      let message = '';
      try {
        parseLogQL(query);
      } catch (error) {
        message = (error as Error).message;
      }
      const response = await fx.get(
        `/loki/api/v1/query_range?${qs({ query, start: START_NS, end: END_NS })}`,
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(message);
    }
    const instantLog = await fx.get(`/loki/api/v1/query?${qs({ query: '{service_name="x"}' })}`);
    expect(instantLog.status).toBe(400);
    expect(await instantLog.text()).toMatch(/log queries are not supported as an instant query/);
    const badTime = await fx.get(`/loki/api/v1/query_range?${qs({ query: '{a="b"}', start: 'yesterday' })}`);
    expect(badTime.status).toBe(400);
  });
});
