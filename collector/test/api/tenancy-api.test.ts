// Tenancy through the query APIs: with X-Scope-OrgID, a tenant never sees another tenant's traces, logs,
// tags or label values, whatever the query asks for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { END_NS, END_S, type Fixture, qs, START_NS, START_S, startFixture } from './query-fixture.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

const BRAGA = { 'X-Scope-OrgID': 'braga' };
const AVEIRO = { 'X-Scope-OrgID': 'aveiro' };

async function json<T>(path: string, headers: Record<string, string>): Promise<T> {
  const response = await fx.get(path, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('tenancy', () => {
  it("trace by id: another tenant's trace is not found", async () => {
    expect(
      (await fx.get(`/api/v2/traces/${fx.traceA}`, { ...BRAGA, Accept: 'application/protobuf' })).status,
    ).toBe(404);
    expect((await fx.get(`/api/traces/${fx.traceA}`, BRAGA)).status).toBe(404);
    expect((await fx.get(`/api/v2/traces/${fx.traceC}`, BRAGA)).status).toBe(200);
    expect((await fx.get(`/api/v2/traces/${fx.traceA}`, AVEIRO)).status).toBe(200);
  });

  it("search returns the tenant's traces only, even when asked for the other's", async () => {
    const range = { start: START_S, end: END_S };
    const all = await json<{ traces: { traceID: string }[] }>(
      `/api/search?${qs({ q: '{}', ...range })}`,
      BRAGA,
    );
    expect(all.traces.map((t) => t.traceID)).toEqual([fx.traceC]);
    const other = await json<{ traces: unknown[] }>(
      `/api/search?${qs({ q: '{resource.service.name="tank-api"}', ...range })}`,
      BRAGA,
    );
    expect(other.traces).toEqual([]);
    const mine = await json<{ traces: { traceID: string }[] }>(
      `/api/search?${qs({ q: '{status=error}', ...range })}`,
      AVEIRO,
    );
    expect(mine.traces.map((t) => t.traceID)).toEqual([fx.traceA]);
  });

  it("tags and tag values come from the tenant's data only", async () => {
    const tags = await json<{ scopes: { name: string; tags: string[] }[] }>('/api/v2/search/tags', AVEIRO);
    const spanTags = tags.scopes.find((s) => s.name === 'span')?.tags ?? [];
    expect(spanTags).toContain('http.route');
    expect(spanTags).not.toContain('braga.secret');
    const v1 = await json<{ tagNames: string[] }>('/api/search/tags', BRAGA);
    expect(v1.tagNames).toContain('braga.secret');
    expect(v1.tagNames).not.toContain('http.route');
    const services = await json<{ tagValues: { value: string }[] }>(
      '/api/v2/search/tag/resource.service.name/values',
      BRAGA,
    );
    expect(services.tagValues.map((v) => v.value)).toEqual(['billing-api']);
    const names = await json<{ tagValues: string[] }>('/api/search/tag/name/values', AVEIRO);
    expect(names.tagValues).not.toContain('POST /invoices');
    const secrets = await json<{ tagValues: unknown[] }>(
      '/api/v2/search/tag/span.braga.secret/values',
      AVEIRO,
    );
    expect(secrets.tagValues).toEqual([]);
  });

  it("Loki queries, labels, values and series see the tenant's streams only", async () => {
    const range = { start: START_NS, end: END_NS };
    const logs = await json<{
      data: { result: { stream: Record<string, string>; values: [string, string][] }[] };
    }>(`/loki/api/v1/query_range?${qs({ query: '{service_name=~".+"}', limit: 1000, ...range })}`, BRAGA);
    expect(logs.data.result.flatMap((s) => s.values.map((v) => v[1]))).toEqual(['invoice 42 failed']);
    const other = await json<{ data: { result: unknown[] } }>(
      `/loki/api/v1/query_range?${qs({ query: `{dss_client="aveiro"} | trace_id = "${fx.traceA}"`, ...range })}`,
      BRAGA,
    );
    expect(other.data.result).toEqual([]);
    const volume = await json<{ data: { result: { metric: Record<string, string> }[] } }>(
      `/loki/api/v1/query_range?${qs({ query: 'sum by (service_name) (count_over_time({level=~".+"}[1m]))', step: '60s', ...range })}`,
      AVEIRO,
    );
    expect(volume.data.result.map((s) => s.metric.service_name)).toEqual(['tank-api']);
    const values = await json<{ data: string[] }>(
      `/loki/api/v1/label/service_name/values?${qs(range)}`,
      AVEIRO,
    );
    expect(values.data).toEqual(['tank-api']);
    const clients = await json<{ data: string[] }>(
      `/loki/api/v1/label/dss_client/values?${qs(range)}`,
      BRAGA,
    );
    expect(clients.data).toEqual(['braga']);
    const series = await json<{ data: Record<string, string>[] }>(
      `/loki/api/v1/series?${qs({ 'match[]': '{service_name="tank-api"}', ...range })}`,
      BRAGA,
    );
    expect(series.data).toEqual([]);
  });

  it('a tenant with no data sees nothing', async () => {
    const response = await fx.get(`/api/search?${qs({ q: '{}' })}`, { 'X-Scope-OrgID': 'nobody' });
    expect(((await response.json()) as { traces: unknown[] }).traces).toEqual([]);
  });
});
