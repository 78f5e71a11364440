// PromQL conformance against the real Prometheus: the same data set in both, the whole corpus through both
// HTTP APIs, answers compared (labels exactly, values within 1e-9 relative, the same error types). Needs
// Debian's prometheus package (.ci/run installs it); without it the test is skipped locally and fails in CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedCollector, startCollectorWithDataset } from './conformance/collector-with-dataset.ts';
import { buildCorpus } from './conformance/corpus.ts';
import { buildDataset, toOpenMetrics } from './conformance/dataset.ts';
import {
  prometheusAvailable,
  type RunningPrometheus,
  startPrometheusWith,
} from './conformance/prometheus-process.ts';
import { runCorpus, summarize } from './conformance/runner.ts';

const available = prometheusAvailable();
if (!available && process.env.CI)
  throw new Error('the PromQL conformance test needs /usr/bin/prometheus and /usr/bin/promtool');

describe.skipIf(!available)('PromQL conformance with Prometheus', () => {
  let prometheus: RunningPrometheus;
  let collector: LoadedCollector;

  beforeAll(async () => {
    const data = buildDataset();
    [prometheus, collector] = await Promise.all([
      startPrometheusWith(toOpenMetrics(data)),
      startCollectorWithDataset(data),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([prometheus?.stop(), collector?.stop()]);
  });

  it('answers the corpus as Prometheus does, apart from the documented differences', async () => {
    const corpus = buildCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const results = await runCorpus(prometheus.url, collector.url, corpus);
    const summary = summarize(results);
    const rate = ((100 * summary.passed) / summary.cases).toFixed(1);
    console.log(
      `PromQL conformance vs Prometheus ${prometheus.version}: ${summary.queries} queries, ${summary.cases} cases, ` +
        `${summary.passed} identical (${rate}%), ${summary.expectedDifferences} documented differences, ${summary.unexpected.length} unexpected`,
    );
    const unexpected = summary.unexpected.map((r) => `${r.mode} ${r.entry.query}: ${r.difference}`);
    expect(unexpected).toEqual([]);
    // The documented differences must be rare, or the corpus is not testing much.
    expect(summary.expectedDifferences).toBeLessThan(summary.cases * 0.05);
  }, 300_000);
});
