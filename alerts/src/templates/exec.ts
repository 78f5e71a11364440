// Go text/template's execution (text/template/exec.go) over a parsed template: actions print their pipeline's
// value, if/with/range walk their lists, commands call functions with Go's argument checks (an untyped
// constant becomes the parameter's type, a value must be assignable to it), fields index maps and structs
// (a missing map key is the zero value: Prometheus sets missingkey=zero). Errors read as Go's:
// `template: NAME:LINE:COL: executing "NAME" at <context>: message`.
import {
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type ListNode,
  type Node,
  nodeString,
  type PipeNode,
} from './ast.ts';
import {
  GoMap,
  GoQueryResult,
  GoSample,
  GoStruct,
  type GoValue,
  goTypeName,
  NIL_SAMPLE,
  printValue,
  truth,
} from './go-values.ts';

/** A parameter type of a template function. `value` is Go's reflect.Value (the comparison builtins). */
export type ParamType = 'string' | 'float64' | 'int' | 'bool' | 'any' | 'value' | 'queryResult' | 'sample';

export interface TemplateFunction {
  /** Parameter types; with `variadic`, the last one is the type of each variadic argument. */
  params: ParamType[];
  variadic?: boolean;
  /** Returns the result; throws an Error for Go's (result, error) returns and panics. */
  call(args: GoValue[]): GoValue;
}

export class TemplateExecError extends Error {
  override readonly name = 'TemplateExecError';
}

const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

class BreakSignal {}
class ContinueSignal {}

const PARAM_TYPE_NAMES: Record<ParamType, string> = {
  string: 'string',
  float64: 'float64',
  int: 'int',
  bool: 'bool',
  any: 'interface {}',
  value: 'reflect.Value',
  queryResult: 'template.queryResult',
  sample: '*template.sample',
};

export interface ExecOptions {
  /** The template's name (Prometheus: `__alert_<name>`). */
  name: string;
  /** The text the tree was parsed from, for line:column in errors. */
  text: string;
  functions: ReadonlyMap<string, TemplateFunction>;
}

/** Executes a parsed template with `data` as dot and `$`. Throws TemplateExecError. */
export function executeTemplate(tree: ListNode, data: GoValue, options: ExecOptions): string {
  return new State(data, options).run(tree);
}

class State {
  private readonly options: ExecOptions;
  private readonly vars: { name: string; value: GoValue }[];
  private node: Node | ArgNode | CommandNode | PipeNode | undefined;
  private out = '';

  constructor(data: GoValue, options: ExecOptions) {
    this.options = options;
    this.vars = [{ name: '$', value: data }];
  }

  run(tree: ListNode): string {
    this.walkList(this.vars[0]?.value ?? null, tree);
    return this.out;
  }

  // --- errors ---

  private at(node: Node | ArgNode | CommandNode | PipeNode): void {
    this.node = node;
  }

  private fail(message: string): never {
    const name = this.options.name;
    if (!this.node) throw new TemplateExecError(`template: ${name}: ${message}`);
    const before = this.options.text.slice(0, this.node.pos);
    const newline = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const column = Buffer.byteLength(newline < 0 ? before : before.slice(newline + 1));
    let context = nodeString(this.node);
    if ([...context].length > 20) context = `${[...context].slice(0, 20).join('')}...`;
    throw new TemplateExecError(
      `template: ${name}:${line}:${column}: executing "${name}" at <${context}>: ${message}`,
    );
  }

  // --- walking ---

  private walkList(dot: GoValue, list: ListNode): void {
    for (const node of list.nodes) this.walk(dot, node);
  }

