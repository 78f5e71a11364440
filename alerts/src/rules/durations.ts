// Durations as Prometheus configuration files write them (prometheus/common model.Duration): `1h30m`, `5m`,
// `90s`, `1d`, `1w`, `1y`, `250ms`, units from the largest down, integers only, and a bare `0`. Also how Go
// prints them back: model.Duration.String() ("6d9h30m") in test reports, time.Duration.String() ("1m0s")
// for evaluation times, as promtool does.

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
const MAX_MS = 2 ** 63 / 1e6;

/** Milliseconds, or Go's error message (`not a valid duration string: "5x"`). */
export function parseModelDuration(text: string): number | string {
  if (text === '0') return 0;
  if (text === '') return 'empty duration string';
  const match = DURATION.exec(text);
  if (!match) return `not a valid duration string: ${JSON.stringify(text)}`;
  let ms = 0;
  UNIT_MS.forEach((unit, i) => {
    const part = match[i + 1];
    if (part !== undefined) ms += Number(part) * unit;
  });
  if (ms > MAX_MS) return 'duration out of range';
  return ms;
}

/** model.Duration.String(): "0s", "1h30m", "6d9h30m", "1w"; years and weeks only when exact. */
export function formatModelDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const part = (unit: string, size: number, exact: boolean) => {
    if (exact && rest % size !== 0) return;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  };
  part('y', 365 * 86_400_000, true);
  part('w', 7 * 86_400_000, true);
  part('d', 86_400_000, false);
  part('h', 3_600_000, false);
  part('m', 60_000, false);
  part('s', 1000, false);
  part('ms', 1, false);
  return out;
}

/** Go's time.Duration.String() for whole milliseconds: "0s", "1m0s", "1h30m0s", "1.5s", "250ms". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${abs}ms`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const millis = abs % 60_000;
  const seconds = `${Math.floor(millis / 1000)}${
    millis % 1000
      ? `.${String(millis % 1000)
          .padStart(3, '0')
          .replace(/0+$/, '')}`
      : ''
  }s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}
