// Ingest authentication and tenancy: with tokens configured, an export needs one, and a tenant's
// token writes only that tenant's data (missing dss.client is stamped, another client's refused).
import { Metadata } from '@grpc/grpc-js';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  attributesToObject,
  InMemorySink,
  parseTokenList,
  type RunningReceiver,
  startOtlpGrpcReceiver,
  startOtlpHttpReceiver,
} from '../src/receiver/index.ts';
import { request } from './support/http-client.ts';
import { exportWith, recordSpans } from './support/sdk-telemetry.ts';

const auth = parseTokenList('tok-aveiro=aveiro,tok-ops=*');

function traceBody(clients: Array<string | undefined>) {
  return JSON.stringify({
    resourceSpans: clients.map((client, i) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: `svc-${i}` } },
          ...(client ? [{ key: 'dss.client', value: { stringValue: client } }] : []),
        ],
      },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: `eee19b7ec3c1b17${i}`,
              name: 'read level',
              kind: 2,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000100000000',
            },
          ],
        },
      ],
    })),
  });
}

describe('OTLP/HTTP ingest with tokens', () => {
  const sink = new InMemorySink();
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startOtlpHttpReceiver({ host: '127.0.0.1', port: 0, sink, auth });
  });
  afterAll(() => receiver.close());
  beforeEach(() => sink.clear());

  const post = (body: string, headers: Record<string, string>) =>
    request(receiver.port, {
      path: '/v1/traces',
      headers: { 'content-type': 'application/json', ...headers },
      body: Buffer.from(body),
    });

  it('refuses an export without a token or with an unknown one, keeping nothing', async () => {
    const none = await post(traceBody(['aveiro']), {});
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body.toString())).toMatchObject({
      code: 16,
      message: expect.stringContaining('bearer token'),
    });
    expect((await post(traceBody(['aveiro']), { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(sink.counts().spans).toBe(0);
  });

  it("stamps the token's tenant on resources without dss.client and refuses other clients' resources", async () => {
    const response = await post(traceBody([undefined, 'aveiro', 'braga']), {
      authorization: 'Bearer tok-aveiro',
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: 'resource 2 has dss.client="braga", not the tenant "aveiro"',
      },
    });
    const clients = sink.allSpans().map((s) => attributesToObject(s.resource.attributes)['dss.client']);
    expect(clients).toEqual(['aveiro', 'aveiro']);
  });

  it('a tenant token may not choose another tenant with X-Scope-OrgID', async () => {
    const response = await post(traceBody(['braga']), {
      authorization: 'Bearer tok-aveiro',
      'x-scope-orgid': 'braga',
    });
    expect(response.status).toBe(403);
  });

  it('a wildcard token writes any client, and X-Scope-OrgID picks the tenant for unlabelled data', async () => {
    expect((await post(traceBody(['braga', 'aveiro']), { authorization: 'Bearer tok-ops' })).status).toBe(
      200,
    );
    expect(
      (await post(traceBody([undefined]), { authorization: 'Bearer tok-ops', 'x-scope-orgid': 'braga' }))
        .status,
    ).toBe(200);
    const clients = sink.allSpans().map((s) => attributesToObject(s.resource.attributes)['dss.client']);
    expect(clients).toEqual(['braga', 'aveiro', 'braga']);
  });
});

describe('OTLP/gRPC ingest with tokens', () => {
  const sink = new InMemorySink();
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startOtlpGrpcReceiver({ host: '127.0.0.1', port: 0, sink, auth });
  });
  afterAll(() => receiver.close());

  async function exportWithToken(token: string | undefined) {
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    const exporter = new GrpcTraceExporter({
      url: `http://127.0.0.1:${receiver.port}`,
      metadata,
      timeoutMillis: 5_000,
    });
    try {
      return await exportWith(exporter, await recordSpans());
    } finally {
      await exporter.shutdown();
    }
  }

  it('answers UNAUTHENTICATED without a token and accepts a valid one', async () => {
    const refused = await exportWithToken(undefined);
    expect(refused.code).toBe(1);
    expect(String(refused.error)).toMatch(/UNAUTHENTICATED|16/);
    expect(sink.counts().spans).toBe(0);
    const accepted = await exportWithToken('tok-ops');
    expect(accepted.code).toBe(0);
    expect(sink.counts().spans).toBeGreaterThan(0);
  });
});
