// The grammar's FieldExpression (the inside of `{ ... }`) to our FieldExpression, with type checks.
//
// The lezer grammar gives its prefix operators the lowest precedence, so `.a = -3 && .b = 1` comes out as
// `.a = -(3 && .b = 1)` and `!(.a = 1) && .b = 2` as `!((.a = 1) && .b = 2)`. So the tree is flattened back
// into its token sequence (operands, parenthesised groups, operators) and re-parsed here with TraceQL's
// precedence: unary `-` `!` > comparisons > `&&` > `||`. The grammar also covers arithmetic and
// field-to-field comparisons; everything but boolean combinations of `field op literal` is unsupported.
import { children, type SyntaxNode, text } from '../lezer-tree.ts';
import { invalid, unsupported } from '../query-error.ts';
import type { ComparisonOperator, Field, FieldExpression, StaticValue } from './ast.ts';
import { checkComparison } from './comparison-rules.ts';
import { attributeField, intrinsicField } from './fields.ts';
import { negate, staticValue } from './statics.ts';

type Token =
  | { kind: 'leaf'; node: SyntaxNode }
  | { kind: 'group'; tokens: Token[]; from: number; to: number }
  | { kind: 'op'; op: string; from: number };

/** What a (sub)expression denotes while it is being converted. */
type Operand =
  | { kind: 'condition'; expr: FieldExpression; from: number }
  | { kind: 'field'; field: Field; from: number }
  | { kind: 'static'; value: StaticValue; from: number };

const COMPARISON_OPS: readonly string[] = ['=', '!=', '=~', '!~', '>', '>=', '<', '<='];
const MIRRORED: Record<string, ComparisonOperator> = {
  '>': '<',
  '>=': '<=',
  '<': '>',
  '<=': '>=',
  '=': '=',
  '!=': '!=',
};

/** Converts the FieldExpression inside `{ }`: it must be a condition. */
export function condition(query: string, node: SyntaxNode): FieldExpression {
  return asCondition(query, new TokenReader(query, flatten(query, node)).expression(), node);
}

/** Converts a FieldExpression that must be a plain field, as in select(...). */
export function plainField(query: string, node: SyntaxNode): Field {
  const operand = new TokenReader(query, flatten(query, node)).expression();
  if (operand.kind === 'field') return operand.field;
  throw unsupported(
    'TraceQL',
    `expression '${text(query, node).trim()}' where a field is expected`,
    node.from,
  );
}

function asCondition(query: string, operand: Operand, node: { from: number; to: number }): FieldExpression {
  if (operand.kind === 'condition') return operand.expr;
  const what = operand.kind === 'field' ? 'a field' : 'a value';
  throw unsupported(
    'TraceQL',
    `${what} on its own ('${text(query, node).trim()}'), compare it with a value`,
    operand.from,
  );
}

function flatten(query: string, node: SyntaxNode): Token[] {
  if (node.name !== 'FieldExpression') return [{ kind: 'leaf', node }];
  const parts = children(node);
  const [first] = parts;
  if (!first) return [{ kind: 'leaf', node }];
  if (parts.length === 1) {
    const prefix = query.slice(node.from, first.from).trim();
    if (prefix === '') return flatten(query, first);
    if (prefix === '(')
      return [{ kind: 'group', tokens: flatten(query, first), from: node.from, to: node.to }];
    return [{ kind: 'op', op: prefix, from: node.from }, ...flatten(query, first)];
  }
  const tokens: Token[] = [];
  for (const part of parts) {
    if (part.name === 'FieldOp' || part.name === 'And' || part.name === 'Or') {
      tokens.push({ kind: 'op', op: text(query, part), from: part.from });
    } else {
      tokens.push(...flatten(query, part));
    }
  }
  return tokens;
}

/** Precedence climbing over a token sequence. */
class TokenReader {
  private readonly query: string;
  private readonly tokens: Token[];
  private index = 0;

  constructor(query: string, tokens: Token[]) {
    this.query = query;
    this.tokens = tokens;
  }

  expression(): Operand {
    const result = this.or();
    const extra = this.tokens[this.index];
    if (extra) throw unsupported('TraceQL', `'${this.describeToken(extra)}' here`, tokenFrom(extra));
    return result;
  }

  private or(): Operand {
    let left = this.and();
    while (this.peekOp('||')) {
      this.index++;
      const right = this.and();
      left = this.combine('or', left, right);
    }
    return left;
  }

  private and(): Operand {
    let left = this.comparison();
    while (this.peekOp('&&')) {
      this.index++;
      const right = this.comparison();
      left = this.combine('and', left, right);
    }
    return left;
  }

