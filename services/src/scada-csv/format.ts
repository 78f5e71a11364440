// The SCADA export format the DSS receives from its clients (one CSV file per client per period,
// uploaded by SFTP), shared by the simulator that writes it and the intake that reads it. The README
// of the services workspace documents it for the clients.

/** The header line, in this order when we write it; the intake accepts the columns in any order. */
export const CSV_COLUMNS = ['timestamp', 'site', 'tag', 'value', 'unit', 'quality'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** OPC-style quality flags. */
export const QUALITIES = ['GOOD', 'UNCERTAIN', 'BAD'] as const;
export type Quality = (typeof QUALITIES)[number];

/** What a tag measures; the suffix (or prefix, for flows) of its name says which. */
export type TagKind = 'level' | 'run' | 'speed' | 'power' | 'flow-in' | 'flow-out';

/** The unit each kind of tag must carry. */
export const UNIT_OF_KIND: Readonly<Record<TagKind, string>> = {
  level: 'm',
  run: 'bool',
  speed: 'Hz',
  power: 'kW',
  'flow-in': 'm3/h',
  'flow-out': 'm3/h',
};

/** Tank and pump identifiers: a letter or digit, then letters, digits, `_` or `-` (no dot, no comma). */
export const ASSET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** Client (site) identifiers, also used in file names: lowercase letters, digits, `-`. */
export const SITE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

const ASSET_TAG = /^([A-Za-z0-9][A-Za-z0-9_-]{0,31})\.(LEVEL|RUN|SPEED|POWER)$/;
const FLOW_TAG = /^FLOW\.([A-Za-z0-9][A-Za-z0-9_-]{0,31})\.(IN|OUT)$/;

const ASSET_KINDS: Readonly<Record<string, TagKind>> = {
  LEVEL: 'level',
  RUN: 'run',
  SPEED: 'speed',
  POWER: 'power',
};

export interface ParsedTag {
  kind: TagKind;
  /** The tank (level, flows) or pump (run, speed, power) the tag belongs to. */
  asset: string;
}

/** `T1.LEVEL`, `P2.RUN`, `P2.SPEED`, `P2.POWER`, `FLOW.T1.IN`, `FLOW.T1.OUT`; undefined for anything else. */
export function parseTag(tag: string): ParsedTag | undefined {
  const asset = ASSET_TAG.exec(tag);
  if (asset) return { kind: ASSET_KINDS[asset[2] as string] as TagKind, asset: asset[1] as string };
  const flow = FLOW_TAG.exec(tag);
  if (flow) return { kind: flow[2] === 'IN' ? 'flow-in' : 'flow-out', asset: flow[1] as string };
  return undefined;
}

export const tagName = {
  level: (tank: string) => `${tank}.LEVEL`,
  run: (pump: string) => `${pump}.RUN`,
  speed: (pump: string) => `${pump}.SPEED`,
  power: (pump: string) => `${pump}.POWER`,
  flowIn: (tank: string) => `FLOW.${tank}.IN`,
  flowOut: (tank: string) => `FLOW.${tank}.OUT`,
};

let lastMs = Number.NaN;
let lastText = '';

/** ISO-8601 UTC to the second: `2026-01-05T06:00:00Z`. */
export function formatTimestamp(ms: number): string {
  // Every row of a sample has the same time: format it once.
  if (ms !== lastMs) {
    lastText = `${new Date(ms).toISOString().slice(0, 19)}Z`;
    lastMs = ms;
  }
  return lastText;
}

/** `north_20260105T060000Z.csv`: the client, then the start of the period the file covers (UTC). */
export function csvFileName(site: string, periodStartMs: number): string {
  const stamp = formatTimestamp(periodStartMs).replaceAll('-', '').replaceAll(':', '');
  return `${site}_${stamp}.csv`;
}

/** One reading, as a row of the file. */
export interface CsvReading {
  timestampMs: number;
  site: string;
  tag: string;
  value: number;
  unit: string;
  quality: Quality;
}

/** A value as the file writes it: at most 3 decimals, no exponent, no `-0`. */
export function formatValue(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export function formatRow(r: CsvReading): string {
  return [formatTimestamp(r.timestampMs), r.site, r.tag, formatValue(r.value), r.unit, r.quality].join(',');
}

/** A whole file: header, rows, LF line ends, a final newline. */
export function formatCsv(rows: readonly string[]): string {
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}
