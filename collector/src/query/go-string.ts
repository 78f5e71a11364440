// String literals of TraceQL and LogQL follow Go: "double quoted" with Go escapes (strconv.Unquote), or
// `raw` between backticks with no escapes at all.

/** The value of a Go string literal (with its quotes). Throws an Error naming the bad escape. */
export function unquoteGoString(literal: string): string {
  const quote = literal.charAt(0);
  if (quote === '`') return literal.slice(1, -1);
  if (quote !== '"' && quote !== "'") throw new Error(`not a string literal: ${literal}`);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body.charAt(++i);
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + digits);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits)
        throw new Error(`invalid escape \\${e}${hex}`);
      out +=
        e === 'x'
          ? String.fromCharCode(Number.parseInt(hex, 16))
          : String.fromCodePoint(Number.parseInt(hex, 16));
      i += digits;
    } else if (e >= '0' && e <= '7') {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal)) throw new Error(`invalid escape \\${octal}`);
      out += String.fromCharCode(Number.parseInt(octal, 8));
      i += 2;
    } else {
      throw new Error(`invalid escape \\${e}`);
    }
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};