  private comparison(): Operand {
    const left = this.unary();
    const next = this.tokens[this.index];
    if (next?.kind !== 'op' || next.op === '&&' || next.op === '||') return left;
    if (!COMPARISON_OPS.includes(next.op)) {
      const what = next.op === '~' ? 'operator' : 'arithmetic operator';
      throw unsupported('TraceQL', `${what} '${next.op}' in a filter`, next.from);
    }
    this.index++;
    const right = this.unary();
    const after = this.tokens[this.index];
    if (after?.kind === 'op' && after.op !== '&&' && after.op !== '||') {
      if (COMPARISON_OPS.includes(after.op))
        throw unsupported('TraceQL', `chained comparison '${after.op}'`, after.from);
      throw unsupported('TraceQL', `arithmetic operator '${after.op}' in a filter`, after.from);
    }
    return this.compare(left, next.op as ComparisonOperator, right, next.from);
  }

  private unary(): Operand {
    const token = this.tokens[this.index++];
    if (!token) throw unsupported('TraceQL', 'incomplete expression', this.query.length);
    if (token.kind === 'leaf') return leafOperand(this.query, token.node);
    if (token.kind === 'group') return new TokenReader(this.query, token.tokens).expression();
    const operand = this.unary();
    if (token.op === '!') {
      return { kind: 'condition', expr: { type: 'not', expr: this.condition(operand) }, from: token.from };
    }
    if (token.op === '-') {
      const negated = operand.kind === 'static' ? negate(operand.value) : null;
      if (negated) return { kind: 'static', value: negated, from: token.from };
      throw unsupported('TraceQL', 'arithmetic negation of a field', token.from);
    }
    throw unsupported('TraceQL', `operator '${token.op}'`, token.from);
  }

  private combine(type: 'and' | 'or', left: Operand, right: Operand): Operand {
    return {
      kind: 'condition',
      expr: { type, left: this.condition(left), right: this.condition(right) },
      from: left.from,
    };
  }

  private condition(operand: Operand): FieldExpression {
    if (operand.kind === 'condition') return operand.expr;
    const what = operand.kind === 'field' ? 'a field' : 'a value';
    throw unsupported('TraceQL', `${what} on its own, compare it with a value`, operand.from);
  }

  private compare(left: Operand, op: ComparisonOperator, right: Operand, opPosition: number): Operand {
    if (left.kind === 'field' && right.kind === 'static') {
      const expr = checkComparison(
        { type: 'comparison', field: left.field, op, value: right.value },
        left.from,
      );
      return { kind: 'condition', expr, from: left.from };
    }
    if (left.kind === 'static' && right.kind === 'field') {
      // `"x" = name` reads as `name = "x"`; a regular expression must be on the right, as in Tempo.
      const mirrored = MIRRORED[op];
      if (!mirrored)
        throw invalid('TraceQL', `the regular expression of '${op}' must be on its right`, opPosition);
      const expr = checkComparison(
        { type: 'comparison', field: right.field, op: mirrored, value: left.value },
        right.from,
      );
      return { kind: 'condition', expr, from: left.from };
    }
    if (left.kind === 'field' && right.kind === 'field') {
      throw unsupported('TraceQL', `comparison '${op}' between two fields`, left.from);
    }
    throw unsupported(
      'TraceQL',
      `comparison '${op}' of ${describe(left)} with ${describe(right)}`,
      opPosition,
    );
  }

  private peekOp(op: string): boolean {
    const token = this.tokens[this.index];
    return token?.kind === 'op' && token.op === op;
  }

  private describeToken(token: Token): string {
    if (token.kind === 'op') return token.op;
    if (token.kind === 'leaf') return text(this.query, token.node);
    return text(this.query, token);
  }
}

function leafOperand(query: string, node: SyntaxNode): Operand {
  switch (node.name) {
    case 'Static':
      return { kind: 'static', value: staticValue(query, node), from: node.from };
    case 'IntrinsicField':
      return { kind: 'field', field: intrinsicField(query, node), from: node.from };
    case 'AttributeField':
      return { kind: 'field', field: attributeField(query, node), from: node.from };
    default:
      throw unsupported('TraceQL', `'${text(query, node)}'`, node.from);
  }
}

function tokenFrom(token: Token): number {
  return token.kind === 'leaf' ? token.node.from : token.from;
}

function describe(operand: Operand): string {
  return operand.kind === 'condition' ? 'a condition' : operand.kind === 'field' ? 'a field' : 'a value';
}
