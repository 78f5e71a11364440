// Go text/template's builtin functions: and or not len index slice print printf println html js urlquery
// eq ne lt le gt ge (call has nothing to call here). Comparisons follow Go: an int and a float64 do not
// compare ("incompatible types for comparison"), so `gt $value 80` fails where `gt $value 80.0` works.
import type { TemplateFunction } from './exec.ts';
import { sprint, sprintf, sprintln } from './go-printf.ts';
import {
  GoHTML,
  GoMap,
  GoQueryResult,
  GoSample,
  type GoValue,
  goTypeName,
  NIL_SAMPLE,
  truth,
} from './go-values.ts';

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

function basicKind(v: GoValue): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string' || v instanceof GoHTML) return 'string';
  return 'invalid';
}

const text = (v: GoValue) => (v instanceof GoHTML ? v.text : (v as string));

function eq(a: GoValue, ...others: GoValue[]): boolean {
  if (others.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of others) {
    const k2 = basicKind(b);
    let same: boolean;
    if (k1 !== k2) {
      if (a !== null && b !== null && a !== NIL_SAMPLE && b !== NIL_SAMPLE)
        throw new Error('incompatible types for comparison');
      same = false;
    } else if (k1 === 'string') same = text(a) === text(b);
    else if (k1 !== 'invalid') same = a === b;
    else if (a === null || b === null || a === NIL_SAMPLE || b === NIL_SAMPLE)
      same = (a ?? NIL_SAMPLE) === (b ?? NIL_SAMPLE);
    else if (a instanceof GoSample || b instanceof GoSample) same = a === b;
    else throw new Error(`non-comparable type ${goTypeName(a)}`);
    if (same) return true;
  }
  return false;
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  if (k1 === 'string') return text(a) < text(b);
  return (a as number | bigint) < (b as number | bigint);
}

function length(v: GoValue): bigint {
  if (v === null || v === NIL_SAMPLE) throw new Error('len of nil pointer');
  if (typeof v === 'string') return BigInt(Buffer.byteLength(v));
  if (v instanceof GoHTML) return BigInt(Buffer.byteLength(v.text));
  if (v instanceof GoMap) return BigInt(v.entries.size);
  if (v instanceof GoQueryResult) return BigInt(v.samples.length);
  throw new Error(`len of type ${goTypeName(v)}`);
}

function indexInt(i: GoValue, cap: number): number {
  if (typeof i !== 'bigint') throw new Error(`cannot index slice/array with type ${goTypeName(i)}`);
  if (i < 0n || i >= BigInt(cap)) throw new Error(`index out of range: ${i}`);
  return Number(i);
}

function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  let v = item;
  for (const i of indexes) {
    if (v === null) throw new Error('index of untyped nil');
    if (v instanceof GoMap) {
      if (typeof i !== 'string') throw new Error(`value has type ${goTypeName(i)}; should be string`);
      v = v.entries.get(i) ?? (v.elemType === 'string' ? '' : null);
    } else if (v instanceof GoQueryResult) v = v.samples[indexInt(i, v.samples.length)] as GoSample;
    else if (typeof v === 'string') {
      const bytes = Buffer.from(v);
      v = BigInt(bytes[indexInt(i, bytes.length)] as number);
    } else throw new Error(`can't index item of type ${goTypeName(v)}`);
  }
  return v;
}

function slice(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (indexes.length > 2 && typeof item === 'string') throw new Error('cannot 3-index slice a string');
  const size =
    typeof item === 'string'
      ? Buffer.byteLength(item)
      : item instanceof GoQueryResult
        ? item.samples.length
        : -1;
  if (size < 0) throw new Error(`can't slice item of type ${goTypeName(item)}`);
  const bounds = indexes.map((i) => {
    if (typeof i !== 'bigint') throw new Error(`cannot index slice/array with type ${goTypeName(i)}`);
    if (i < 0n || i > BigInt(size)) throw new Error(`index out of range: ${i}`);
    return Number(i);
  });
  const [from = 0, to = size] = bounds;
  if (from > to) throw new Error(`invalid slice index: ${from} > ${to}`);
  if (typeof item === 'string') return Buffer.from(item).subarray(from, to).toString();
  return new GoQueryResult((item as GoQueryResult).samples.slice(from, to));
}

/** The single-string fast path of Go's evalArgs, else fmt.Sprint. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

function htmlEscape(s: string): string {
  return s.replace(
    /[&'<>"\0]/g,
    (c) =>
      ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] as string,
  );
}

function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.codePointAt(0) as number;
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (c === '"') out += '\\"';
    else if (c === '<') out += '\\u003C';
    else if (c === '>') out += '\\u003E';
    else if (c === '&') out += '\\u0026';
    else if (c === '=') out += '\\u003D';
    else if (code < 0x20) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const BUILTINS: ReadonlyMap<string, TemplateFunction> = new Map<string, TemplateFunction>([
  ['and', { params: ['value', 'value'], variadic: true, call: () => null }],
  ['or', { params: ['value', 'value'], variadic: true, call: () => null }],
  ['not', { params: ['value'], call: ([v]) => !truth(v ?? null) }],
  ['len', { params: ['value'], call: ([v]) => length(v ?? null) }],
  [
    'index',
    { params: ['value', 'value'], variadic: true, call: ([item, ...rest]) => index(item ?? null, ...rest) },
  ],
  [
    'slice',
    { params: ['value', 'value'], variadic: true, call: ([item, ...rest]) => slice(item ?? null, ...rest) },
  ],
  ['print', { params: ['any'], variadic: true, call: (args) => sprint(args) }],
  [
    'printf',
    {
      params: ['string', 'any'],
      variadic: true,
      call: ([format, ...args]) => sprintf(format as string, args),
    },
  ],
  ['println', { params: ['any'], variadic: true, call: (args) => sprintln(args) }],
  ['html', { params: ['any'], variadic: true, call: (args) => htmlEscape(evalArgs(args)) }],
  ['js', { params: ['any'], variadic: true, call: (args) => jsEscape(evalArgs(args)) }],
  ['urlquery', { params: ['any'], variadic: true, call: (args) => queryEscape(evalArgs(args)) }],
  [
    'call',
    {
      params: ['value', 'value'],
      variadic: true,
      call: ([fn]) => {
        throw new Error(`non-function of type ${goTypeName(fn ?? null)}`);
      },
    },
  ],
  ['eq', { params: ['value', 'value'], variadic: true, call: ([a, ...rest]) => eq(a ?? null, ...rest) }],
  ['ne', { params: ['value', 'value'], call: ([a, b]) => !eq(a ?? null, b ?? null) }],
  ['lt', { params: ['value', 'value'], call: ([a, b]) => lt(a ?? null, b ?? null) }],
  [
    'le',
    { params: ['value', 'value'], call: ([a, b]) => lt(a ?? null, b ?? null) || eq(a ?? null, b ?? null) },
  ],
  [
    'gt',
    { params: ['value', 'value'], call: ([a, b]) => !(lt(a ?? null, b ?? null) || eq(a ?? null, b ?? null)) },
  ],
  ['ge', { params: ['value', 'value'], call: ([a, b]) => !lt(a ?? null, b ?? null) }],
]);
