// The PromQL syntax tree the evaluator walks, built from @prometheus-io/lezer-promql's concrete tree by
// parse.ts. Durations and times are milliseconds.
import type { LabelMatcher } from '../../metrics/model.ts';
import { FUNCTIONS } from './functions.ts';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** `@ <time>` (ms), `@ start()` or `@ end()` of the query. */
export type AtModifier = { kind: 'time'; ms: number } | { kind: 'start' } | { kind: 'end' };

export interface NumberLiteral {
  kind: 'number';
  value: number;
}

export interface StringLiteral {
  kind: 'string';
  value: string;
}

export interface VectorSelector {
  kind: 'vectorSelector';
  /** The metric name, when written before the braces (it is also among `matchers`). */
  name: string | undefined;
  matchers: LabelMatcher[];
  offsetMs: number;
  at: AtModifier | undefined;
}

export interface MatrixSelector {
  kind: 'matrixSelector';
  selector: VectorSelector;
  rangeMs: number;
}

export interface Subquery {
  kind: 'subquery';
  expr: Expr;
  rangeMs: number;
  /** 0: the default evaluation interval. */
  stepMs: number;
  offsetMs: number;
  at: AtModifier | undefined;
}

export interface Call {
  kind: 'call';
  name: string;
  args: Expr[];
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values';

export interface Aggregate {
  kind: 'aggregate';
  op: AggregateOp;
  /** k of topk/bottomk, φ of quantile, the label of count_values. */
  param: Expr | undefined;
  expr: Expr;
  grouping: string[];
  without: boolean;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** true: `on(labels)`; false: `ignoring(labels)` (or no clause: ignoring nothing). */
  on: boolean;
  labels: string[];
  /** The labels of group_left(...)/group_right(...). */
  include: string[];
}

export interface Binary {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  /** Set when both sides are instant vectors. */
  matching: VectorMatching | undefined;
}

export interface Unary {
  kind: 'unary';
  op: '-' | '+';
  expr: Expr;
}

export interface Paren {
  kind: 'paren';
  expr: Expr;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Subquery
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren;

export function typeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vectorSelector':
    case 'aggregate':
      return 'vector';
    case 'matrixSelector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return FUNCTIONS[expr.name]?.returns ?? 'vector';
    case 'binary':
      return typeOf(expr.lhs) === 'scalar' && typeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(expr.expr);
  }
}

/** Prometheus's names for the value types, in error messages. */
export function typeName(type: ValueType): string {
  switch (type) {
    case 'scalar':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
  }
}
