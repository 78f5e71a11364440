// The storage-independent half of the query APIs: TraceQL and LogQL parsers and evaluators, and the JSON and
// protobuf shapes of Tempo's and Loki's answers. The store and the HTTP layer build on these.
export * as logql from './logql/index.ts';
export * as loki from './loki/index.ts';
export { QueryError, type QueryErrorKind, type QueryLanguage } from './query-error.ts';
export * as tempo from './tempo/index.ts';
export * as traceql from './traceql/index.ts';
