// Malformed and hostile OTLP request bodies for the bad-input tests: a seeded PRNG (so a failing case
// can be replayed from its seed and index), mutations of a valid body, OTLP/JSON with wrong types, and
// attribute maps nested deeper than any decoder should recurse.
import protojson from 'protobufjs/ext/protojson.js';
import { otlpRoot, otlpTypes } from '../../src/receiver/otlp-schema.ts';

/** mulberry32: small, fast and good enough to pick fuzz cases; the same seed gives the same cases. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** `n` random bytes as hex, never all zeroes (a valid id when n is 16 or 8). */
  hexId(n: number): string {
    const bytes = this.bytes(n);
    if (n > 0) bytes[0] = 1 + this.int(255);
    return bytes.toString('hex');
  }
}

// ---- byte-level mutations ----

/** A strict prefix of the body (possibly empty). */
export function truncate(rng: Prng, body: Uint8Array): Buffer {
  return Buffer.from(body.subarray(0, rng.int(body.length)));
}

/** One to three single-byte edits: overwrite, flip a bit, insert or delete. */
export function mutateBytes(rng: Prng, body: Uint8Array): Buffer {
  let out = Buffer.from(body);
  const edits = rng.chance(0.7) ? 1 : 2 + rng.int(2);
  for (let e = 0; e < edits && out.length > 0; e++) {
    const at = rng.int(out.length);
    switch (rng.int(4)) {
      case 0:
        out[at] = rng.int(256);
        break;
      case 1:
        out[at] = (out[at] as number) ^ (1 << rng.int(8));
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), Buffer.from([rng.int(256)]), out.subarray(at)]);
        break;
      default:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
    }
  }
  return out;
}

/** Random bytes, mostly short, sometimes a few KiB. */
export function randomBody(rng: Prng): Buffer {
  const length = rng.pick([0, 1, 2, 8, rng.int(64), rng.int(512), rng.int(4096)]);
  return rng.bytes(length);
}

// ---- OTLP/JSON ----

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** The OTLP/JSON form of a protobuf ExportTraceServiceRequest: ProtoJSON, with ids as hex, not base64. */
export function traceRequestToJson(body: Uint8Array): Json {
  const type = otlpTypes.ExportTraceServiceRequest;
  const json = protojson.toJson(type, type.decode(body)) as Json;
  const hexIds = (node: Json): void => {
    if (Array.isArray(node)) for (const item of node) hexIds(item);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (ID_KEYS.has(key) && typeof value === 'string') {
          node[key] = Buffer.from(value, 'base64').toString('hex');
        } else hexIds(value);
      }
    }
  };
  hexIds(json);
  return json;
}

/** Values of every JSON type, and strings that look like numbers, ids or nothing. */
const WRONG_VALUES: readonly Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 64,
  -(2 ** 70),
  '',
  'abc',
  'NaN',
  '-Infinity',
  '1e400',
  '18446744073709551616',
  '-9223372036854775809',
  '0x10',
  'AAAAAAAAAAAAAAAAAAAAAA==',
  'zz5b8efff798038103d269b633813fc6',
  '5b8efff798038103d269b633813fc60',
  [],
  [1, 'two', null],
  {},
  { stringValue: 1 },
  { unknownField: [{}] },
];

/** Paths to every value inside the document (object members and array items). */
function valuePaths(node: Json, path: (string | number)[] = [], out: (string | number)[][] = []) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      const here = [...path, i];
      out.push(here);
      valuePaths(item, here, out);
    });
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      out.push(here);
      valuePaths(value, here, out);
    }
  }
  return out;
}

