// The shipped rules' unit tests (promtool format), replayed through the HTTP evaluator against the collector:
// the input series appended to the collector (shifted to a recent, hour-aligned base time), every group
// evaluated at every evaluation_interval in group_eval_order, and the firing alerts compared with the
// expected ones. This checks that inlining recorded names over HTTP gives the alerts that Prometheus's
// write-back gives (as the unit-test runner and promtool do).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCollector, startCollector } from '@dss/collector/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Evaluator } from '../src/evaluation/evaluator.ts';
import { AlertStateStore } from '../src/evaluation/state-store.ts';
import { loadRuleFile } from '../src/rules/index.ts';
import { parseSeriesLabels, parseSeriesValues } from '../src/unit-tests/series-values.ts';
import { parseTestFile } from '../src/unit-tests/test-file.ts';

const RULES = join(import.meta.dirname, '../rules');
const HOUR = 3_600_000;
let dir: string;
let collector: RunningCollector;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dss-alerts-conf-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = join(RULES, 'dss.rules.test.yml');
const { testFile, errors } = parseTestFile(readFileSync(file, 'utf8'), file);

describe('shipped rule unit tests through the HTTP evaluator', () => {
  it('parses', () => expect(errors).toEqual([]));
  for (const [n, test] of testFile.tests.entries()) {
    it(test.name || `test ${n}`, async () => {
      collector = await startCollector({
        dbPath: join(dir, `c${n}.db`),
        grpcPort: 0,
        httpPort: 0,
        queryPort: 0,
        host: '127.0.0.1',
      });
      const store = new AlertStateStore(join(dir, `s${n}.db`));
      try {
        const base = Math.floor((Date.now() - 2 * 24 * HOUR) / HOUR) * HOUR;
        const samples = [];
        for (const input of test.inputSeries) {
          const labels = parseSeriesLabels(input.series);
          // Values that are Unix times move with the samples.
          const shift = labels.__name__ === 'dss_job_last_success_seconds' ? base / 1000 : 0;
          for (const [i, v] of parseSeriesValues(input.values).entries()) {
            const timestampMs = base + i * test.intervalMs;
            if (v.kind === 'value') samples.push({ labels, timestampMs, value: v.value + shift });
            if (v.kind === 'stale') samples.push({ labels, timestampMs, value: Number.NaN, stale: true });
          }
        }
        collector.metricsStore.appendSync({ tenant: '', samples });
        const groups = testFile.ruleFiles.flatMap((f) => loadRuleFile(join(RULES, f)).groups);
        const order = [
          ...groups.filter((g) => !testFile.groupEvalOrder.includes(g.name)),
          ...testFile.groupEvalOrder.flatMap((name) => groups.filter((g) => g.name === name)),
        ].map((g) => ({ ...g, intervalSet: false }));
        const ev = new Evaluator({
          groups: order,
          queryUrl: `http://127.0.0.1:${collector.queryPort}`,
          store,
          onAlerts: () => {},
          log: (m) => {
            throw new Error(m);
          },
          defaultIntervalMs: testFile.evaluationIntervalMs,
          externalLabels: test.externalLabels,
          ...(test.externalURL ? { externalURL: test.externalURL } : {}),
        });
        const checks = [...test.alertRuleTests].sort((a, b) => a.evalTimeMs - b.evalTimeMs);
        const last = checks.at(-1)?.evalTimeMs ?? 0;
        let next = 0;
        for (let t = 0; t <= last; t += testFile.evaluationIntervalMs) {
          for (const g of order) await ev.evaluateGroup(g.name, base + t);
          // The checks whose last evaluation at or before eval_time is this one.
          for (; next < checks.length; next++) {
            const check = checks[next];
            if (!check || check.evalTimeMs >= t + testFile.evaluationIntervalMs) break;
            const firing = ev
              .alerts()
              .filter((a) => a.state === 'firing' && a.labels.alertname === check.alertname)
              .map((a) => ({ labels: a.labels, annotations: a.annotations }));
            const expected = check.expAlerts.map((e) => ({
              labels: { ...e.labels, alertname: check.alertname },
              annotations: e.annotations,
            }));
            expect(firing, `${check.alertname} at ${check.evalTimeMs / 60_000}m`).toEqual(
              expect.arrayContaining(expected),
            );
            expect(firing).toHaveLength(expected.length);
          }
        }
        await ev.stop();
      } finally {
        store.close();
        await collector.close();
      }
    }, 120_000);
  }
});
