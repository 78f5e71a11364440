// A store of DSS-like traces for the query benchmark, written through the store's own code path
// (prepareTraces → StoreWriter, as the StoreSink does) but without OTLP: decoded export requests are
// generated in memory, in time order over a period, and committed in batches so memory stays bounded.
//
// The traces: two tenants (dss.client aveiro, braga), each with the services dss-web, backend-api (two
// hosts) and workers; 5-15 spans per trace:
//   - API requests (backend-api): the server span, an auth middleware, a redis lookup, PostgreSQL queries;
//   - page loads (dss-web): documentLoad and its fetch, then an API request as above under it;
//   - jobs (workers): `job forecast` (0.3-4 s), `job ingest-telemetry`, `job alerts`, with queries and,
//     for forecasts, a call to the weather service.
// About 2% of traces fail: a query times out (status error, an exception event), and the root fails too.
// Everything is drawn from one seeded generator: the same seed and size give the same store.
import type Database from 'better-sqlite3';
import type {
  AnyValue,
  InstrumentationScope,
  KeyValue,
  ResourceSpans,
  Span,
} from '../../collector/src/receiver/decoded-types.ts';
import { type PreparedWrite, prepareTraces } from '../../collector/src/store/rows.ts';
import { StoreWriter } from '../../collector/src/store/writer.ts';

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BuildOptions {
  /** Spans to write (at least; the last trace is written whole). */
  spans: number;
  /** The period the span start times are spread over. */
  startNs: bigint;
  endNs: bigint;
  seed: number;
  /** Spans per transaction. Default 20,000. */
  batchSpans?: number;
  /** Called every `progressMs` (default 3000) with the spans written so far. */
  onProgress?: (spans: number) => void;
  progressMs?: number;
}

export interface BuildResult {
  spans: number;
  traces: number;
  errorTraces: number;
}

const NS_PER_MS = 1e6;
const TENANTS = [
  { name: 'aveiro', weight: 0.6 },
  { name: 'braga', weight: 0.4 },
] as const;
const SERVICES = {
  'dss-web': { version: '2.3.0', language: 'webjs', hosts: ['dss-web-01'] },
  'backend-api': { version: '1.4.2', language: 'nodejs', hosts: ['dss-api-01', 'dss-api-02'] },
  workers: { version: '1.4.2', language: 'nodejs', hosts: ['dss-workers-01'] },
} as const;
type ServiceName = keyof typeof SERVICES;

const SCOPES = {
  http: { name: '@opentelemetry/instrumentation-http', version: '0.300.0' },
  express: { name: '@opentelemetry/instrumentation-express', version: '0.300.0' },
  pg: { name: '@opentelemetry/instrumentation-pg', version: '0.300.0' },
  redis: { name: '@opentelemetry/instrumentation-ioredis', version: '0.300.0' },
  documentLoad: { name: '@opentelemetry/instrumentation-document-load', version: '0.300.0' },
  fetch: { name: '@opentelemetry/instrumentation-fetch', version: '0.300.0' },
  jobs: { name: '@dss/instrumentation', version: '0.1.0' },
} as const;
type ScopeName = keyof typeof SCOPES;

const QUERIES: Record<string, string> = {
  'SELECT readings':
    'SELECT level, taken_at FROM readings WHERE tank_id = $1 ORDER BY taken_at DESC LIMIT 100',
  'SELECT tanks': 'SELECT id, zone, capacity FROM tanks WHERE id = $1',
  'INSERT readings': 'INSERT INTO readings (tank_id, level, taken_at) VALUES ($1, $2, $3)',
  'SELECT alerts': 'SELECT id, tank_id, kind, raised_at FROM alerts WHERE resolved_at IS NULL',
  'SELECT forecasts': 'SELECT zone, day, demand FROM forecasts WHERE zone = $1 AND day >= $2',
  'SELECT zones': 'SELECT id, name FROM zones WHERE id = $1',
  'INSERT forecasts': 'INSERT INTO forecasts (zone, day, demand) VALUES ($1, $2, $3)',
  'UPDATE alerts': 'UPDATE alerts SET resolved_at = now() WHERE id = $1',
};
const ROUTES = [
  { method: 'GET', route: '/tanks/:id/readings', tables: ['SELECT readings', 'SELECT tanks'] },
  { method: 'GET', route: '/tanks/:id', tables: ['SELECT tanks'] },
  { method: 'POST', route: '/readings', tables: ['INSERT readings', 'SELECT tanks'] },
  { method: 'GET', route: '/alerts', tables: ['SELECT alerts', 'SELECT tanks'] },
  { method: 'GET', route: '/forecasts/:zone', tables: ['SELECT forecasts', 'SELECT zones'] },
  { method: 'GET', route: '/zones/:zone/consumption', tables: ['SELECT readings', 'SELECT zones'] },
] as const;
const JOBS = [
  {
    name: 'job forecast',
    weight: 0.4,
    minMs: 300,
    maxMs: 4000,
    tables: ['SELECT readings', 'INSERT forecasts'],
  },
  {
    name: 'job ingest-telemetry',
    weight: 0.4,
    minMs: 50,
    maxMs: 1500,
    tables: ['INSERT readings', 'SELECT tanks'],
  },
  { name: 'job alerts', weight: 0.2, minMs: 20, maxMs: 400, tables: ['SELECT alerts', 'UPDATE alerts'] },
] as const;
const ZONES = ['norte', 'centro', 'sul', 'litoral', 'serra'];

