// The Go values a Prometheus alert template handles, as JavaScript values: Go's template functions and
// comparisons care about the dynamic type (an int 80 and a float64 80 do not compare), so ints are BigInts,
// float64s are numbers, and maps, structs, samples and times are small classes that know their Go type name.
import { formatFloatV } from './go-float.ts';

/** A Go `map[string]T` (labels are map[string]string, `args` returns map[string]interface {}). */
export class GoMap {
  readonly elemType: 'string' | 'interface {}';
  readonly entries: Map<string, GoValue>;

  constructor(elemType: 'string' | 'interface {}', entries: Map<string, GoValue>) {
    this.elemType = elemType;
    this.entries = entries;
  }

  static ofStrings(record: Readonly<Record<string, string>>): GoMap {
    return new GoMap('string', new Map(Object.entries(record)));
  }
}

/** A Go struct value: the alert template data (`.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`). */
export class GoStruct {
  readonly typeName: string;
  readonly fields: ReadonlyMap<string, GoValue>;

  constructor(typeName: string, fields: ReadonlyMap<string, GoValue>) {
    this.typeName = typeName;
    this.fields = fields;
  }
}

/** Prometheus's `*template.sample`: one element of a `query` result. */
export class GoSample {
  readonly labels: GoMap;
  readonly value: number;

  constructor(labels: GoMap, value: number) {
    this.labels = labels;
    this.value = value;
  }
}

/** Prometheus's `template.queryResult` ([]*sample). */
export class GoQueryResult {
  readonly samples: readonly GoSample[];

  constructor(samples: readonly GoSample[]) {
    this.samples = samples;
  }
}

/** A `*time.Time` (from `toTime`), in milliseconds: Prometheus's model.Time resolution. */
export class GoTime {
  readonly ms: number;

  constructor(ms: number) {
    this.ms = ms;
  }
}

/** html/template.HTML (from `safeHtml`): a string of its own named type. */
export class GoHTML {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

/** `null` is an untyped nil (Go's invalid reflect.Value); a nil *sample is `NIL_SAMPLE`. */
export type GoValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | GoMap
  | GoStruct
  | GoSample
  | GoQueryResult
  | GoTime
  | GoHTML
  | typeof NIL_SAMPLE;

export const NIL_SAMPLE = Symbol('nil *template.sample');

export function goTypeName(v: GoValue): string {
  if (v === null) return '<nil>';
  if (v === NIL_SAMPLE) return '*template.sample';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
  }
  if (v instanceof GoMap) return `map[string]${v.elemType}`;
  if (v instanceof GoStruct) return v.typeName;
  if (v instanceof GoSample) return '*template.sample';
  if (v instanceof GoQueryResult) return 'template.queryResult';
  if (v instanceof GoTime) return '*time.Time';
  return 'template.HTML';
}

/** text/template's isTrue: the zero value of its type is false. */
export function truth(v: GoValue): boolean {
  if (v === null || v === NIL_SAMPLE) return false;
  switch (typeof v) {
    case 'string':
      return v !== '';
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'boolean':
      return v;
  }
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoQueryResult) return v.samples.length > 0;
  if (v instanceof GoHTML) return v.text !== '';
  return true;
}

/** Go's time.Time.String() in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC". */
export function formatGoTime(ms: number): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  const millis = date.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${pad(millis, 3).replace(/0+$/, '')}`;
  return (
    `${yearText}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${fraction} +0000 UTC`
  );
}

/** fmt's %v of a value passed as an interface (a *sample prints as "&{...}", as fmt prints pointers). */
export function formatValueV(v: GoValue): string {
  if (v instanceof GoSample) return `&${formatStructLike(v)}`;
  return formatStructLike(v);
}

function formatStructLike(v: GoValue): string {
  if (v === null) return '<nil>';
  if (v === NIL_SAMPLE) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatFloatV(v);
    case 'bigint':
    case 'boolean':
      return String(v);
  }
  if (v instanceof GoMap) {
    const keys = [...v.entries.keys()].sort();
    return `map[${keys.map((k) => `${k}:${formatValueV(v.entries.get(k) ?? null)}`).join(' ')}]`;
  }
  if (v instanceof GoStruct) return `{${[...v.fields.values()].map(formatValueV).join(' ')}}`;
  if (v instanceof GoSample) return `{${formatValueV(v.labels)} ${formatFloatV(v.value)}}`;
  // Go prints the element pointers' addresses here; the contents say more.
  if (v instanceof GoQueryResult) return `[${v.samples.map(formatValueV).join(' ')}]`;
  if (v instanceof GoTime) return formatGoTime(v.ms);
  return v.text;
}

/** What an action `{{ x }}` prints: text/template's printValue (pointers dereferenced, nil as "<no value>"). */
export function printValue(v: GoValue): string {
  if (v === null || v === NIL_SAMPLE) return '<no value>';
  return formatStructLike(v);
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x80 && code >= 0x20 && code !== 0x7f) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (code >= 0x80 && PRINTABLE.test(ch) && !(code >= 0xd800 && code <= 0xdfff)) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
