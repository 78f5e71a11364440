// Metric queries: range aggregations over a log query, `sum` over them, and constant arithmetic.
import { children, type SyntaxNode, text } from '../lezer-tree.ts';
import { unsupported } from '../query-error.ts';
import type { ArithmeticOperator, Grouping, MetricQuery, RangeAggregation, RangeFunction } from './ast.ts';
import { durationLiteral, numberLiteral } from './literals.ts';
import { flatten, pipeline, selector } from './parse-log-expression.ts';

const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  CountOverTime: 'count_over_time',
  Rate: 'rate',
  BytesOverTime: 'bytes_over_time',
  BytesRate: 'bytes_rate',
};
const ARITHMETIC: Record<string, ArithmeticOperator> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
};

/** A MetricExpr node. */
export function metricExpression(query: string, node: SyntaxNode): MetricQuery {
  const [inner] = children(node);
  if (!inner) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  switch (inner.name) {
    case 'MetricExpr':
      return metricExpression(query, inner);
    case 'RangeAggregationExpr':
      return rangeAggregation(query, inner);
    case 'VectorAggregationExpr':
      return vectorAggregation(query, inner);
    case 'BinOpExpr':
      return binary(query, inner);
    case 'VectorExpr': {
      const value = inner.getChild('Number');
      if (!value) throw unsupported('LogQL', `'${text(query, inner)}'`, inner.from);
      return { type: 'vector', value: numberLiteral(text(query, value), value.from) };
    }
    case 'LiteralExpr':
      return { type: 'literal', value: signedNumber(query, inner) };
    case 'LabelReplaceExpr':
      throw unsupported('LogQL', 'label_replace()', inner.from);
    default:
      throw unsupported('LogQL', `'${text(query, inner)}'`, inner.from);
  }
}

function rangeAggregation(query: string, node: SyntaxNode): RangeAggregation {
  const opNode = node.getChild('RangeOp');
  const fn = opNode?.firstChild ? RANGE_FUNCTIONS[opNode.firstChild.name] : undefined;
  if (!opNode) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  if (!fn) throw unsupported('LogQL', `range function '${text(query, opNode)}'`, opNode.from);
  const parameter = node.getChild('Number');
  if (parameter) throw unsupported('LogQL', `parameter of '${fn}'`, parameter.from);
  const grouping = node.getChild('Grouping');
  if (grouping)
    throw unsupported('LogQL', `grouping of '${fn}' (group with sum by (...) instead)`, grouping.from);
  const range = node.getChild('LogRangeExpr');
  if (!range) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  return { type: 'rangeAggregation', fn, ...logRange(query, range) };
}

/** `{...} | ... [5m]` in any of the orders the grammar allows, the range before or after the pipeline. */
function logRange(query: string, node: SyntaxNode): Pick<RangeAggregation, 'rangeMs' | 'query'> {
  const nested = node.getChild('LogRangeExpr');
  if (nested) return logRange(query, nested);
  for (const part of children(node)) {
    if (part.name === 'OffsetExpr' || part.name === 'Offset') throw unsupported('LogQL', 'offset', part.from);
    if (part.name === 'UnwrapExpr') throw unsupported('LogQL', 'unwrap', part.from);
  }
  const selectorNode = node.getChild('Selector');
  const durationNode = node.getChild('Range')?.getChild('Duration');
  if (!selectorNode || !durationNode) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  const pipelines = node.getChildren('PipelineExpr');
  return {
    rangeMs: durationLiteral(text(query, durationNode), durationNode.from) / 1e6,
    query: {
      type: 'log',
      selector: selector(query, selectorNode),
      pipeline: pipelines.flatMap((p) => pipeline(query, p)),
    },
  };
}

function vectorAggregation(query: string, node: SyntaxNode): MetricQuery {
  const opNode = node.getChild('VectorOp');
  if (!opNode) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  if (opNode.firstChild?.name !== 'Sum')
    throw unsupported('LogQL', `aggregation '${text(query, opNode)}'`, opNode.from);
  const parameter = node.getChild('Number');
  if (parameter) throw unsupported('LogQL', 'parameter of sum', parameter.from);
  const innerNode = node.getChild('MetricExpr');
  if (!innerNode) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  const inner = metricExpression(query, innerNode);
  if (inner.type !== 'rangeAggregation' && inner.type !== 'vectorAggregation') {
    throw unsupported('LogQL', 'sum over a constant', innerNode.from);
  }
  const groupingNode = node.getChild('Grouping');
  return {
    type: 'vectorAggregation',
    op: 'sum',
    grouping: groupingNode ? grouping(query, groupingNode) : null,
    expr: inner,
  };
}

