// Search, tags, tag values and buildinfo against the examples of Tempo's API documentation
// (grafana/tempo docs/sources/tempo/api_docs/_index.md and pushing-spans-with-http.md).
import { describe, expect, it } from 'vitest';
import { tempoBuildInfoJson } from '../../src/query/tempo/buildinfo.ts';
import { searchResponseJson } from '../../src/query/tempo/search-response.ts';
import {
  intrinsicTagValues,
  searchTagsV1Json,
  searchTagsV2Json,
  searchTagValuesV1Json,
  searchTagValuesV2Json,
  tagValueOf,
} from '../../src/query/tempo/tags-response.ts';

describe('/api/search', () => {
  it('is the documented answer to { .service.name = "my.service" }, byte for byte', () => {
    const span = {
      spanId: 'eee19b7ec3c1b100',
      name: '',
      startTimeUnixNano: 1694718625557000000n,
      durationNanos: 10000000000n,
      attributes: [{ key: 'service.name', value: { type: 'string' as const, value: 'my.service' } }],
    };
    const json = searchResponseJson(
      [
        {
          traceId: '5b8efff798038103d269b633813fc700',
          rootServiceName: 'my.service',
          rootTraceName: 'I am a span!',
          startTimeUnixNano: 1694718625557000000n,
          durationMs: 10000,
          spanSets: [{ spans: [span], matched: 1 }],
        },
      ],
      { inspectedBytes: 292781n, completedJobs: 1, totalJobs: 1 },
    );
    expect(JSON.stringify(json)).toBe(
      '{"traces":[{"traceID":"5b8efff798038103d269b633813fc700","rootServiceName":"my.service","rootTraceName":"I am a span!","startTimeUnixNano":"1694718625557000000","durationMs":10000,"spanSet":{"spans":[{"spanID":"eee19b7ec3c1b100","startTimeUnixNano":"1694718625557000000","durationNanos":"10000000000","attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]}],"matched":1},"spanSets":[{"spans":[{"spanID":"eee19b7ec3c1b100","startTimeUnixNano":"1694718625557000000","durationNanos":"10000000000","attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]}],"matched":1}]}],"metrics":{"inspectedBytes":"292781","completedJobs":1,"totalJobs":1}}',
    );
  });

  it('the { status=error } example, with span names and several spansets', () => {
    const json = searchResponseJson(
      [
        {
          traceId: '2f3e0cee77ae5dc9c17ade3689eb2e54',
          rootServiceName: 'shop-backend',
          rootTraceName: 'update-billing',
          startTimeUnixNano: 1684778327699392724n,
          durationMs: 557,
          spanSets: [
            {
              spans: [
                {
                  spanId: '563d623c76514f8e',
                  name: 'charge',
                  startTimeUnixNano: 1684778327735077898n,
                  durationNanos: 446979497n,
                  attributes: [{ key: 'status', value: { type: 'string', value: 'error' } }],
                },
              ],
              matched: 4,
            },
            { spans: [], matched: 0 },
          ],
        },
      ],
      { totalBlocks: 13 },
    );
    expect(json).toStrictEqual({
      traces: [
        {
          traceID: '2f3e0cee77ae5dc9c17ade3689eb2e54',
          rootServiceName: 'shop-backend',
          rootTraceName: 'update-billing',
          startTimeUnixNano: '1684778327699392724',
          durationMs: 557,
          spanSet: {
            spans: [
              {
                spanID: '563d623c76514f8e',
                name: 'charge',
                startTimeUnixNano: '1684778327735077898',
                durationNanos: '446979497',
                attributes: [{ key: 'status', value: { stringValue: 'error' } }],
              },
            ],
            matched: 4,
          },
          spanSets: [
            {
              spans: [
                {
                  spanID: '563d623c76514f8e',
                  name: 'charge',
                  startTimeUnixNano: '1684778327735077898',
                  durationNanos: '446979497',
                  attributes: [{ key: 'status', value: { stringValue: 'error' } }],
                },
              ],
              matched: 4,
            },
            {},
          ],
        },
      ],
      metrics: { totalBlocks: 13 },
    });
  });

  it('no traces', () => {
    expect(searchResponseJson([])).toStrictEqual({ traces: [], metrics: {} });
  });

  it('a trace whose duration is under a millisecond has no durationMs, as jsonpb leaves zeros out', () => {
    const [trace] = searchResponseJson([
      {
        traceId: 'ab',
        rootServiceName: 'a',
        rootTraceName: 'b',
        startTimeUnixNano: 1n,
        durationMs: 0.2,
        spanSets: [],
      },
    ]).traces as Record<string, unknown>[];
    expect(trace).toStrictEqual({
      traceID: 'ab',
      rootServiceName: 'a',
      rootTraceName: 'b',
      startTimeUnixNano: '1',
    });
  });
});

