// A SCADA CSV file to readings: csv-parse for the syntax, then every row checked against the format
// (services/README.md, "CSV format"). A bad row is quarantined with its line and reason; the file is
// refused as a whole only when it is not such a CSV at all.
import { type CsvError, parse } from 'csv-parse/sync';
import {
  CSV_COLUMNS,
  type CsvColumn,
  parseTag,
  QUALITIES,
  type Quality,
  type TagKind,
  UNIT_OF_KIND,
} from '../scada-csv/format.ts';

/** Why a row was quarantined (a bounded set: it is a metric attribute). */
export type RowReason = 'csv' | 'columns' | 'timestamp' | 'site' | 'tag' | 'value' | 'unit' | 'quality';

/** Why a whole file was rejected (a bounded set too). */
export type FileReason =
  | 'empty'
  | 'binary'
  | 'header'
  | 'no-valid-row'
  | 'too-large'
  | 'unreadable'
  | 'duplicate';

export interface Reading {
  /** Line of the file (1 is the header). */
  line: number;
  tag: string;
  kind: TagKind;
  /** The tank or pump. */
  asset: string;
  timestampMs: number;
  value: number;
  quality: Quality;
}

export interface QuarantinedRow {
  line: number;
  reason: RowReason;
  message: string;
  /** The line as it was in the file (cut at 500 characters). */
  raw: string;
}