const str = (value: string): AnyValue => ({ type: 'string', value });
const int = (value: number): AnyValue => ({ type: 'int', value: BigInt(value) });
const kv = (key: string, value: AnyValue): KeyValue => ({ key, value });

interface Placed {
  resource: number;
  scope: ScopeName;
  span: Span;
}

/** Generates traces, one at a time, from one seeded generator. */
class TraceGenerator {
  readonly resources: { resource: ResourceSpans['resource']; tenant: string; service: ServiceName }[] = [];
  private readonly random: () => number;
  private readonly byTenantAndService = new Map<string, number[]>();
  // The trace being generated.
  private traceId = '';
  private startNs = 0n;
  private spans: Placed[] = [];

  constructor(seed: number) {
    this.random = seededRandom(seed);
    for (const tenant of TENANTS) {
      for (const [service, info] of Object.entries(SERVICES) as [
        ServiceName,
        (typeof SERVICES)[ServiceName],
      ][]) {
        for (const host of info.hosts) {
          const key = `${tenant.name}/${service}`;
          this.byTenantAndService.set(key, [
            ...(this.byTenantAndService.get(key) ?? []),
            this.resources.length,
          ]);
          this.resources.push({
            tenant: tenant.name,
            service,
            resource: {
              attributes: [
                kv('service.name', str(service)),
                kv('service.version', str(info.version)),
                kv('deployment.environment.name', str('production')),
                kv('dss.client', str(tenant.name)),
                kv('host.name', str(`${host}.${tenant.name}`)),
                kv('telemetry.sdk.language', str(info.language)),
              ],
              droppedAttributesCount: 0,
            },
          });
        }
      }
    }
  }

  /** One trace starting at `startNs`; `failed` when it ends in error. */
  trace(startNs: bigint): { spans: Placed[]; failed: boolean } {
    this.traceId = this.hex8() + this.hex8() + this.hex8() + this.hex8();
    this.startNs = startNs;
    this.spans = [];
    const tenant = this.random() < TENANTS[0].weight ? TENANTS[0].name : TENANTS[1].name;
    const failed = this.random() < 0.02;
    const size = this.integer(5, 15);
    const kind = this.random();
    if (kind < 0.25) this.job(tenant, size, failed);
    else if (kind < 0.4) this.pageLoad(tenant, size, failed);
    else this.apiRequest(tenant, undefined, 0, size, failed);
    return { spans: this.spans, failed };
  }

  /** A job of the workers: the job span, a weather service call for forecasts, queries. */
  private job(tenant: string, size: number, failed: boolean): void {
    const workers = this.resourceOf(tenant, 'workers');
    const pick = this.random();
    const job = pick < JOBS[0].weight ? JOBS[0] : pick < JOBS[0].weight + JOBS[1].weight ? JOBS[1] : JOBS[2];
    const durationMs = this.between(job.minMs, job.maxMs);
    const zone = this.pick(ZONES);
    const root = this.place(workers, 'jobs', undefined, job.name, 1, 0, durationMs, [
      kv('dss.job.name', str(job.name.slice(4))),
      kv('dss.job.id', str(this.hex8())),
      kv('dss.zone', str(zone)),
      kv('dss.job.attempt', int(this.random() < 0.95 ? 1 : 2)),
    ]);
    const slot = durationMs / (size - 1);
    let queries = size - 1;
    let atMs = 0;
    if (job === JOBS[0]) {
      this.place(workers, 'http', root, 'GET', 3, 1, slot * 0.8, [
        kv('http.request.method', str('GET')),
        kv('url.full', str(`https://api.ipma.pt/open-data/forecast/${zone}.json`)),
        kv('server.address', str('api.ipma.pt')),
        kv('http.response.status_code', int(200)),
      ]);
      queries--;
      atMs = slot;
    }
    this.queries(workers, root, job.tables, queries, atMs, slot, failed);
    if (failed) root.status = { code: 2, message: 'job failed: query timed out' };
  }

