// LogQL text to our AST (ast.ts), through @grafana/lezer-logql. The grammar covers all of LogQL; this walk
// accepts the subset in ast.ts and names anything else in a QueryError ("unsupported LogQL: ...").
import { parser } from '@grafana/lezer-logql';
import { assertNoSyntaxError, type SyntaxNode, text } from '../lezer-tree.ts';
import { unsupported } from '../query-error.ts';
import type { LogQLQuery } from './ast.ts';
import { logExpression } from './parse-log-expression.ts';
import { metricExpression } from './parse-metric-expression.ts';

/** Parses a LogQL query. Throws QueryError for syntax errors and unsupported or invalid constructs. */
export function parseLogQL(query: string): LogQLQuery {
  const tree = parser.parse(query);
  assertNoSyntaxError('LogQL', query, tree);
  const expr = tree.topNode.getChild('Expr');
  if (!expr) throw unsupported('LogQL', 'query', 0);
  return expression(query, expr);
}

function expression(query: string, node: SyntaxNode): LogQLQuery {
  const log = node.getChild('LogExpr');
  if (log) return logExpression(query, log);
  const metric = node.getChild('MetricExpr');
  if (metric) return metricExpression(query, metric);
  throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
}
