// TraceQL queries as Grafana sends them, each to its exact AST.
import { describe, expect, it } from 'vitest';
import { parseTraceQL } from '../../src/query/traceql/parse-traceql.ts';
import {
  allOf,
  and,
  anyOf,
  bool,
  cmp,
  duration,
  filter,
  float,
  int,
  intrinsic,
  kind,
  nil,
  not,
  or,
  query,
  resource,
  span,
  status,
  str,
  unscoped,
} from './traceql-builders.ts';

describe('TraceQL queries Grafana sends', () => {
  it('the search builder joins its filters with &&', () => {
    expect(
      parseTraceQL('{resource.service.name="x" && name="y" && duration>100ms && status=error}'),
    ).toStrictEqual(
      query(
        filter(
          allOf(
            cmp(resource('service.name'), '=', str('x')),
            cmp(intrinsic('name'), '=', str('y')),
            cmp(intrinsic('duration'), '>', duration(100_000_000)),
            cmp(intrinsic('status'), '=', status('error')),
          ),
        ),
      ),
    );
  });

  it('the builder writes multi-value filters as (a || b)', () => {
    expect(
      parseTraceQL(
        '{(resource.service.name="api" || resource.service.name="worker") && span.http.status_code>=500}',
      ),
    ).toStrictEqual(
      query(
        filter(
          and(
            or(
              cmp(resource('service.name'), '=', str('api')),
              cmp(resource('service.name'), '=', str('worker')),
            ),
            cmp(span('http.status_code'), '>=', int(500)),
          ),
        ),
      ),
    );
  });

  it('service-map links for uninstrumented nodes', () => {
    expect(
      parseTraceQL(
        '{span.db.name="tanks" || span.db.system="tanks" || span.peer.service="tanks" || span.messaging.system="tanks"}',
      ),
    ).toStrictEqual(
      query(
        filter(
          anyOf(
            cmp(span('db.name'), '=', str('tanks')),
            cmp(span('db.system'), '=', str('tanks')),
            cmp(span('peer.service'), '=', str('tanks')),
            cmp(span('messaging.system'), '=', str('tanks')),
          ),
        ),
      ),
    );
  });

  it('the empty query and the TraceQL editor default', () => {
    expect(parseTraceQL('{}')).toStrictEqual(query(filter(null)));
    expect(parseTraceQL('{ }')).toStrictEqual(query(filter(null)));
  });

  it('unscoped attributes and the builder span-name filter with a regex', () => {
    expect(parseTraceQL('{.service.name=~"api-.*" && name!~"GET /health.*"}')).toStrictEqual(
      query(
        filter(
          and(
            cmp(unscoped('service.name'), '=~', str('api-.*')),
            cmp(intrinsic('name'), '!~', str('GET /health.*')),
          ),
        ),
      ),
    );
  });

  it('a kind filter and a status message', () => {
    expect(parseTraceQL('{kind=server && statusMessage!=""}')).toStrictEqual(
      query(
        filter(
          and(cmp(intrinsic('kind'), '=', kind('server')), cmp(intrinsic('statusMessage'), '!=', str(''))),
        ),
      ),
    );
  });
});

