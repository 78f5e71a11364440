// Hand-computed scenarios, one per edge case of the definitions in dora/README.md.
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../src/metrics/compute.ts';
import type { Change, Dataset, Deployment, Incident, ProjectInfo } from '../src/metrics/model.ts';
import { isoWeekOf, isoWeekWindow } from '../src/metrics/time.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-11-16T00:00:00Z'); // Monday of 2026-W47
const W47 = isoWeekWindow('2026-W47');

const api: ProjectInfo = {
  id: 1,
  client: 'aveiro',
  path: 'forecast_optimization_api',
  pathWithNamespace: 'dss/aveiro/forecast_optimization_api',
  webUrl: 'https://gl/dss/aveiro/forecast_optimization_api',
  deploy: { type: 'deployments', tier: 'production' },
  ships: [],
};
const dbs: ProjectInfo = {
  id: 2,
  client: 'aveiro',
  path: 'dbs',
  pathWithNamespace: 'dss/aveiro/dbs',
  webUrl: 'https://gl/dss/aveiro/dbs',
  deploy: { type: 'pipeline', tagPattern: '^v' },
  ships: ['*'],
};
const workers: ProjectInfo = {
  id: 3,
  client: 'aveiro',
  path: 'workers',
  pathWithNamespace: 'dss/aveiro/workers',
  webUrl: 'https://gl/dss/aveiro/workers',
  deploy: { type: 'none' },
  ships: [],
};

let seq = 0;
function dep(
  projectId: number,
  sha: string,
  finishedHour: number,
  status: 'success' | 'failed' = 'success',
): Deployment {
  seq++;
  return {
    key: `deployment:${seq}`,
    projectId,
    sha,
    ref: 'main',
    status,
    startedAt: T0 + finishedHour * H - H / 2,
    finishedAt: T0 + finishedHour * H,
    webUrl: `https://gl/d/${seq}`,
  };
}
function mr(
  id: number,
  projectId: number,
  hours: { commit?: number; open: number; review?: number; merge: number },
  extra: Partial<Change> = {},
): Change {
  return {
    id,
    projectId,
    iid: id,
    title: `change ${id}`,
    labels: [],
    createdAt: T0 + hours.open * H,
    mergedAt: T0 + hours.merge * H,
    firstCommitAt: hours.commit === undefined ? null : T0 + hours.commit * H,
    firstReviewAt: hours.review === undefined ? null : T0 + hours.review * H,
    mergeSha: `m${id}`,
    webUrl: `https://gl/mr/${id}`,
    ...extra,
  };
}
function incident(
  id: number,
  projectId: number,
  open: number,
  close: number | null,
  description = '',
): Incident {
  return {
    id,
    projectId,
    iid: id,
    title: `incident ${id}`,
    description,
    createdAt: T0 + open * H,
    closedAt: close === null ? null : T0 + close * H,
    webUrl: `https://gl/i/${id}`,
  };
}
function dataset(parts: Partial<Dataset> & { commits?: Record<number, Record<string, number>> }): Dataset {
  const commitTimes = new Map<number, Map<string, number>>();
  for (const [pid, shas] of Object.entries(parts.commits ?? {}))
    commitTimes.set(Number(pid), new Map(Object.entries(shas).map(([s, h]) => [s, T0 + h * H])));
  return {
    projects: parts.projects ?? [api, dbs, workers],
    deployments: parts.deployments ?? [],
    changes: parts.changes ?? [],
    incidents: parts.incidents ?? [],
    commitTimes,
  };
}

