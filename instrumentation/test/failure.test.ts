// A dead, stalled or refusing collector must cost the service nothing but the telemetry: requests
// keep succeeding at normal latency, memory stays bounded, the loss is counted and reported, and
// the process still stops promptly. Each case prints what it measured.

import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import {
  InMemorySink,
  SinkOverloadedError,
  startOtlpGrpcReceiver,
  startOtlpHttpReceiver,
} from '@dss/collector/receiver';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningService, startService, timedGet } from './support/spawn-service.ts';

const REQUESTS = 600;
const CONCURRENCY = 10;

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function load(service: RunningService, count: number) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        const { status, millis } = await timedGet(service.port, '/tanks/T1');
        if (status !== 200) failures++;
        latencies.push(millis);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { failures, p50: at(0.5), p99: at(0.99) };
}

/** A port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A collector that accepts connections and never answers. */
async function stalledCollector(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function measure(name: string, env: Record<string, string>) {
  const service = await startService({
    style: 'register',
    env: {
      OTEL_SERVICE_NAME: 'fixture-api',
      DSS_CLIENT: 'aveiro',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      // A small queue, so that this test's load overflows it and the bound shows.
      OTEL_BSP_MAX_QUEUE_SIZE: '256',
      OTEL_BLRP_MAX_QUEUE_SIZE: '256',
      ...env,
    },
  });
  cleanups.push(async () => void (await service.stop()));
  await load(service, 50); // warm-up
  const rssBefore = rssMegabytes(service.child.pid as number);
  const result = await load(service, REQUESTS);
  const rssAfter = rssMegabytes(service.child.pid as number);
  const exit = await service.stop();
  const figures = {
    requests: REQUESTS,
    failures: result.failures,
    p50Ms: +result.p50.toFixed(2),
    p99Ms: +result.p99.toFixed(2),
    rssGrowthMb: +(rssAfter - rssBefore).toFixed(1),
    stopMs: Math.round(exit.stopMillis),
  };
  console.log(`[${name}] ${JSON.stringify(figures)}`);
  return { figures, exit, stderr: service.stderr() };
}

function droppedSpans(stderr: string): number {
  return [...stderr.matchAll(/dropped since last report: (\d+) spans/g)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

describe('with the collector unavailable, the service is unharmed', () => {
  it('reference: a healthy collector (the figures the cases below compare with)', async () => {
    const sink = new InMemorySink({ keep: false });
    const receiver = await startOtlpGrpcReceiver({ host: '127.0.0.1', port: 0, sink });
    cleanups.push(receiver.close);
    const { figures, stderr } = await measure('healthy collector', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
    });
    expect(figures.failures).toBe(0);
    expect(sink.counts().spans).toBeGreaterThan(0);
    expect(stderr).not.toMatch(/shutdown took over/);
  });

  it('no collector listening', async () => {
    const port = await closedPort();
    const { figures, exit, stderr } = await measure('no collector', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    expect(figures.failures).toBe(0);
    expect(figures.rssGrowthMb).toBeLessThan(80);
    expect(exit.signal).toBe('SIGTERM');
    expect(figures.stopMs).toBeLessThan(7_000);
    // Every span of the load is lost, and said so once at exit, not once per failure.
    expect(droppedSpans(stderr)).toBeGreaterThan(REQUESTS);
    expect(stderr.match(/dropped since last report/g)?.length ?? 0).toBeLessThanOrEqual(2);
  });

  it('a collector that accepts connections and never answers', async () => {
    const stalled = await stalledCollector();
    cleanups.push(stalled.close);
    const { figures, exit, stderr } = await measure('stalled collector', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${stalled.port}`,
    });
    expect(figures.failures).toBe(0);
    expect(figures.rssGrowthMb).toBeLessThan(80);
    expect(exit.signal).toBe('SIGTERM');
    // shutdown() is bounded (5 s) even though no export ever completes.
    expect(figures.stopMs).toBeLessThan(7_000);
    expect(droppedSpans(stderr) + (stderr.includes('shutdown took over') ? 1 : 0)).toBeGreaterThan(0);
  });

  it('a collector that answers 503 with Retry-After', async () => {
    let refused = 0;
    const sink = new InMemorySink();
    const refusing = {
      consume: async () => {
        refused++;
        throw new SinkOverloadedError(1);
      },
    };
    const receiver = await startOtlpHttpReceiver({ host: '127.0.0.1', port: 0, sink: refusing });
    cleanups.push(receiver.close);
    const { figures, exit, stderr } = await measure('collector answering 503', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
    expect(figures.failures).toBe(0);
    expect(figures.rssGrowthMb).toBeLessThan(80);
    expect(exit.signal).toBe('SIGTERM');
    expect(figures.stopMs).toBeLessThan(7_000);
    expect(refused).toBeGreaterThan(0);
    expect(sink.requests()).toHaveLength(0);
    expect(droppedSpans(stderr)).toBeGreaterThan(0);
  });
});

describe('bad configuration', () => {
  it('an unknown sampler and a malformed endpoint give one warning each and a working service', async () => {
    const service = await startService({
      style: 'register',
      env: {
        OTEL_SERVICE_NAME: 'fixture-api',
        DSS_CLIENT: 'aveiro',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector 4317',
        // Nothing may reach the real default port from a test: the fallback endpoint is checked by
        // the unit tests; here only /healthz is called (never traced) and metrics and logs are off.
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
    });
    cleanups.push(async () => void (await service.stop()));
    for (let i = 0; i < 20; i++) expect((await timedGet(service.port, '/healthz')).status).toBe(200);
    const exit = await service.stop();
    const stderr = service.stderr();
    expect(exit.signal).toBe('SIGTERM');
    expect(stderr.match(/OTEL_TRACES_SAMPLER="sometimes" is not a supported sampler/g)).toHaveLength(1);
    expect(
      stderr.match(/OTEL_EXPORTER_OTLP_ENDPOINT="collector 4317" is not an http\(s\) URL/g),
    ).toHaveLength(1);
    expect(stderr).not.toMatch(/TypeError|Uncaught|at .*\.ts:\d+/);
  });
});
