// Tempo's API as Grafana's Tempo data source calls it, over a running collector fed by the OTel SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempoTypes } from '../../src/query/tempo/index.ts';
import { parseTraceQL } from '../../src/query/traceql/index.ts';
import { END_S, type Fixture, qs, START_S, startFixture } from './query-fixture.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

const hex = (base64: string) => Buffer.from(base64, 'base64').toString('hex');
const PROTOBUF = { Accept: 'application/protobuf' };

interface DecodedSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  name: string;
  kind: number;
  status?: { code?: number; message?: string };
  attributes: { key: string }[];
  events: { name: string }[];
}
interface DecodedTrace {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { scope: { name: string }; spans: DecodedSpan[] }[];
  }[];
}

function spansOf(trace: DecodedTrace): DecodedSpan[] {
  return trace.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

describe('trace by id', () => {
  it('v2 with Accept: application/protobuf answers a TraceByIDResponse holding every span', async () => {
    const response = await fx.get(`/api/v2/traces/${fx.traceA}`, PROTOBUF);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/protobuf');
    const decoded = tempoTypes.TraceByIDResponse.decode(
      new Uint8Array(await response.arrayBuffer()),
    ) as unknown as {
      trace: DecodedTrace;
      status: number;
    };
    expect(decoded.status).toBe(0); // COMPLETE
    const spans = spansOf(decoded.trace);
    expect(spans.map((s) => s.name).sort()).toEqual(['GET /tanks/:id', 'SELECT tanks']);
    for (const span of spans) expect(Buffer.from(span.traceId).toString('hex')).toBe(fx.traceA);
    const child = spans.find((s) => s.name === 'SELECT tanks');
    expect(Buffer.from(child?.spanId ?? []).toString('hex')).toBe(fx.childA);
    expect(child?.status).toMatchObject({ code: 2, message: 'deadlock' });
    expect(child?.events.map((e) => e.name)).toEqual(['retry']);
    const [resourceSpans] = decoded.trace.resourceSpans;
    expect(resourceSpans?.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'tank-api' },
    });
    expect(resourceSpans?.scopeSpans[0]?.scope.name).toBe('dss-query-test');
  });

  it('v1 with Accept: application/protobuf answers a tempopb.Trace', async () => {
    const response = await fx.get(`/api/traces/${fx.traceA}`, PROTOBUF);
    expect(response.status).toBe(200);
    const decoded = tempoTypes.Trace.decode(
      new Uint8Array(await response.arrayBuffer()),
    ) as unknown as DecodedTrace;
    expect(spansOf(decoded)).toHaveLength(2);
  });

  it('answers JSON otherwise: v1 {"batches"} and v2 {"trace": {"resourceSpans"}}, ids in base64 as Tempo', async () => {
    const v1 = (await (await fx.get(`/api/traces/${fx.traceA}`)).json()) as {
      batches: {
        resource: unknown;
        scopeSpans: { spans: { traceId: string; spanId: string; name: string }[] }[];
      }[];
    };
    const v1Spans = v1.batches.flatMap((b) => b.scopeSpans.flatMap((s) => s.spans));
    expect(v1Spans.map((s) => hex(s.traceId))).toEqual([fx.traceA, fx.traceA]);
    expect(v1Spans.map((s) => hex(s.spanId)).sort()).toEqual([fx.rootA, fx.childA].sort());

    const v2 = (await (await fx.get(`/api/v2/traces/${fx.traceA}`)).json()) as {
      trace: { resourceSpans: { scopeSpans: { spans: { name: string; kind: string }[] }[] }[] };
    };
    expect(v2.trace.resourceSpans[0]?.scopeSpans[0]?.spans.map((s) => [s.name, s.kind])).toEqual([
      ['GET /tanks/:id', 'SPAN_KIND_SERVER'],
      ['SELECT tanks', 'SPAN_KIND_CLIENT'],
    ]);
  });

  it('404 for an unknown trace (v1 and v2), 400 for an id that is not hex, start/end respected', async () => {
    const unknown = '0123456789abcdef0123456789abcdef';
    expect((await fx.get(`/api/v2/traces/${unknown}`, PROTOBUF)).status).toBe(404);
    expect((await fx.get(`/api/traces/${unknown}`)).status).toBe(404);
    const bad = await fx.get('/api/traces/not-a-trace-id');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/invalid trace id/);
    expect((await fx.get(`/api/v2/traces/${fx.traceA}?start=${START_S}&end=${END_S}`)).status).toBe(200);
    expect(
      (await fx.get(`/api/v2/traces/${fx.traceA}?start=${END_S + 3600}&end=${END_S + 7200}`)).status,
    ).toBe(404);
  });
});

interface SearchBody {
  traces: {
    traceID: string;
    rootServiceName: string;
    rootTraceName: string;
    startTimeUnixNano: string;
    durationMs: number;
    spanSets: {
      spans: {
        spanID: string;
        name: string;
        startTimeUnixNano: string;
        durationNanos: string;
        attributes?: unknown[];
      }[];
      matched: number;
    }[];
  }[];
  metrics: Record<string, unknown>;
}

