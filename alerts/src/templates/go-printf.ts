// Go's fmt.Sprintf, fmt.Sprint and fmt.Sprintln over template values: the verbs alert annotations use
// (%s %d %f %.2f %g %e %v %q %x %t %%), flags (+ - # space 0), width and precision (also `*`), and Go's
// complaints in the output for a wrong verb (%!d(float64=1.5)), a missing argument (%!d(MISSING)) or extra
// arguments (%!(EXTRA int=1)).
import { type FloatFormat, formatFloat } from './go-float.ts';
import { formatValueV, GoHTML, GoTime, type GoValue, goQuote, goTypeName } from './go-values.ts';

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  precision: number | undefined;
}

function pad(text: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  const fill = width - length;
  if (spec.minus) return text + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(text) ? (text[0] as string) : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  if (spec.zero) return '0'.repeat(fill) + text;
  return ' '.repeat(fill) + text;
}

function signed(body: string, negative: boolean, spec: Spec): string {
  if (negative) return `-${body}`;
  if (spec.plus) return `+${body}`;
  if (spec.space) return ` ${body}`;
  return body;
}

function formatInteger(v: bigint, verb: string, spec: Spec): string | undefined {
  const negative = v < 0n;
  const magnitude = negative ? -v : v;
  let body: string;
  switch (verb) {
    case 'd':
    case 'v':
      body = magnitude.toString(10);
      break;
    case 'b':
      body = magnitude.toString(2);
      break;
    case 'o':
    case 'O':
      body = magnitude.toString(8);
      if (verb === 'O') body = `0o${body}`;
      else if (spec.sharp && body !== '0') body = `0${body}`;
      break;
    case 'x':
    case 'X':
      body = magnitude.toString(16);
      if (verb === 'X') body = body.toUpperCase();
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(v)), spec, false);
    case 'q':
      return pad(
        `'${goQuote(String.fromCodePoint(Number(v)))
          .slice(1, -1)
          .replaceAll("'", "\\'")}'`,
        spec,
        false,
      );
    case 'U':
      return pad(`U+${magnitude.toString(16).toUpperCase().padStart(4, '0')}`, spec, false);
    default:
      return undefined;
  }
  if (spec.precision !== undefined) body = body.padStart(spec.precision, '0');
  if (spec.sharp && (verb === 'x' || verb === 'X')) body = (verb === 'x' ? '0x' : '0X') + body;
  const zeroAllowed = spec.precision === undefined;
  return pad(signed(body, negative, spec), { ...spec, zero: spec.zero && zeroAllowed }, true);
}

function formatFloatVerb(v: number, verb: string, spec: Spec): string | undefined {
  let format: FloatFormat;
  let precision = spec.precision ?? -1;
  switch (verb) {
    case 'v':
    case 'g':
      format = 'g';
      break;
    case 'G':
      format = 'G';
      break;
    case 'e':
    case 'E':
      format = verb;
      if (spec.precision === undefined) precision = 6;
      break;
    case 'f':
    case 'F':
      format = 'f';
      if (spec.precision === undefined) precision = 6;
      break;
    default:
      return undefined;
  }
  const text = formatFloat(v, format, precision);
  if (Number.isNaN(v))
    return pad(spec.plus ? '+NaN' : spec.space ? ' NaN' : 'NaN', { ...spec, zero: false }, true);
  const negative = text.startsWith('-');
  const body = negative || text.startsWith('+') ? text.slice(1) : text;
  const isInfinite = !Number.isFinite(v);
  if (isInfinite) return pad(negative ? `-${body}` : `+${body}`, { ...spec, zero: false }, true);
  return pad(signed(body, negative, spec), spec, true);
}

/** Whether s has a control character other than tab (Go's CanBackquote refuses those). */
function hasControl(s: string): boolean {
  for (const c of s) {
    const code = c.charCodeAt(0);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  switch (verb) {
    case 's':
    case 'v': {
      const text = spec.precision === undefined ? s : [...s].slice(0, spec.precision).join('');
      return pad(text, spec, false);
    }
    case 'q':
      if (spec.sharp && !s.includes('`') && !hasControl(s)) return pad(`\`${s}\``, spec, false);
      return pad(goQuote(s), spec, false);
    case 'x':
    case 'X': {
      const hex = [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
      const joined = spec.space ? hex.join(' ') : hex.join('');
      return pad(verb === 'X' ? joined.toUpperCase() : joined, spec, false);
    }
    default:
      return undefined;
  }
}

function formatArg(arg: GoValue, verb: string, spec: Spec): string {
  let out: string | undefined;
  if (typeof arg === 'string') out = formatString(arg, verb, spec);
  else if (arg instanceof GoHTML) out = formatString(arg.text, verb, spec);
  else if (typeof arg === 'number') out = formatFloatVerb(arg, verb, spec);
  else if (typeof arg === 'bigint') out = formatInteger(arg, verb, spec);
  else if (typeof arg === 'boolean')
    out = verb === 't' || verb === 'v' ? pad(String(arg), spec, false) : undefined;
  else if (arg === null) out = verb === 'v' ? pad('<nil>', spec, false) : undefined;
  else if (arg instanceof GoTime)
    out = verb === 'v' || verb === 's' ? pad(formatValueV(arg), spec, false) : undefined;
  else out = verb === 'v' || verb === 's' ? pad(formatValueV(arg), spec, false) : undefined;
  if (out !== undefined) return out;
  if (arg === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(arg)}=${formatValueV(arg)})`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i] as string;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = {
      plus: false,
      minus: false,
      sharp: false,
      space: false,
      zero: false,
      width: undefined,
      precision: undefined,
    };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '+') spec.plus = true;
      else if (f === '-') spec.minus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = !spec.minus;
      else break;
    }
    const number = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const arg = args[argIndex++];
        return typeof arg === 'bigint' ? Number(arg) : undefined;
      }
      const match = /^\d+/.exec(format.slice(i));
      if (!match) return undefined;
      i += match[0].length;
      return Number(match[0]);
    };
    spec.width = number();
    if (spec.width !== undefined && spec.width < 0) {
      spec.minus = true;
      spec.width = -spec.width;
    }
    if (format[i] === '.') {
      i++;
      spec.precision = number() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argIndex++] as GoValue, verb, spec);
  }
  if (argIndex < args.length) {
    const extra = args
      .slice(argIndex)
      .map((a) => (a === null ? '<nil>' : `${goTypeName(a)}=${formatValueV(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

const isStringArg = (a: GoValue) => typeof a === 'string' || a instanceof GoHTML;

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && !isStringArg(arg) && !isStringArg(args[i - 1] as GoValue)) out += ' ';
    out += formatValueV(arg);
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands, a newline at the end. */
export function sprintln(args: readonly GoValue[]): string {
  return `${args.map(formatValueV).join(' ')}\n`;
}