function grouping(query: string, node: SyntaxNode): Grouping {
  const mode = node.getChild('Without') ? 'without' : 'by';
  const labels = node.getChild('Labels');
  return { mode, labels: labels ? flatten(labels, 'Labels').map((label) => text(query, label)) : [] };
}

// The grammar ranks `+` above `*` (`1 + 2 * 3` parses as `(1 + 2) * 3`), so a chain of binary operations
// is flattened back into operands and operators and re-parsed with PromQL's precedence: `^` (right
// associative), then `* / %`, then `+ -`.
function binary(query: string, node: SyntaxNode): MetricQuery {
  const tokens = binaryTokens(query, node);
  let index = 0;
  const operand = (): MetricQuery => {
    const token = tokens[index++];
    if (token?.kind !== 'operand') throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
    return token.expr;
  };
  const peek = (ops: readonly string[]) => {
    const token = tokens[index];
    return token?.kind === 'op' && ops.includes(token.op) ? token.op : null;
  };
  const power = (): MetricQuery => {
    const left = operand();
    if (!peek(['^'])) return left;
    index++;
    return { type: 'binary', op: '^', left, right: power() };
  };
  const level = (ops: readonly ArithmeticOperator[], next: () => MetricQuery) => (): MetricQuery => {
    let left = next();
    for (let op = peek(ops); op; op = peek(ops)) {
      index++;
      left = { type: 'binary', op: op as ArithmeticOperator, left, right: next() };
    }
    return left;
  };
  return level(['+', '-'], level(['*', '/', '%'], power))();
}

type BinaryToken = { kind: 'operand'; expr: MetricQuery } | { kind: 'op'; op: ArithmeticOperator };

function binaryTokens(query: string, node: SyntaxNode): BinaryToken[] {
  const [leftNode, opNode, modifier, rightNode] = children(node);
  if (!leftNode || !opNode || !rightNode) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  const op = ARITHMETIC[opNode.name];
  if (!op) throw unsupported('LogQL', `binary operator '${text(query, opNode)}'`, opNode.from);
  if (modifier && modifier.name === 'BinOpModifier' && modifier.to > modifier.from) {
    throw unsupported('LogQL', `binary operator modifier '${text(query, modifier)}'`, modifier.from);
  }
  const side = (expr: SyntaxNode): BinaryToken[] => {
    const nested = unparenthesisedBinary(expr);
    if (nested) return binaryTokens(query, nested);
    const operand = expressionOperand(query, expr);
    if (!isConstant(operand)) {
      throw unsupported(
        'LogQL',
        `binary operator '${op}' between queries (only between constants such as vector(1)+vector(1))`,
        opNode.from,
      );
    }
    return [{ kind: 'operand', expr: operand }];
  };
  return [...side(leftNode), { kind: 'op', op }, ...side(rightNode)];
}

/** The BinOpExpr directly under an Expr operand, unless it is in parentheses (then it is one operand). */
function unparenthesisedBinary(expr: SyntaxNode): SyntaxNode | null {
  const metric = expr.name === 'MetricExpr' ? expr : expr.getChild('MetricExpr');
  const only = metric?.firstChild;
  return only?.name === 'BinOpExpr' && only.from === metric?.from ? only : null;
}

function expressionOperand(query: string, node: SyntaxNode): MetricQuery {
  const metric = node.name === 'MetricExpr' ? node : node.getChild('MetricExpr');
  if (!metric)
    throw unsupported('LogQL', `log query '${text(query, node).trim()}' in a binary operation`, node.from);
  return metricExpression(query, metric);
}

function isConstant(expr: MetricQuery): boolean {
  if (expr.type === 'vector' || expr.type === 'literal') return true;
  return expr.type === 'binary' && isConstant(expr.left) && isConstant(expr.right);
}

function signedNumber(query: string, node: SyntaxNode): number {
  const value = node.getChild('Number');
  if (!value) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  const magnitude = numberLiteral(text(query, value), value.from);
  return node.getChild('Sub') ? -magnitude : magnitude;
}
