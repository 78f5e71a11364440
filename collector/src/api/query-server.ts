// The query API on :3200, one HTTP server for Grafana's Tempo, Prometheus and Loki data sources.
// This file owns what every route shares: authentication and tenancy, error answers, the health
// and build-info endpoints and the collector's own /metrics. Each API family adds its routes.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Histogram, type Registry } from 'prom-client';
import {
  type AuthConfig,
  AuthError,
  checkExposure,
  resolveTenant,
  type TenantScope,
} from '../auth/tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant (dss.client) this request may read; undefined means every tenant. */
    tenant: TenantScope;
  }
}

export interface QueryServerOptions {
  host?: string;
  port?: number;
  auth?: AuthConfig;
  /** The collector's self-metrics, served on /metrics. */
  registry?: Registry;
  /** Adds the API families' routes (Tempo, Loki, Prometheus). */
  routes?: Array<(app: FastifyInstance) => void>;
  version?: string;
}

export interface RunningQueryServer {
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

// Paths that must answer without credentials: load balancers and Grafana's health checks.
const OPEN_PATHS = new Set(['/ready', '/api/echo']);

export function tenantOf(request: FastifyRequest): TenantScope {
  return request.tenant;
}

/** Which data source a route serves, for the latency metric. */
function apiOf(route: string): string {
  if (route.startsWith('/loki/')) return 'loki';
  if (route.startsWith('/api/v1/')) return 'prometheus';
  if (route.startsWith('/api/')) return 'tempo';
  return 'other';
}

/** Time to answer a query request, by API, route pattern (bounded: never the raw URL) and status code. */
function queryLatency(registry: Registry): Histogram<'api' | 'route' | 'code'> {
  const name = 'dss_collector_query_duration_seconds';
  return (
    (registry.getSingleMetric(name) as Histogram<'api' | 'route' | 'code'> | undefined) ??
    new Histogram({
      name,
      help: 'Time to answer a query API request (Tempo, Loki, Prometheus), by API, route and status code.',
      labelNames: ['api', 'route', 'code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    })
  );
}

export async function startQueryServer(options: QueryServerOptions = {}): Promise<RunningQueryServer> {
  const host = options.host ?? '127.0.0.1';
  checkExposure(host, options.auth);
  const app = Fastify({ logger: false });
  app.decorateRequest('tenant', undefined);

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (OPEN_PATHS.has(path)) return;
    try {
      request.tenant = resolveTenant(request.headers, options.auth);
    } catch (error) {
      if (error instanceof AuthError) {
        await reply.code(error.status).type('text/plain').send(error.message);
        return reply;
      }
      throw error;
    }
  });

  app.get('/ready', async (_request, reply) => reply.type('text/plain').send('ready'));
  // Tempo's "Save & test".
  app.get('/api/echo', async (_request, reply) => reply.type('text/plain').send('echo'));
  // Tempo's version gate reads this bare object (no envelope).
  app.get('/api/status/buildinfo', async () => ({
    version: options.version ?? '2.8.0',
    revision: 'dss-collector',
    branch: 'main',
    buildDate: '',
    buildUser: '',
    goVersion: '',
  }));
  if (options.registry) {
    const registry = options.registry;
    const latency = queryLatency(registry);
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      if (!route || route === '/metrics') return;
      latency.observe({ api: apiOf(route), route, code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', async (_request, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  }
  for (const addRoutes of options.routes ?? []) addRoutes(app);

  await app.listen({ host, port: options.port ?? 3200 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 3200);
  return { port, app, close: () => app.close() };
}
