// The collector side of the conformance test and the PromQL benchmark: the data set appended to a metrics
// store, served by the Prometheus API on a free loopback port.
import Fastify from 'fastify';
import { prometheusRoutes } from '../../../src/api/prometheus/index.ts';
import { MemoryMetricsStore } from '../../../src/metrics/memory-store.ts';
import { type DataSeries, toAppendSamples } from './dataset.ts';

export interface LoadedCollector {
  url: string;
  stop(): Promise<void>;
}

export async function startCollectorWithDataset(data: DataSeries[]): Promise<LoadedCollector> {
  const store = new MemoryMetricsStore();
  store.appendSync({ tenant: '', samples: toAppendSamples(data) });
  const app = Fastify();
  app.decorateRequest('tenant', undefined);
  prometheusRoutes(app, store);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, stop: () => app.close() };
}
