// Pure pieces of metric query evaluation: the value of a range function over the entries of one window,
// the labels a `sum by/without` groups on, and constant arithmetic (Grafana's health check).
import type { ArithmeticOperator, Grouping, MetricQuery, RangeFunction } from './ast.ts';

/** count_over_time: entries; rate: entries per second; bytes_over_time: line bytes; bytes_rate: bytes/s. */
export function rangeFunctionValue(
  fn: RangeFunction,
  window: { count: number; bytes: number },
  rangeMs: number,
): number {
  switch (fn) {
    case 'count_over_time':
      return window.count;
    case 'rate':
      return window.count / (rangeMs / 1000);
    case 'bytes_over_time':
      return window.bytes;
    case 'bytes_rate':
      return window.bytes / (rangeMs / 1000);
  }
}

/** The labels a series keeps under `sum by (...)` / `sum without (...)` / plain `sum` (none). */
export function groupLabels(
  grouping: Grouping | null,
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (grouping === null) return out;
  if (grouping.mode === 'by') {
    for (const name of grouping.labels) {
      const value = labels[name];
      if (value !== undefined && value !== '') out[name] = value;
    }
    return out;
  }
  for (const [name, value] of Object.entries(labels)) if (!grouping.labels.includes(name)) out[name] = value;
  return out;
}

export interface ConstantResult {
  /** vector when any operand is vector(...), as in Loki; scalar for plain numbers. */
  resultType: 'vector' | 'scalar';
  value: number;
}

/** Evaluates a constant metric query (vector(n), numbers and arithmetic between them); null otherwise. */
export function evaluateConstant(expr: MetricQuery): ConstantResult | null {
  switch (expr.type) {
    case 'vector':
      return { resultType: 'vector', value: expr.value };
    case 'literal':
      return { resultType: 'scalar', value: expr.value };
    case 'binary': {
      const left = evaluateConstant(expr.left);
      const right = evaluateConstant(expr.right);
      if (!left || !right) return null;
      const resultType = left.resultType === 'vector' || right.resultType === 'vector' ? 'vector' : 'scalar';
      return { resultType, value: arithmetic(expr.op, left.value, right.value) };
    }
    default:
      return null;
  }
}

function arithmetic(op: ArithmeticOperator, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b; // Go's math.Mod: the sign of the dividend, like JavaScript's %
    case '^':
      return a ** b;
  }
}