  /** A page load in the browser (documentLoad, its fetch), then the API request it made. */
  private pageLoad(tenant: string, size: number, failed: boolean): void {
    const web = this.resourceOf(tenant, 'dss-web');
    const page = this.pick(['/dashboard', '/tanks', '/forecasts', '/alerts']);
    const root = this.place(web, 'documentLoad', undefined, 'documentLoad', 1, 0, this.between(300, 1500), [
      kv('url.full', str(`https://${tenant}.dss.example${page}`)),
      kv('user_agent.original', str('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0')),
      kv('browser.language', str('pt-PT')),
    ]);
    const fetch = this.place(web, 'fetch', root, 'HTTP GET', 3, 200, 0, [
      kv('http.request.method', str('GET')),
      kv('url.full', str(`https://${tenant}.dss.example/api${page}`)),
      kv('server.address', str(`${tenant}.dss.example`)),
      kv('http.response.status_code', int(failed ? 500 : 200)),
    ]);
    const server = this.apiRequest(tenant, fetch, 2, size - 2, failed);
    fetch.endTimeUnixNano = server.endTimeUnixNano + 2_000_000n;
    if (root.endTimeUnixNano < fetch.endTimeUnixNano)
      root.endTimeUnixNano = fetch.endTimeUnixNano + 1_000_000n;
  }

  /** backend-api serving a request: server span, auth middleware, redis lookup, queries (`count` >= 3 spans). */
  private apiRequest(
    tenant: string,
    parent: Span | undefined,
    atMs: number,
    count: number,
    failed: boolean,
  ): Span {
    const api = this.resourceOf(tenant, 'backend-api');
    const route = this.pick(ROUTES);
    const tank = `T-${this.integer(1, 400)}`;
    const path = route.route.replace(':id', tank).replace(':zone', this.pick(ZONES));
    const durationMs =
      this.random() < 0.01 ? this.between(1000, 3000) : Math.exp(this.between(Math.log(5), Math.log(250)));
    const server = this.place(api, 'http', parent, `${route.method} ${route.route}`, 2, atMs, durationMs, [
      kv('http.request.method', str(route.method)),
      kv('http.route', str(route.route)),
      kv('url.path', str(path)),
      kv('http.response.status_code', int(failed ? 500 : route.method === 'POST' ? 201 : 200)),
      kv('server.address', str('backend-api.dss.internal')),
      ...(route.route.includes(':id') ? [kv('dss.tank.id', str(tank))] : []),
    ]);
    const slot = durationMs / (count - 1);
    this.place(api, 'express', server, 'middleware - auth', 1, 0.1, slot * 0.3, [
      kv('express.name', str('auth')),
      kv('express.type', str('middleware')),
      kv('http.route', str(route.route)),
    ]);
    const redis = this.place(api, 'redis', server, 'GET', 3, slot, slot * 0.2, [
      kv('db.system.name', str('redis')),
      kv('db.operation.name', str('GET')),
      kv('db.query.text', str(`GET tank:${tank}:summary`)),
      kv('server.address', str('redis.dss.internal')),
    ]);
    if (this.random() < 0.3) {
      redis.events.push({
        timeUnixNano: redis.endTimeUnixNano,
        name: 'cache miss',
        attributes: [],
        droppedAttributesCount: 0,
      });
    }
    this.queries(api, server, route.tables, count - 3, 2 * slot, slot, failed);
    if (failed) server.status = { code: 2, message: '' };
    return server;
  }

  /** `count` PostgreSQL query spans under `parent`, one per slot from `atMs`; the last fails if `failed`. */
  private queries(
    resource: number,
    parent: Span,
    tables: readonly string[],
    count: number,
    atMs: number,
    slotMs: number,
    failed: boolean,
  ): void {
    let last: Span | undefined;
    for (let i = 0; i < count; i++) {
      const name = this.pick(tables);
      const [operation = '', collection = ''] = name.split(' ');
      last = this.place(resource, 'pg', parent, name, 3, atMs + i * slotMs, slotMs * this.between(0.2, 0.9), [
        kv('db.system.name', str('postgresql')),
        kv('db.namespace', str('dss')),
        kv('db.operation.name', str(operation)),
        kv('db.collection.name', str(collection)),
        kv('db.query.text', str(QUERIES[name] ?? name)),
        kv('server.address', str('db.dss.internal')),
      ]);
    }
    if (failed && last) {
      last.status = { code: 2, message: 'canceling statement due to statement timeout' };
      last.events.push({
        timeUnixNano: last.endTimeUnixNano,
        name: 'exception',
        attributes: [
          kv('exception.type', str('QueryFailedError')),
          kv('exception.message', str(last.status.message)),
        ],
        droppedAttributesCount: 0,
      });
    }
  }

