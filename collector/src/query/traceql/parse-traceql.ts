// TraceQL text to our AST (ast.ts), through @grafana/lezer-traceql. The grammar covers all of TraceQL; this
// walk accepts the subset in ast.ts and names anything else in a QueryError ("unsupported TraceQL: ...").
import { parser } from '@grafana/lezer-traceql';
import { assertNoSyntaxError, children, type SyntaxNode, text } from '../lezer-tree.ts';
import { invalid, unsupported } from '../query-error.ts';
import type { NumericOperator, PipelineStage, SpansetExpression, TraceQLQuery } from './ast.ts';
import { condition, plainField } from './field-expressions.ts';

const STRUCTURAL_OPERATORS = new Set([
  '>>',
  '<<',
  '>',
  '<',
  '~',
  '!>>',
  '!<<',
  '!>',
  '!<',
  '!~',
  '&>>',
  '&<<',
  '&>',
  '&<',
  '&~',
]);
const NUMERIC_OPERATORS: readonly string[] = ['=', '!=', '>', '>=', '<', '<='];

/** Parses a TraceQL query. Throws QueryError for syntax errors and unsupported or invalid constructs. */
export function parseTraceQL(query: string): TraceQLQuery {
  const tree = parser.parse(query);
  assertNoSyntaxError('TraceQL', query, tree);
  const top = tree.topNode;
  const expression = top.getChild('SpansetPipelineExpression');
  if (!expression) throw unsupported('TraceQL', 'query', 0);
  const result = pipelineExpression(query, expression);
  const hint = top.getChild('WithHint');
  if (hint) result.mostRecent = mostRecentHint(query, hint);
  return result;
}

function pipelineExpression(query: string, node: SyntaxNode): TraceQLQuery {
  switch (node.name) {
    case 'SpansetFilter':
      return { spanset: spansetFilter(query, node), pipeline: [] };
    case 'SpansetPipelineExpression':
    case 'SpansetExpression':
    case 'WrappedSpansetPipeline':
    case 'SpansetPipeline':
      break;
    default:
      throw headError(query, node);
  }
  const parts = children(node);
  const first = parts[0];
  const last = parts.at(-1);
  if (!first || !last) throw unsupported('TraceQL', `'${text(query, node)}'`, node.from);
  if (parts.length === 1) return pipelineExpression(query, first);

  const { operator, position } = operatorBetween(query, first, last);
  if (operator === '|') {
    const head = pipelineExpression(query, first);
    head.pipeline.push(stage(query, last));
    return head;
  }
  if (operator === '&&' || operator === '||') {
    const left = pipelineExpression(query, first);
    const right = pipelineExpression(query, last);
    if (left.pipeline.length > 0 || right.pipeline.length > 0) {
      throw unsupported('TraceQL', `spanset operator '${operator}' between pipelines`, position);
    }
    const type = operator === '&&' ? 'spansetAnd' : 'spansetOr';
    return { spanset: { type, left: left.spanset, right: right.spanset }, pipeline: [] };
  }
  if (STRUCTURAL_OPERATORS.has(operator))
    throw unsupported('TraceQL', `structural operator '${operator}'`, position);
  throw unsupported('TraceQL', `operator '${operator}'`, position);
}

function spansetFilter(query: string, node: SyntaxNode): SpansetExpression & { type: 'filter' } {
  const inside = node.getChild('FieldExpression');
  return { type: 'filter', expr: inside ? condition(query, inside) : null };
}

function stage(query: string, node: SyntaxNode): PipelineStage {
  const parts = children(node);
  switch (node.name) {
    case 'SpansetPipelineExpression':
    case 'SpansetPipeline':
    case 'WrappedSpansetPipeline':
    case 'SpansetExpression': {
      const [only] = parts;
      if (parts.length === 1 && only) return stage(query, only);
      const { operator, position } = operatorBetween(query, parts[0] ?? node, parts.at(-1) ?? node);
      throw unsupported('TraceQL', `operator '${operator}' inside a pipeline stage`, position);
    }
    case 'SpansetFilter':
      return { type: 'filter', expr: spansetFilter(query, node).expr };
    case 'ScalarFilter':
      return countFilter(query, node);
    case 'SelectOperation': {
      const args = node.getChild('SelectArgs');
      const fields = args ? flattenSelectArgs(args).map((arg) => plainField(query, arg)) : [];
      return { type: 'select', fields };
    }
    default:
      throw stageError(query, node);
  }
}

