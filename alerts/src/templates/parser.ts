// Go text/template's parser (text/template/parse/parse.go) for one template: text and actions, pipelines
// with declarations (`$x := …`, `$x = …`, `$k, $v := range …`), commands, parenthesised pipelines, field
// chains, if/else if/else, with/else, range/else with break and continue. As in Go, an unknown function or an
// undeclared variable is a parse error, and errors read "template: NAME:LINE: message".
// `define`, `block` and `template` (named sub-templates) are not supported: no alert rule needs them.
import type { ArgNode, CommandNode, ListNode, Node, NumberValue, PipeNode } from './ast.ts';
import { unquote } from './go-strconv.ts';
import { type Item, type ItemType, lex } from './lexer.ts';

export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError';
  /** The message without the "template: NAME:LINE: " prefix. */
  readonly detail: string;
  /** Offset in the template text of the token the error is about. */
  readonly pos: number;
  readonly line: number;

  constructor(templateName: string, line: number, pos: number, detail: string) {
    super(`template: ${templateName}:${line}: ${detail}`);
    this.detail = detail;
    this.pos = pos;
    this.line = line;
  }
}

export interface ParseOptions {
  name: string;
  /** Functions a template may call (Go checks them when parsing). */
  functions: ReadonlySet<string>;
}

const END_NODE = Symbol('end');
const ELSE_NODE = Symbol('else');
type Marker = { marker: typeof END_NODE | typeof ELSE_NODE; pos: number; line: number };
type Parsed = Node | Marker;

const isMarker = (n: Parsed): n is Marker => 'marker' in n;

const EOF_ITEM: Item = { type: 'eof', pos: 0, val: '', line: 1 };

/** Parses a template; throws TemplateParseError. */
export function parseTemplate(text: string, options: ParseOptions): ListNode {
  return new Parser(text, options).parse();
}

class Parser {
  private readonly items: Item[];
  private readonly options: ParseOptions;
  private index = 0;
  private last: Item = EOF_ITEM;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(text: string, options: ParseOptions) {
    this.items = lex(text);
    this.options = options;
  }

