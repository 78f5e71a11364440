// What the TraceQL evaluator needs to know about one span. The store builds these from its rows; tests
// build them by hand. Attribute values are the receiver's normalised AnyValue.
import type { AnyValue } from '../../receiver/decoded-types.ts';

export interface SpanView {
  name: string;
  /** OTLP Span.SpanKind number (0 unspecified ... 5 consumer). */
  kind: number;
  /** OTLP Status.StatusCode number (0 unset, 1 ok, 2 error). */
  statusCode: number;
  statusMessage: string;
  durationNanos: number;
  attributes: ReadonlyMap<string, AnyValue>;
  resourceAttributes: ReadonlyMap<string, AnyValue>;
  /** Name of the trace's root span; '' when the root span has not been received. */
  rootName: string;
  /** service.name of the root span's resource; '' when unknown. */
  rootServiceName: string;
  /** From the earliest span start to the latest span end of the trace. */
  traceDurationNanos: number;
}