describe('DORA metrics, hand-computed', () => {
  it('no deployments: zero frequency, no lead time, no failure rate', () => {
    const m = computeMetrics(dataset({ changes: [mr(1, 1, { open: 1, merge: 2 })] }), { window: W47 });
    expect(m.deploymentFrequency).toMatchObject({ deployments: 0, perDay: 0, perWeek: 0, band: 'low' });
    expect(m.deploymentFrequency.byWeek).toEqual([{ week: '2026-W47', deployments: 0 }]);
    expect(m.leadTime).toMatchObject({
      count: 0,
      medianHours: null,
      p90Hours: null,
      band: null,
      gitlabMedianHours: null,
    });
    expect(m.changeFailureRate).toEqual({ failed: 0, deployments: 0, rate: null, band: null });
    expect(m.reworkRate.rate).toBeNull();
  });

  it('lead time, its stages (DevLake) and GitLab merge→deploy, median and p90', () => {
    // Three changes shipped by one deployment at hour 50.
    // change 1: commit 0, open 2, review 5, merge 10 → lead 50, coding 2, pickup 3, review 5, deploy 40
    // change 2: commit 20, open 21, review 23, merge 30 → lead 30, coding 1, pickup 2, review 7, deploy 20
    // change 3: no commits known, open 40, no review, merge 44 → lead 10 (from open), deploy 6
    const m = computeMetrics(
      dataset({
        deployments: [dep(1, 'm3', 50)],
        changes: [
          mr(1, 1, { commit: 0, open: 2, review: 5, merge: 10 }),
          mr(2, 1, { commit: 20, open: 21, review: 23, merge: 30 }),
          mr(3, 1, { open: 40, merge: 44 }),
        ],
        commits: { 1: { m1: 10, m2: 30, m3: 44 } },
      }),
      { window: W47 },
    );
    expect(m.leadTime).toMatchObject({
      count: 3,
      medianHours: 30,
      p90Hours: 50,
      band: 'high',
      gitlabMedianHours: 20,
    });
    expect(m.leadTime.stages.coding).toMatchObject({ count: 2, medianHours: 1.5 });
    expect(m.leadTime.stages.pickup).toMatchObject({ count: 2, medianHours: 2.5 });
    expect(m.leadTime.stages.review).toMatchObject({ count: 2, medianHours: 6 });
    expect(m.leadTime.stages.deploy).toMatchObject({ count: 3, medianHours: 20 });
    expect(m.changes.map((c) => [c.id, c.leadTimeHours, c.webUrl])).toEqual([
      [1, 50, 'https://gl/mr/1'],
      [2, 30, 'https://gl/mr/2'],
      [3, 10, 'https://gl/mr/3'],
    ]);
  });

  it('a deployment with no changes counts for frequency, not for lead time', () => {
    const m = computeMetrics(
      dataset({
        deployments: [dep(1, 'm1', 10), dep(1, 'm1', 30)],
        changes: [mr(1, 1, { commit: 0, open: 1, merge: 5 })],
        commits: { 1: { m1: 5 } },
      }),
      { window: W47 },
    );
    expect(m.deploymentFrequency).toMatchObject({
      deployments: 2,
      deploymentDays: 2,
      perWeek: 2,
      band: 'high',
    });
    expect(m.deployments.map((d) => d.changes)).toEqual([[1], []]);
    expect(m.leadTime).toMatchObject({ count: 1, medianHours: 10 });
  });

  it('an incident before any deployment is counted for restore time but attributed to none', () => {
    const m = computeMetrics(dataset({ deployments: [dep(1, 'a', 20)], incidents: [incident(1, 1, 5, 9)] }), {
      window: W47,
    });
    expect(m.incidents[0]).toMatchObject({ attributedTo: null, hoursToRestore: 4 });
    expect(m.changeFailureRate).toMatchObject({ failed: 0, deployments: 1, rate: 0 });
    expect(m.timeToRestore).toMatchObject({ count: 1, medianHours: 4, open: 0 });
  });

  it('overlapping incidents after one deployment fail it once, and each counts for restore time', () => {
    const d1 = dep(1, 'a', 10);
    const d2 = dep(1, 'b', 40);
    const m = computeMetrics(
      dataset({
        deployments: [d1, d2],
        commits: { 1: { a: 9, b: 39 } },
        // both opened after d1 and before d2; 12→20 and 14→16 overlap; a third is still open
        incidents: [incident(1, 1, 12, 20), incident(2, 1, 14, 16), incident(3, 1, 50, null)],
      }),
      { window: W47 },
    );
    expect(m.incidents.map((i) => i.attributedTo)).toEqual([d1.key, d1.key, d2.key]);
    expect(m.changeFailureRate).toMatchObject({ failed: 2, deployments: 2, rate: 1 });
    expect(m.timeToRestore).toMatchObject({ count: 2, medianHours: 5, p90Hours: 8, open: 1 });
    // d1 recovered when the first of its incidents closed (hour 16); d2 not yet
    expect(m.failedDeploymentRecovery).toMatchObject({ count: 1, medianHours: 6, unrecovered: 1 });
  });

  it('ISO weeks and time zones at a year boundary', () => {
    expect(isoWeekOf(Date.parse('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(isoWeekOf(Date.parse('2025-12-29T12:00:00Z'), 'UTC')).toBe('2026-W01');
    // 23:30 UTC on Sunday 28 Dec 2025 is already Monday 00:30 in Lisbon's neighbour Berlin (UTC+1).
    const late = Date.parse('2025-12-28T23:30:00Z');
    expect(isoWeekOf(late, 'UTC')).toBe('2025-W52');
    expect(isoWeekOf(late, 'Europe/Berlin')).toBe('2026-W01');
    const berlin = isoWeekWindow('2026-W01', 'Europe/Berlin');
    expect(new Date(berlin.start).toISOString()).toBe('2025-12-28T23:00:00.000Z');
    expect(new Date(berlin.end).toISOString()).toBe('2026-01-04T23:00:00.000Z');
    const d: Deployment = { ...dep(1, 'a', 0), finishedAt: late, startedAt: late - H };
    const ds = dataset({ deployments: [d] });
    expect(
      computeMetrics(ds, { window: berlin, timeZone: 'Europe/Berlin' }).deploymentFrequency,
    ).toMatchObject({
      deployments: 1,
      byWeek: [{ week: '2026-W01', deployments: 1 }],
    });
    expect(computeMetrics(ds, { window: isoWeekWindow('2026-W01') }).deploymentFrequency.deployments).toBe(0);
    expect(() => isoWeekWindow('2025-W53')).toThrow(/no such ISO week/);
  });

  it("a change is shipped by another project's deployment (dbs ships workers)", () => {
    // workers MR merged at hour 10; dbs tag pipeline starts 11.5, finishes 12 → lead 12 - 2 = 10 h
    // a later api deployment does not ship workers' changes.
    const tag = dep(2, 'dbs1', 12);
    const m = computeMetrics(
      dataset({
        deployments: [dep(2, 'dbs0', 5), tag, dep(1, 'x', 13)],
        changes: [mr(7, 3, { commit: 2, open: 3, review: 4, merge: 10 })],
      }),
      { window: W47, client: 'aveiro' },
    );
    expect(m.changes).toHaveLength(1);
    expect(m.changes[0]).toMatchObject({ deployment: tag.key, leadTimeHours: 10, mergeToDeployHours: 2 });
    expect(m.changes[0]?.project).toBe('dss/aveiro/workers');
    expect(m.deploymentFrequency.deployments).toBe(3);
  });

  it('a rollback (a redeploy of an older SHA) fails the deployment it replaces and is rework', () => {
    const d1 = dep(1, 'a', 10);
    const d2 = dep(1, 'b', 20);
    const d3 = dep(1, 'a', 23); // back to a
    const m = computeMetrics(
      dataset({
        deployments: [d1, d2, d3],
        changes: [mr(1, 1, { open: 12, merge: 15 }, { mergeSha: 'b' })],
        commits: { 1: { a: 9, b: 15 } },
      }),
      { window: W47 },
    );
    const byKey = new Map(m.deployments.map((d) => [d.key, d]));
    expect(byKey.get(d2.key)?.failure).toEqual([{ kind: 'rollback', by: d3.key, webUrl: d3.webUrl }]);
    expect(byKey.get(d3.key)?.rework).toEqual(['rollback']);
    expect(byKey.get(d3.key)?.changes).toEqual([]); // a rollback ships nothing new
    expect(m.changeFailureRate).toMatchObject({ failed: 1, deployments: 3, rate: 0.333 });
    expect(m.reworkRate).toEqual({ rework: 1, deployments: 3, rate: 0.333 });
    expect(m.failedDeploymentRecovery).toMatchObject({ count: 1, medianHours: 3 });
  });

  it('a revert fails the deployment that shipped the reverted change; the revert and hotfixes are rework', () => {
    const d1 = dep(1, 'm1', 10);
    const d2 = dep(1, 'm2', 30);
    const d3 = dep(1, 'm3', 40);
    const m = computeMetrics(
      dataset({
        deployments: [d1, d2, d3],
        changes: [
          mr(1, 1, { open: 1, merge: 5 }, { title: 'Faster forecasts' }),
          mr(2, 1, { open: 20, merge: 25 }, { title: 'Revert "Faster forecasts"' }),
          mr(3, 1, { open: 32, merge: 35 }, { labels: ['hotfix'] }),
        ],
        commits: { 1: { m1: 5, m2: 25, m3: 35 } },
      }),
      { window: W47 },
    );
    expect(m.deployments.map((d) => [d.failure.map((f) => f.kind), d.rework])).toEqual([
      [['revert'], []],
      [[], ['revert']],
      [[], ['hotfix']],
    ]);
    expect(m.changeFailureRate.rate).toBe(0.333);
    expect(m.reworkRate).toEqual({ rework: 2, deployments: 3, rate: 0.667 });
    expect(m.failedDeploymentRecovery).toMatchObject({ count: 1, medianHours: 20 });
  });

  it('a failed deployment recovers at the next good one; a root-cause SHA links an incident', () => {
    const bad = dep(1, 'b', 10, 'failed');
    const good = dep(1, 'b', 12);
    const later = dep(1, 'c', 30);
    const m = computeMetrics(
      dataset({
        deployments: [dep(1, 'a', 2), bad, good, later],
        incidents: [incident(1, 1, 40, 41, 'Root cause: b0000 not c')],
        commits: { 1: { a: 1, b: 9, c: 29 } },
      }),
      { window: W47 },
    );
    expect(m.deploymentFrequency.deployments).toBe(3); // the failed one is not a deployment
    expect(m.incidents[0]?.attributedTo).toBe(later.key); // no SHA starts with b0000: the latest before
    // bad → good: 2 h; later fails by the incident, restored when it closed: 41 - 30 = 11 h
    expect(m.failedDeploymentRecovery).toMatchObject({ count: 2, medianHours: 6.5, unrecovered: 0 });
    expect(m.changeFailureRate).toMatchObject({ failed: 1, deployments: 3 });
    const linked = computeMetrics(
      dataset({
        deployments: [dep(1, 'b0000aa', 10), dep(1, 'c', 30)],
        incidents: [incident(2, 1, 40, 41, 'root cause: b0000aa')],
      }),
      { window: W47 },
    );
    expect(linked.incidents[0]?.attributedTo).toBe(linked.deployments[0]?.key);
  });
});

describe('the links of all clients, shared', () => {
  it("give each client the same figures as linking the client's data alone", async () => {
    const { generateHistory: gen, sampleConfig: cfg } = await import('../src/sample/generator.ts');
    const { loadHistory: load } = await import('../src/sample/load.ts');
    const { openStore: open } = await import('../src/store/db.ts');
    const { loadDataset: dataset, reportDataset } = await import('../src/metrics/load.ts');
    const {
      prepare: prep,
      prepareClient,
      computeMetrics: compute,
    } = await import('../src/metrics/compute.ts');
    const { isoWeekWindow } = await import('../src/metrics/time.ts');
    const db = open(':memory:');
    load(db, gen({ seed: 9, days: 150, start: '2026-06-01T00:00:00Z' }), cfg('https://gitlab.example.com'));
    const ds = dataset(db);
    const all = prep(ds);
    for (const client of ['aveiro', 'braga', 'coimbra'])
      for (const week of ['2026-W25', '2026-W30', '2026-W36', '2026-W44']) {
        const o = { window: isoWeekWindow(week), client };
        expect(compute(ds, o, prepareClient(all, client))).toEqual(compute(ds, o, prep(ds, { client })));
      }
    // A report's range (its weeks ± 180 days) holds everything this history has for it.
    const ranged = reportDataset(db, '2026-W44', 'UTC');
    const o = { window: isoWeekWindow('2026-W44') };
    expect(compute(ranged, o)).toEqual(compute(ds, o));
    db.close();
  });
});
