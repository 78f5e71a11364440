// GET /api/traces/<id> (v1) and /api/v2/traces/<id> (v2): the whole trace, in protobuf when the client
// asks for it (Grafana's backend sends Accept: application/protobuf), else in Tempo's JSON. 404 when the
// store has no span of the trace for this tenant (Grafana retries v1 on a v2 404).
import type Database from 'better-sqlite3';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  encodeTrace,
  encodeTraceByIdResponse,
  traceByIdV1Json,
  traceByIdV2Json,
} from '../../query/tempo/index.ts';
import type { ResourceSpans } from '../../receiver/decoded-types.ts';
import { readTrace } from '../../store/read-traces.ts';
import { parseEpochSeconds } from '../time-params.ts';
import { normalizeTraceId } from './trace-id.ts';

const PROTOBUF = 'application/protobuf';

export function traceByIdRoutes(app: FastifyInstance, db: Database.Database): void {
  app.get('/api/traces/:id', async (request, reply) => {
    const trace = findTrace(db, request);
    if (!trace) return notFound(reply);
    if (wantsProtobuf(request)) return reply.type(PROTOBUF).send(Buffer.from(encodeTrace(trace)));
    return reply.send(traceByIdV1Json(trace));
  });

  app.get('/api/v2/traces/:id', async (request, reply) => {
    const trace = findTrace(db, request);
    if (!trace) return notFound(reply);
    if (wantsProtobuf(request)) return reply.type(PROTOBUF).send(Buffer.from(encodeTraceByIdResponse(trace)));
    return reply.send(traceByIdV2Json(trace));
  });
}

function findTrace(db: Database.Database, request: FastifyRequest): ResourceSpans[] | null {
  const { id } = request.params as { id: string };
  const query = request.query as Record<string, unknown>;
  const traceId = normalizeTraceId(id);
  const trace = readTrace(db, traceId, { tenant: request.tenant });
  if (trace.length === 0) return null;
  // With start/end (Grafana's time shift), a trace none of whose spans overlaps the window is not found.
  if (query.start !== undefined || query.end !== undefined) {
    const start = parseEpochSeconds('start', query.start, 0n);
    const end = parseEpochSeconds('end', query.end, BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000_000n);
    const overlaps = trace.some((rs) =>
      rs.scopeSpans.some((ss) =>
        ss.spans.some((span) => span.endTimeUnixNano >= start && span.startTimeUnixNano <= end),
      ),
    );
    if (!overlaps) return null;
  }
  return trace;
}

function wantsProtobuf(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes(PROTOBUF);
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send('trace not found');
}