  /** A span of the current trace, `startMs` after its parent's start (or the trace's). */
  private place(
    resource: number,
    scope: ScopeName,
    parent: Span | undefined,
    name: string,
    kind: number,
    startMs: number,
    durationMs: number,
    attributes: KeyValue[],
  ): Span {
    const base = parent ? parent.startTimeUnixNano : this.startNs;
    const span: Span = {
      traceId: this.traceId,
      spanId: this.hex8() + this.hex8(),
      traceState: '',
      parentSpanId: parent?.spanId ?? '',
      flags: 1,
      name,
      kind,
      startTimeUnixNano: base + BigInt(Math.round(startMs * NS_PER_MS)),
      endTimeUnixNano: base + BigInt(Math.round((startMs + durationMs) * NS_PER_MS)),
      attributes,
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
    };
    this.spans.push({ resource, scope, span });
    return span;
  }

  private resourceOf(tenant: string, service: ServiceName): number {
    return this.pick(this.byTenantAndService.get(`${tenant}/${service}`) ?? []);
  }

  private between(min: number, max: number): number {
    return min + this.random() * (max - min);
  }

  private integer(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }

  private hex8(): string {
    return Math.floor(this.random() * 4294967296)
      .toString(16)
      .padStart(8, '0');
  }
}

/** Export requests of about this many traces, as a batching SDK exporter would send. */
const TRACES_PER_REQUEST = 50;

/**
 * Writes `options.spans` spans (rounded up to a whole trace) into the store open on `db`, their start times
 * spread evenly over [startNs, endNs) in increasing order, as requests prepared by `prepareTraces` and
 * committed by a `StoreWriter` in transactions of about `batchSpans` spans.
 */
export function buildStore(db: Database.Database, options: BuildOptions): BuildResult {
  const writer = new StoreWriter(db);
  const generator = new TraceGenerator(options.seed);
  const scopes = {} as Record<ScopeName, InstrumentationScope>;
  for (const name of Object.keys(SCOPES) as ScopeName[]) {
    scopes[name] = { ...SCOPES[name], attributes: [], droppedAttributesCount: 0 };
  }
  const batchSpans = options.batchSpans ?? 20_000;
  const progressMs = options.progressMs ?? 3000;
  const periodNs = Number(options.endNs - options.startNs);
  const result: BuildResult = { spans: 0, traces: 0, errorTraces: 0 };
  let batch: PreparedWrite[] = [];
  let batchRecords = 0;
  let lastProgress = performance.now();

  const commit = () => {
    if (batch.length === 0) return;
    result.spans += writer.write(batch).spans;
    batch = [];
    batchRecords = 0;
    if (options.onProgress && performance.now() - lastProgress >= progressMs) {
      lastProgress = performance.now();
      options.onProgress(result.spans);
    }
  };

  let generated = 0;
  while (generated < options.spans) {
    // One request: the spans of TRACES_PER_REQUEST traces under their resource and scope.
    const groups = new Map<string, { resource: number; scope: ScopeName; spans: Span[] }>();
    for (let t = 0; t < TRACES_PER_REQUEST && generated < options.spans; t++) {
      // Evenly spread by the spans generated so far; the last traces (up to 4 s long) end before endNs.
      const at = (generated / options.spans) * (periodNs - 10e9);
      const trace = generator.trace(options.startNs + BigInt(Math.floor(at)));
      result.traces++;
      if (trace.failed) result.errorTraces++;
      generated += trace.spans.length;
      for (const placed of trace.spans) {
        const key = `${placed.resource}/${placed.scope}`;
        let group = groups.get(key);
        if (!group) {
          group = { resource: placed.resource, scope: placed.scope, spans: [] };
          groups.set(key, group);
        }
        group.spans.push(placed.span);
      }
    }
    const byResource = new Map<number, ResourceSpans>();
    for (const group of groups.values()) {
      let resourceSpans = byResource.get(group.resource);
      if (!resourceSpans) {
        const resource = generator.resources[group.resource] as (typeof generator.resources)[number];
        resourceSpans = { resource: resource.resource, schemaUrl: '', scopeSpans: [] };
        byResource.set(group.resource, resourceSpans);
      }
      resourceSpans.scopeSpans.push({ scope: scopes[group.scope], schemaUrl: '', spans: group.spans });
    }
    const prepared = prepareTraces({ signal: 'traces', resourceSpans: [...byResource.values()] });
    if (prepared.rejected > 0) throw new Error(prepared.message);
    if (prepared.write) {
      batch.push(prepared.write);
      batchRecords += prepared.write.records;
    }
    if (batchRecords >= batchSpans) commit();
  }
  commit();
  return result;
}
