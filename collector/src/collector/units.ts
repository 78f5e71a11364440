// Durations and sizes as people write them on a command line: `7d`, `36h`, `90m`; `2GiB`, `500MB`.

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

// Binary and decimal units both; a bare number is bytes. `k`, `m`, `g` alone are read as binary.
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1000 ** 4,
  tib: 1024 ** 4,
};

/** `7d` → 604800000. Throws with the accepted forms on anything else. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/i.exec(text);
  const unit = match?.[2]?.toLowerCase();
  if (!match || unit === undefined) {
    throw new Error(
      `"${text}" is not a duration: use a number and a unit (ms, s, m, h, d, w), e.g. 7d or 36h`,
    );
  }
  return Math.round(Number(match[1]) * (DURATION_UNITS_MS[unit] as number));
}

/** `2GiB` → 2147483648, `500MB` → 500000000, `4096` → 4096. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = (match?.[2] ?? '').toLowerCase() || 'b';
  const factor = SIZE_UNITS[unit];
  if (!match || factor === undefined) {
    throw new Error(
      `"${text}" is not a size: use a number and a unit (B, KiB, MiB, GiB, KB, MB, GB), e.g. 2GiB`,
    );
  }
  return Math.round(Number(match[1]) * factor);
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
