// Log queries: the stream selector `{...}` and the pipeline stages after it.
import { compileGoRegex } from '../go-regex.ts';
import { children, type SyntaxNode, text } from '../lezer-tree.ts';
import { invalid, unsupported } from '../query-error.ts';
import type {
  DropLabel,
  LabelMatcher,
  LineFilter,
  LineFilterOperator,
  LogQuery,
  MatchOperator,
  PipelineStage,
} from './ast.ts';
import { unsupportedTemplateAction } from './line-format.ts';
import { stringLiteral } from './literals.ts';
import { labelFilter } from './parse-label-filter.ts';

const MATCH_OPERATORS: Record<string, MatchOperator> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };
const LINE_FILTER_OPERATORS: Record<string, LineFilterOperator> = {
  PipeExact: '|=',
  Neq: '!=',
  PipeMatch: '|~',
  Nre: '!~',
};

/** A LogExpr node: `{...}`, `{...} | ...`, or either in parentheses. */
export function logExpression(query: string, node: SyntaxNode): LogQuery {
  const inner = node.getChild('LogExpr');
  if (inner) return logExpression(query, inner);
  const selectorNode = node.getChild('Selector');
  if (!selectorNode) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  const pipelineNode = node.getChild('PipelineExpr');
  return {
    type: 'log',
    selector: selector(query, selectorNode),
    pipeline: pipelineNode ? pipeline(query, pipelineNode) : [],
  };
}

export function selector(query: string, node: SyntaxNode): LabelMatcher[] {
  const matchersNode = node.getChild('Matchers');
  const matchers = matchersNode ? flatten(matchersNode, 'Matchers').map((m) => matcher(query, m)) : [];
  // Loki refuses selectors that would select every stream; so do we, with its explanation.
  if (!matchers.some((m) => !matchesEmpty(m))) {
    throw invalid(
      'LogQL',
      'queries require at least one regexp or equality matcher that does not have an empty-compatible value ' +
        '(app=~".*" does not meet this requirement, but app=~".+" will)',
      node.from,
    );
  }
  return matchers;
}

export function matcher(query: string, node: SyntaxNode): LabelMatcher {
  const [name, op, value] = children(node);
  const operator = op ? MATCH_OPERATORS[op.name] : undefined;
  if (!name || !operator || !value) throw unsupported('LogQL', `matcher '${text(query, node)}'`, node.from);
  const result = {
    name: text(query, name),
    op: operator,
    value: stringLiteral(text(query, value), value.from),
  };
  if (operator === '=~' || operator === '!~') checkRegex(result.value, 'anchored-dotall', value.from);
  return result;
}

function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return compileGoRegex(m.value, 'anchored-dotall').test('');
    case '!~':
      return !compileGoRegex(m.value, 'anchored-dotall').test('');
  }
}

/** A PipelineExpr node (left-recursive in the grammar) to its stages in order. */
export function pipeline(query: string, node: SyntaxNode): PipelineStage[] {
  return flatten(node, 'PipelineExpr').flatMap((stageNode) => stage(query, stageNode));
}

function stage(query: string, node: SyntaxNode): PipelineStage[] {
  const body = children(node).find((part) => part.name !== 'Pipe');
  if (!body) throw unsupported('LogQL', `'${text(query, node)}'`, node.from);
  switch (body.name) {
    case 'LineFilters':
      return lineFilters(query, body);
    case 'LabelParser': {
      const kind = body.firstChild;
      if (kind?.name === 'Json') return [{ type: 'json' }];
      throw unsupported('LogQL', `parser '${text(query, kind ?? body)}'`, body.from);
    }
    case 'LogfmtParser': {
      const flags = body.getChild('LogfmtParserFlags');
      const flagTexts = flags ? flatten(flags, 'LogfmtParserFlags').map((flag) => text(query, flag)) : [];
      return [
        {
          type: 'logfmt',
          strict: flagTexts.includes('--strict'),
          keepEmpty: flagTexts.includes('--keep-empty'),
        },
      ];
    }
    case 'JsonExpressionParser':
      throw unsupported('LogQL', 'json parser with extraction expressions', body.from);
    case 'LogfmtExpressionParser':
      throw unsupported('LogQL', 'logfmt parser with extraction expressions', body.from);
    case 'LabelFilter':
      return [{ type: 'labelFilter', filter: labelFilter(query, body) }];
    case 'LineFormatExpr':
      return [lineFormat(query, body)];
    case 'DropLabelsExpr':
      return [{ type: 'drop', labels: dropLabels(query, body) }];
    case 'LabelFormatExpr':
      throw unsupported('LogQL', 'label_format', body.from);
    case 'DecolorizeExpr':
      throw unsupported('LogQL', 'decolorize', body.from);
    case 'KeepLabelsExpr':
      throw unsupported('LogQL', 'keep', body.from);
    default:
      throw unsupported('LogQL', `pipeline stage '${text(query, body)}'`, body.from);
  }
}

