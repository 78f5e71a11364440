// The syntax tree of a Go text/template (text/template/parse/node.go), and each node's String() form,
// which Go's execution errors quote ("executing ... at <humanize>: ...").

export interface NumberValue {
  isInt: boolean;
  isFloat: boolean;
  int: bigint;
  float: number;
}

export type ArgNode =
  | { type: 'identifier'; pos: number; ident: string }
  | { type: 'variable'; pos: number; ident: string[] }
  | { type: 'field'; pos: number; ident: string[] }
  | { type: 'chain'; pos: number; node: ArgNode; field: string[] }
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'bool'; pos: number; value: boolean }
  | ({ type: 'number'; pos: number; text: string } & NumberValue)
  | { type: 'string'; pos: number; quoted: string; text: string }
  | PipeNode;

export interface CommandNode {
  type: 'command';
  pos: number;
  args: ArgNode[];
}

export interface PipeNode {
  type: 'pipe';
  pos: number;
  isAssign: boolean;
  decl: { pos: number; name: string }[];
  cmds: CommandNode[];
}

export interface ListNode {
  type: 'list';
  pos: number;
  nodes: Node[];
}

export interface BranchNode {
  type: 'if' | 'with' | 'range';
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | undefined;
}

export type Node =
  | { type: 'text'; pos: number; text: string }
  | { type: 'action'; pos: number; pipe: PipeNode }
  | BranchNode
  | { type: 'break' | 'continue'; pos: number }
  | { type: 'template'; pos: number; name: string; pipe: PipeNode | undefined };

function argString(arg: ArgNode): string {
  switch (arg.type) {
    case 'identifier':
      return arg.ident;
    case 'variable':
      return arg.ident.join('.');
    case 'field':
      return arg.ident.map((f) => `.${f}`).join('');
    case 'chain': {
      const inner = arg.node.type === 'pipe' ? `(${pipeString(arg.node)})` : argString(arg.node);
      return inner + arg.field.map((f) => `.${f}`).join('');
    }
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(arg.value);
    case 'number':
      return arg.text;
    case 'string':
      return arg.quoted;
    case 'pipe':
      return pipeString(arg);
  }
}

export function commandString(cmd: CommandNode): string {
  return cmd.args.map((arg) => (arg.type === 'pipe' ? `(${pipeString(arg)})` : argString(arg))).join(' ');
}

export function pipeString(pipe: PipeNode): string {
  let out = '';
  if (pipe.decl.length > 0) out = `${pipe.decl.map((d) => d.name).join(', ')} ${pipe.isAssign ? '=' : ':='} `;
  return out + pipe.cmds.map(commandString).join(' | ');
}

/** Go's String() of a node, for error contexts. */
export function nodeString(node: Node | ArgNode | CommandNode): string {
  switch (node.type) {
    case 'command':
      return commandString(node);
    case 'text':
      return JSON.stringify(node.text);
    case 'action':
      return `{{${pipeString(node.pipe)}}}`;
    case 'if':
    case 'with':
    case 'range':
      return `{{${node.type} ${pipeString(node.pipe)}}}...{{end}}`;
    case 'break':
    case 'continue':
      return `{{${node.type}}}`;
    case 'template':
      return `{{template ${JSON.stringify(node.name)}${node.pipe ? ` ${pipeString(node.pipe)}` : ''}}}`;
    default:
      return argString(node);
  }
}
