// Durations of TraceQL (`100ms`, `1.5µs`) and LogQL ranges (`5m`, `1h30m`), as nanoseconds. A number holds
// nanoseconds exactly up to about 104 days, beyond what any query range or span duration here needs.

const NANOS_PER_UNIT: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3, // U+03BC, the Greek letter, which Go also accepts
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 7 * 86400e9,
  y: 365 * 86400e9,
};

const PART = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h|d|w|y)/y;

/** Parses a sequence of number+unit parts (`1h30m`, `1.5s`, `-5s`); null when the text is not a duration. */
export function parseDurationNanos(text: string): number | null {
  let i = 0;
  let sign = 1;
  if (text.startsWith('-')) {
    sign = -1;
    i = 1;
  }
  let total = 0;
  let parts = 0;
  while (i < text.length) {
    PART.lastIndex = i;
    const match = PART.exec(text);
    if (!match?.[1] || !match[2]) return null;
    total += Number(match[1]) * (NANOS_PER_UNIT[match[2]] ?? Number.NaN);
    i = PART.lastIndex;
    parts++;
  }
  if (parts === 0 || !Number.isFinite(total)) return null;
  return sign * Math.round(total);
}
