// Sample values and timestamps as Prometheus and Loki write them in JSON: values are strings formatted like
// Go's strconv.FormatFloat(v, 'f', -1, 64) (no exponent; NaN, +Inf, -Inf spelled out), timestamps of
// metric samples are seconds as a JSON number, timestamps of log lines are nanoseconds as a string.

export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const text = String(value);
  const exponent = text.indexOf('e');
  if (exponent < 0) return text;
  return expandExponent(text.slice(0, exponent), Number(text.slice(exponent + 1)));
}

function expandExponent(mantissa: string, exponent: number): string {
  const negative = mantissa.startsWith('-');
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const [whole = '', fraction = ''] = unsigned.split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent; // position of the decimal point within `digits`
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/** Milliseconds since the epoch to the seconds number of a metric sample. */
export function sampleTimestamp(timeMs: number): number {
  return timeMs / 1000;
}