export type ParsedFile =
  | { ok: true; rows: number; readings: Reading[]; quarantined: QuarantinedRow[] }
  | { ok: false; reason: FileReason; message: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const EPOCH_SECONDS = /^\d{9,10}(\.\d{1,6})?$/;
const EPOCH_MILLIS = /^\d{12,13}$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Readings before 2000 or after 2100 are garbage, whatever the format says. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** ISO-8601 with a zone (`Z`, `+01:00`), or Unix epoch seconds / milliseconds; undefined if neither. */
export function parseTimestamp(text: string): number | undefined {
  let ms: number | undefined;
  const iso = ISO.exec(text);
  if (iso) {
    const [year, month, day, hour, minute] = iso.slice(1, 6).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const second = Number(iso[6] ?? 0);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    const fraction = iso[7] ? Math.round(Number(iso[7]) * 1000) : 0;
    const zone = (iso[8] as string).toUpperCase();
    let offsetMinutes = 0;
    if (zone !== 'Z') {
      const digits = zone.slice(1).replace(':', '');
      const hours = Number(digits.slice(0, 2));
      const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
      if (hours > 14 || minutes > 59) return undefined;
      offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
    }
    ms = Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offsetMinutes * 60_000;
  } else if (EPOCH_SECONDS.test(text)) ms = Math.round(Number(text) * 1000);
  else if (EPOCH_MILLIS.test(text)) ms = Number(text);
  if (ms === undefined || ms < EARLIEST || ms >= LATEST) return undefined;
  return ms;
}

const UNIT_ALIASES: Readonly<Record<string, string>> = { 'm³/h': 'm3/h' };

function isBinary(content: Buffer): boolean {
  if (content.subarray(0, 8192).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return false;
  } catch {
    return true;
  }
}

interface RawRecord {
  line: number;
  fields: string[];
  raw: string;
}

const cut = (text: string) => (text.length > 500 ? `${text.slice(0, 500)}…` : text);

/**
 * The records of the file. The whole text goes through csv-parse at once; if it trips on a line (an
 * unclosed quote swallows the rest of the file), the file is parsed again line by line, so that only
 * the broken lines are lost. SCADA exports have no multi-line fields.
 */
function records(text: string): { records: RawRecord[]; broken: QuarantinedRow[] } {
  let failed = false;
  const whole = parse(text, {
    info: true,
    raw: true,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: () => {
      failed = true;
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
  if (!failed) {
    return {
      records: whole.map((r) => ({ line: r.info.lines, fields: r.record, raw: r.raw.replace(/\r?\n$/, '') })),
      broken: [],
    };
  }
  const result: RawRecord[] = [];
  const broken: QuarantinedRow[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const [fields] = parse(line, { relax_column_count: true }) as string[][];
      result.push({ line: i + 1, fields: fields ?? [], raw: line });
    } catch (error) {
      const message = ((error as CsvError).message ?? String(error)).replace(/ at line \d+/, '');
      broken.push({
        line: i + 1,
        reason: 'csv',
        message: `not parseable as CSV: ${message}`,
        raw: cut(line),
      });
    }
  });
  return { records: result, broken };
}

/** Checks and converts one file. `site` is the client whose files these are. */
export function parseCsvFile(content: Buffer, site: string): ParsedFile {
  if (content.length === 0 || content.toString('utf8').trim() === '') {
    return { ok: false, reason: 'empty', message: 'empty file' };
  }
  if (isBinary(content)) return { ok: false, reason: 'binary', message: 'not a text file (binary content)' };
  const { records: all, broken } = records(content.toString('utf8'));
  const [header, ...rows] = all;
  const expected = CSV_COLUMNS.join(',');
  if (!header) return { ok: false, reason: 'header', message: `no header line; expected ${expected}` };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = {} as Record<CsvColumn, number>;
  for (const column of CSV_COLUMNS) {
    const at = names.indexOf(column);
    if (at < 0 || names.indexOf(column, at + 1) >= 0) {
      return {
        ok: false,
        reason: 'header',
        message: `line ${header.line}: header ${JSON.stringify(cut(header.raw))} is not ${expected} (column ${column} ${at < 0 ? 'missing' : 'repeated'})`,
      };
    }
    index[column] = at;
  }

  const readings: Reading[] = [];
  const quarantined: QuarantinedRow[] = [...broken];
  for (const row of rows) {
    const fail = (reason: RowReason, message: string) =>
      quarantined.push({ line: row.line, reason, message, raw: cut(row.raw) });
    if (row.fields.length !== names.length) {
      fail('columns', `${row.fields.length} columns, the header has ${names.length}`);
      continue;
    }
    const field = (c: CsvColumn) => (row.fields[index[c]] as string).trim();
    const timestampMs = parseTimestamp(field('timestamp'));
    if (timestampMs === undefined) {
      fail(
        'timestamp',
        `timestamp ${JSON.stringify(field('timestamp'))} is neither ISO-8601 with a zone nor epoch`,
      );
      continue;
    }
    if (field('site') !== site) {
      fail(
        'site',
        `site ${JSON.stringify(field('site'))} is not this intake's client ${JSON.stringify(site)}`,
      );
      continue;
    }
    const tag = parseTag(field('tag'));
    if (!tag) {
      fail(
        'tag',
        `tag ${JSON.stringify(field('tag'))} is not <TANK>.LEVEL, <PUMP>.RUN|SPEED|POWER or FLOW.<TANK>.IN|OUT`,
      );
      continue;
    }
    const valueText = field('value');
    const value = Number(valueText);
    if (!NUMBER.test(valueText) || !Number.isFinite(value)) {
      fail('value', `value ${JSON.stringify(valueText)} is not a number`);
      continue;
    }
    if (tag.kind === 'run' ? value !== 0 && value !== 1 : value < 0) {
      fail(
        'value',
        `value ${valueText} is out of range for ${tag.kind === 'run' ? 'a run state (0 or 1)' : `a ${tag.kind} (>= 0)`}`,
      );
      continue;
    }
    const unit = field('unit');
    const expectedUnit = UNIT_OF_KIND[tag.kind];
    if ((UNIT_ALIASES[unit] ?? unit).toLowerCase() !== expectedUnit.toLowerCase()) {
      fail('unit', `unit ${JSON.stringify(unit)} does not fit ${field('tag')} (expected ${expectedUnit})`);
      continue;
    }
    const quality = field('quality').toUpperCase() as Quality;
    if (!QUALITIES.includes(quality)) {
      fail('quality', `quality ${JSON.stringify(field('quality'))} is not one of ${QUALITIES.join(', ')}`);
      continue;
    }
    readings.push({
      line: row.line,
      tag: field('tag'),
      kind: tag.kind,
      asset: tag.asset,
      timestampMs,
      value,
      quality,
    });
  }
  quarantined.sort((a, b) => a.line - b.line);
  return { ok: true, rows: rows.length + broken.length, readings, quarantined };
}