  private walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          this.out += printValue(value);
        }
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const value = this.evalPipeline(dot, node.pipe);
        if (truth(value)) this.walkList(node.type === 'with' ? value : dot, node.list);
        else if (node.elseList) this.walkList(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'template':
        this.fail(`no such template ${JSON.stringify(node.name)}`);
    }
  }

  private walkRange(dot: GoValue, node: BranchNode): void {
    const outer = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    const mark = this.vars.length;
    const decl = node.pipe.decl;
    const iterate = (index: GoValue, elem: GoValue) => {
      if (decl.length > 0) {
        if (node.pipe.isAssign)
          this.setVar((decl[0] as { name: string }).name, decl.length > 1 ? index : elem);
        else this.setTopVar(1, elem);
      }
      if (decl.length > 1) {
        if (node.pipe.isAssign) this.setVar((decl[1] as { name: string }).name, elem);
        else this.setTopVar(2, index);
      }
      try {
        this.walkList(elem, node.list);
      } catch (signal) {
        if (!(signal instanceof ContinueSignal)) throw signal;
      } finally {
        this.vars.length = mark;
      }
    };
    let empty = true;
    try {
      if (value instanceof GoMap) {
        empty = value.entries.size === 0;
        for (const key of [...value.entries.keys()].sort()) iterate(key, value.entries.get(key) ?? null);
      } else if (value instanceof GoQueryResult) {
        empty = value.samples.length === 0;
        value.samples.forEach((sample, i) => {
          iterate(BigInt(i), sample);
        });
      } else if (value !== null) {
        this.at(node);
        this.fail(`range can't iterate over ${printValue(value)}`);
      }
    } catch (signal) {
      if (!(signal instanceof BreakSignal)) throw signal;
    }
    if (empty && node.elseList) this.walkList(dot, node.elseList);
    this.vars.length = outer;
  }

  // --- variables ---

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as { name: string; value: GoValue };
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: GoValue): void {
    const v = this.vars[this.vars.length - n];
    if (v) v.value = value;
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as { name: string; value: GoValue };
      if (v.name === name) return v.value;
    }
    this.fail(`undefined variable: ${name}`);
  }

  // --- pipelines and commands ---

  private evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const result = value === MISSING ? null : value;
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.name, result);
      else this.vars.push({ name: d.name, value: result });
    }
    return result;
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0] as ArgNode;
    switch (first.type) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, first.ident, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.fail('nil is not a command');
        break;
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    this.fail(`can't evaluate command ${JSON.stringify(nodeString(first))}`);
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING)
      this.fail(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`);
  }

  private idealConstant(n: Extract<ArgNode, { type: 'number' }>): GoValue {
    this.at(n);
    const isHex = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHex && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return n.int;
    this.fail(`${n.text} overflows int`);
  }

  private evalVariable(v: Extract<ArgNode, { type: 'variable' }>, args: ArgNode[], final: Final): GoValue {
    this.at(v);
    const value = this.varValue(v.ident[0] as string);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(value, v.ident.slice(1), args, final);
  }

  private evalChain(
    dot: GoValue,
    chain: Extract<ArgNode, { type: 'chain' }>,
    args: ArgNode[],
    final: Final,
  ): GoValue {
    this.at(chain);
    if (chain.node.type === 'nil') this.fail(`indirection through explicit nil in ${nodeString(chain)}`);
    const receiver = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(receiver, chain.field, args, final);
  }

  private evalFieldChain(receiver: GoValue, idents: string[], args: ArgNode[], final: Final): GoValue {
    let value = receiver;
    idents.forEach((name, i) => {
      const last = i === idents.length - 1;
      value = this.evalField(name, value, last && (args.length > 1 || final !== MISSING));
    });
    return value;
  }

  private evalField(name: string, receiver: GoValue, hasArgs: boolean): GoValue {
    if (receiver === null) return null;
    if (receiver instanceof GoMap) {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      const value = receiver.entries.get(name);
      if (value !== undefined) return value;
      return receiver.elemType === 'string' ? '' : null;
    }
    if (receiver instanceof GoStruct && receiver.fields.has(name)) {
      if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
      return receiver.fields.get(name) ?? null;
    }
    if (receiver === NIL_SAMPLE && (name === 'Labels' || name === 'Value')) {
      this.fail(`nil pointer evaluating *template.sample.${name}`);
    }
    if (receiver instanceof GoSample && (name === 'Labels' || name === 'Value')) {
      if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
      return name === 'Labels' ? receiver.labels : receiver.value;
    }
    this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  // --- function calls ---

  private evalFunction(
    dot: GoValue,
    ident: Extract<ArgNode, { type: 'identifier' }>,
    cmd: CommandNode,
    args: ArgNode[],
    final: Final,
  ): GoValue {
    this.at(ident);
    const name = ident.ident;
    const fn = this.options.functions.get(name);
    if (!fn) this.fail(`${JSON.stringify(name)} is not a defined function`);
    const rest = args.slice(1);
    const numIn = rest.length + (final === MISSING ? 0 : 1);
    const numParams = fn.params.length;
    const numFixed = fn.variadic ? numParams - 1 : rest.length;
    if (fn.variadic) {
      if (numIn < numParams - 1) {
        this.fail(`wrong number of args for ${name}: want at least ${numParams - 1} got ${rest.length}`);
      }
    } else if (numIn !== numParams) {
      this.fail(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }
    if (name === 'and' || name === 'or') {
      let value: GoValue = null;
      for (const arg of rest) {
        value = this.evalArg(dot, 'value', arg);
        if (truth(value) === (name === 'or')) return value;
      }
      if (final !== MISSING) value = this.validateType(final, 'value');
      return value;
    }
    const argv: GoValue[] = [];
    rest.forEach((arg, i) => {
      const type = i < numFixed ? (fn.params[i] as ParamType) : (fn.params[numParams - 1] as ParamType);
      argv.push(this.evalArg(dot, type, arg));
    });
    if (final !== MISSING) {
      let type = fn.params[numParams - 1] as ParamType;
      if (fn.variadic && numIn - 1 < numFixed) type = fn.params[numIn - 1] as ParamType;
      argv.push(this.validateType(final, type));
    }
    try {
      return fn.call(argv);
    } catch (error) {
      if (error instanceof TemplateExecError) throw error;
      this.at(cmd);
      this.fail(`error calling ${name}: ${(error as Error).message}`);
    }
  }

  /** Go's evalArg: a node as a value of a parameter type (undefined: any type, for a chain's receiver). */
  private evalArg(dot: GoValue, type: ParamType | undefined, n: ArgNode): GoValue {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, type);
      case 'nil':
        if (type === undefined || type === 'any' || type === 'queryResult' || type === 'sample') {
          return type === 'sample' ? NIL_SAMPLE : type === 'queryResult' ? new GoQueryResult([]) : null;
        }
        this.fail(`cannot assign nil to ${PARAM_TYPE_NAMES[type]}`);
        break;
      case 'field':
        return this.validateType(this.evalFieldChain(dot, n.ident, [n], MISSING), type);
      case 'variable':
        return this.validateType(this.evalVariable(n, [], MISSING), type);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), type);
      case 'identifier':
        return this.validateType(
          this.evalFunction(dot, n, { type: 'command', pos: n.pos, args: [n] }, [n], MISSING),
          type,
        );
      case 'chain':
        return this.validateType(this.evalChain(dot, n, [], MISSING), type);
    }
    switch (type) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.fail(`expected bool; found ${nodeString(n)}`);
        break;
      case 'float64':
        if (n.type === 'number' && n.isFloat) return n.float;
        this.fail(`expected float; found ${nodeString(n)}`);
        break;
      case 'int':
        if (n.type === 'number' && n.isInt) return n.int;
        this.fail(`expected integer; found ${nodeString(n)}`);
        break;
      case 'string':
        if (n.type === 'string') return n.text;
        this.fail(`expected string; found ${nodeString(n)}`);
        break;
      case undefined:
      case 'any':
      case 'value':
        if (n.type === 'bool') return n.value;
        if (n.type === 'number') return this.idealConstant(n);
        if (n.type === 'string') return n.text;
        break;
    }
    this.fail(`can't handle ${nodeString(n)} for arg of type ${PARAM_TYPE_NAMES[type ?? 'any']}`);
  }

  private validateType(value: GoValue, type: ParamType | undefined): GoValue {
    if (type === undefined || type === 'any') return value;
    if (value === null) {
      if (type === 'sample') return NIL_SAMPLE;
      if (type === 'queryResult') return new GoQueryResult([]);
      this.fail(`invalid value; expected ${PARAM_TYPE_NAMES[type]}`);
    }
    if (type === 'value') return value;
    const ok =
      (type === 'string' && typeof value === 'string') ||
      (type === 'float64' && typeof value === 'number') ||
      (type === 'int' && typeof value === 'bigint') ||
      (type === 'bool' && typeof value === 'boolean') ||
      (type === 'queryResult' && value instanceof GoQueryResult) ||
      (type === 'sample' && (value instanceof GoSample || value === NIL_SAMPLE));
    if (!ok) this.fail(`wrong type for value; expected ${PARAM_TYPE_NAMES[type]}; got ${goTypeName(value)}`);
    return value;
  }
}
