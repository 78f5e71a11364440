// The collector side of the conformance test: a real collector (SQLite file in a temporary directory,
// metrics store, query server on a free loopback port) holding the data set, partly compacted into chunks
// and partly in the head, so that queries read both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../../src/collector/index.ts';
import type { AppendSample } from '../../../src/metrics/model.ts';
import { DATA_START_MS, type DataSeries, toAppendSamples } from './dataset.ts';

export interface LoadedCollector {
  url: string;
  stop(): Promise<void>;
}

export async function startCollectorWithDataset(data: DataSeries[]): Promise<LoadedCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'dss-conformance-'));
  const collector = await startCollector({
    dbPath: join(dir, 'collector.sqlite'),
    grpcPort: 0,
    httpPort: 0,
    queryPort: 0,
  });
  const samples = toAppendSamples(data).sort((a, b) => a.timestampMs - b.timestampMs);
  // The first four hours go into chunks; the rest stays in the head.
  const split = DATA_START_MS + 4 * 3_600_000;
  const append = (part: AppendSample[]) => {
    for (let i = 0; i < part.length; i += 5000)
      collector.metricsStore.appendSync({ tenant: '', samples: part.slice(i, i + 5000) });
  };
  append(samples.filter((s) => s.timestampMs < split));
  collector.metricsStore.compactSync({ all: true });
  append(samples.filter((s) => s.timestampMs >= split));
  return {
    url: `http://127.0.0.1:${collector.queryPort}`,
    async stop() {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
