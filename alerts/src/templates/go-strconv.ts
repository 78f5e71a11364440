// Go's strconv.Unquote (template string and character literals) and strconv.ParseFloat (what humanize & co.
// do with a string argument), with Go's error texts.

const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** strconv.Unquote of a "double-quoted", `raw` or 'c' literal; throws Error("invalid syntax"). */
export function unquote(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) throw new Error('invalid syntax');
  const body = literal.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) throw new Error('invalid syntax');
    return body.replaceAll('\r', '');
  }
  if (quote !== '"' && quote !== "'") throw new Error('invalid syntax');
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body[i] as string;
    if (c === quote || c === '\n') throw new Error('invalid syntax');
    if (c !== '\\') {
      const ch = String.fromCodePoint(body.codePointAt(i) as number);
      out += ch;
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new Error('invalid syntax');
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (e === quote) {
      out += e;
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error('invalid syntax');
      const code = Number.parseInt(hex, 16);
      if (e !== 'x' && (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)))
        throw new Error('invalid syntax');
      out += e === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const octal = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(octal) || Number.parseInt(octal, 8) > 255) throw new Error('invalid syntax');
      out += String.fromCharCode(Number.parseInt(octal, 8));
      i += 4;
    } else throw new Error('invalid syntax');
  }
  if (quote === "'" && [...out].length !== 1) throw new Error('invalid syntax');
  return out;
}

const DECIMAL = /^[+-]?(?:\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?$/;
const HEX = /^[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?\d+$/;

/** strconv.ParseFloat(s, 64); throws Error with Go's message. */
export function parseGoFloat(s: string): number {
  const fail = (why: string) => new Error(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: ${why}`);
  const lower = s.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity') return sign * Number.POSITIVE_INFINITY;
  if (unsigned === 'nan' && lower === unsigned) return Number.NaN;
  let value: number;
  if (DECIMAL.test(s) && !s.includes('_')) value = Number(s);
  else if (HEX.test(s) && !s.includes('_')) value = parseHexFloat(s);
  else throw fail('invalid syntax');
  if (!Number.isFinite(value)) throw fail('value out of range');
  return value;
}

function parseHexFloat(s: string): number {
  const match = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (!match) return Number.NaN;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const mantissa = Number.parseInt(whole + fraction || '0', 16);
  const value = mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
  return sign === '-' ? -value : value;
}
