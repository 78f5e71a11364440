// Float label values (`le`, `quantile`) written as Prometheus writes them. Two forms exist, and Prometheus 3
// uses both: its OTLP receiver formats bounds with Go's strconv.FormatFloat(f, 'f', -1, 64) ("1", "0.005",
// "10000000"), while its scrape parsers normalise `le` of histograms and `quantile` of summaries to
// labels.FormatOpenMetricsFloat ("1.0", "0.005", "1e-05", "1e+06").

interface Decimal {
  negative: boolean;
  /** Shortest round-trip significant digits, no leading or trailing zeros ("5" for 0.005). */
  digits: string;
  /** Position of the decimal point: the value is 0.<digits> × 10^point. */
  point: number;
}

/** Finite, non-zero `f` as its shortest decimal digits (what JavaScript and Go both print). */
function decimal(f: number): Decimal {
  // toExponential() without an argument keeps as many digits as needed to round-trip, like Go's -1.
  const text = Math.abs(f).toExponential();
  const [mantissa = '', exponent = '0'] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return { negative: f < 0, digits, point: Number(exponent) + 1 };
}

function special(f: number): string | undefined {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  return undefined;
}

function fixed({ negative, digits, point }: Decimal): string {
  let body: string;
  if (point <= 0) body = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) body = digits + '0'.repeat(point - digits.length);
  else body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${body}` : body;
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent; "+Inf" for infinity. */
export function formatGoFloat(f: number): string {
  return special(f) ?? fixed(decimal(f));
}

/**
 * Go's strconv.FormatFloat(f, 'g', -1, 64): the exponent form (two exponent digits at least) when the decimal
 * exponent is below -4 or at least 6 ("1e-05", "1e+06", "1.5e+06"), the plain form otherwise.
 */
export function formatGoFloatG(f: number): string {
  const known = special(f);
  if (known !== undefined) return known;
  const d = decimal(f);
  const exponent = d.point - 1;
  if (exponent >= -4 && exponent < 6) return fixed(d);
  const mantissa = d.digits.length > 1 ? `${d.digits[0]}.${d.digits.slice(1)}` : d.digits;
  const sign = exponent < 0 ? '-' : '+';
  const magnitude = String(Math.abs(exponent)).padStart(2, '0');
  return `${d.negative ? '-' : ''}${mantissa}e${sign}${magnitude}`;
}

/**
 * Prometheus's labels.FormatOpenMetricsFloat: the 'g' form with ".0" appended when it has neither a dot nor
 * an exponent ("1.0", "0.0", "2.5", "1e-05", "+Inf").
 */
export function formatOpenMetricsFloat(f: number): string {
  if (f === 0) return '0.0';
  const text = formatGoFloatG(f);
  if (!Number.isFinite(f) || text.includes('.') || text.includes('e')) return text;
  return `${text}.0`;
}