describe('tags', () => {
  it('v2 lists span, resource and intrinsic scopes; the intrinsic scope is what we support', () => {
    expect(
      searchTagsV2Json({
        span: ['http.method', 'article.count', 'http.flavor', 'http.method'],
        resource: ['service.name', 'k6'],
      }),
    ).toStrictEqual({
      scopes: [
        { name: 'span', tags: ['article.count', 'http.flavor', 'http.method'] },
        { name: 'resource', tags: ['k6', 'service.name'] },
        {
          name: 'intrinsic',
          tags: [
            'duration',
            'kind',
            'name',
            'rootName',
            'rootServiceName',
            'status',
            'statusMessage',
            'traceDuration',
          ],
        },
      ],
    });
  });

  it('v2 with ?scope=', () => {
    expect(searchTagsV2Json({ span: ['a'], resource: ['b'] }, 'resource')).toStrictEqual({
      scopes: [{ name: 'resource', tags: ['b'] }],
    });
  });

  it('v1 merges span and resource tags', () => {
    expect(
      searchTagsV1Json({ span: ['http.url', 'host.name'], resource: ['service.name', 'host.name'] }),
    ).toStrictEqual({
      tagNames: ['host.name', 'http.url', 'service.name'],
    });
    expect(searchTagsV1Json({}, 'intrinsic').tagNames).toContain('traceDuration');
  });

  it('v1 tag values', () => {
    expect(searchTagValuesV1Json(['frontend', 'adservice', 'cartservice', 'frontend'])).toStrictEqual({
      tagValues: ['adservice', 'cartservice', 'frontend'],
    });
  });

  it('v2 tag values, typed', () => {
    const values = [
      { type: 'string', value: 'customer' },
      { type: 'string', value: 'mysql' },
      { type: 'string', value: 'driver' },
      { type: 'string', value: 'customer' },
    ];
    expect(searchTagValuesV2Json(values)).toStrictEqual({
      tagValues: [
        { type: 'string', value: 'customer' },
        { type: 'string', value: 'driver' },
        { type: 'string', value: 'mysql' },
      ],
    });
  });

  it('types of stored values, and the enum intrinsics', () => {
    expect(tagValueOf({ type: 'int', value: 200n })).toStrictEqual({ type: 'int', value: '200' });
    expect(tagValueOf({ type: 'double', value: 0.5 })).toStrictEqual({ type: 'float', value: '0.5' });
    expect(tagValueOf({ type: 'bool', value: true })).toStrictEqual({ type: 'bool', value: 'true' });
    expect(tagValueOf({ type: 'array', value: [] })).toBeNull();
    expect(intrinsicTagValues('status')).toStrictEqual([
      { type: 'keyword', value: 'ok' },
      { type: 'keyword', value: 'error' },
      { type: 'keyword', value: 'unset' },
    ]);
    expect(intrinsicTagValues('kind')?.map((v) => v.value)).toStrictEqual([
      'unspecified',
      'internal',
      'server',
      'client',
      'producer',
      'consumer',
    ]);
    expect(intrinsicTagValues('name')).toBeNull();
  });
});

describe('/api/status/buildinfo', () => {
  it('is a bare object with the fields Grafana reads', () => {
    expect(Object.keys(tempoBuildInfoJson())).toStrictEqual([
      'version',
      'revision',
      'branch',
      'buildDate',
      'buildUser',
      'goVersion',
    ]);
    expect(tempoBuildInfoJson().version).toMatch(/^2\.\d+\.\d+$/);
    expect(tempoBuildInfoJson({ revision: 'abc' }).revision).toBe('abc');
  });
});