async function search(
  q: string,
  headers: Record<string, string> = {},
  extra: Record<string, string | number> = {},
) {
  const response = await fx.get(
    `/api/search?${qs({ q, limit: 20, spss: 3, start: START_S, end: END_S, ...extra })}`,
    {
      Accept: 'application/json',
      ...headers,
    },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as SearchBody;
}

describe('search', () => {
  it("answers the query builder's TraceQL with the matching trace and span", async () => {
    const body = await search(
      '{resource.service.name="tank-api" && name="SELECT tanks" && duration>1ms && status=error}',
    );
    expect(body.traces).toHaveLength(1);
    const [found] = body.traces;
    expect(found).toMatchObject({
      traceID: fx.traceA,
      rootServiceName: 'tank-api',
      rootTraceName: 'GET /tanks/:id',
      durationMs: 300,
    });
    expect(found?.startTimeUnixNano).toMatch(/^\d+$/);
    expect(found?.spanSets[0]).toEqual({
      matched: 1,
      spans: [
        {
          spanID: fx.childA,
          name: 'SELECT tanks',
          startTimeUnixNano: expect.stringMatching(/^\d+$/),
          durationNanos: '50000000',
          attributes: [{ key: 'service.name', value: { stringValue: 'tank-api' } }],
        },
      ],
    });
    expect(body.metrics).toMatchObject({ inspectedTraces: expect.any(Number) });
  });

  it('|| inside a spanset and between spansets; the most recent trace first', async () => {
    const either = await search('{name="GET /pumps" || name="SELECT tanks"}');
    expect(either.traces.map((t) => t.traceID)).toEqual([fx.traceB, fx.traceA]);
    const spansets = await search('{span.db.system="postgresql"} || {status=ok}');
    expect(spansets.traces.map((t) => t.traceID).sort()).toEqual([fx.traceA, fx.traceB].sort());
    expect((await search('{duration > 1s}')).traces).toEqual([]);
    expect((await search('{}', {}, { limit: 1 })).traces).toHaveLength(1);
  });

  it('spss limits the spans of a spanset but not the matched count', async () => {
    const body = await search('{resource.service.name="tank-api" && kind != server}', {}, { spss: 1 });
    const all = await search('{resource.service.name="tank-api"}', {}, { spss: 1 });
    expect(body.traces[0]?.spanSets[0]?.matched).toBe(1);
    const traceA = all.traces.find((t) => t.traceID === fx.traceA);
    expect(traceA?.spanSets[0]).toMatchObject({ matched: 2, spans: [expect.anything()] });
  });

  it('the older tags search', async () => {
    const response = await fx.get(
      `/api/search?${qs({ tags: 'service.name=tank-api name="GET /pumps"', start: START_S, end: END_S })}`,
    );
    const body = (await response.json()) as SearchBody;
    expect(body.traces.map((t) => t.traceID)).toEqual([fx.traceB]);
  });

  it('a query we cannot run is 400 with the parser message', async () => {
    for (const q of ['{ .a = }', '{ name = "a" } >> { name = "b" }', '{ status = "error" }']) {
      let message = '';
      try {
        parseTraceQL(q);
      } catch (error) {
        message = (error as Error).message;
      }
      const response = await fx.get(`/api/search?${qs({ q })}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(message);
    }
  });
});

describe('tags', () => {
  it('v2 lists span, resource and intrinsic scopes; ?scope= keeps one', async () => {
    const body = (await (
      await fx.get(`/api/v2/search/tags?${qs({ start: START_S, end: END_S })}`)
    ).json()) as {
      scopes: { name: string; tags: string[] }[];
    };
    const scope = (name: string) => body.scopes.find((s) => s.name === name)?.tags ?? [];
    expect(scope('span')).toEqual(expect.arrayContaining(['http.route', 'db.system', 'braga.secret']));
    expect(scope('resource')).toEqual(
      expect.arrayContaining(['service.name', 'dss.client', 'service.version']),
    );
    expect(scope('intrinsic')).toEqual(
      expect.arrayContaining([
        'duration',
        'kind',
        'name',
        'status',
        'statusMessage',
        'rootName',
        'rootServiceName',
        'traceDuration',
      ]),
    );
    const only = (await (await fx.get('/api/v2/search/tags?scope=resource')).json()) as {
      scopes: { name: string }[];
    };
    expect(only.scopes.map((s) => s.name)).toEqual(['resource']);
    const v1 = (await (await fx.get('/api/search/tags')).json()) as { tagNames: string[] };
    expect(v1.tagNames).toEqual(expect.arrayContaining(['http.route', 'service.name']));
  });

  it('values, v1 and v2, for attributes and intrinsics, with a doubly encoded name', async () => {
    const v2 = (await (await fx.get('/api/v2/search/tag/resource.service.name/values')).json()) as unknown;
    expect(v2).toEqual({
      tagValues: [
        { type: 'string', value: 'billing-api' },
        { type: 'string', value: 'tank-api' },
      ],
    });
    const v1 = (await (await fx.get('/api/search/tag/http.route/values')).json()) as unknown;
    expect(v1).toEqual({ tagValues: ['/tanks/:id'] });
    const ints = (await (
      await fx.get('/api/v2/search/tag/span.http.response.status_code/values')
    ).json()) as unknown;
    expect(ints).toEqual({ tagValues: [{ type: 'int', value: '200' }] });
    const status = (await (await fx.get('/api/v2/search/tag/status/values')).json()) as {
      tagValues: unknown[];
    };
    expect(status.tagValues).toContainEqual({ type: 'keyword', value: 'error' });
    const twice = encodeURIComponent(encodeURIComponent('span:name'));
    const names = (await (await fx.get(`/api/v2/search/tag/${twice}/values`)).json()) as {
      tagValues: { value: string }[];
    };
    expect(names.tagValues.map((v) => v.value)).toEqual([
      'GET /pumps',
      'GET /tanks/:id',
      'POST /invoices',
      'SELECT tanks',
    ]);
  });
});
