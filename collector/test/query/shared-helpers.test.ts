// Go string literals, Go regular expressions and durations as the query languages read them.
import { describe, expect, it } from 'vitest';
import { parseDurationNanos } from '../../src/query/durations.ts';
import { compileGoRegex } from '../../src/query/go-regex.ts';
import { unquoteGoString } from '../../src/query/go-string.ts';

describe('Go string literals', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"a\\"b"', 'a"b'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"\\n\\t\\r"', '\n\t\r'],
    ['"\\x41\\u00e9\\U0001F600"', 'Aé😀'],
    ['"\\101"', 'A'],
    ['`raw \\n "quotes"`', 'raw \\n "quotes"'],
  ])('%s', (literal, expected) => {
    expect(unquoteGoString(literal)).toBe(expected);
  });

  it('rejects unknown escapes', () => {
    expect(() => unquoteGoString('"\\d"')).toThrow('invalid escape \\d');
  });
});

describe('Go regular expressions', () => {
  it('anchored mode matches the whole value', () => {
    expect(compileGoRegex('api', 'anchored').test('payment-api')).toBe(false);
    expect(compileGoRegex('.*api', 'anchored').test('payment-api')).toBe(true);
    expect(compileGoRegex('a|b', 'anchored').test('ab')).toBe(false); // the alternation is grouped
  });

  it('search mode matches anywhere', () => {
    expect(compileGoRegex('api', 'search').test('payment-api')).toBe(true);
  });

  it('dotall mode lets . match newlines', () => {
    expect(compileGoRegex('a.b', 'anchored').test('a\nb')).toBe(false);
    expect(compileGoRegex('a.b', 'anchored-dotall').test('a\nb')).toBe(true);
  });

  it('leading flag groups and named groups', () => {
    expect(compileGoRegex('(?i)error', 'anchored').test('ERROR')).toBe(true);
    expect(compileGoRegex('(?is)a.b', 'anchored').test('A\nB')).toBe(true);
    expect(compileGoRegex('(?P<code>\\d+)', 'search').exec('status 503')?.groups?.code).toBe('503');
  });

  it('escapes Go accepts and the unicode flag refuses', () => {
    expect(compileGoRegex('a\\_b', 'anchored').test('a_b')).toBe(true);
  });

  it('throws on invalid patterns', () => {
    expect(() => compileGoRegex('(', 'search')).toThrow();
  });
});

describe('durations', () => {
  it.each([
    ['100ms', 1e8],
    ['1.5µs', 1500],
    ['1.5us', 1500],
    ['5m', 300e9],
    ['1h30m', 5400e9],
    ['1d', 86400e9],
    ['1w', 604800e9],
    ['-2s', -2e9],
    ['', null],
    ['5', null],
    ['5x', null],
    ['m', null],
  ])('%j', (text, expected) => {
    expect(parseDurationNanos(text)).toBe(expected);
  });
});
