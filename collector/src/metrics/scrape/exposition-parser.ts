// A parser for the Prometheus text exposition format 0.0.4 (what prom-client and most exporters serve):
// `# HELP` and `# TYPE` lines, samples `name{label="value",...} value [timestamp]`, label values with the
// escapes \\ \" \n, values NaN/+Inf/-Inf. OpenMetrics text is tolerated: `# EOF` ends the input, `# UNIT`
// is read, exemplars after a sample are skipped, `_created` series of counters, histograms and summaries
// are dropped, and timestamps are seconds (only when `openMetrics` is set: the Content-Type says which).
// Errors name the line. Quoted (UTF-8) metric and label names are not supported.

export type FamilyType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'untyped'
  | 'unknown'
  | 'info'
  | 'stateset';

const FAMILY_TYPES: ReadonlySet<string> = new Set<FamilyType>([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'untyped',
  'unknown',
  'info',
  'stateset',
]);

export interface ParsedFamily {
  name: string;
  type?: FamilyType;
  help?: string;
  unit?: string;
}

export interface ParsedSample {
  name: string;
  /** Labels as written (without `__name__`), escapes resolved. */
  labels: Record<string, string>;
  value: number;
  /** The explicit timestamp, in ms, when the line has one. */
  timestampMs?: number;
  /** The family the sample belongs to (declared by TYPE), if any. */
  family?: ParsedFamily;
  line: number;
}

export interface ParsedExposition {
  samples: ParsedSample[];
  /** Families with a TYPE, HELP or UNIT line, in order of first mention. */
  families: ParsedFamily[];
}

export interface ParseOptions {
  /** OpenMetrics text: timestamps in seconds. Default false (milliseconds). */
  openMetrics?: boolean;
}

export class ExpositionParseError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionParseError';
    this.line = line;
  }
}

// Sticky: matched at the reader's position.
const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;

/** Suffixes of a family's series, by the family types that have them. */
const SUFFIXES: readonly [suffix: string, types: readonly FamilyType[]][] = [
  ['_bucket', ['histogram', 'gaugehistogram']],
  ['_count', ['histogram', 'summary']],
  ['_sum', ['histogram', 'summary']],
  ['_gcount', ['gaugehistogram']],
  ['_gsum', ['gaugehistogram']],
  ['_total', ['counter']],
  ['_created', ['counter', 'histogram', 'summary']],
  ['_info', ['info']],
];

/** A value as Go's strconv.ParseFloat reads the common forms; undefined when it is not a number. */
export function parseFloatValue(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const infinity = INFINITY.exec(text);
  if (infinity !== null) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[+-]?nan$/i.test(text)) return Number.NaN;
  return undefined;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\([\\n"])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

class LineReader {
  readonly text: string;
  readonly line: number;
  position = 0;

  constructor(text: string, line: number) {
    this.text = text;
    this.line = line;
  }

  fail(message: string): never {
    throw new ExpositionParseError(this.line, message);
  }

  skipBlanks(): boolean {
    const start = this.position;
    while (
      this.position < this.text.length &&
      (this.text[this.position] === ' ' || this.text[this.position] === '\t')
    )
      this.position++;
    return this.position > start;
  }

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? '';
  }

  /** What is at the current position, for error messages. */
  found(): string {
    return this.done ? 'end of line' : JSON.stringify(this.text.slice(this.position, this.position + 10));
  }

  /** `pattern` (sticky) at the current position, consumed. */
  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    const found = pattern.exec(this.text);
    if (found === null) return undefined;
    this.position += found[0].length;
    return found[0];
  }

  /** The next run of non-blank characters. */
  token(): string {
    const start = this.position;
    while (!this.done && this.peek() !== ' ' && this.peek() !== '\t') this.position++;
    return this.text.slice(start, this.position);
  }

  expect(char: string, what: string): void {
    if (this.peek() !== char) this.fail(`expected ${what}, found ${this.found()}`);
    this.position++;
  }
}

/** A quoted label value after its opening quote: escapes \\ \" \n resolved, others kept as written. */
function labelValue(reader: LineReader, name: string): string {
  let value = '';
  for (;;) {
    if (reader.done) reader.fail(`label value of "${name}" is not terminated by '"'`);
    const char = reader.text[reader.position++] as string;
    if (char === '"') return value;
    if (char === '\\') {
      const next = reader.text[reader.position++];
      if (next === undefined) reader.fail(`label value of "${name}" is not terminated by '"'`);
      value += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : `\\${next}`;
    } else {
      value += char;
    }
  }
}