/** `count() > 2`; the grammar's ScalarFilter also covers avg(), min(), ... and arithmetic. */
function countFilter(query: string, node: SyntaxNode): PipelineStage {
  const [left, op, right] = children(node);
  if (!left || !op || !right) throw unsupported('TraceQL', `'${text(query, node)}'`, node.from);
  const aggregate = onlyChild(left, 'Aggregate');
  if (!aggregate) throw unsupported('TraceQL', `scalar expression '${text(query, left).trim()}'`, left.from);
  const fn = aggregate.getChild('AggregateExpression');
  if (fn) throw unsupported('TraceQL', `aggregate '${text(query, fn)}()'`, aggregate.from);
  const operator = text(query, op);
  if (!NUMERIC_OPERATORS.includes(operator))
    throw invalid('TraceQL', `count() compared with '${operator}'`, op.from);
  return { type: 'count', op: operator as NumericOperator, value: scalarNumber(query, right) };
}

function scalarNumber(query: string, node: SyntaxNode): number {
  const raw = text(query, node).replaceAll(/\s+/g, '');
  const parts = children(node);
  const literal = parts.length === 1 ? parts[0] : undefined;
  if (literal && (literal.name === 'Integer' || literal.name === 'Float') && /^-?[\d.]+$/.test(raw))
    return Number(raw);
  if (literal?.name === 'Duration') throw invalid('TraceQL', 'count() compared with a duration', node.from);
  throw unsupported('TraceQL', `scalar expression '${text(query, node).trim()}'`, node.from);
}

function onlyChild(node: SyntaxNode, name: string): SyntaxNode | null {
  const parts = children(node);
  return parts.length === 1 && parts[0]?.name === name ? parts[0] : null;
}

function flattenSelectArgs(node: SyntaxNode): SyntaxNode[] {
  return children(node).flatMap((part) => (part.name === 'SelectArgs' ? flattenSelectArgs(part) : [part]));
}

function mostRecentHint(query: string, hint: SyntaxNode): boolean {
  const parameter = hint.getChild('HintParameters')?.getChild('HintParameter');
  const value = parameter?.getChild('HintValue');
  if (!parameter || !value) throw unsupported('TraceQL', `hint '${text(query, hint)}'`, hint.from);
  return text(query, value) === 'true';
}

/** The operator between two operand nodes: named (And, Pipe, Desc...) or not (`~`), comments removed. */
function operatorBetween(
  query: string,
  left: SyntaxNode,
  right: SyntaxNode,
): { operator: string; position: number } {
  const between = query.slice(left.to, right.from);
  const withoutComments = between.replaceAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (comment) =>
    ' '.repeat(comment.length),
  );
  const operator = withoutComments.trim();
  return { operator, position: left.to + withoutComments.indexOf(operator) };
}

function headError(query: string, node: SyntaxNode) {
  const metrics = metricsName(query, node);
  if (metrics) return unsupported('TraceQL', `metrics function '${metrics}'`, node.from);
  return invalid(
    'TraceQL',
    `a query must start with a spanset filter { ... }, not '${text(query, node).trim()}'`,
    node.from,
  );
}

function stageError(query: string, node: SyntaxNode) {
  const metrics = metricsName(query, node);
  if (metrics) return unsupported('TraceQL', `metrics function '${metrics}'`, node.from);
  if (node.name === 'GroupOperation') return unsupported('TraceQL', 'by() grouping', node.from);
  if (node.name === 'CoalesceOperation') return unsupported('TraceQL', 'coalesce()', node.from);
  return unsupported('TraceQL', `pipeline stage '${text(query, node).trim()}'`, node.from);
}

function metricsName(query: string, node: SyntaxNode): string | null {
  if (node.name !== 'MetricsOperation' && node.name !== 'MetricsAggregatorFunctions') return null;
  return text(query, node).split('(')[0]?.trim() ?? null;
}
