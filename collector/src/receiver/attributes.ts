// Helpers to read attribute lists and AnyValues as plain, JSON-safe JavaScript values.
import type { AnyValue, KeyValue } from './decoded-types.ts';

export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/**
 * An AnyValue as a JSON-safe value: ints become numbers when exact (else decimal strings), bytes
 * become base64 strings, kvlists become objects and an empty value becomes null.
 */
export function anyValueToPlain(value: AnyValue): PlainValue {
  switch (value.type) {
    case 'string':
    case 'bool':
    case 'double':
      return value.value;
    case 'int':
      return intToPlain(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
      return value.value.map(anyValueToPlain);
    case 'kvlist':
      return attributesToObject(value.value);
    case 'empty':
      return null;
  }
}

/** An attribute list as an object (`{ 'service.name': 'api', 'http.status_code': 200 }`); later keys win. */
export function attributesToObject(attributes: readonly KeyValue[]): Record<string, PlainValue> {
  const result: Record<string, PlainValue> = {};
  for (const { key, value } of attributes) {
    // Plain assignment of '__proto__' would replace the prototype instead of adding a key.
    if (key === '__proto__') {
      Object.defineProperty(result, key, { value: anyValueToPlain(value), enumerable: true, writable: true });
    } else {
      result[key] = anyValueToPlain(value);
    }
  }
  return result;
}

/** The value of one attribute, or undefined when absent. */
export function findAttribute(attributes: readonly KeyValue[], key: string): AnyValue | undefined {
  for (const attribute of attributes) if (attribute.key === key) return attribute.value;
  return undefined;
}

/** An AnyValue as text, e.g. for a label or a log line: strings as they are, structures as JSON. */
export function anyValueToString(value: AnyValue): string {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'bool':
    case 'int':
    case 'double':
      return String(value.value);
    case 'empty':
      return '';
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
    case 'kvlist':
      return JSON.stringify(anyValueToPlain(value));
  }
}

function intToPlain(value: bigint): number | string {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}
