// The scheduler and queue with stand-in jobs: concurrency, dedupe (skipped), dependencies, missed runs
// at start, fault flags, timeouts and a clean stop.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobFunction } from '../src/workers/context.ts';
import {
  parseFaults,
  type RunningWorkers,
  slotAtOrBefore,
  startWorkers,
  type WorkersOptions,
  WorkersStore,
} from '../src/workers/index.ts';
import { memoryLogger, removeTempDirs, tempDir, waitFor } from './support/helpers.ts';

const started: RunningWorkers[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop()));
  removeTempDirs();
});

/** A job that resolves when `release()` is called; records when it ran. */
function gate() {
  let release: () => void = () => {};
  const runs: string[] = [];
  let live = 0;
  let maxLive = 0;
  let waiting = new Promise<void>((resolve) => (release = resolve));
  const job =
    (name: string): JobFunction =>
    async () => {
      runs.push(name);
      live++;
      maxLive = Math.max(maxLive, live);
      await waiting;
      live--;
      return { name };
    };
  return {
    job,
    runs,
    maxLive: () => maxLive,
    release: () => {
      release();
      waiting = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

async function workers(options: Partial<WorkersOptions> = {}) {
  const root = options.dbPath ? undefined : tempDir();
  const w = await startWorkers({
    client: 'north',
    intakeDbPath: join(root ?? '/nonexistent', 'intake.sqlite'),
    dbPath: join(root ?? '', 'workers.sqlite'),
    schedule: false,
    logger: memoryLogger().logger,
    ...options,
  });
  started.push(w);
  return w;
}

describe('queue', () => {
  it('runs at most `concurrency` jobs at once and skips a job already queued or running', async () => {
    const g = gate();
    const w = await workers({
      concurrency: 2,
      jobs: { forecast: g.job('forecast'), optimization: g.job('optimization'), kpi: g.job('kpi') },
    });
    const first = w.trigger('kpi');
    expect(first.status).toBe('queued');
    await waitFor(() => g.runs.length === 1);
    // Running: a second kpi is skipped, with the id of the run in progress.
    expect(w.trigger('kpi')).toEqual({ status: 'skipped', runId: first.runId });
    w.trigger('forecast');
    w.trigger('optimization'); // waits for the forecast (a dependency), and for a free slot
    expect(w.trigger('optimization').status).toBe('skipped');
    expect(w.stats()).toMatchObject({ skipped: 2, running: 2, queued: 1 });
    expect(w.store.getRun('north', first.runId)?.status).toBe('running');
    g.release();
    await waitFor(() => g.runs.length === 3);
    g.release();
    await w.idle();
    expect(g.runs).toEqual(['kpi', 'forecast', 'optimization']);
    expect(g.maxLive()).toBe(2);
    expect(w.stats()).toMatchObject({ succeeded: 3, failed: 0, skipped: 2, queued: 0, running: 0 });
    const runs = w.store.listRuns('north', 10);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(runs.every((r) => r.trigger === 'api' && r.started && r.finished)).toBe(true);
    expect(w.store.getRun('north', first.runId)?.result).toEqual({ name: 'kpi' });
  });

  it('stop() waits for running jobs and fails the queued ones', async () => {
    const g = gate();
    const w = await workers({ concurrency: 1, jobs: { forecast: g.job('forecast'), kpi: g.job('kpi') } });
    const running = w.trigger('forecast');
    const queued = w.trigger('kpi');
    await waitFor(() => g.runs.length === 1);
    const stopped = w.stop();
    setTimeout(() => g.release(), 100);
    await stopped;
    expect(g.runs).toEqual(['forecast']);
    // The store is closed after stop: read the file again.
    const reopened = new WorkersStore(w.store.db.name);
    expect(reopened.getRun('north', running.runId)?.status).toBe('succeeded');
    expect(reopened.getRun('north', queued.runId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/cancelled/),
    });
    reopened.close();
  });
});

describe('scheduler', () => {
  const hour = 3_600_000;

  it('aligns slots on the epoch with the offset', () => {
    const t = Date.parse('2026-01-05T10:17:00Z');
    expect(new Date(slotAtOrBefore({ periodMs: hour, offsetMs: 5 * 60_000 }, t)).toISOString()).toBe(
      '2026-01-05T10:05:00.000Z',
    );
    expect(new Date(slotAtOrBefore({ periodMs: 15 * 60_000, offsetMs: 0 }, t)).toISOString()).toBe(
      '2026-01-05T10:15:00.000Z',
    );
  });

  it('runs a missed slot once at start, not once per missed slot, then on schedule', async () => {
    const root = tempDir();
    const dbPath = join(root, 'workers.sqlite');
    // The process was down for 10 hours: the last scheduled forecast was 10 slots ago.
    const store = new WorkersStore(dbPath);
    const schedule = { periodMs: hour, offsetMs: 0 };
    const tenAgo = slotAtOrBefore(schedule, Date.now()) - 10 * hour;
    store.insertRun({
      id: 'old',
      client: 'north',
      job: 'forecast',
      trigger: 'schedule',
      scheduledAt: new Date(tenAgo).toISOString(),
    });
    store.markFinished('old', { result: {} });
    // The kpi already ran for the current slot: nothing to catch up.
    const kpiSchedule = { periodMs: hour, offsetMs: 0 };
    store.insertRun({
      id: 'current',
      client: 'north',
      job: 'kpi',
      trigger: 'schedule',
      scheduledAt: new Date(slotAtOrBefore(kpiSchedule, Date.now())).toISOString(),
    });
    store.markFinished('current', { result: {} });
    store.close();
    const ran: string[] = [];
    const job =
      (name: string): JobFunction =>
      async () => {
        ran.push(name);
        return {};
      };
    const w = await workers({
      dbPath,
      schedule: { forecast: schedule, optimization: { periodMs: 200, offsetMs: 0 }, kpi: kpiSchedule },
      jobs: { forecast: job('forecast'), optimization: job('optimization'), kpi: job('kpi') },
    });
    await waitFor(
      () => ran.filter((j) => j === 'optimization').length >= 3,
      5000,
      'optimization every 200 ms',
    );
    expect(ran.filter((j) => j === 'forecast')).toHaveLength(1);
    expect(ran.filter((j) => j === 'kpi')).toHaveLength(0);
    const runs = w.store
      .listRuns('north', 100)
      .filter((r) => r.trigger === 'schedule' && r.job === 'forecast');
    expect(runs.map((r) => r.scheduledAt)).toContain(
      new Date(slotAtOrBefore(schedule, Date.now())).toISOString(),
    );
  });
});

describe('fault flags', () => {
  it('parses the spec', () => {
    expect(parseFaults('fail=0.3,slow=4,hang,jobs=forecast+kpi')).toEqual({
      failProbability: 0.3,
      slowFactor: 4,
      hang: true,
      jobs: ['forecast', 'kpi'],
    });
    expect(parseFaults('fail=always')).toEqual({ failProbability: 1 });
    expect(() => parseFaults('fail=2')).toThrow(/probability/);
    expect(() => parseFaults('jobs=nope')).toThrow(/unknown job/);
    expect(() => parseFaults('explode')).toThrow(/unknown fault/);
  });

  const ok: JobFunction = async () => ({ ok: true });

  it('fail: the run fails with an injected fault; other jobs are untouched', async () => {
    const w = await workers({
      faults: { failProbability: 1, jobs: ['kpi'] },
      jobs: { kpi: ok, forecast: ok },
    });
    const failed = w.trigger('kpi');
    const fine = w.trigger('forecast');
    await w.idle();
    expect(w.store.getRun('north', failed.runId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^InjectedFault/),
    });
    expect(w.store.getRun('north', fine.runId)?.status).toBe('succeeded');
  });

  it('slow: the run takes N times as long', async () => {
    const w = await workers({ faults: { slowFactor: 3, slowBaseMs: 100 }, jobs: { kpi: ok } });
    const t = performance.now();
    w.trigger('kpi');
    await w.idle();
    expect(performance.now() - t).toBeGreaterThanOrEqual(190);
  });

  it('hang: the run fails with a timeout', async () => {
    const w = await workers({ faults: { hang: true }, timeoutMs: 150, jobs: { kpi: ok } });
    const { runId } = w.trigger('kpi');
    await w.idle();
    expect(w.store.getRun('north', runId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^JobTimeout/),
    });
  });

  it('a job failing for real (no intake database) is stored as failed with its message', async () => {
    const w = await workers();
    const { runId } = w.trigger('forecast');
    await w.idle();
    expect(w.store.getRun('north', runId)?.error).toMatch(/intake database .* does not exist/);
  });
});