  parse(): ListNode {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      const n = this.textOrAction();
      if (isMarker(n)) this.fail(`unexpected ${n.marker === END_NODE ? '{{end}}' : '{{else}}'}`);
      root.nodes.push(n);
    }
    return root;
  }

  // --- tokens ---

  private next(): Item {
    const item = this.items[this.index] ?? this.items[this.items.length - 1] ?? EOF_ITEM;
    if (this.index < this.items.length - 1) this.index++;
    this.last = item;
    if (item.type === 'error') this.failAt(item, this.lexErrorText(item));
    return item;
  }

  private backup(): void {
    this.index--;
  }

  private peek(): Item {
    const item = this.items[this.index] ?? EOF_ITEM;
    if (item.type === 'error') {
      this.last = item;
      this.failAt(item, this.lexErrorText(item));
    }
    return item;
  }

  private nextNonSpace(): Item {
    let item = this.next();
    while (item.type === 'space') item = this.next();
    return item;
  }

  private peekNonSpace(): Item {
    const item = this.nextNonSpace();
    this.backup();
    return item;
  }

  private expect(type: ItemType, context: string): Item {
    const item = this.nextNonSpace();
    if (item.type !== type) this.unexpected(item, context);
    return item;
  }

  private lexErrorText(item: Item): string {
    if (this.actionLine !== 0 && this.actionLine !== item.line) {
      const where = `${this.options.name}:${this.actionLine}`;
      return item.val.endsWith(' action')
        ? `${item.val} started at ${where}`
        : `${item.val} in action started at ${where}`;
    }
    return item.val;
  }

  private fail(detail: string): never {
    this.failAt(this.last, detail);
  }

  private failAt(item: Item, detail: string): never {
    throw new TemplateParseError(this.options.name, item.line, item.pos, detail);
  }

  private unexpected(item: Item, context: string): never {
    this.fail(`unexpected ${itemString(item)} in ${context}`);
  }

  // --- structure ---

  private textOrAction(): Parsed {
    const item = this.nextNonSpace();
    if (item.type === 'text') return { type: 'text', pos: item.pos, text: item.val };
    if (item.type === 'leftDelim') {
      this.actionLine = item.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    this.unexpected(item, 'input');
  }

  private action(): Parsed {
    const item = this.nextNonSpace();
    switch (item.type) {
      case 'block':
      case 'define':
        this.fail(`{{${item.type}}} is not supported in alert templates`);
        break;
      case 'break':
      case 'continue': {
        if (this.rangeDepth === 0) this.fail(`{{${item.type}}} outside {{range}}`);
        this.expect('rightDelim', item.type);
        return { type: item.type, pos: item.pos };
      }
      case 'else': {
        const peeked = this.peekNonSpace();
        if (peeked.type === 'if') return { marker: ELSE_NODE, pos: peeked.pos, line: peeked.line };
        const token = this.expect('rightDelim', 'else');
        return { marker: ELSE_NODE, pos: token.pos, line: token.line };
      }
      case 'end': {
        const token = this.expect('rightDelim', 'end');
        return { marker: END_NODE, pos: token.pos, line: token.line };
      }
      case 'if':
        return this.control('if');
      case 'range':
        return this.control('range');
      case 'with':
        return this.control('with');
      case 'template':
        return this.templateControl(item);
    }
    this.backup();
    const token = this.peek();
    return { type: 'action', pos: token.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private control(kind: 'if' | 'range' | 'with'): Node {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, 'rightDelim');
      if (kind === 'range') this.rangeDepth++;
      const [list, first] = this.itemList();
      let next = first;
      if (kind === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.marker === ELSE_NODE) {
        if (kind === 'if' && this.peek().type === 'if') {
          // {{if a}}_{{else if b}}_{{end}} is {{if a}}_{{else}}{{if b}}_{{end}}{{end}}.
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [this.control('if')] };
        } else {
          [elseList, next] = this.itemList();
          if (next.marker !== END_NODE) this.fail('expected end; found {{else}}');
        }
      }
      return { type: kind, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private templateControl(item: Item): Node {
    const token = this.nextNonSpace();
    let name: string;
    try {
      if (token.type !== 'string' && token.type !== 'rawString') this.unexpected(token, 'template clause');
      name = unquote(token.val);
    } catch (error) {
      if (error instanceof TemplateParseError) throw error;
      this.fail((error as Error).message);
    }
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline('template clause', 'rightDelim');
    }
    return { type: 'template', pos: item.pos, name, pipe };
  }

  private itemList(): [ListNode, Marker] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (isMarker(n)) return [list, n];
      list.nodes.push(n);
    }
    this.fail('unexpected EOF');
  }

  // --- pipelines ---

  private pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, isAssign: false, decl: [], cmds: [] };
    // Declarations or assignments.
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      this.next();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, name: v.val });
        this.vars.push(v.val);
        break;
      }
      if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, name: v.val });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().type;
          if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue;
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      // Not a declaration: put the variable (and the space after it) back.
      this.index = this.items.indexOf(v);
      break;
    }
    for (;;) {
      const item = this.nextNonSpace();
      if (item.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (item.type) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(item, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((cmd, i) => {
      const first = cmd.args[0];
      if (first && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.type)) {
        this.fail(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const item = this.next();
      if (item.type === 'space') continue;
      if (item.type === 'rightDelim' || item.type === 'rightParen') this.backup();
      else if (item.type !== 'pipe') this.unexpected(item, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      // As in Go, the merged node takes the position of the first added field.
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot': {
        const text = node.type === 'string' ? node.quoted : node.type === 'number' ? node.text : node.type;
        this.fail(
          `unexpected . after term ${JSON.stringify(node.type === 'bool' ? String(node.value) : node.type === 'dot' ? '.' : text)}`,
        );
        break;
      }
    }
    return { type: 'chain', pos, node, field: fields };
  }

  private term(): ArgNode | undefined {
    const item = this.nextNonSpace();
    switch (item.type) {
      case 'identifier':
        if (!this.options.functions.has(item.val))
          this.fail(`function ${JSON.stringify(item.val)} not defined`);
        return { type: 'identifier', pos: item.pos, ident: item.val };
      case 'dot':
        return { type: 'dot', pos: item.pos };
      case 'nil':
        return { type: 'nil', pos: item.pos };
      case 'variable': {
        const ident = item.val.split('.');
        const name = ident[0] as string;
        if (!this.vars.includes(name)) this.fail(`undefined variable ${JSON.stringify(name)}`);
        return { type: 'variable', pos: item.pos, ident };
      }
      case 'field':
        return { type: 'field', pos: item.pos, ident: [item.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: item.pos, value: item.val === 'true' };
      case 'charConstant':
      case 'number':
        return { type: 'number', pos: item.pos, text: item.val, ...this.number(item) };
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        try {
          return { type: 'string', pos: item.pos, quoted: item.val, text: unquote(item.val) };
        } catch (error) {
          this.fail((error as Error).message);
        }
    }
    this.backup();
    return undefined;
  }

  /** Go's newNumber: which of int and float64 a numeric constant can be. */
  private number(item: Item): NumberValue {
    const text = item.val;
    if (item.type === 'charConstant') {
      let rune: string;
      try {
        rune = unquote(text);
      } catch {
        this.fail(`malformed character constant: ${text}`);
      }
      const code = BigInt(rune.codePointAt(0) as number);
      return { isInt: true, isFloat: true, int: code, float: Number(code) };
    }
    if (text.endsWith('i')) this.fail(`complex numbers are not supported: ${text}`);
    const clean = text.replaceAll('_', '');
    const intValue = parseGoInt(clean);
    if (intValue !== undefined) return { isInt: true, isFloat: true, int: intValue, float: Number(intValue) };
    const f = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(clean) ? Number(clean) : Number.NaN;
    if (!Number.isNaN(f)) {
      if (!/[.eEpP]/.test(text)) this.fail(`integer overflow: ${text}`);
      const isInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
      return { isInt, isFloat: true, int: isInt ? BigInt(f) : 0n, float: f };
    }
    this.fail(`illegal number syntax: ${JSON.stringify(text)}`);
  }
}

/** strconv.ParseInt(text, 0, 64): decimal, 0x, 0o, 0b or leading-0 octal. */
function parseGoInt(text: string): bigint | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ''] = match;
  let value: bigint;
  if (/^0[oO]/.test(digits)) value = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  if (sign === '-') value = -value;
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) return undefined;
  return value;
}

/** Go's item.String(): how a token is named in "unexpected ..." errors. */
function itemString(item: Item): string {
  if (item.type === 'eof') return 'EOF';
  if (item.type === 'error') return item.val;
  const keywords: ItemType[] = [
    'block',
    'break',
    'continue',
    'define',
    'else',
    'end',
    'if',
    'range',
    'nil',
    'template',
    'with',
  ];
  if (keywords.includes(item.type)) return `<${item.val}>`;
  if (item.type === 'rightDelim') return `"}}"`;
  if (item.type === 'leftDelim') return `"{{"`;
  if (item.val.length > 10) return `${JSON.stringify(item.val.slice(0, 10))}...`;
  return JSON.stringify(item.val);
}
