// Unsupported, invalid and malformed LogQL, each to the message the HTTP layer answers 400 with.
import { describe, expect, it } from 'vitest';
import { parseLogQL } from '../../src/query/logql/parse-logql.ts';
import { QueryError } from '../../src/query/query-error.ts';

function errorOf(query: string): QueryError {
  try {
    parseLogQL(query);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`no error for ${query}`);
}

describe('unsupported LogQL', () => {
  it.each([
    ['{a="b"} | json foo="bar"', 'unsupported LogQL: json parser with extraction expressions at 10'],
    ['{a="b"} | logfmt foo', 'unsupported LogQL: logfmt parser with extraction expressions at 10'],
    ['{a="b"} | regexp "(?P<x>.*)"', "unsupported LogQL: parser 'regexp' at 10"],
    ['{a="b"} | pattern "<_> <x>"', "unsupported LogQL: parser 'pattern' at 10"],
    ['{a="b"} | unpack', "unsupported LogQL: parser 'unpack' at 10"],
    ['{a="b"} | label_format x=y', 'unsupported LogQL: label_format at 10'],
    ['{a="b"} | decolorize', 'unsupported LogQL: decolorize at 10'],
    ['{a="b"} | keep x', 'unsupported LogQL: keep at 10'],
    ['{a="b"} |= ip("1.2.3.4")', 'unsupported LogQL: ip() line filter at 11'],
    ['{a="b"} | addr = ip("1.2.3.4")', 'unsupported LogQL: ip() label filter at 10'],
    ['{a="b"} |> "<_> error"', "unsupported LogQL: pattern line filter '|>' at 8"],
    [
      '{a="b"} | line_format "{{.a | upper}}"',
      "unsupported LogQL: line_format template action '{{.a | upper}}' (only {{.label}} is) at 22",
    ],
    [
      '{a="b"} | line_format "{{ if .a }}x{{ end }}"',
      "unsupported LogQL: line_format template action '{{ if .a }}' (only {{.label}} is) at 22",
    ],
    ['avg_over_time({a="b"} | unwrap x [1m])', "unsupported LogQL: range function 'avg_over_time' at 0"],
    [
      'sum_over_time({a="b"} | logfmt | unwrap x [1m])',
      "unsupported LogQL: range function 'sum_over_time' at 0",
    ],
    ['rate_counter({a="b"} | unwrap x [1m])', "unsupported LogQL: range function 'rate_counter' at 0"],
    ['count_over_time({a="b"}[1m] offset 5m)', 'unsupported LogQL: offset at 28'],
    [
      'count_over_time({a="b"}[1m]) by (x)',
      "unsupported LogQL: grouping of 'count_over_time' (group with sum by (...) instead) at 29",
    ],
    ['topk(3, rate({a="b"}[1m]))', "unsupported LogQL: aggregation 'topk' at 0"],
    ['max by (x) (rate({a="b"}[1m]))', "unsupported LogQL: aggregation 'max' at 0"],
    ['avg(rate({a="b"}[1m]))', "unsupported LogQL: aggregation 'avg' at 0"],
    ['sum(vector(1))', 'unsupported LogQL: sum over a constant at 4'],
    [
      'rate({a="b"}[1m]) / rate({c="d"}[1m])',
      "unsupported LogQL: binary operator '/' between queries (only between constants such as vector(1)+vector(1)) at 18",
    ],
    ['vector(1) == vector(1)', "unsupported LogQL: binary operator '==' at 10"],
    ['vector(1) and vector(1)', "unsupported LogQL: binary operator 'and' at 10"],
    ['vector(1) + on(x) vector(1)', "unsupported LogQL: binary operator modifier 'on(x)' at 12"],
    ['label_replace(rate({a="b"}[1m]), "x", "$1", "a", "(.*)")', 'unsupported LogQL: label_replace() at 0'],
  ])('%s', (query, message) => {
    const error = errorOf(query);
    expect(error.message).toBe(message);
    expect(error.kind).toBe('unsupported');
    expect(error.language).toBe('LogQL');
  });
});

describe('invalid LogQL', () => {
  it('a selector that matches every stream', () => {
    expect(errorOf('{a=~".*"}').message).toBe(
      'invalid LogQL: queries require at least one regexp or equality matcher that does not have an empty-compatible value ' +
        '(app=~".*" does not meet this requirement, but app=~".+" will) at 0',
    );
    expect(errorOf('{a!="x"}').kind).toBe('invalid');
    expect(errorOf('{a=""}').kind).toBe('invalid');
  });

  it('bad regular expressions', () => {
    expect(errorOf('{a=~"("}').message).toMatch(/^invalid LogQL: bad regular expression "\(": .* at 4$/);
    expect(errorOf('{a="b"} |~ "x" or "b("').message).toMatch(
      /^invalid LogQL: bad regular expression "b\(": .* at 18$/,
    );
    expect(errorOf('{a="b"} | x =~ "["').message).toMatch(
      /^invalid LogQL: bad regular expression "\[": .* at 15$/,
    );
  });

  it('a bad escape', () => {
    expect(errorOf('{a="\\q"}').message).toBe('invalid LogQL: invalid escape \\q at 3');
  });
});

describe('LogQL syntax errors', () => {
  it.each([
    ['', 'LogQL syntax error at 0: empty query'],
    ['{a="b"', 'LogQL syntax error at 6: unexpected end of query'],
    ['{}', "LogQL syntax error at 1: unexpected '}'"],
    ['{a="b"} | ', 'LogQL syntax error at 10: unexpected end of query'],
    ['{a="b"} |= x', "LogQL syntax error at 11: unexpected 'x'"],
    ['count_over_time({a="b"})', "LogQL syntax error at 23: unexpected ')'"],
    ['sum by (level) count_over_time({a="b"}[1m])', "LogQL syntax error at 15: unexpected 'count_over_time'"],
  ])('%j', (query, message) => {
    const error = errorOf(query);
    expect(error.message).toBe(message);
    expect(error.kind).toBe('syntax');
  });
});
