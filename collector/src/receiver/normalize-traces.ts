import type { DecodedTraces, Span } from './decoded-types.ts';
import { idToHex, keyValues, list, resource, scope, toBigInt } from './normalize-common.ts';
import type { WireSpan, WireTraceRequest } from './wire-types.ts';

export function normalizeTraces(request: WireTraceRequest): DecodedTraces {
  return {
    signal: 'traces',
    resourceSpans: list(request.resourceSpans).map((rs) => ({
      resource: resource(rs.resource),
      schemaUrl: rs.schemaUrl ?? '',
      scopeSpans: list(rs.scopeSpans).map((ss) => ({
        scope: scope(ss.scope),
        schemaUrl: ss.schemaUrl ?? '',
        spans: list(ss.spans).map(normalizeSpan),
      })),
    })),
  };
}

function normalizeSpan(span: WireSpan): Span {
  return {
    traceId: idToHex(span.traceId),
    spanId: idToHex(span.spanId),
    traceState: span.traceState ?? '',
    parentSpanId: idToHex(span.parentSpanId),
    flags: span.flags ?? 0,
    name: span.name ?? '',
    kind: span.kind ?? 0,
    startTimeUnixNano: toBigInt(span.startTimeUnixNano),
    endTimeUnixNano: toBigInt(span.endTimeUnixNano),
    attributes: keyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount ?? 0,
    events: list(span.events).map((event) => ({
      timeUnixNano: toBigInt(event.timeUnixNano),
      name: event.name ?? '',
      attributes: keyValues(event.attributes),
      droppedAttributesCount: event.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: span.droppedEventsCount ?? 0,
    links: list(span.links).map((link) => ({
      traceId: idToHex(link.traceId),
      spanId: idToHex(link.spanId),
      traceState: link.traceState ?? '',
      attributes: keyValues(link.attributes),
      droppedAttributesCount: link.droppedAttributesCount ?? 0,
      flags: link.flags ?? 0,
    })),
    droppedLinksCount: span.droppedLinksCount ?? 0,
    status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
  };
}
