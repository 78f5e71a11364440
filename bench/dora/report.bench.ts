// The DORA weekly report at scale: 50 projects × 5 years (~100,000 deployments, 250,000 merged MRs,
// 1,000,000 default-branch commits) generated into a SQLite file (bulk.ts), then, several times from a fresh
// connection as `dss-obs dora report` does: load what the report needs, compute every metric (per client and
// overall, the week, the previous one and the 12-week trend) and render it as Markdown and HTML. Target < 1 s.
// Then the API calls of an incremental one-week sync against the GitLab fake, per project.
//   BENCH_CLIENTS (default 10, × 5 projects), BENCH_YEARS (default 5), BENCH_RUNS (default 7).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, reportDataset } from '../../dora/src/metrics/load.ts';
import { isoWeekOf } from '../../dora/src/metrics/time.ts';
import { renderHtml } from '../../dora/src/report/html/index.ts';
import { renderMarkdown, weeklyReport } from '../../dora/src/report/weekly.ts';
import { openStore } from '../../dora/src/store/db.ts';
import { bulkHistory } from './bulk.ts';
import { incrementalSyncCalls } from './sync-calls.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
const YEARS = Number(process.env.BENCH_YEARS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const END = Date.parse('2026-11-23T00:00:00Z');
const WEEK = isoWeekOf(END - 1, 'UTC');

const dir = await mkdtemp(join(tmpdir(), 'dss-bench-dora-'));
try {
  const file = join(dir, 'dora.sqlite');
  let t = performance.now();
  const db = openStore(file);
  const counts = bulkHistory(db, { clients: CLIENTS, years: YEARS, end: END });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const generateMs = performance.now() - t;
  console.log(
    `generated ${counts.projects} projects × ${YEARS} years: ${counts.deployments.toLocaleString('en-US')} deployments, ` +
      `${counts.mergeRequests.toLocaleString('en-US')} merged MRs, ${counts.commits.toLocaleString('en-US')} commits, ` +
      `${counts.incidents.toLocaleString('en-US')} incidents in ${(generateMs / 1000).toFixed(1)} s ` +
      `(${((await stat(file)).size / 1024 / 1024).toFixed(0)} MiB)`,
  );

  const phases: Record<string, number[]> = { load: [], compute: [], md: [], html: [], total: [] };
  let sizes = '';
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const store = openStore(file);
    t = performance.now();
    const ds = reportDataset(store, WEEK, 'UTC');
    phases.load?.push(performance.now() - t);
    t = performance.now();
    const report = weeklyReport(ds, { week: WEEK });
    phases.compute?.push(performance.now() - t);
    t = performance.now();
    const md = renderMarkdown(report);
    phases.md?.push(performance.now() - t);
    t = performance.now();
    const html = renderHtml(report);
    phases.html?.push(performance.now() - t);
    store.close();
    phases.total?.push(performance.now() - started);
    sizes =
      `${report.scopes.length} scopes, ${ds.deployments.length.toLocaleString('en-US')} deployments / ${ds.changes.length.toLocaleString('en-US')} changes / ` +
      `${ds.incidents.length} incidents / ${[...ds.commitTimes.values()].reduce((n, m) => n + m.size, 0).toLocaleString('en-US')} commit times loaded; ` +
      `md ${(md.length / 1024).toFixed(0)} KiB, html ${(html.length / 1024).toFixed(0)} KiB`;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(`weekly report ${WEEK}, ${RUNS} runs from a fresh connection: ${sizes}`);
  for (const [phase, xs] of Object.entries(phases))
    console.log(
      `  ${phase.padEnd(8)} median ${median(xs).toFixed(0).padStart(5)} ms   max ${Math.max(...xs)
        .toFixed(0)
        .padStart(5)} ms`,
    );
  const total = median(phases.total ?? []);
  console.log(
    `target < 1000 ms: ${total < 1000 ? 'met' : 'MISSED'} (median ${total.toFixed(0)} ms, max ${Math.max(...(phases.total ?? [])).toFixed(0)} ms)`,
  );

  // The figures from the report's range equal those from the whole history (the range loses nothing here).
  t = performance.now();
  const store = openStore(file);
  const whole = weeklyReport(loadDataset(store), { week: WEEK, now: new Date(0) });
  const ranged = weeklyReport(reportDataset(store, WEEK, 'UTC'), { week: WEEK, now: new Date(0) });
  store.close();
  const same = JSON.stringify(whole) === JSON.stringify(ranged);
  console.log(
    `the same report from the whole history (${((performance.now() - t) / 1000).toFixed(1)} s): ${same ? 'identical' : 'DIFFERENT'}`,
  );

  await incrementalSyncCalls(dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
