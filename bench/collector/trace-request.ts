// The OTLP trace export request the ingest benchmarks send: 512 spans (8 per trace, 8 attributes each, an
// event on the second span), shaped like the backend API's HTTP and database spans, encoded as protobuf.
import { randomBytes } from 'node:crypto';
import { otlpTypes } from '../../collector/src/receiver/otlp-schema.ts';

export const SPANS_PER_REQUEST = 512;
export const SPANS_PER_TRACE = 8;

/** One encoded request with new trace ids; `traceIds` are the ids it holds (to find them in `body`). */
export function benchTraceRequest(): { body: Buffer; traceIds: Buffer[] } {
  const traceIds = Array.from({ length: SPANS_PER_REQUEST / SPANS_PER_TRACE }, () => randomBytes(16));
  const start = BigInt(Date.now()) * 1_000_000n;
  const str = (stringValue: string) => ({ stringValue });
  const spans = traceIds.flatMap((traceId, t) => {
    const spanIds = Array.from({ length: SPANS_PER_TRACE }, () => randomBytes(8));
    return spanIds.map((spanId, i) => ({
      traceId,
      spanId,
      parentSpanId: i === 0 ? undefined : spanIds[0],
      name: i === 0 ? 'GET /tanks/:id/readings' : `SELECT readings ${i}`,
      kind: i === 0 ? 2 : 3,
      startTimeUnixNano: (start + BigInt(t * 1_000_000 + i * 1000)).toString(),
      endTimeUnixNano: (start + BigInt(t * 1_000_000 + i * 1000 + 250_000)).toString(),
      attributes: [
        { key: 'http.request.method', value: str('GET') },
        { key: 'http.route', value: str('/tanks/:id/readings') },
        { key: 'url.path', value: str(`/tanks/T-${t}/readings`) },
        { key: 'http.response.status_code', value: { intValue: 200 } },
        { key: 'server.address', value: str('backend-api.dss.internal') },
        { key: 'dss.tank.id', value: str(`T-${t}`) },
        { key: 'db.system.name', value: str('postgresql') },
        {
          key: 'db.query.text',
          value: str('SELECT level, taken_at FROM readings WHERE tank_id = $1 LIMIT 100'),
        },
      ],
      events: i === 1 ? [{ timeUnixNano: start.toString(), name: 'cache miss', attributes: [] }] : [],
      status: { code: 0 },
    }));
  });
  const message = {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: str('backend-api') },
            { key: 'service.version', value: str('1.4.2') },
            { key: 'deployment.environment.name', value: str('bench') },
            { key: 'dss.client', value: str('aveiro') },
            { key: 'host.name', value: str('dss-app-01') },
            { key: 'telemetry.sdk.language', value: str('nodejs') },
          ],
        },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.300.0' }, spans }],
      },
    ],
  };
  const type = otlpTypes.ExportTraceServiceRequest;
  return { body: Buffer.from(type.encode(type.fromObject(message)).finish()), traceIds };
}