/** The label set after `{`, up to and including `}`. */
function labelSet(reader: LineReader): Record<string, string> {
  const labels: Record<string, string> = {};
  for (;;) {
    reader.skipBlanks();
    if (reader.peek() === '}') {
      reader.position++;
      return labels;
    }
    if (reader.peek() === '"') reader.fail('quoted (UTF-8) label and metric names are not supported');
    const name = reader.match(LABEL_NAME);
    if (name === undefined) reader.fail(`expected a label name or '}', found ${reader.found()}`);
    reader.skipBlanks();
    reader.expect('=', `'=' after label name "${name}"`);
    reader.skipBlanks();
    reader.expect('"', `'"' to open the value of label "${name}"`);
    const value = labelValue(reader, name);
    if (Object.hasOwn(labels, name)) reader.fail(`duplicate label name "${name}"`);
    Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
    reader.skipBlanks();
    if (reader.peek() === ',') reader.position++;
    else if (reader.peek() !== '}')
      reader.fail(`expected ',' or '}' after the value of label "${name}", found ${reader.found()}`);
  }
}

interface Families {
  byName: Map<string, ParsedFamily>;
}

function family(families: Families, name: string): ParsedFamily {
  let found = families.byName.get(name);
  if (found === undefined) {
    found = { name };
    families.byName.set(name, found);
  }
  return found;
}

/** `# HELP`, `# TYPE`, `# UNIT`; other comments are ignored. Returns true at `# EOF`. */
function comment(reader: LineReader, families: Families): boolean {
  reader.position = 1;
  reader.skipBlanks();
  const keyword = reader.token();
  if (keyword === 'EOF') return true;
  if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') return false;
  if (!reader.skipBlanks()) reader.fail(`expected a metric name after # ${keyword}`);
  const name = reader.match(METRIC_NAME);
  if (name === undefined || (!reader.done && !reader.skipBlanks()))
    reader.fail(`invalid metric name in # ${keyword} line: ${reader.found()}`);
  const rest = reader.text.slice(reader.position);
  const target = family(families, name);
  if (keyword === 'HELP') target.help ??= unescapeHelp(rest);
  else if (keyword === 'UNIT') target.unit ??= rest.trim();
  else {
    const type = rest.trim();
    if (!FAMILY_TYPES.has(type)) reader.fail(`invalid metric type "${type}" for ${name}`);
    target.type ??= type as FamilyType;
  }
  return false;
}

/** The declared family of a sample name: itself, or itself less a suffix its family type has. */
function familyOf(families: Families, name: string): ParsedFamily | undefined {
  const exact = families.byName.get(name);
  if (exact?.type !== undefined) return exact;
  for (const [suffix, types] of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = families.byName.get(name.slice(0, -suffix.length));
    if (base?.type !== undefined && types.includes(base.type)) return base;
  }
  return exact;
}

function sample(reader: LineReader, families: Families, openMetrics: boolean): ParsedSample | undefined {
  if (reader.peek() === '{' && reader.text[reader.position + 1] === '"')
    reader.fail('quoted (UTF-8) label and metric names are not supported');
  const name = reader.match(METRIC_NAME);
  if (name === undefined) reader.fail(`expected a metric name, found ${reader.found()}`);
  let labels: Record<string, string> = {};
  let blank = reader.skipBlanks();
  if (reader.peek() === '{') {
    reader.position++;
    labels = labelSet(reader);
    blank = reader.skipBlanks();
  }
  if (reader.done) reader.fail(`expected a value after ${name}`);
  if (!blank) reader.fail(`expected a blank before the value, found ${reader.found()}`);
  const valueText = reader.token();
  const value = parseFloatValue(valueText);
  if (value === undefined) reader.fail(`invalid value ${JSON.stringify(valueText)}`);

  let timestampMs: number | undefined;
  reader.skipBlanks();
  if (!reader.done && reader.peek() !== '#') {
    const text = reader.token();
    const parsed = openMetrics ? parseFloatValue(text) : /^-?\d+$/.test(text) ? Number(text) : undefined;
    if (parsed === undefined || !Number.isFinite(parsed))
      reader.fail(`invalid timestamp ${JSON.stringify(text)}`);
    timestampMs = openMetrics ? Math.trunc(parsed * 1000) : parsed;
    reader.skipBlanks();
  }
  // Anything left must be an OpenMetrics exemplar (` # {trace_id="..."} 1 …`), which is not kept.
  if (!reader.done && reader.peek() !== '#') reader.fail(`unexpected ${reader.found()} after the sample`);

  const declared = familyOf(families, name);
  if (declared !== undefined && name === `${declared.name}_created`) return undefined;
  return {
    name,
    labels,
    value,
    ...(timestampMs === undefined ? {} : { timestampMs }),
    ...(declared === undefined ? {} : { family: declared }),
    line: reader.line,
  };
}

export function parseExposition(text: string, options: ParseOptions = {}): ParsedExposition {
  const openMetrics = options.openMetrics ?? false;
  const families: Families = { byName: new Map() };
  const samples: ParsedSample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/\r$/, '');
    const reader = new LineReader(raw.replace(/^[ \t]+/, ''), i + 1);
    if (reader.done) continue;
    if (reader.peek() === '#') {
      if (comment(reader, families)) break;
      continue;
    }
    const parsed = sample(reader, families, openMetrics);
    if (parsed !== undefined) samples.push(parsed);
  }
  const declared = [...families.byName.values()].filter(
    (f) => f.type !== undefined || f.help !== undefined || f.unit !== undefined,
  );
  return { samples, families: declared };
}