/** The document with one to three values replaced by values of another type (or removed). */
export function wrongTypes(rng: Prng, document: Json): string {
  const copy = structuredClone(document);
  const paths = valuePaths(copy);
  const edits = 1 + (rng.chance(0.3) ? rng.int(3) : 0);
  for (let e = 0; e < edits; e++) {
    const path = rng.pick(paths);
    let parent: Json = copy;
    for (const step of path.slice(0, -1)) {
      parent = (parent as Record<string | number, Json>)[step] as Json;
      if (parent === null || typeof parent !== 'object') break;
    }
    if (parent === null || typeof parent !== 'object') continue;
    const last = path[path.length - 1] as string | number;
    if (!Array.isArray(parent) && rng.chance(0.1)) delete parent[last];
    else (parent as Record<string | number, Json>)[last] = rng.pick(WRONG_VALUES);
  }
  return JSON.stringify(copy);
}

// ---- deeply nested attribute maps ----

function varint(value: number): number[] {
  const out: number[] = [];
  let n = value;
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** Tag and length of a length-delimited protobuf field. */
const delimited = (field: number, length: number) => [...varint((field << 3) | 2), ...varint(length)];

/**
 * A protobuf AnyValue holding `depth` nested kvlists, `{k: {k: … "leaf" …}}`. Built iteratively
 * (every level is only a prefix: tag and length), since protobufjs' own encoder recurses and stops at
 * depth 100.
 */
export function nestedKvlistValue(depth: number): Buffer {
  const leaf = Buffer.concat([Buffer.from(delimited(1, 4)), Buffer.from('leaf')]); // string_value
  const prefixes: Buffer[] = [];
  let length = leaf.length;
  for (let i = 0; i < depth; i++) {
    // KeyValue { key = 1: "k", value = 2: <AnyValue> }
    const keyValue = [0x0a, 1, 0x6b, ...delimited(2, length)];
    const keyValueLength = keyValue.length + length;
    // KeyValueList { values = 1: <KeyValue> }
    const list = delimited(1, keyValueLength);
    const listLength = list.length + keyValueLength;
    // AnyValue { kvlist_value = 6: <KeyValueList> }
    const anyValue = delimited(6, listLength);
    prefixes.push(Buffer.from([...anyValue, ...list, ...keyValue]));
    length = anyValue.length + listLength;
  }
  return Buffer.concat([...prefixes.reverse(), leaf]);
}

const SpanType = otlpRoot.lookupType('opentelemetry.proto.trace.v1.Span');

/**
 * An ExportTraceServiceRequest (protobuf) of one span whose attribute `deep` is `value` (an encoded
 * AnyValue), assembled by hand around protobufjs' encoding of the rest of the span.
 */
export function traceRequestWithRawAttribute(
  span: { traceId: string; spanId: string; name: string },
  value: Buffer,
): Buffer {
  const spanBytes = SpanType.encode(
    SpanType.fromObject({
      traceId: Buffer.from(span.traceId, 'hex'),
      spanId: Buffer.from(span.spanId, 'hex'),
      name: span.name,
      kind: 1,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000001000000',
    }),
  ).finish();
  const key = Buffer.from([...delimited(1, 4), ...Buffer.from('deep')]);
  const keyValue = Buffer.concat([key, Buffer.from(delimited(2, value.length)), value]);
  const wrap = (field: number, inner: Buffer) =>
    Buffer.concat([Buffer.from(delimited(field, inner.length)), inner]);
  const fullSpan = Buffer.concat([spanBytes, wrap(9, keyValue)]); // Span.attributes = 9
  return wrap(1, wrap(2, wrap(2, fullSpan))); // request.resource_spans → scope_spans → spans
}

/** The same span in OTLP/JSON, its attribute `deep` nested `depth` kvlists deep (built as text). */
export function nestedKvlistJson(span: { traceId: string; spanId: string; name: string }, depth: number) {
  const open = '{"kvlistValue":{"values":[{"key":"k","value":';
  const close = '}]}}';
  const value = `${open.repeat(depth)}{"stringValue":"leaf"}${close.repeat(depth)}`;
  return `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${span.traceId}","spanId":"${span.spanId}","name":"${span.name}","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000001000000","attributes":[{"key":"deep","value":${value}}]}]}]}]}`;
}
