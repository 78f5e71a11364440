// Attributes and AnyValues survive the trip through their stored JSON with every type and value intact,
// and the JSON is what SQLite's JSON functions can query.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AnyValue } from '../../src/receiver/decoded-types.ts';
import {
  decodeAnyValue,
  decodeAttributes,
  encodeAnyValue,
  encodeAttributes,
} from '../../src/store/any-value-json.ts';
import { attrs, EVERY_ANY_VALUE, str } from '../support/telemetry-builders.ts';

describe('attribute JSON', () => {
  it('round-trips every AnyValue type exactly', () => {
    const decoded = decodeAttributes(encodeAttributes(EVERY_ANY_VALUE));
    expect(decoded).toEqual(EVERY_ANY_VALUE);
    const negativeZero = decoded.find((a) => a.key === 'doubleNegativeZero')?.value;
    expect(negativeZero?.type === 'double' && Object.is(negativeZero.value, -0)).toBe(true);
  });

  it('keeps a lone AnyValue (log bodies), including an empty one', () => {
    for (const value of EVERY_ANY_VALUE.map((a) => a.value)) {
      expect(decodeAnyValue(encodeAnyValue(value))).toEqual(value);
    }
    expect(encodeAnyValue({ type: 'empty' })).toBe('{}');
  });

  it('writes the OTLP type tags, keyed by attribute name', () => {
    expect(
      encodeAttributes(
        attrs({
          'http.method': str('GET'),
          retries: { type: 'int', value: 3n },
          ratio: { type: 'double', value: 0.5 },
          ok: { type: 'bool', value: true },
        }),
      ),
    ).toBe(
      '{"http.method":{"stringValue":"GET"},"retries":{"intValue":3},"ratio":{"doubleValue":0.5},"ok":{"boolValue":true}}',
    );
    expect(encodeAttributes([])).toBe('{}');
  });

  it('keeps keys that are special to JavaScript objects', () => {
    const tricky = [
      { key: '__proto__', value: str('p') },
      { key: 'constructor', value: str('c') },
      { key: '', value: str('empty key') },
    ];
    const decoded = decodeAttributes(encodeAttributes(tricky));
    expect(decoded.map((a) => a.key)).toEqual(['__proto__', 'constructor', '']);
    expect(decoded).toEqual(tricky);
  });

  it('is readable by SQLite JSON functions, 64-bit integers exact', () => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    const json = encodeAttributes(EVERY_ANY_VALUE);
    const extract = (path: string) => db.prepare('SELECT json_extract(?, ?)').pluck().get(json, path);
    expect(extract('$.intMax.intValue')).toBe(9_223_372_036_854_775_807n);
    expect(extract('$.intMin.intValue')).toBe(-9_223_372_036_854_775_808n);
    expect(extract('$.double.doubleValue')).toBe(3.25);
    expect(extract('$.kvlist.kvlistValue."dotted.key".stringValue')).toBe('x');
    expect(extract('$.string.stringValue')).toBe('tank "T1" — niveau ✓');
    expect(db.prepare('SELECT json_valid(?)').pluck().get(json)).toBe(1n);
    db.close();
  });

  it('handles deeply nested maps without losing a level', () => {
    let value: AnyValue = str('bottom');
    for (let i = 0; i < 200; i++) value = { type: 'kvlist', value: [{ key: `level${i}`, value }] };
    expect(decodeAnyValue(encodeAnyValue(value))).toEqual(value);
  });
});
