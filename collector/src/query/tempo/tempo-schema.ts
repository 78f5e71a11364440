// Tempo's protobuf messages for trace by id, added to a copy of the receiver's OTLP schema (the receiver's
// root is left untouched). From grafana/tempo pkg/tempopb/tempo.proto, which Grafana's Tempo data source
// decodes (grafana/grafana pkg/tsdb/tempo/trace.go: tempopb.Trace for /api/traces/<id>,
// tempopb.TraceByIDResponse for /api/v2/traces/<id>, both requested with Accept: application/protobuf):
//
//   message Trace { repeated opentelemetry.proto.trace.v1.ResourceSpans resourceSpans = 1; }
//   message TraceByIDResponse {
//     Trace trace = 1; TraceByIDMetrics metrics = 2; PartialStatus status = 3; string message = 4;
//     enum PartialStatus { COMPLETE = 0; PARTIAL = 1; }
//   }
//   message TraceByIDMetrics { uint64 inspectedBytes = 1; }
//
// Tempo vendors OTLP under its own package name; the wire format is the same, so tempopb.Trace is
// byte-for-byte an OTLP TracesData.
import protobuf from 'protobufjs';
import { otlpRoot } from '../../receiver/otlp-schema.ts';

const RESOURCE_SPANS = 'opentelemetry.proto.trace.v1.ResourceSpans';

export const tempoRoot: protobuf.Root = protobuf.Root.fromJSON(otlpRoot.toJSON());
tempoRoot.addJSON({
  tempopb: {
    nested: {
      Trace: { fields: { resourceSpans: { id: 1, type: RESOURCE_SPANS, rule: 'repeated' } } },
      TraceByIDMetrics: { fields: { inspectedBytes: { id: 1, type: 'uint64' } } },
      TraceByIDResponse: {
        fields: {
          trace: { id: 1, type: 'Trace' },
          metrics: { id: 2, type: 'TraceByIDMetrics' },
          status: { id: 3, type: 'PartialStatus' },
          message: { id: 4, type: 'string' },
        },
        nested: { PartialStatus: { values: { COMPLETE: 0, PARTIAL: 1 } } },
      },
    },
  },
});
tempoRoot.resolveAll();

export const tempoTypes = {
  Trace: tempoRoot.lookupType('tempopb.Trace'),
  TraceByIDResponse: tempoRoot.lookupType('tempopb.TraceByIDResponse'),
} as const;
