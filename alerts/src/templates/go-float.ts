// Go's float formatting (strconv.FormatFloat with the 'e', 'f' and 'g' formats), digit for digit: alert
// annotations print values with `%.4g` (humanize), `%.2f` (printf) and `%v`, and must read exactly as
// Prometheus writes them. Fixed precisions round the exact binary value half-to-even, as Go does (JavaScript's
// toFixed/toPrecision round ties up), so the exact decimal expansion of the double is computed with BigInt.

/** Decimal digits of |v|: the value is 0.<digits> × 10^point. `digits` has no leading or trailing zeros. */
interface Digits {
  digits: string;
  point: number;
}

const view = new DataView(new ArrayBuffer(8));

/** The exact decimal expansion of a finite |v|. */
function exactDigits(v: number): Digits {
  if (v === 0) return { digits: '', point: 0 };
  view.setFloat64(0, Math.abs(v));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  let text: string;
  let point: number;
  if (exponent >= 0) {
    text = (mantissa << BigInt(exponent)).toString();
    point = text.length;
  } else {
    text = (mantissa * 5n ** BigInt(-exponent)).toString();
    point = text.length + exponent;
  }
  return trim({ digits: text, point });
}

/** The shortest digits that read back as |v| (Go's and JavaScript's shortest representations agree). */
function shortestDigits(v: number): Digits {
  if (v === 0) return { digits: '', point: 0 };
  const [mantissa = '', exponent = '0'] = Math.abs(v).toExponential().split('e');
  return trim({ digits: mantissa.replace('.', ''), point: Number(exponent) + 1 });
}

function trim(d: Digits): Digits {
  let digits = d.digits.replace(/0+$/, '');
  let point = d.point;
  const lead = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(lead);
  point -= lead;
  return digits === '' ? { digits: '', point: 0 } : { digits, point };
}

/** Go's decimal.Round(nd): half-to-even on an exact tie (the digits are exact, never truncated). */
function round(d: Digits, nd: number): Digits {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === d.digits.length) up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  if (!up) return trim({ digits: d.digits.slice(0, nd), point: d.point });
  let i = nd - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) return { digits: '1', point: d.point + 1 };
  const digits = d.digits.slice(0, i) + String.fromCharCode(d.digits.charCodeAt(i) + 1);
  return trim({ digits, point: d.point });
}

function digitAt(d: Digits, i: number): string {
  return i >= 0 && i < d.digits.length ? (d.digits[i] as string) : '0';
}

/** %e: d.ddddde±dd with `precision` digits after the point. */
function formatE(d: Digits, precision: number, upper: boolean): string {
  let out = d.digits === '' ? '0' : (d.digits[0] as string);
  if (precision > 0) {
    out += '.';
    for (let i = 1; i <= precision; i++) out += digitAt(d, i);
  }
  const exponent = d.digits === '' ? 0 : d.point - 1;
  const magnitude = String(Math.abs(exponent)).padStart(2, '0');
  return `${out}${upper ? 'E' : 'e'}${exponent < 0 ? '-' : '+'}${magnitude}`;
}

/** %f: ddd.ddd with `precision` digits after the point. */
function formatF(d: Digits, precision: number): string {
  let out = '';
  if (d.point > 0) for (let i = 0; i < d.point; i++) out += digitAt(d, i);
  else out = '0';
  if (precision > 0) {
    out += '.';
    for (let i = 0; i < precision; i++) out += digitAt(d, d.point + i);
  }
  return out;
}

export type FloatFormat = 'e' | 'E' | 'f' | 'g' | 'G';

/**
 * strconv.FormatFloat(v, format, precision, 64). Precision -1 means the shortest representation that reads
 * back as v. Infinities are "+Inf"/"-Inf", NaN is "NaN".
 */
export function formatFloat(v: number, format: FloatFormat, precision: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const negative = v < 0 || Object.is(v, -0);
  const shortest = precision < 0;
  let d = shortest ? shortestDigits(v) : exactDigits(v);
  let prec = precision;
  if (shortest) {
    if (format === 'e' || format === 'E') prec = Math.max(d.digits.length - 1, 0);
    else if (format === 'f') prec = Math.max(d.digits.length - d.point, 0);
    else prec = d.digits.length;
  } else if (format === 'e' || format === 'E') d = round(d, prec + 1);
  else if (format === 'f') d = round(d, d.point + prec);
  else {
    if (prec === 0) prec = 1;
    d = round(d, prec);
  }
  let body: string;
  if (format === 'e' || format === 'E') body = formatE(d, prec, format === 'E');
  else if (format === 'f') body = formatF(d, prec);
  else {
    let eprec = prec;
    if (eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
    if (shortest) eprec = 6;
    const exponent = d.point - 1;
    if (exponent < -4 || exponent >= eprec) {
      if (prec > d.digits.length) prec = d.digits.length;
      body = formatE(d, Math.max(prec - 1, 0), format === 'G');
    } else {
      if (prec > d.point) prec = d.digits.length;
      body = formatF(d, Math.max(prec - d.point, 0));
    }
  }
  return negative ? `-${body}` : body;
}

/** fmt's %v of a float64: the shortest 'g' form ("1e+06", "0.1", "+Inf", "NaN"). */
export function formatFloatV(v: number): string {
  return formatFloat(v, 'g', -1);
}
