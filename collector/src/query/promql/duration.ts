// PromQL durations (Prometheus's model.ParseDuration): unit parts from the largest down, each at most once,
// `1h30m`, `5m`, `250ms`, `1y` (= 365 d); and a plain number of seconds (`300`, `1.5`), which Prometheus 3
// accepts in ranges and offsets. Milliseconds, or null when the text is not a duration.

const UNITS: ReadonlyArray<[string, number]> = [
  ['y', 365 * 86_400_000],
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

export function parsePromDuration(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (text === '') return null;
  const match = DURATION.exec(text);
  if (!match) return null;
  let ms = 0;
  UNITS.forEach(([, unitMs], i) => {
    const part = match[i + 1];
    if (part !== undefined) ms += Number(part) * unitMs;
  });
  return ms;
}

/** A query API duration or seconds parameter (`step=15`, `step=1m`, `timeout=30s`), in ms; null when invalid. */
export function parseDurationParam(text: string): number | null {
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
  }
  return parsePromDuration(text);
}
