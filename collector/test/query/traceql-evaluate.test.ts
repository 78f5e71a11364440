// What filters and whole queries mean, independently of SQL: truth tables over hand-built spans.
import { describe, expect, it } from 'vitest';
import { evaluateTrace } from '../../src/query/traceql/evaluate-trace.ts';
import { matchesSpan } from '../../src/query/traceql/match-span.ts';
import { parseTraceQL } from '../../src/query/traceql/parse-traceql.ts';
import type { SpanView } from '../../src/query/traceql/span-view.ts';
import type { AnyValue } from '../../src/receiver/decoded-types.ts';

const s = (value: string): AnyValue => ({ type: 'string', value });
const i = (value: bigint): AnyValue => ({ type: 'int', value });
const d = (value: number): AnyValue => ({ type: 'double', value });
const b = (value: boolean): AnyValue => ({ type: 'bool', value });
const arr = (...value: AnyValue[]): AnyValue => ({ type: 'array', value });

function spanView(
  overrides: Partial<SpanView> & { attrs?: Record<string, AnyValue>; res?: Record<string, AnyValue> } = {},
): SpanView {
  const { attrs = {}, res = {}, ...rest } = overrides;
  return {
    name: 'GET /tanks/:id',
    kind: 2,
    statusCode: 2,
    statusMessage: 'timeout',
    durationNanos: 150_000_000,
    attributes: new Map(Object.entries(attrs)),
    resourceAttributes: new Map(Object.entries({ 'service.name': s('api'), ...res })),
    rootName: 'GET /tanks/:id',
    rootServiceName: 'api',
    traceDurationNanos: 2_000_000_000,
    ...rest,
  };
}

/** Does the filter `{ expr }` match the span? */
function matches(filter: string, span: SpanView): boolean {
  const query = parseTraceQL(`{ ${filter} }`);
  if (query.spanset.type !== 'filter') throw new Error('not a filter');
  return matchesSpan(query.spanset.expr, span);
}

const apiSpan = spanView({
  attrs: {
    'http.status_code': i(503n),
    'http.method': s('GET'),
    'http.route': s('/tanks/:id'),
    ratio: d(0.25),
    cached: b(false),
    tags: arr(s('a'), s('b')),
    codes: arr(i(1n), i(2n)),
    empty: { type: 'empty' },
    'service.name': s('span-level-name'),
  },
  res: { 'deployment.environment.name': s('prod'), 'dss.client': s('utility-a') },
});

describe('intrinsics', () => {
  it.each([
    ['name = "GET /tanks/:id"', true],
    ['name != "GET /tanks/:id"', false],
    ['name =~ "GET .*"', true],
    ['name =~ "tanks"', false], // anchored: the whole value must match
    ['name =~ ".*tanks.*"', true],
    ['name !~ "POST .*"', true],
    ['name > "A"', true],
    ['name < "A"', false],
    ['status = error', true],
    ['status != error', false],
    ['status = ok', false],
    ['status != unset', true],
    ['kind = server', true],
    ['kind = client', false],
    ['kind != internal', true],
    ['duration > 100ms', true],
    ['duration >= 150ms', true],
    ['duration > 150ms', false],
    ['duration = 150ms', true],
    ['duration < 1s', true],
    ['duration > 150000000', false], // numbers compare as nanoseconds
    ['duration >= 150000000', true],
    ['statusMessage = "timeout"', true],
    ['statusMessage =~ "time.*"', true],
    ['rootName = "GET /tanks/:id"', true],
    ['rootServiceName = "api"', true],
    ['rootServiceName != "api"', false],
    ['traceDuration > 1s', true],
    ['traceDuration > 2s', false],
  ])('{ %s } is %s', (filter, expected) => {
    expect(matches(filter, apiSpan)).toBe(expected);
  });
});