function lineFilters(query: string, node: SyntaxNode): LineFilter[] {
  const filters: LineFilter[] = [];
  for (const part of children(node)) {
    if (part.name === 'LineFilters') filters.push(...lineFilters(query, part));
    else if (part.name === 'LineFilter') filters.push(lineFilter(query, part));
    else if (part.name === 'OrFilter') {
      const last = filters.at(-1);
      if (last) last.values.push(...orFilterValues(query, part, last.op));
    }
  }
  return filters;
}

function lineFilter(query: string, node: SyntaxNode): LineFilter {
  const filterNode = node.getChild('Filter');
  const opNode = filterNode?.firstChild;
  if (!filterNode || !opNode) throw unsupported('LogQL', `line filter '${text(query, node)}'`, node.from);
  const op = LINE_FILTER_OPERATORS[opNode.name];
  if (!op) throw unsupported('LogQL', `pattern line filter '${text(query, opNode)}'`, opNode.from);
  const ip = node.getChild('FilterOp');
  if (ip) throw unsupported('LogQL', 'ip() line filter', ip.from);
  const values: string[] = [];
  for (const part of children(node)) {
    if (part.name === 'String') values.push(lineFilterValue(query, part, op));
    else if (part.name === 'OrFilter') values.push(...orFilterValues(query, part, op));
  }
  return { type: 'lineFilter', op, values };
}

function lineFilterValue(query: string, node: SyntaxNode, op: LineFilterOperator): string {
  const value = stringLiteral(text(query, node), node.from);
  if (op === '|~' || op === '!~') checkRegex(value, 'search', node.from);
  return value;
}

function orFilterValues(query: string, node: SyntaxNode, op: LineFilterOperator): string[] {
  return children(node).flatMap((part) => {
    if (part.name === 'String') return [lineFilterValue(query, part, op)];
    if (part.name === 'OrFilter') return orFilterValues(query, part, op);
    if (part.name === 'FilterOp') throw unsupported('LogQL', 'ip() line filter', part.from);
    return [];
  });
}

function lineFormat(query: string, node: SyntaxNode): PipelineStage {
  const literal = node.getChild('String');
  if (!literal) throw unsupported('LogQL', 'line_format', node.from);
  const template = stringLiteral(text(query, literal), literal.from);
  const bad = unsupportedTemplateAction(template);
  if (bad)
    throw unsupported(
      'LogQL',
      `line_format template action '${bad.action}' (only {{.label}} is)`,
      literal.from,
    );
  return { type: 'lineFormat', template };
}

function dropLabels(query: string, node: SyntaxNode): DropLabel[] {
  const list = node.getChild('DropLabels');
  if (!list) return [];
  return flatten(list, 'DropLabels').map((label) => {
    const m = label.getChild('Matcher');
    if (m) return matcher(query, m);
    return { name: text(query, label) };
  });
}

function checkRegex(pattern: string, mode: 'anchored-dotall' | 'search', position: number): void {
  try {
    compileGoRegex(pattern, mode);
  } catch (error) {
    throw invalid(
      'LogQL',
      `bad regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`,
      position,
    );
  }
}

/** The items of a left-recursive list node (`List { Item | List "," Item }`), in order. */
export function flatten(node: SyntaxNode, listName: string): SyntaxNode[] {
  return children(node).flatMap((part) => (part.name === listName ? flatten(part, listName) : [part]));
}
