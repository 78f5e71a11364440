// PromQL text to the syntax tree of ast.ts: @prometheus-io/lezer-promql parses, this file reads its tree and
// applies the checks of Prometheus's own parser (promql/parser/parse.go checkAST) with its wording, so that a
// query Prometheus rejects is rejected here too, as bad_data.
import { parser } from '@prometheus-io/lezer-promql';
import type { LabelMatcher, MatchType } from '../../metrics/model.ts';
import { compileGoRegex } from '../go-regex.ts';
import { unquoteGoString } from '../go-string.ts';
import type { SyntaxNode } from '../lezer-tree.ts';
import {
  type AggregateOp,
  type AtModifier,
  type BinaryOp,
  type Expr,
  typeName,
  typeOf,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from './ast.ts';
import { parsePromDuration } from './duration.ts';
import { type PromQLError, parseError } from './errors.ts';
import { FUNCTIONS } from './functions.ts';

const AGGREGATE_OPS = new Set<string>([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
]);

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set<BinaryOp>(['and', 'or', 'unless']);

// Binding strength of the binary operators, loosest first (promql/parser/lex.go); `^` is right-associative.
const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '>': 3,
  '<': 3,
  '>=': 3,
  '<=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

interface PendingOperator {
  op: BinaryOp;
  returnBool: boolean;
  matching: VectorMatching | undefined;
  node: SyntaxNode;
}

/** Number literals written with a minus sign (`-2`), which `^` must not take as its base. */
const negativeLiterals = new WeakSet<Expr>();

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** Parses and type-checks a PromQL expression. Throws PromQLError (bad_data). */
export function parsePromQL(query: string): Expr {
  if (query.trim() === '') throw parseError(query, 0, 'no expression found in input');
  const tree = parser.parse(query);
  const error = firstErrorNode(tree.topNode);
  if (error) throw syntaxErrorAt(query, error);
  const top = childrenOf(tree.topNode);
  if (top.length !== 1 || !top[0]) throw parseError(query, 0, 'no expression found in input');
  const expr = new TreeReader(query).expr(top[0]);
  return expr;
}

function firstErrorNode(node: SyntaxNode): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  node.toTree().iterate({
    enter(ref) {
      if (found) return false;
      if (ref.type.isError) {
        found = ref.node;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

// An unknown function name makes the grammar fail at its "(": name it, as Prometheus does.
function syntaxErrorAt(query: string, error: SyntaxNode): PromQLError {
  const call = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(query.slice(0, error.from));
  if (
    call?.[1] &&
    query.charAt(nextNonSpace(query, error.from)) === '(' &&
    !KEYWORDS.has(call[1].toLowerCase())
  ) {
    const name = call[1];
    if (!FUNCTIONS[name] && !AGGREGATE_OPS.has(name)) {
      return parseError(query, call.index, `unknown function with name ${JSON.stringify(name)}`);
    }
  }
  const at = error.from === error.to ? nextNonSpace(query, error.from) : error.from;
  if (at >= query.length) return parseError(query, query.length, 'unexpected end of input');
  const token = /^[\p{L}\p{N}_:.]+/u.exec(query.slice(at))?.[0] ?? query.charAt(at);
  return parseError(query, at, `unexpected ${JSON.stringify(token)}`);
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

function nextNonSpace(query: string, from: number): number {
  let i = from;
  while (i < query.length && /\s/.test(query.charAt(i))) i++;
  return i;
}

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'LineComment') out.push(child);
  }
  return out;
}

class TreeReader {
  private readonly query: string;

  constructor(query: string) {
    this.query = query;
  }

  private text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  private fail(node: { from: number }, detail: string): PromQLError {
    return parseError(this.query, node.from, detail);
  }

  expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', value: this.number(node) };
      case 'StringLiteral':
        return { kind: 'string', value: this.string(node) };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.matrixSelector(node);
      case 'SubqueryExpr':
        return this.subquery(node);
      case 'OffsetExpr':
        return this.offset(node);
      case 'StepInvariantExpr':
        return this.at(node);
      case 'ParenExpr':
        return { kind: 'paren', expr: this.expr(this.only(node)) };
      case 'UnaryExpr':
        return this.unary(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      default:
        throw this.fail(node, `unsupported expression ${JSON.stringify(this.text(node))}`);
    }
  }

  private only(node: SyntaxNode): SyntaxNode {
    const kids = childrenOf(node);
    const first = kids[0];
    if (kids.length !== 1 || !first) throw this.fail(node, `unexpected ${JSON.stringify(this.text(node))}`);
    return first;
  }

  private number(node: SyntaxNode): number {
    const text = this.text(node).replace(/\s+/g, '');
    const value = parseNumber(text);
    if (value === null) throw this.fail(node, `bad number or duration syntax: ${JSON.stringify(text)}`);
    return value;
  }

  private string(node: SyntaxNode): string {
    try {
      return unquoteGoString(this.text(node));
    } catch (error) {
      throw this.fail(node, (error as Error).message);
    }
  }

  private duration(node: SyntaxNode): number {
    const text = this.text(node);
    if (node.name !== 'DurationExpr' && node.name !== 'OffsetDurationExpr') {
      throw this.fail(node, `unexpected ${JSON.stringify(text)}, expected a duration`);
    }
    const kids = childrenOf(node);
    if (kids.length === 2 && kids[0]?.name === 'UnaryOp' && kids[1]) {
      const sign = this.text(kids[0]) === '-' ? -1 : 1;
      return sign * this.duration(kids[1]);
    }
    const literal = kids[0];
    if (kids.length !== 1 || !literal || !literal.name.startsWith('NumberDurationLiteral')) {
      throw this.fail(node, `unsupported duration expression ${JSON.stringify(text)}`);
    }
    const ms = parsePromDuration(this.text(literal));
    if (ms === null)
      throw this.fail(literal, `bad number or duration syntax: ${JSON.stringify(this.text(literal))}`);
    return ms;
  }

  private vectorSelector(node: SyntaxNode): VectorSelector {
    let name: string | undefined;
    const matchers: LabelMatcher[] = [];
    for (const child of childrenOf(node)) {
      if (child.name === 'Identifier') name = this.text(child);
      else if (child.name === 'LabelMatchers') {
        for (const matcher of childrenOf(child)) matchers.push(...this.matcher(matcher, name));
      }
    }
    const nameMatchers = matchers.filter((m) => m.name === '__name__');
    if (name !== undefined) {
      if (nameMatchers.length > 0) {
        const other = nameMatchers[0]?.value ?? '';
        throw this.fail(
          node,
          `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(other)}`,
        );
      }
      matchers.unshift({ name: '__name__', type: '=', value: name });
    }
    for (const matcher of matchers) {
      if (matcher.type === '=~' || matcher.type === '!~') {
        try {
          compileGoRegex(matcher.value, 'anchored-dotall');
        } catch (error) {
          throw this.fail(
            node,
            `invalid regular expression ${JSON.stringify(matcher.value)}: ${(error as Error).message}`,
          );
        }
      }
    }
    if (!matchers.some((m) => !matchesEmpty(m))) {
      throw this.fail(node, 'vector selector must contain at least one non-empty matcher');
    }
    return { kind: 'vectorSelector', name, matchers, offsetMs: 0, at: undefined };
  }

  private matcher(node: SyntaxNode, metricName: string | undefined): LabelMatcher[] {
    const kids = childrenOf(node);
    if (node.name === 'QuotedLabelName') {
      // `{"metric"}`: the metric name in braces (Prometheus 3's UTF-8 names).
      const value = this.string(this.only(node));
      if (metricName !== undefined) {
        throw this.fail(
          node,
          `metric name must not be set twice: ${JSON.stringify(metricName)} or ${JSON.stringify(value)}`,
        );
      }
      return [{ name: '__name__', type: '=', value }];
    }
    const [label, op, value] = kids;
    if (!label || !op || !value)
      throw this.fail(node, `bad label matcher ${JSON.stringify(this.text(node))}`);
    const name = label.name === 'StringLiteral' ? this.string(label) : this.text(label);
    const opName = op.firstChild?.name ?? '';
    const type = MATCH_OPS[opName];
    if (!type) throw this.fail(op, `unexpected ${JSON.stringify(this.text(op))} in label matching`);
    return [{ name, type, value: this.string(value) }];
  }

  private matrixSelector(node: SyntaxNode): Expr {
    const [selector, range] = childrenOf(node);
    if (!selector || !range) throw this.fail(node, 'bad range selector');
    const inner = this.expr(selector);
    if (inner.kind !== 'vectorSelector') {
      throw this.fail(node, 'ranges only allowed for vector selectors');
    }
    if (inner.offsetMs !== 0 || inner.at) {
      throw this.fail(node, 'no offset or @ modifiers allowed before range');
    }
    const rangeMs = this.duration(range);
    if (rangeMs <= 0) throw this.fail(range, `duration must be greater than 0`);
    return { kind: 'matrixSelector', selector: inner, rangeMs };
  }

  private subquery(node: SyntaxNode): Expr {
    const [inner, range, step] = childrenOf(node);
    if (!inner || !range) throw this.fail(node, 'bad subquery');
    const expr = this.expr(inner);
    const type = typeOf(expr);
    if (type !== 'vector') {
      throw this.fail(node, `subquery is only allowed on instant vector, got ${typeName(type)} instead`);
    }
    const rangeMs = this.duration(range);
    if (rangeMs <= 0) throw this.fail(range, 'duration must be greater than 0');
    const stepMs = step ? this.duration(step) : 0;
    if (step && stepMs <= 0) throw this.fail(step, 'duration must be greater than 0');
    return { kind: 'subquery', expr, rangeMs, stepMs, offsetMs: 0, at: undefined };
  }

  private offset(node: SyntaxNode, operand?: Expr): Expr {
    const kids = childrenOf(node);
    const inner = kids[0];
    const amount = kids[kids.length - 1];
    if (!inner || !amount) throw this.fail(node, 'bad offset');
    const expr = operand ?? this.expr(inner);
    const target = modifiable(rightmost(expr));
    if (!target) {
      throw this.fail(
        node,
        'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    if (target.offsetMs !== 0) throw this.fail(node, 'offset may not be set multiple times');
    target.offsetMs = this.duration(amount);
    return expr;
  }

  private at(node: SyntaxNode, operand?: Expr): Expr {
    const kids = childrenOf(node);
    const inner = kids[0];
    const value = kids[kids.length - 1];
    if (!inner || !value) throw this.fail(node, 'bad @ modifier');
    const expr = operand ?? this.expr(inner);
    const target = modifiable(rightmost(expr));
    if (!target) {
      throw this.fail(
        node,
        '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    if (target.at) throw this.fail(node, '@ <timestamp> may not be set multiple times');
    let at: AtModifier;
    if (value.name === 'AtModifierPreprocessors') {
      at = value.firstChild?.name === 'AtEnd' ? { kind: 'end' } : { kind: 'start' };
    } else {
      const seconds = this.number(value);
      if (!Number.isFinite(seconds))
        throw this.fail(value, `timestamp out of bounds for @ modifier: ${seconds}`);
      at = { kind: 'time', ms: Math.round(seconds * 1000) };
    }
    target.at = at;
    return expr;
  }

  private unary(node: SyntaxNode): Expr {
    const [op, operand] = childrenOf(node);
    if (!op || !operand) throw this.fail(node, 'bad unary expression');
    const expr = this.expr(operand);
    const type = typeOf(expr);
    if (type !== 'scalar' && type !== 'vector') {
      throw this.fail(
        node,
        `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(typeName(type))}`,
      );
    }
    const sign = this.text(op) === '-' ? '-' : '+';
    if (expr.kind === 'number') return { kind: 'number', value: sign === '-' ? -expr.value : expr.value };
    return { kind: 'unary', op: sign, expr };
  }

  // A chain of binary operators is flattened and rebuilt by precedence here, rather than taken from the
  // grammar's tree: the grammar lets `offset` and `@` bind looser than the operators (`a or b offset 1h == 1`
  // comes out as `((a or b) offset 1h) == 1`), where in PromQL they are postfix modifiers of the selector just
  // before them, and it reads `-2 ^ 2` as (-2) ^ 2 where PromQL's unary minus binds looser than `^`.
  private binary(node: SyntaxNode): Expr {
    const operands: Expr[] = [];
    const operators: PendingOperator[] = [];
    this.flatten(node, operands, operators);
    let position = 0;
    const climb = (minPrecedence: number): Expr => {
      let lhs = operands[position] as Expr;
      while (position < operators.length) {
        const operator = operators[position] as PendingOperator;
        const precedence = PRECEDENCE[operator.op];
        if (precedence < minPrecedence) break;
        position++;
        const rhs = climb(operator.op === '^' ? precedence : precedence + 1);
        lhs = this.combine(operator, lhs, rhs);
      }
      return lhs;
    };
    const expr = climb(0);
    if (position !== operators.length) throw this.fail(node, 'bad binary expression');
    return expr;
  }

  private flatten(node: SyntaxNode, operands: Expr[], operators: PendingOperator[]): void {
    if (node.name === 'BinaryExpr') {
      const kids = childrenOf(node);
      const lhsNode = kids[0];
      const opNode = kids[1];
      const rhsNode = kids[kids.length - 1];
      if (!lhsNode || !opNode || !rhsNode || kids.length < 3) throw this.fail(node, 'bad binary expression');
      const op = BINARY_OPS[opNode.name];
      if (!op) throw this.fail(opNode, `unsupported operator ${JSON.stringify(this.text(opNode))}`);
      let returnBool = false;
      let matching: VectorMatching | undefined;
      for (const modifier of kids.slice(2, -1)) {
        if (modifier.name === 'BoolModifier') returnBool = true;
        else if (modifier.name === 'MatchingModifierClause') matching = this.matching(modifier);
        else
          throw this.fail(
            modifier,
            `unsupported binary operator modifier ${JSON.stringify(this.text(modifier))}`,
          );
      }
      this.flatten(lhsNode, operands, operators);
      operators.push({ op, returnBool, matching, node });
      this.flatten(rhsNode, operands, operators);
      return;
    }
    if ((node.name === 'OffsetExpr' || node.name === 'StepInvariantExpr') && this.wrapsBinary(node)) {
      const kids = childrenOf(node);
      this.flatten(kids[0] as SyntaxNode, operands, operators);
      const last = operands.length - 1;
      const single: Expr[] = [operands[last] as Expr];
      operands[last] = node.name === 'OffsetExpr' ? this.offset(node, single[0]) : this.at(node, single[0]);
      return;
    }
    const expr = this.expr(node);
    if (expr.kind === 'number' && expr.value < 0 && /^\s*-/.test(this.text(node))) negativeLiterals.add(expr);
    operands.push(expr);
  }

  /** An offset or @ whose operand (through nested modifiers) is a binary expression. */
  private wrapsBinary(node: SyntaxNode): boolean {
    let inner: SyntaxNode | undefined = childrenOf(node)[0];
    while (inner && (inner.name === 'OffsetExpr' || inner.name === 'StepInvariantExpr'))
      inner = childrenOf(inner)[0];
    return inner?.name === 'BinaryExpr';
  }

  private combine(operator: PendingOperator, lhs: Expr, rhs: Expr): Expr {
    const { op, node } = operator;
    if (op === '^' && lhs.kind === 'number' && negativeLiterals.has(lhs)) {
      const positive: Expr = { kind: 'number', value: -lhs.value };
      return { kind: 'unary', op: '-', expr: this.combine(operator, positive, rhs) };
    }
    const returnBool = operator.returnBool;
    let matching = operator.matching ? { ...operator.matching } : undefined;
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    const operandOk = (t: ValueType) => t === 'scalar' || t === 'vector';
    if (!operandOk(lt) || !operandOk(rt)) {
      throw this.fail(node, 'binary expression must contain only scalar and instant vector types');
    }
    if (returnBool && !COMPARISONS.has(op)) {
      throw this.fail(node, 'bool modifier can only be used on comparison operators');
    }
    if (COMPARISONS.has(op) && lt === 'scalar' && rt === 'scalar' && !returnBool) {
      throw this.fail(node, 'comparisons between scalars must use BOOL modifier');
    }
    if (SET_OPS.has(op)) {
      if (lt === 'scalar' || rt === 'scalar') {
        throw this.fail(node, `set operator ${JSON.stringify(op)} not allowed in binary scalar expression`);
      }
      if (matching && matching.card !== 'one-to-one' && matching.card !== 'many-to-many') {
        throw this.fail(node, `no grouping allowed for ${JSON.stringify(op)} operation`);
      }
    }
    if (matching && (lt !== 'vector' || rt !== 'vector')) {
      throw this.fail(node, 'vector matching only allowed between instant vectors');
    }
    if (lt === 'vector' && rt === 'vector') {
      matching ??= { card: 'one-to-one', on: false, labels: [], include: [] };
      if (SET_OPS.has(op)) matching.card = 'many-to-many';
      const current = matching;
      if (current.card === 'many-to-one' || current.card === 'one-to-many') {
        const overlap = current.include.find((label) => current.on && current.labels.includes(label));
        if (overlap !== undefined) {
          throw this.fail(
            node,
            `label ${JSON.stringify(overlap)} must not occur in ON and GROUP clause at once`,
          );
        }
      }
    } else {
      matching = undefined;
    }
    return { kind: 'binary', op, lhs, rhs, returnBool, matching };
  }

  private matching(node: SyntaxNode): VectorMatching {
    const kids = childrenOf(node);
    const result: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [] };
    let seenGroup = false;
    for (const kid of kids) {
      switch (kid.name) {
        case 'On':
          result.on = true;
          break;
        case 'Ignoring':
          result.on = false;
          break;
        case 'GroupLeft':
          result.card = 'many-to-one';
          seenGroup = true;
          break;
        case 'GroupRight':
          result.card = 'one-to-many';
          seenGroup = true;
          break;
        case 'GroupingLabels':
          if (seenGroup) result.include = this.labelList(kid);
          else result.labels = this.labelList(kid);
          break;
        default:
          throw this.fail(kid, `unexpected ${JSON.stringify(this.text(kid))} in vector matching`);
      }
    }
    return result;
  }

  private labelList(node: SyntaxNode): string[] {
    return childrenOf(node).map((label) =>
      label.name === 'QuotedLabelName' ? this.string(this.only(label)) : this.text(label),
    );
  }

  private call(node: SyntaxNode): Expr {
    const [identifier, body] = childrenOf(node);
    if (!identifier || !body) throw this.fail(node, 'bad function call');
    const name = this.text(identifier);
    const signature = FUNCTIONS[name];
    if (!signature) {
      throw this.fail(identifier, `function ${JSON.stringify(name)} is not supported by this engine`);
    }
    const args = childrenOf(body).map((arg) => this.expr(arg));
    const required =
      signature.optional === -1 ? signature.args.length : signature.args.length - signature.optional;
    const max = signature.optional === -1 ? Number.POSITIVE_INFINITY : signature.args.length;
    if (args.length < required || args.length > max) {
      const expected = signature.optional === 0 ? `${signature.args.length}` : `at least ${required}`;
      const detail =
        signature.optional > 0 && args.length > max
          ? `expected at most ${max} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`
          : `expected ${expected} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`;
      throw this.fail(node, detail);
    }
    args.forEach((arg, i) => {
      const expected = signature.args[Math.min(i, signature.args.length - 1)] ?? 'vector';
      this.expectType(arg, expected, `call to function ${JSON.stringify(name)}`, node);
    });
    return { kind: 'call', name, args };
  }

  private aggregate(node: SyntaxNode): Expr {
    let op: AggregateOp | undefined;
    let grouping: string[] = [];
    let without = false;
    let args: Expr[] = [];
    for (const kid of childrenOf(node)) {
      if (kid.name === 'AggregateOp') {
        const name = this.text(kid).toLowerCase();
        if (!AGGREGATE_OPS.has(name)) {
          throw this.fail(kid, `aggregation ${JSON.stringify(name)} is not supported by this engine`);
        }
        op = name as AggregateOp;
      } else if (kid.name === 'AggregateModifier') {
        for (const part of childrenOf(kid)) {
          if (part.name === 'Without') without = true;
          else if (part.name === 'GroupingLabels') grouping = this.labelList(part);
        }
      } else if (kid.name === 'FunctionCallBody') {
        args = childrenOf(kid).map((arg) => this.expr(arg));
      }
    }
    if (!op) throw this.fail(node, 'bad aggregation');
    const takesParam = op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values';
    const expected = takesParam ? 2 : 1;
    if (args.length !== expected) {
      throw this.fail(
        node,
        `wrong number of arguments for aggregate expression provided, expected ${expected}, got ${args.length}`,
      );
    }
    const expr = args[args.length - 1] as Expr;
    const param = takesParam ? args[0] : undefined;
    this.expectType(expr, 'vector', 'aggregation expression', node);
    if (param) {
      this.expectType(param, op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter', node);
    }
    return { kind: 'aggregate', op, param, expr, grouping, without };
  }

  private expectType(expr: Expr, expected: ValueType, context: string, node: SyntaxNode): void {
    const actual = typeOf(expr);
    if (actual !== expected) {
      throw this.fail(node, `expected type ${typeName(expected)} in ${context}, got ${typeName(actual)}`);
    }
  }
}

// The grammar lets `offset` and `@` bind looser than binary and unary operators (`a or b offset 1h` comes out
// as `(a or b) offset 1h`); in PromQL they are postfix modifiers of the selector just before them.
function rightmost(expr: Expr): Expr {
  if (expr.kind === 'binary') return rightmost(expr.rhs);
  if (expr.kind === 'unary') return rightmost(expr.expr);
  return expr;
}

/** The selector or subquery an `offset` or `@` applies to (through parentheses), or null. */
function modifiable(expr: Expr): { offsetMs: number; at: AtModifier | undefined } | null {
  switch (expr.kind) {
    case 'vectorSelector':
    case 'subquery':
      return expr;
    case 'matrixSelector':
      return expr.selector;
    default:
      return null;
  }
}

function matchesEmpty(matcher: LabelMatcher): boolean {
  switch (matcher.type) {
    case '=':
      return matcher.value === '';
    case '!=':
      return matcher.value !== '';
    case '=~':
      return compileGoRegex(matcher.value, 'anchored-dotall').test('');
    case '!~':
      return !compileGoRegex(matcher.value, 'anchored-dotall').test('');
  }
}

/** A PromQL number: decimal or hex, Inf, NaN (any case), or a duration, which counts as seconds. */
export function parseNumber(text: string): number | null {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  if (/^inf(inity)?$/i.test(body)) return sign * Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(body)) return Number.NaN;
  if (/^0x[0-9a-f]+$/i.test(body)) return sign * Number.parseInt(body.slice(2), 16);
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(body)) return sign * Number(body);
  const ms = parsePromDuration(body);
  return ms === null ? null : (sign * ms) / 1000;
}