describe('attributes', () => {
  it.each([
    ['span.http.status_code = 503', true],
    ['span.http.status_code >= 500', true],
    ['span.http.status_code < 500', false],
    ['span.http.status_code = 503.0', true], // int and float compare as numbers
    ['span.http.status_code = "503"', false], // types must agree
    ['span.http.status_code != "503"', false], // a type mismatch is false for != too
    ['span.ratio < 0.5', true],
    ['span.ratio = 0.25', true],
    ['span.cached = false', true],
    ['span.cached != true', true],
    ['span.cached = "false"', false],
    ['span.http.method = "GET"', true],
    ['span.http.method =~ "G.T"', true],
    ['span.http.method =~ "g.t"', false],
    ['span.http.method =~ "(?i)g.t"', true], // Go's leading flag group
    ['span.http.method !~ "POST|PUT"', true],
    ['resource.deployment.environment.name = "prod"', true],
    ['span.deployment.environment.name = "prod"', false], // a resource attribute is not a span attribute
    ['resource.http.method = "GET"', false],
    ['.deployment.environment.name = "prod"', true], // unscoped falls back to the resource
    ['.service.name = "span-level-name"', true], // unscoped prefers the span attribute
    ['resource.service.name = "api"', true],
  ])('{ %s } is %s', (filter, expected) => {
    expect(matches(filter, apiSpan)).toBe(expected);
  });

  it.each([
    ['span.missing = "x"', false],
    ['span.missing != "x"', false], // missing attributes match nothing, != included
    ['span.missing =~ ".*"', false],
    ['span.missing !~ "x"', false],
    ['span.missing > 0', false],
    ['span.missing = nil', true],
    ['span.missing != nil', false],
    ['span.http.method != nil', true],
    ['span.http.method = nil', false],
    ['span.empty = nil', true], // an empty AnyValue counts as absent
    ['!(span.missing = "x")', true],
  ])('{ %s } is %s', (filter, expected) => {
    expect(matches(filter, apiSpan)).toBe(expected);
  });

  it.each([
    ['span.tags = "a"', true],
    ['span.tags = "c"', false],
    ['span.tags =~ "b"', true],
    ['span.tags != "c"', true],
    ['span.tags != "a"', false],
    ['span.tags !~ "[ab]"', false],
    ['span.codes > 1', true],
    ['span.codes > 2', false],
    ['span.codes = "1"', false],
    ['span.codes != "1"', false], // no element of the compared type
  ])('arrays: { %s } is %s', (filter, expected) => {
    expect(matches(filter, apiSpan)).toBe(expected);
  });
});

describe('boolean structure', () => {
  it.each([
    ['status = error && kind = server', true],
    ['status = error && kind = client', false],
    ['status = ok || kind = server', true],
    ['status = ok || kind = client', false],
    ['!(status = ok)', true],
    ['!(status = error) || span.http.status_code = 503', true],
    ['(status = ok || kind = server) && duration > 1s', false],
    ['status = ok || kind = server && duration > 1s', false],
    ['status = error || kind = client && duration > 1s', true],
  ])('{ %s } is %s', (filter, expected) => {
    expect(matches(filter, apiSpan)).toBe(expected);
  });

  it('{} matches every span', () => {
    expect(matchesSpan(null, spanView())).toBe(true);
  });
});

describe('whole queries over a trace', () => {
  const root = spanView({
    name: 'GET /tanks/:id',
    kind: 2,
    statusCode: 0,
    attrs: { 'http.route': s('/tanks/:id') },
  });
  const db = spanView({ name: 'SELECT tanks', kind: 3, statusCode: 2, attrs: { 'db.system': s('sqlite') } });
  const cache = spanView({ name: 'cache get', kind: 3, statusCode: 0, attrs: { 'db.system': s('redis') } });
  const trace = [root, db, cache];
  const names = (query: string) =>
    evaluateTrace(parseTraceQL(query), trace)?.map((span) => span.name) ?? null;

  it.each([
    ['{}', ['GET /tanks/:id', 'SELECT tanks', 'cache get']],
    ['{ kind = client }', ['SELECT tanks', 'cache get']],
    ['{ status = error }', ['SELECT tanks']],
    ['{ status = ok }', null],
    ['{ span.db.system = "sqlite" } && { kind = server }', ['GET /tanks/:id', 'SELECT tanks']],
    ['{ span.db.system = "mysql" } && { kind = server }', null],
    ['{ span.db.system = "mysql" } || { kind = server }', ['GET /tanks/:id']],
    ['{ kind = client } | count() > 1', ['SELECT tanks', 'cache get']],
    ['{ kind = client } | count() > 2', null],
    ['{ kind = client } | count() = 2', ['SELECT tanks', 'cache get']],
    ['{ kind = client } | { status = error }', ['SELECT tanks']],
    ['{ kind = client } | { status = ok }', null],
    ['{ kind = client } | select(span.db.system)', ['SELECT tanks', 'cache get']],
    ['{ kind = client } | { status = error } | count() >= 1', ['SELECT tanks']],
  ])('%s', (query, expected) => {
    expect(names(query)).toStrictEqual(expected);
  });
});
