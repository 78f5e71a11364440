// Strict, position-keeping reading of a YAML document into typed values, as Go's yaml.v3 decodes
// Prometheus's files with KnownFields: unknown keys are errors, scalars read as strings take their source
// text, durations follow model.Duration. Every problem is collected (not only the first) with the file,
// line, column and the path of the key (`groups[0].rules[2].expr`).
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from 'yaml';
import { parseModelDuration } from './durations.ts';
import type { SourcePosition } from './types.ts';

export interface SourceError {
  file: string;
  line: number;
  column: number;
  /** The key path, e.g. `groups[0].rules[2].expr`; '' for the whole document. */
  path: string;
  message: string;
}

/** `file:line:column: path: message`. */
export function formatSourceError(e: SourceError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

export interface Entry {
  key: string;
  keyNode: Node;
  value: Node | null;
  path: string;
}

export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly errors: SourceError[] = [];
  /** The document's root node; null for an empty document or one that does not parse. */
  readonly root: Node | null;
  private readonly lines = new LineCounter();
  private readonly doc;

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.doc = parseDocument(text, { lineCounter: this.lines, merge: true, prettyErrors: false });
    for (const error of this.doc.errors) {
      const { line, col } = this.lines.linePos(error.pos[0]);
      this.errors.push({ file, line, column: col, path: '', message: error.message.split('\n')[0] ?? '' });
    }
    this.root = this.doc.errors.length > 0 ? null : this.resolve(this.doc.contents as Node | null);
  }

  position(at: Node | number | null | undefined): SourcePosition {
    const offset = typeof at === 'number' ? at : (at?.range?.[0] ?? 0);
    const { line, col } = this.lines.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  }

  error(at: Node | number | null | undefined, path: string, message: string): void {
    const { line, column } = this.position(at);
    this.errors.push({ file: this.file, line, column, path, message });
  }

  private resolve(node: Node | null | undefined): Node | null {
    if (node && isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node ?? null;
  }

  /** The entries of a mapping ([] for null); reports non-mappings and keys not in `known`. */
  mapping(node: Node | null, path: string, known: readonly string[], goType: string): Entry[] {
    if (node === null || isNull(node)) return [];
    if (!isMap(node)) {
      this.error(node, path, `cannot unmarshal ${kindOf(node)} into ${goType}`);
      return [];
    }
    const entries: Entry[] = [];
    for (const pair of node.items) {
      const keyNode = this.resolve(pair.key as Node | null);
      const key = keyNode && isScalar(keyNode) ? scalarText(keyNode) : '';
      const entryPath = path ? `${path}.${key}` : key;
      if (!known.includes(key)) {
        this.error(keyNode ?? node, entryPath, `field ${key} not found in type ${goType}`);
        continue;
      }
      entries.push({
        key,
        keyNode: keyNode ?? node,
        value: this.resolve(pair.value as Node | null),
        path: entryPath,
      });
    }
    return entries;
  }

  /** The items of a sequence ([] for null). */
  sequence(node: Node | null, path: string, goType: string): { node: Node | null; path: string }[] {
    if (node === null || isNull(node)) return [];
    if (!isSeq(node)) {
      this.error(node, path, `cannot unmarshal ${kindOf(node)} into ${goType}`);
      return [];
    }
    return node.items.map((item, i) => ({ node: this.resolve(item as Node | null), path: `${path}[${i}]` }));
  }

  /** A string field: any scalar's source text ('' for null), as yaml.v3 decodes into a Go string. */
  string(node: Node | null, path: string): string | undefined {
    if (node === null || isNull(node)) return '';
    if (!isScalar(node)) {
      this.error(node, path, `cannot unmarshal ${kindOf(node)} into string`);
      return undefined;
    }
    return scalarText(node);
  }

  /** A map[string]string field. */
  stringMap(node: Node | null, path: string): Record<string, string> {
    const out: Record<string, string> = {};
    if (node === null || isNull(node)) return out;
    if (!isMap(node)) {
      this.error(node, path, `cannot unmarshal ${kindOf(node)} into map[string]string`);
      return out;
    }
    for (const pair of node.items) {
      const keyNode = this.resolve(pair.key as Node | null);
      const key = keyNode && isScalar(keyNode) ? scalarText(keyNode) : '';
      const value = this.string(this.resolve(pair.value as Node | null), `${path}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  /** A model.Duration field, in ms. */
  duration(node: Node | null, path: string): number | undefined {
    const text = this.string(node, path);
    if (text === undefined) return undefined;
    if (text === '' && (node === null || isNull(node))) return 0;
    const ms = parseModelDuration(text);
    if (typeof ms === 'string') {
      this.error(node, path, ms);
      return undefined;
    }
    return ms;
  }

  /** An int field: a plain integer scalar. */
  integer(node: Node | null, path: string): number | undefined {
    if (node === null || isNull(node)) return 0;
    if (
      isScalar(node) &&
      typeof node.value === 'number' &&
      Number.isInteger(node.value) &&
      node.type === 'PLAIN'
    ) {
      if (/^[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|\d+)$/.test(scalarText(node))) return node.value;
    }
    this.error(node, path, `cannot unmarshal ${kindOf(node)} into int`);
    return undefined;
  }

  /** A float64 field: a number scalar (.inf, .nan and quoted numbers too, as yaml.v3 takes them). */
  float(node: Node | null, path: string): number | undefined {
    if (node === null || isNull(node)) return 0;
    if (isScalar(node)) {
      if (typeof node.value === 'number') return node.value;
      const text = scalarText(node).trim();
      const special: Record<string, number> = {
        '.inf': Number.POSITIVE_INFINITY,
        '+.inf': Number.POSITIVE_INFINITY,
        '-.inf': Number.NEGATIVE_INFINITY,
        '.nan': Number.NaN,
      };
      const lower = text.toLowerCase();
      if (lower in special) return special[lower];
      if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
    }
    this.error(node, path, `cannot unmarshal ${kindOf(node)} into float64`);
    return undefined;
  }

  /**
   * Where character `offset` of a scalar's value is in the file, following the value through quotes,
   * escapes, block indentation and line folding; the scalar's start when that fails.
   */
  positionInScalar(node: Node | null, offset: number): SourcePosition {
    if (!node || !isScalar(node) || !node.range) return this.position(node);
    const raw = this.text.slice(node.range[0], node.range[1]);
    const value = scalarText(node);
    let r = 0;
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') r = raw.indexOf('\n') + 1;
    else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') r = 1;
    const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
    for (let v = 0; v <= offset && v <= value.length; v++) {
      const vc = value[v];
      for (;;) {
        const rc = raw[r];
        if (rc === undefined) return this.position(v === offset ? node.range[0] + r : node);
        if (v === offset && !isBlank(rc)) return this.position(node.range[0] + r);
        if (v === offset) {
          if (isBlank(vc)) return this.position(node.range[0] + r);
          r++;
          continue;
        }
        if (rc === vc) {
          r++;
          break;
        }
        if (node.type === 'QUOTE_DOUBLE' && rc === '\\') {
          if (raw[r + 1] === '\n') {
            r += 2;
            continue;
          }
          r += raw[r + 1] === 'x' ? 4 : raw[r + 1] === 'u' ? 6 : raw[r + 1] === 'U' ? 10 : 2;
          break;
        }
        if (node.type === 'QUOTE_SINGLE' && rc === "'" && raw[r + 1] === "'") {
          r += 2;
          break;
        }
        if (isBlank(rc)) {
          r++;
          if (isBlank(vc)) {
            while (isBlank(raw[r])) r++;
            break;
          }
          continue;
        }
        return this.position(node);
      }
    }
    return this.position(node);
  }
}

function isNull(node: Node): boolean {
  return isScalar(node) && node.value === null;
}

/** A scalar's text as Go would read it into a string: its source ('' for null). */
export function scalarText(node: Scalar): string {
  if (node.value === null) return '';
  return node.source ?? String(node.value);
}

function kindOf(node: Node): string {
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  if (isScalar(node)) {
    const v = node.value;
    const text = scalarText(node);
    if (typeof v === 'number')
      return `${Number.isInteger(v) && !/[.eE]/.test(text) ? '!!int' : '!!float'} \`${text}\``;
    if (typeof v === 'boolean') return `!!bool \`${text}\``;
    return `!!str \`${text}\``;
  }
  return 'a node';
}
