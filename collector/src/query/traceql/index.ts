export type * from './ast.ts';
export { evaluateTrace } from './evaluate-trace.ts';
export {
  INTRINSIC_SPELLINGS,
  INTRINSIC_TYPES,
  KIND_CODES,
  KIND_VALUES,
  STATUS_CODES,
  STATUS_VALUES,
  SUPPORTED_INTRINSICS,
} from './intrinsics.ts';
export { matchesSpan } from './match-span.ts';
export { parseTraceQL } from './parse-traceql.ts';
export type { SpanView } from './span-view.ts';
