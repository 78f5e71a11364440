// Attribute lists and AnyValues as JSON text that keeps every OTLP type, so that what the Tempo and
// Loki APIs return is exactly what was sent. The shape follows OTLP/JSON's type tags, with two changes
// that make the text queryable by SQLite's JSON functions:
//   - an attribute list (and a kvlist) is an object keyed by attribute name:
//     {"http.method":{"stringValue":"GET"},"retries":{"intValue":3}}
//     so `json_extract(attributes, '$."http.method".stringValue')` finds a value without a scan;
//   - intValue is a bare JSON integer written from the bigint (all 64 bits exact: SQLite reads it as
//     INTEGER, and decodeAttributes reads its source text back into a bigint).
// Other tags: boolValue (true/false), doubleValue (a number, or "NaN" / "Infinity" / "-Infinity" as in
// ProtoJSON; -0 is written as -0), bytesValue (base64), arrayValue (a JSON array of values),
// kvlistValue (an object as above), and {} for an empty value.
// OTLP requires attribute keys to be unique; if a list repeats one, the last value is kept (as
// attributesToObject does). Integer-like keys ("10") come back first: JSON objects in JavaScript order
// them so.
import type { AnyValue, KeyValue } from '../receiver/decoded-types.ts';

/**
 * `"key":` of attribute keys seen recently: a handful of names recur in every record, and quoting them
 * was a good part of encoding. Bounded (it starts over when full), since keys come from the senders.
 */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 4096;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    if (quotedKeys.size >= MAX_QUOTED_KEYS) quotedKeys.clear();
    quoted = `${JSON.stringify(key)}:`;
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

export function encodeAttributes(attributes: readonly KeyValue[]): string {
  if (attributes.length === 0) return '{}';
  let text = '{';
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i] as KeyValue;
    if (i > 0) text += ',';
    text += quotedKey(attribute.key);
    text += encodeAnyValue(attribute.value);
  }
  return `${text}}`;
}

export function encodeAnyValue(value: AnyValue): string {
  switch (value.type) {
    case 'string':
      return `{"stringValue":${JSON.stringify(value.value)}}`;
    case 'bool':
      return value.value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'int':
      return `{"intValue":${value.value.toString()}}`;
    case 'double':
      return `{"doubleValue":${encodeDouble(value.value)}}`;
    case 'bytes':
      return `{"bytesValue":"${Buffer.from(value.value.buffer, value.value.byteOffset, value.value.byteLength).toString('base64')}"}`;
    case 'array':
      return `{"arrayValue":[${value.value.map(encodeAnyValue).join(',')}]}`;
    case 'kvlist':
      return `{"kvlistValue":${encodeAttributes(value.value)}}`;
    case 'empty':
      return '{}';
  }
}

function encodeDouble(value: number): string {
  if (Number.isNaN(value)) return '"NaN"';
  if (value === Number.POSITIVE_INFINITY) return '"Infinity"';
  if (value === Number.NEGATIVE_INFINITY) return '"-Infinity"';
  if (Object.is(value, -0)) return '-0';
  return JSON.stringify(value);
}

// ---- decoding ----

type JsonValue = string | number | bigint | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Reads intValue numbers from their source text, so 64-bit integers stay exact. */
function reviveInts(this: unknown, key: string, value: unknown, context?: { source?: string }): unknown {
  if (key === 'intValue' && typeof value === 'number' && context?.source !== undefined) {
    return BigInt(context.source);
  }
  return value;
}

function parse(text: string): JsonValue {
  return JSON.parse(text, reviveInts as (key: string, value: unknown) => unknown) as JsonValue;
}

export function decodeAttributes(text: string): KeyValue[] {
  if (text === '{}') return [];
  return objectToKeyValues(parse(text));
}

export function decodeAnyValue(text: string): AnyValue {
  return toAnyValue(parse(text));
}

function objectToKeyValues(object: JsonValue): KeyValue[] {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    throw new Error('stored attributes are not a JSON object');
  }
  return Object.entries(object).map(([key, value]) => ({ key, value: toAnyValue(value) }));
}

function toAnyValue(json: JsonValue): AnyValue {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error('a stored AnyValue is not a JSON object');
  }
  if ('stringValue' in json) return { type: 'string', value: String(json.stringValue) };
  if ('intValue' in json) return { type: 'int', value: BigInt(json.intValue as bigint | number) };
  if ('doubleValue' in json) return { type: 'double', value: decodeDouble(json.doubleValue) };
  if ('boolValue' in json) return { type: 'bool', value: json.boolValue === true };
  if ('bytesValue' in json) {
    return { type: 'bytes', value: new Uint8Array(Buffer.from(String(json.bytesValue), 'base64')) };
  }
  if ('arrayValue' in json) {
    const values = json.arrayValue;
    if (!Array.isArray(values)) throw new Error('a stored arrayValue is not a JSON array');
    return { type: 'array', value: values.map(toAnyValue) };
  }
  if ('kvlistValue' in json)
    return { type: 'kvlist', value: objectToKeyValues(json.kvlistValue as JsonValue) };
  return { type: 'empty' };
}

function decodeDouble(value: JsonValue | undefined): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new Error(`a stored doubleValue is not a number: ${JSON.stringify(value)}`);
}
