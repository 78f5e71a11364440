// Conversions shared by the per-signal normalisers: 64-bit integers, ids, AnyValue, attributes,
// resource and instrumentation scope.
import type { AnyValue, InstrumentationScope, KeyValue, Resource } from './decoded-types.ts';
import type { WireAnyValue, WireKeyValue, WireLong, WireResource, WireScope } from './wire-types.ts';

/** An int64/uint64/fixed64 from protobufjs (a Long, or a number/string/bigint) as an exact bigint. */
export function toBigInt(value: WireLong | null | undefined): bigint {
  if (value == null) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') return BigInt(value);
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return value.unsigned ? bits : BigInt.asIntN(64, bits);
}

/** An unsigned 64-bit count as a number (exact up to 2^53). */
export function toCount(value: WireLong | null | undefined): number {
  if (value == null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'object') return (value.high >>> 0) * 2 ** 32 + (value.low >>> 0);
  return Number(value);
}

/** Trace/span ids as lowercase hex; '' when absent. */
export function idToHex(bytes: Uint8Array | null | undefined): string {
  if (bytes == null || bytes.length === 0) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function list<T>(value: T[] | null | undefined): T[] {
  return value ?? [];
}

/**
 * Whether a oneof member is set. Decoded messages inherit defaults ('' , 0, false) for unset scalar
 * members from their prototype, so only own properties count.
 */
export function isSet<T extends object>(message: T, key: keyof T & string): boolean {
  return Object.hasOwn(message, key) && message[key] != null;
}

export function anyValue(value: WireAnyValue | null | undefined): AnyValue {
  if (value == null) return { type: 'empty' };
  if (isSet(value, 'stringValue')) return { type: 'string', value: value.stringValue as string };
  if (isSet(value, 'boolValue')) return { type: 'bool', value: value.boolValue as boolean };
  if (isSet(value, 'intValue')) return { type: 'int', value: toBigInt(value.intValue) };
  if (isSet(value, 'doubleValue')) return { type: 'double', value: value.doubleValue as number };
  if (value.arrayValue != null) return { type: 'array', value: list(value.arrayValue.values).map(anyValue) };
  if (value.kvlistValue != null) return { type: 'kvlist', value: keyValues(value.kvlistValue.values) };
  // A copy: the decoded Buffer is a view into the whole request body, which must not outlive the request.
  if (isSet(value, 'bytesValue'))
    return { type: 'bytes', value: new Uint8Array(value.bytesValue as Uint8Array) };
  return { type: 'empty' };
}

export function keyValues(values: WireKeyValue[] | null | undefined): KeyValue[] {
  return list(values).map((kv) => ({ key: kv.key ?? '', value: anyValue(kv.value) }));
}

export function resource(value: WireResource | null | undefined): Resource {
  return {
    attributes: keyValues(value?.attributes),
    droppedAttributesCount: value?.droppedAttributesCount ?? 0,
  };
}

export function scope(value: WireScope | null | undefined): InstrumentationScope {
  return {
    name: value?.name ?? '',
    version: value?.version ?? '',
    attributes: keyValues(value?.attributes),
    droppedAttributesCount: value?.droppedAttributesCount ?? 0,
  };
}
