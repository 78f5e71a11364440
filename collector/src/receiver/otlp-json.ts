// OTLP/JSON is the proto3 JSON mapping with two differences that protobufjs' ProtoJSON reader does
// not know about: trace and span ids are hex strings (not base64), and int64 values may be plain JSON
// numbers too large for a double. We fix both up front, then let ProtoJSON do the rest (lowerCamelCase
// names, int64 as strings or numbers, enums as integers, unknown fields ignored).
import protojson from 'protobufjs/ext/protojson.js';
import type { OtlpSignal } from './decoded-types.ts';
import { OtlpDecodeError } from './errors.ts';
import { SIGNALS } from './signals.ts';

type JsonObject = Record<string, unknown>;

/** Where the hex ids live, per signal: a path of nested fields (arrays are walked) and the id fields there. */
const ID_LOCATIONS: Record<OtlpSignal, { path: string[]; ids: string[] }[]> = {
  traces: [
    { path: ['resourceSpans', 'scopeSpans', 'spans'], ids: ['traceId', 'spanId', 'parentSpanId'] },
    { path: ['resourceSpans', 'scopeSpans', 'spans', 'links'], ids: ['traceId', 'spanId'] },
  ],
  metrics: ['gauge', 'sum', 'histogram', 'exponentialHistogram'].map((type) => ({
    path: ['resourceMetrics', 'scopeMetrics', 'metrics', type, 'dataPoints', 'exemplars'],
    ids: ['traceId', 'spanId'],
  })),
  logs: [{ path: ['resourceLogs', 'scopeLogs', 'logRecords'], ids: ['traceId', 'spanId'] }],
};

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const INTEGER_LITERAL = /^-?\d+$/;
// A JSON number of 16+ digits (2^53 has 16). A hit inside a string only costs the slower parse.
const MAYBE_LARGE_INTEGER = /[[:,]\s*-?\d{16}/;

/** Parses an OTLP/JSON Export*ServiceRequest into the same message shape `Type.decode` returns. */
export function parseOtlpJson(signal: OtlpSignal, text: string): unknown {
  let json: unknown;
  try {
    // The reviver makes parsing several times slower: only pay for it when it can matter.
    json = MAYBE_LARGE_INTEGER.test(text) ? JSON.parse(text, keepLargeIntegersExact) : JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw new OtlpDecodeError('invalid OTLP/JSON: the body is not a JSON object');
  for (const { path, ids } of ID_LOCATIONS[signal]) {
    visit(json, path, '', (object, where) => {
      for (const key of ids) hexIdToBase64(object, key, where);
    });
  }
  try {
    return protojson.fromJson(SIGNALS[signal].requestType, json, { ignoreUnknownFields: true });
  } catch (error) {
    throw new OtlpDecodeError(`invalid OTLP/JSON: ${(error as Error).message}`);
  }
}

// JSON.parse turns 1700000000123456789 into 1700000000123456800. Integer literals beyond 2^53 are
// kept as their source text, which ProtoJSON accepts for 64-bit fields.
function keepLargeIntegersExact(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined) {
    if (INTEGER_LITERAL.test(context.source)) return context.source;
  }
  return value;
}

function hexIdToBase64(object: JsonObject, key: string, where: string): void {
  const value = object[key];
  if (typeof value !== 'string') return; // absent, or a type error ProtoJSON reports
  if (!HEX.test(value)) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    throw new OtlpDecodeError(
      `invalid OTLP/JSON: ${where}.${key} is not a hex-encoded id (OTLP/JSON ids are hex, not base64): "${shown}"`,
    );
  }
  object[key] = Buffer.from(value, 'hex').toString('base64');
}

function visit(
  node: unknown,
  path: string[],
  where: string,
  action: (object: JsonObject, where: string) => void,
) {
  if (!isObject(node)) return;
  if (path.length === 0) {
    action(node, where);
    return;
  }
  const [key, ...rest] = path as [string, ...string[]];
  const child = node[key];
  const here = where === '' ? key : `${where}.${key}`;
  if (Array.isArray(child)) {
    child.forEach((item, i) => {
      visit(item, rest, `${here}[${i}]`, action);
    });
  } else {
    visit(child, rest, here, action);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
