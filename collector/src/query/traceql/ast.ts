// The typed AST of the TraceQL subset we support. parse-traceql.ts builds it from the lezer tree; the store
// translates it to SQL, and match-span.ts / evaluate-trace.ts define what it means.

/** A whole query: a spanset expression, then pipeline stages applied to each trace's spanset. */
export interface TraceQLQuery {
  spanset: SpansetExpression;
  pipeline: PipelineStage[];
  /** `with (most_recent=true)`: prefer the most recent traces. Absent when no hint was given. */
  mostRecent?: boolean;
}

/** `{ ... }`, and `&&` (both spansets match in the trace) / `||` (either) between spansets. */
export type SpansetExpression =
  | SpansetFilter
  | { type: 'spansetAnd'; left: SpansetExpression; right: SpansetExpression }
  | { type: 'spansetOr'; left: SpansetExpression; right: SpansetExpression };

/** `{ expr }`; `{}` (expr null) selects every span. */
export interface SpansetFilter {
  type: 'filter';
  expr: FieldExpression | null;
}

export type PipelineStage =
  /** `| count() > 2`: keeps the spanset when its span count compares true. */
  | { type: 'count'; op: NumericOperator; value: number }
  /** `| select(span.a, name)`: asks for these fields on the returned spans. */
  | { type: 'select'; fields: Field[] }
  /** `| { expr }`: keeps only the spans of the spanset that match. */
  | { type: 'filter'; expr: FieldExpression | null };

/** A boolean expression over one span. */
export type FieldExpression =
  | { type: 'and'; left: FieldExpression; right: FieldExpression }
  | { type: 'or'; left: FieldExpression; right: FieldExpression }
  | { type: 'not'; expr: FieldExpression }
  | Comparison;

export interface Comparison {
  type: 'comparison';
  field: Field;
  op: ComparisonOperator;
  value: StaticValue;
}

export type ComparisonOperator = '=' | '!=' | '=~' | '!~' | '>' | '>=' | '<' | '<=';
export type NumericOperator = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type Field =
  | { type: 'intrinsic'; name: Intrinsic }
  /** `span.x`, `resource.x`, or unscoped `.x` (span attribute first, then resource attribute). */
  | { type: 'attribute'; scope: AttributeScope; name: string };

export type AttributeScope = 'span' | 'resource' | 'unscoped';

/** The intrinsics we support; `span:name`, `trace:rootService` and the like are parsed to these names. */
export type Intrinsic =
  | 'name'
  | 'status'
  | 'kind'
  | 'duration'
  | 'statusMessage'
  | 'rootName'
  | 'rootServiceName'
  | 'traceDuration';

export type StatusValue = 'ok' | 'error' | 'unset';
export type KindValue = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** A literal. Durations are nanoseconds; integers beyond 2^53 lose precision (not a realistic query). */
export type StaticValue =
  | { type: 'string'; value: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'duration'; nanos: number }
  | { type: 'bool'; value: boolean }
  | { type: 'status'; value: StatusValue }
  | { type: 'kind'; value: KindValue }
  | { type: 'nil' };