describe('TraceQL values', () => {
  const literalValue = (literal: string) => {
    const parsed = parseTraceQL(`{ .x = ${literal} }`);
    return parsed.spanset.type === 'filter' && parsed.spanset.expr?.type === 'comparison'
      ? parsed.spanset.expr.value
      : null;
  };

  it.each([
    ['"text"', str('text')],
    ['`raw \\d`', str('raw \\d')],
    ['"say \\"hi\\" \\\\ back"', str('say "hi" \\ back')],
    ['42', int(42)],
    ['-42', int(-42)],
    ['4.5', float(4.5)],
    ['-0.5', float(-0.5)],
    ['true', bool(true)],
    ['false', bool(false)],
    ['nil', nil],
  ])('%s', (literal, expected) => {
    expect(literalValue(literal)).toStrictEqual(expected);
  });

  it.each([
    ['5ns', 5],
    ['7us', 7_000],
    ['7µs', 7_000],
    ['1.5ms', 1_500_000],
    ['2s', 2e9],
    ['1.5m', 90e9],
    ['2h', 7200e9],
  ])('duration %s', (literal, nanos) => {
    expect(parseTraceQL(`{ duration > ${literal} }`)).toStrictEqual(
      query(filter(cmp(intrinsic('duration'), '>', duration(nanos)))),
    );
  });

  it.each(['ok', 'error', 'unset'] as const)('status %s', (value) => {
    expect(parseTraceQL(`{ status != ${value} }`)).toStrictEqual(
      query(filter(cmp(intrinsic('status'), '!=', status(value)))),
    );
  });

  it.each(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const)(
    'kind %s',
    (value) => {
      expect(parseTraceQL(`{ kind = ${value} }`)).toStrictEqual(
        query(filter(cmp(intrinsic('kind'), '=', kind(value)))),
      );
    },
  );

  it('every comparison operator', () => {
    for (const op of ['=', '!=', '>', '>=', '<', '<='] as const) {
      expect(parseTraceQL(`{ span.n ${op} 1 }`)).toStrictEqual(query(filter(cmp(span('n'), op, int(1)))));
    }
    for (const op of ['=~', '!~'] as const) {
      expect(parseTraceQL(`{ span.s ${op} "a.*" }`)).toStrictEqual(
        query(filter(cmp(span('s'), op, str('a.*')))),
      );
    }
  });
});

describe('TraceQL fields', () => {
  it.each([
    ['name', 'name'],
    ['span:name', 'name'],
    ['statusMessage', 'statusMessage'],
    ['span:statusMessage', 'statusMessage'],
    ['rootName', 'rootName'],
    ['trace:rootName', 'rootName'],
    ['rootServiceName', 'rootServiceName'],
    ['trace:rootService', 'rootServiceName'],
  ] as const)('string intrinsic %s', (spelling, name) => {
    expect(parseTraceQL(`{ ${spelling} = "a" }`)).toStrictEqual(
      query(filter(cmp(intrinsic(name), '=', str('a')))),
    );
  });

  it.each([
    ['duration', 'duration'],
    ['span:duration', 'duration'],
    ['traceDuration', 'traceDuration'],
    ['trace:duration', 'traceDuration'],
  ] as const)('duration intrinsic %s', (spelling, name) => {
    expect(parseTraceQL(`{ ${spelling} >= 1s }`)).toStrictEqual(
      query(filter(cmp(intrinsic(name), '>=', duration(1e9)))),
    );
  });

  it('scoped forms of status and kind', () => {
    expect(parseTraceQL('{ span:status = ok && span:kind = client }')).toStrictEqual(
      query(
        filter(and(cmp(intrinsic('status'), '=', status('ok')), cmp(intrinsic('kind'), '=', kind('client')))),
      ),
    );
  });

  it('quoted attribute names', () => {
    expect(
      parseTraceQL('{ span."attribute with spaces" = "a" && resource."service.name" = "b" }'),
    ).toStrictEqual(
      query(
        filter(
          and(
            cmp(span('attribute with spaces'), '=', str('a')),
            cmp(resource('service.name'), '=', str('b')),
          ),
        ),
      ),
    );
    expect(parseTraceQL('{ span.http."x \\"quoted\\"" != nil }')).toStrictEqual(
      query(filter(cmp(span('http.x "quoted"'), '!=', nil))),
    );
  });

  it('attribute names with dashes and digits', () => {
    expect(parseTraceQL('{ .k8s.pod-name = "a" }')).toStrictEqual(
      query(filter(cmp(unscoped('k8s.pod-name'), '=', str('a')))),
    );
  });
});

