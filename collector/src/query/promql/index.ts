// PromQL: parser, evaluator and the instant/range query entry points.
export type { Expr } from './ast.ts';
export { parseDurationParam, parsePromDuration } from './duration.ts';
export {
  instantQuery,
  MAX_POINTS_PER_SERIES,
  type QueryData,
  type QueryOptions,
  rangeQuery,
  type SamplePair,
} from './engine.ts';
export { type PromErrorType, PromQLError } from './errors.ts';
export { formatFloat } from './float-math.ts';
export { parsePromQL } from './parse.ts';
