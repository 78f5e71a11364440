// The typed AST of the LogQL subset we support. parse-logql.ts builds it from the lezer tree; the store
// translates stream selectors (and what it can of the pipeline) to SQL, and the evaluators in this folder
// define what each stage means for one log entry.

export type LogQLQuery = LogQuery | MetricQuery;

/** `{selector} | stage | stage ...` */
export interface LogQuery {
  type: 'log';
  selector: LabelMatcher[];
  pipeline: PipelineStage[];
}

export interface LabelMatcher {
  name: string;
  op: MatchOperator;
  value: string;
}

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export type PipelineStage =
  | LineFilter
  | { type: 'json' }
  | { type: 'logfmt'; strict: boolean; keepEmpty: boolean }
  | { type: 'labelFilter'; filter: LabelFilter }
  /** `| line_format "{{.msg}}"`: the template as written (only `{{.label}}` actions are accepted). */
  | { type: 'lineFormat'; template: string }
  /** `| drop a, b="c"`: drops `a`, and `b` when its value is "c". */
  | { type: 'drop'; labels: DropLabel[] };

/** `|= "a"`, `!= "a"`, `|~ "re"`, `!~ "re"`; `|= "a" or "b"` has two values (a line with either passes;
 * for `!=` / `!~` a line with neither passes). */
export interface LineFilter {
  type: 'lineFilter';
  op: LineFilterOperator;
  values: string[];
}

export type LineFilterOperator = '|=' | '!=' | '|~' | '!~';

export type DropLabel = { name: string } | { name: string; op: MatchOperator; value: string };

export type LabelFilter =
  | { type: 'and'; left: LabelFilter; right: LabelFilter }
  | { type: 'or'; left: LabelFilter; right: LabelFilter }
  | { type: 'string'; name: string; op: MatchOperator; value: string }
  | { type: 'number'; name: string; op: NumericOperator; value: number }
  | { type: 'duration'; name: string; op: NumericOperator; nanos: number }
  | { type: 'bytes'; name: string; op: NumericOperator; bytes: number };

/** `=` and `==` are the same for numbers; the AST uses `==`. */
export type NumericOperator = '==' | '!=' | '>' | '>=' | '<' | '<=';

export type MetricQuery =
  | RangeAggregation
  | VectorAggregation
  | { type: 'vector'; value: number }
  | { type: 'literal'; value: number }
  /** Arithmetic between constants only (`vector(1)+vector(1)`, Grafana's health check). */
  | { type: 'binary'; op: ArithmeticOperator; left: MetricQuery; right: MetricQuery };

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '^';

/** `count_over_time({...} | ... [5m])` */
export interface RangeAggregation {
  type: 'rangeAggregation';
  fn: RangeFunction;
  rangeMs: number;
  query: LogQuery;
}

export type RangeFunction = 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate';

/** `sum by (level) (...)`; grouping null for a plain `sum(...)`. */
export interface VectorAggregation {
  type: 'vectorAggregation';
  op: 'sum';
  grouping: Grouping | null;
  expr: RangeAggregation | VectorAggregation;
}

export interface Grouping {
  mode: 'by' | 'without';
  labels: string[];
}