describe('TraceQL boolean structure', () => {
  it('&& binds tighter than ||', () => {
    expect(parseTraceQL('{ .a = 1 || .b = 2 && .c = 3 }')).toStrictEqual(
      query(
        filter(
          or(
            cmp(unscoped('a'), '=', int(1)),
            and(cmp(unscoped('b'), '=', int(2)), cmp(unscoped('c'), '=', int(3))),
          ),
        ),
      ),
    );
  });

  it('parentheses group', () => {
    expect(parseTraceQL('{ (.a = 1 || .b = 2) && .c = 3 }')).toStrictEqual(
      query(
        filter(
          and(
            or(cmp(unscoped('a'), '=', int(1)), cmp(unscoped('b'), '=', int(2))),
            cmp(unscoped('c'), '=', int(3)),
          ),
        ),
      ),
    );
  });

  it('! negates only what follows it (the grammar would negate the whole rest)', () => {
    expect(parseTraceQL('{ !(.a = 1) && .b = 2 }')).toStrictEqual(
      query(filter(and(not(cmp(unscoped('a'), '=', int(1))), cmp(unscoped('b'), '=', int(2))))),
    );
  });

  it('a negative number before && stays a number', () => {
    expect(parseTraceQL('{ .a = -3 && .b != nil }')).toStrictEqual(
      query(filter(and(cmp(unscoped('a'), '=', int(-3)), cmp(unscoped('b'), '!=', nil)))),
    );
  });

  it('a literal on the left is turned around', () => {
    expect(parseTraceQL('{ 100ms < duration }')).toStrictEqual(
      query(filter(cmp(intrinsic('duration'), '>', duration(1e8)))),
    );
  });

  it('comments are ignored', () => {
    expect(parseTraceQL('{ .a = 1 /* why */ && .b = 2 } // trailing')).toStrictEqual(
      query(filter(and(cmp(unscoped('a'), '=', int(1)), cmp(unscoped('b'), '=', int(2))))),
    );
  });
});

describe('TraceQL spanset operations and pipelines', () => {
  it('&& and || between spansets', () => {
    expect(parseTraceQL('{ .a = 1 } && { .b = 2 }')).toStrictEqual(
      query({
        type: 'spansetAnd',
        left: filter(cmp(unscoped('a'), '=', int(1))),
        right: filter(cmp(unscoped('b'), '=', int(2))),
      }),
    );
    expect(parseTraceQL('({ .a = 1 } && { .b = 2 }) || {}')).toStrictEqual(
      query({
        type: 'spansetOr',
        left: {
          type: 'spansetAnd',
          left: filter(cmp(unscoped('a'), '=', int(1))),
          right: filter(cmp(unscoped('b'), '=', int(2))),
        },
        right: filter(null),
      }),
    );
  });

  it('count() filters', () => {
    expect(parseTraceQL('{ status = error } | count() > 2')).toStrictEqual(
      query(filter(cmp(intrinsic('status'), '=', status('error'))), [{ type: 'count', op: '>', value: 2 }]),
    );
    expect(parseTraceQL('{} | count() <= 1.5')).toStrictEqual(
      query(filter(null), [{ type: 'count', op: '<=', value: 1.5 }]),
    );
  });

  it('select(...)', () => {
    expect(parseTraceQL('{ .a = 1 } | select(span.http.url, resource.service.name, name, .x)')).toStrictEqual(
      query(filter(cmp(unscoped('a'), '=', int(1))), [
        {
          type: 'select',
          fields: [span('http.url'), resource('service.name'), intrinsic('name'), unscoped('x')],
        },
      ]),
    );
  });

  it('chained stages, a spanset filter among them', () => {
    expect(parseTraceQL('{ .a = 1 } | { .b = 2 } | count() >= 1 | select(.c)')).toStrictEqual(
      query(filter(cmp(unscoped('a'), '=', int(1))), [
        { type: 'filter', expr: cmp(unscoped('b'), '=', int(2)) },
        { type: 'count', op: '>=', value: 1 },
        { type: 'select', fields: [unscoped('c')] },
      ]),
    );
  });

  it('a spanset operation before a pipeline', () => {
    expect(parseTraceQL('{ .a = 1 } || { .b = 2 } | count() > 1')).toStrictEqual(
      query(
        {
          type: 'spansetOr',
          left: filter(cmp(unscoped('a'), '=', int(1))),
          right: filter(cmp(unscoped('b'), '=', int(2))),
        },
        [{ type: 'count', op: '>', value: 1 }],
      ),
    );
  });

  it('the most_recent hint', () => {
    expect(parseTraceQL('{} with (most_recent=true)')).toStrictEqual({
      ...query(filter(null)),
      mostRecent: true,
    });
  });
});
