// Intrinsic names as written in TraceQL, to the intrinsic they denote, and what each may be compared with.
import type { Intrinsic, KindValue, StatusValue } from './ast.ts';

/** Every spelling we accept, including the scoped forms Tempo added in 2.x. */
export const INTRINSIC_SPELLINGS: Readonly<Record<string, Intrinsic>> = {
  name: 'name',
  'span:name': 'name',
  status: 'status',
  'span:status': 'status',
  kind: 'kind',
  'span:kind': 'kind',
  duration: 'duration',
  'span:duration': 'duration',
  statusMessage: 'statusMessage',
  'span:statusMessage': 'statusMessage',
  rootName: 'rootName',
  'trace:rootName': 'rootName',
  rootServiceName: 'rootServiceName',
  'trace:rootService': 'rootServiceName',
  traceDuration: 'traceDuration',
  'trace:duration': 'traceDuration',
};

/** The names the `intrinsic` scope of /api/v2/search/tags lists, in Tempo's order of documentation. */
export const SUPPORTED_INTRINSICS: readonly Intrinsic[] = [
  'duration',
  'kind',
  'name',
  'status',
  'statusMessage',
  'rootName',
  'rootServiceName',
  'traceDuration',
];

export type IntrinsicType = 'string' | 'duration' | 'status' | 'kind';

export const INTRINSIC_TYPES: Readonly<Record<Intrinsic, IntrinsicType>> = {
  name: 'string',
  statusMessage: 'string',
  rootName: 'string',
  rootServiceName: 'string',
  duration: 'duration',
  traceDuration: 'duration',
  status: 'status',
  kind: 'kind',
};

export const STATUS_VALUES: readonly StatusValue[] = ['ok', 'error', 'unset'];
export const KIND_VALUES: readonly KindValue[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

/** OTLP Status.StatusCode numbers of the TraceQL status keywords. */
export const STATUS_CODES: Readonly<Record<StatusValue, number>> = { unset: 0, ok: 1, error: 2 };

/** OTLP Span.SpanKind numbers of the TraceQL kind keywords. */
export const KIND_CODES: Readonly<Record<KindValue, number>> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};
