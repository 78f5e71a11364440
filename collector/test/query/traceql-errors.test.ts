// What the HTTP layer answers 400 with: unsupported TraceQL, invalid comparisons and syntax errors, each
// naming the construct or problem and its position (a 0-based offset into the query).
import { describe, expect, it } from 'vitest';
import { QueryError } from '../../src/query/query-error.ts';
import { parseTraceQL } from '../../src/query/traceql/parse-traceql.ts';

function errorOf(query: string): QueryError {
  try {
    parseTraceQL(query);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`no error for ${query}`);
}

describe('unsupported TraceQL', () => {
  it.each([
    ['{ .a = 1 } >> { .b = 2 }', "unsupported TraceQL: structural operator '>>' at 11"],
    ['{ .a = 1 } << { .b = 2 }', "unsupported TraceQL: structural operator '<<' at 11"],
    ['{ .a = 1 } > { .b = 2 }', "unsupported TraceQL: structural operator '>' at 11"],
    ['{ .a = 1 } < { .b = 2 }', "unsupported TraceQL: structural operator '<' at 11"],
    ['{ .a = 1 } ~ { .b = 2 }', "unsupported TraceQL: structural operator '~' at 11"],
    ['{ .a = 1 } !>> { .b = 2 }', "unsupported TraceQL: structural operator '!>>' at 11"],
    ['{ .a = 1 } &>> { .b = 2 }', "unsupported TraceQL: structural operator '&>>' at 11"],
    ['{} | rate()', "unsupported TraceQL: metrics function 'rate' at 5"],
    [
      '{} | count_over_time() by (resource.service.name)',
      "unsupported TraceQL: metrics function 'count_over_time' at 5",
    ],
    [
      '{} | quantile_over_time(duration, 0.99)',
      "unsupported TraceQL: metrics function 'quantile_over_time' at 5",
    ],
    ['{} | avg(duration) > 1s', "unsupported TraceQL: aggregate 'avg()' at 5"],
    ['{} | max(span.size) > 3', "unsupported TraceQL: aggregate 'max()' at 5"],
    ['{} | by(resource.service.name)', 'unsupported TraceQL: by() grouping at 5'],
    ['{} | coalesce()', 'unsupported TraceQL: coalesce() at 5'],
    ['{ event.exception.type = "x" }', "unsupported TraceQL: attribute scope 'event.' at 2"],
    ['{ link.kind = "x" }', "unsupported TraceQL: attribute scope 'link.' at 2"],
    ['{ parent.http.url = "x" }', "unsupported TraceQL: attribute scope 'parent.' at 2"],
    ['{ span:id = "a" }', "unsupported TraceQL: intrinsic 'span:id' at 2"],
    ['{ trace:id = "a" }', "unsupported TraceQL: intrinsic 'trace:id' at 2"],
    ['{ event:name = "a" }', "unsupported TraceQL: intrinsic 'event:name' at 2"],
    ['{ instrumentation:name = "a" }', "unsupported TraceQL: intrinsic 'instrumentation:name' at 2"],
    ['{ duration > 1s + 2s }', "unsupported TraceQL: arithmetic operator '+' in a filter at 16"],
    ['{ .a = .b }', "unsupported TraceQL: comparison '=' between two fields at 2"],
    ['{ .a }', "unsupported TraceQL: a field on its own ('.a'), compare it with a value at 2"],
    ['{ true }', "unsupported TraceQL: a value on its own ('true'), compare it with a value at 2"],
    [
      '{ .a = $service }',
      "unsupported TraceQL: template variable '$service' (Grafana should have replaced it) at 7",
    ],
    [
      '({ .a = 1 } | count() > 1) && { .b = 1 }',
      "unsupported TraceQL: spanset operator '&&' between pipelines at 27",
    ],
  ])('%s', (query, message) => {
    const error = errorOf(query);
    expect(error.message).toBe(message);
    expect(error.kind).toBe('unsupported');
    expect(error.language).toBe('TraceQL');
  });
});

describe('invalid TraceQL', () => {
  it.each([
    [
      '{ status = "error" }',
      'invalid TraceQL: status can only be compared with ok, error or unset, got the string "error" at 2',
    ],
    ['{ status > ok }', "invalid TraceQL: status can only be compared with = or !=, not '>' at 2"],
    [
      '{ kind = 2 }',
      'invalid TraceQL: kind can only be compared with unspecified, internal, server, client, producer or consumer, got the number 2 at 2',
    ],
    ['{ duration > "1s" }', 'invalid TraceQL: duration is a duration, compared with the string "1s" at 2'],
    ['{ name = 1 }', 'invalid TraceQL: name is a string, compared with the number 1 at 2'],
    ['{ name = nil }', 'invalid TraceQL: name cannot be compared with nil at 2'],
    [
      '{ span.a > nil }',
      "invalid TraceQL: 'span.a' cannot be compared with nil using '>' (use = or !=) at 2",
    ],
    [
      '{ span.a =~ 1 }',
      "invalid TraceQL: 'span.a' '=~' needs a string regular expression, got the number 1 at 2",
    ],
    ['{ .a = ok }', "invalid TraceQL: '.a' is an attribute, compared with 'ok' at 2"],
    ['{ .a > true }', "invalid TraceQL: '.a' compared with a boolean using '>' (use = or !=) at 2"],
    ['{ "a.*" =~ name }', "invalid TraceQL: the regular expression of '=~' must be on its right at 8"],
    ['{} | count() > 1s', 'invalid TraceQL: count() compared with a duration at 15'],
    ['{} | count() =~ 1', "invalid TraceQL: count() compared with '=~' at 13"],
    [
      'count() > 1',
      "invalid TraceQL: a query must start with a spanset filter { ... }, not 'count() > 1' at 0",
    ],
  ])('%s', (query, message) => {
    const error = errorOf(query);
    expect(error.message).toBe(message);
    expect(error.kind).toBe('invalid');
  });

  it('names a bad regular expression', () => {
    const error = errorOf('{ name =~ "a(" }');
    expect(error.message).toMatch(/^invalid TraceQL: bad regular expression "a\(": .* at 2$/);
  });
});

describe('TraceQL syntax errors', () => {
  it.each([
    ['', 'TraceQL syntax error at 0: empty query'],
    ['   ', 'TraceQL syntax error at 0: empty query'],
    ['{ name = }', "TraceQL syntax error at 9: unexpected '}'"],
    ['{ name = "x"', 'TraceQL syntax error at 12: unexpected end of query'],
    ['{ name = "x" }}', "TraceQL syntax error at 14: unexpected '}'"],
    ['{ .a = "x" && }', "TraceQL syntax error at 14: unexpected '}'"],
    ['name = "x"', "TraceQL syntax error at 0: unexpected 'name'"],
    ['{ duration > 10xs }', "TraceQL syntax error at 15: unexpected 'xs'"],
    ['{ status = error } | count() >', 'TraceQL syntax error at 30: unexpected end of query'],
  ])('%j', (query, message) => {
    const error = errorOf(query);
    expect(error.message).toBe(message);
    expect(error.kind).toBe('syntax');
  });

  it('gives the position as a number too', () => {
    expect(errorOf('{ name = }').position).toBe(9);
  });
});
