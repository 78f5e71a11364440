// The sync against the fake GitLab on loopback: pagination, retries, errors, crash and resume, incremental.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DoraConfig } from '../src/config.ts';
import type { GitlabHistory, GlMergeRequest } from '../src/gitlab-types.ts';
import { computeMetrics } from '../src/metrics/compute.ts';
import { loadDataset } from '../src/metrics/load.ts';
import { generateHistory, sampleConfig } from '../src/sample/generator.ts';
import { openStore } from '../src/store/db.ts';
import { GitlabClient } from '../src/sync/client.ts';
import { sync } from '../src/sync/sync.ts';
import { type FakeGitlab, startFakeGitlab } from './support/gitlab-fake/server.ts';

const TOKEN = 'glpat-good';
let dir: string;
let fake: FakeGitlab;
let history: GitlabHistory;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dora-sync-'));
  history = generateHistory({ seed: 7, clients: ['aveiro', 'braga'], days: 45 });
  fake = await startFakeGitlab(history, { [TOKEN]: ['read_api'], 'glpat-noscope': ['read_user'] });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  fake.faults.length = 0;
});

let n = 0;
const dbFile = (): string => join(dir, `dora-${++n}.sqlite`);
const config = (over: Partial<DoraConfig['gitlab']> = {}): DoraConfig => {
  const c = sampleConfig(fake.url, ['aveiro', 'braga']);
  c.gitlab = { ...c.gitlab, perPage: 7, ...over };
  return c;
};
const fast = { backoffMs: 10, maxRetries: 4 };

const count = (file: string, table: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const ids = (file: string, table: string): number[] => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT id FROM ${table} ORDER BY id`).all() as { id: number }[]).map((r) => r.id);
  } finally {
    db.close();
  }
};
const expected = () => {
  const all = <T>(m: Map<number, T[]>): T[] => [...m.values()].flat();
  const incidents = all(history.issues).filter(
    (i) => i.issue_type === 'incident' || i.labels.includes('incident'),
  );
  return {
    mergeRequests: all(history.mergeRequests)
      .filter((m) => m.state === 'merged')
      .map((m) => m.id)
      .sort((a, b) => a - b),
    deployments: all(history.deployments).length,
    pipelines: all(history.pipelines).length,
    incidents: incidents.length,
    commits: all(history.commits).length,
  };
};

describe('dora sync against the fake GitLab', () => {
  it('does a full sync, page by page (offset and keyset), and everything lands once', async () => {
    const file = dbFile();
    const before = fake.requests.length;
    const result = await sync({ config: config({ perPage: 3 }), dbFile: file, token: TOKEN, client: fast });
    const reqs = fake.requests.slice(before);
    const e = expected();
    expect(ids(file, 'merge_requests')).toEqual(e.mergeRequests);
    expect(count(file, 'deployments')).toBe(e.deployments);
    expect(count(file, 'pipelines')).toBe(e.pipelines);
    expect(count(file, 'incidents')).toBe(e.incidents);
    expect(count(file, 'commits')).toBe(e.commits);
    expect(count(file, 'projects')).toBe(8);
    expect(result.requests).toBe(reqs.length);
    // keyset on the group's projects, with id_after on the second page
    expect(reqs.some((r) => r.path.endsWith('/projects') && r.query.get('id_after'))).toBe(true);
    // offset pages on a resource without updated_at (default-branch commits)
    expect(reqs.some((r) => r.path.endsWith('/repository/commits') && r.query.get('page') === '2')).toBe(
      true,
    );
    // updated_at keyset: the cursor moves forward within one resource
    const mrCursors = new Set(
      reqs.filter((r) => r.path.endsWith('/merge_requests')).map((r) => r.query.get('updated_after')),
    );
    expect(mrCursors.size).toBeGreaterThan(4);
    // the stored history gives sensible metrics
    const db = openStore(file);
    const m = computeMetrics(loadDataset(db), {
      window: { start: Date.parse('2026-06-01T00:00:00Z'), end: Date.parse('2026-07-16T00:00:00Z') },
    });
    db.close();
    expect(m.deploymentFrequency.deployments).toBeGreaterThan(10);
    expect(m.leadTime.count).toBeGreaterThan(20);
    expect(m.changes.some((c) => c.project.endsWith('/workers'))).toBe(true); // shipped by dbs
    expect(m.timeToRestore.count).toBeGreaterThan(0);
    expect(m.changes[0]?.webUrl).toMatch(/^https:\/\/gitlab\.example\.com\/dss\/.+\/-\/merge_requests\/\d+$/);
  });

  it('syncs incrementally with updated_after, at a few calls per project', async () => {
    const file = dbFile();
    await sync({ config: config({ perPage: 100 }), dbFile: file, token: TOKEN, client: fast });
    const before = fake.requests.length;
    const api = history.projects.find((p) => p.path_with_namespace === 'dss/aveiro/workers');
    const list = history.mergeRequests.get(api?.id as number) as GlMergeRequest[];
    const last = list[list.length - 1] as GlMergeRequest;
    const now = new Date(Math.max(...list.map((m) => Date.parse(m.updated_at))) + 3_600_000).toISOString();
    const added: GlMergeRequest = {
      ...last,
      id: 99_999_001,
      iid: 9001,
      title: 'new one',
      state: 'merged',
      updated_at: now,
      merged_at: now,
    };
    list.push(added);
    history.mrCommits.set(added.id, []);
    try {
      await sync({ config: config({ perPage: 100 }), dbFile: file, token: TOKEN, client: fast });
      const reqs = fake.requests.slice(before);
      // (a resource that never had a row, such as a project without incidents, has no cursor yet)
      const listing = reqs.filter((r) => /\/(merge_requests|deployments|pipelines)$/.test(r.path));
      expect(listing.length).toBe(8 + 2 + 2);
      expect(listing.every((r) => r.query.get('updated_after'))).toBe(true);
      expect(
        reqs.filter((r) => r.path.endsWith('/repository/commits')).every((r) => r.query.get('since')),
      ).toBe(true);
      // one MR changed: its commits and notes are the only per-MR calls
      expect(reqs.filter((r) => /merge_requests\/\d+\//.test(r.path)).map((r) => r.path)).toEqual([
        `/api/v4/projects/${api?.id}/merge_requests/9001/commits`,
        `/api/v4/projects/${api?.id}/merge_requests/9001/notes`,
      ]);
      expect(reqs.length).toBeLessThanOrEqual(3 + 8 * 6 + 2);
      expect(ids(file, 'merge_requests')).toContain(added.id);
      expect(ids(file, 'merge_requests')).toEqual(expected().mergeRequests);
    } finally {
      list.pop();
      history.mrCommits.delete(added.id);
    }
  });

  it('honours Retry-After on 429 and retries 5xx and timeouts with backoff', async () => {
    const file = dbFile();
    fake.faults.push(
      { path: /\/merge_requests$/, status: 429, retryAfter: 1 },
      { path: /\/deployments$/, status: 500, times: 2 },
      { path: /\/pipelines$/, status: 502 },
      { path: /\/issues$/, delayMs: 400 },
    );
    const retries: { status: number | string; waitMs: number }[] = [];
    const before = fake.requests.length;
    await sync({
      config: config({ timeoutMs: 250 }),
      dbFile: file,
      token: TOKEN,
      client: { ...fast, onRetry: (r) => retries.push(r) },
    });
    const reqs = fake.requests.slice(before);
    const i429 = reqs.findIndex((r) => r.status === 429);
    const retry = reqs.slice(i429 + 1).find((r) => r.path === reqs[i429]?.path);
    expect((retry?.at as number) - (reqs[i429]?.at as number)).toBeGreaterThanOrEqual(950);
    expect(retries.map((r) => r.status).sort()).toEqual([429, 500, 500, 502, 'timeout'].sort());
    expect(retries.find((r) => r.status === 429)?.waitMs).toBe(1000);
    expect(ids(file, 'merge_requests')).toEqual(expected().mergeRequests);
  });

  it('takes deployments from a job in a named stage, and re-reads jobs incrementally', async () => {
    const file = dbFile();
    const c = config({ perPage: 20 });
    for (const client of c.clients)
      client.projects.dbs = {
        deploy: { type: 'job', stage: 'deploy', name: 'deploy:production' },
        ships: ['*'],
      };
    await sync({ config: c, dbFile: file, token: TOKEN, client: fast });
    const viaTags = dbFile();
    await sync({ config: config({ perPage: 100 }), dbFile: viaTags, token: TOKEN, client: fast });
    const deployments = (f: string) => {
      const db = openStore(f);
      try {
        const ds = loadDataset(db);
        const dbsIds = new Set(ds.projects.filter((p) => p.path === 'dbs').map((p) => p.id));
        return ds.deployments
          .filter((d) => dbsIds.has(d.projectId))
          .map((d) => [d.sha, d.status, d.finishedAt])
          .sort();
      } finally {
        db.close();
      }
    };
    expect(deployments(file).length).toBeGreaterThan(10);
    expect(deployments(file)).toEqual(deployments(viaTags));
    const before = fake.requests.length;
    await sync({ config: c, dbFile: file, token: TOKEN, client: fast });
    const jobPages = fake.requests.slice(before).filter((r) => r.path.endsWith('/jobs'));
    expect(jobPages.length).toBe(2); // one page per dbs: the newest jobs are within a day of the mark
    expect(jobPages[0]?.query.getAll('scope[]')).toEqual(['success', 'failed']);
  });

  it('waits for RateLimit-Reset when RateLimit-Remaining reaches 0', async () => {
    const waits: number[] = [];
    const client = new GitlabClient({
      url: fake.url,
      token: TOKEN,
      sleep: async (ms) => void waits.push(ms),
    });
    const saved = fake.rateLimit;
    fake.rateLimit = fake.requests.filter((r) => r.at > Date.now() - 60_000).length + 1;
    try {
      await client.get('version'); // the last one allowed: remaining 0
      await client.get('version');
    } finally {
      fake.rateLimit = saved;
    }
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(55_000);
    expect(waits[0]).toBeLessThanOrEqual(61_000);
  });

  it('gives up after the retries with a clear error', async () => {
    fake.faults.push({ path: /\/deployments$/, status: 503, times: 50 });
    await expect(sync({ config: config(), dbFile: dbFile(), token: TOKEN, client: fast })).rejects.toThrow(
      /GitLab server error 503 after 4 retries: GET \/api\/v4\/projects\/\d+\/deployments/,
    );
  });

  it('stops on a bad token, a missing scope, an unknown group or project, a wrong URL; nothing written', async () => {
    const cases: [DoraConfig, string, RegExp][] = [
      [config(), 'glpat-SECRET-bad', /refused the token \(401/],
      [config(), 'glpat-noscope', /lacks a scope.*403.*read_api/],
      [
        { ...config(), clients: [{ name: 'x', group: 'dss/nowhere', projects: {} }] },
        TOKEN,
        /unknown GitLab group 'dss\/nowhere' \(client x\)/,
      ],
      [
        {
          ...config(),
          clients: [
            { name: 'aveiro', group: 'dss/aveiro', projects: { nope: { deploy: { type: 'none' } } } },
          ],
        },
        TOKEN,
        /unknown GitLab project 'dss\/aveiro\/nope' \(client aveiro\)/,
      ],
      [
        { ...config(), gitlab: { url: 'http://127.0.0.1:9' } },
        TOKEN,
        /cannot reach GitLab at http:\/\/127\.0\.0\.1:9/,
      ],
      [{ ...config(), gitlab: { url: `${fake.url}/gitlab` } }, TOKEN, /wrong GitLab URL/],
    ];
    for (const [c, token, message] of cases) {
      const file = dbFile();
      const error = await sync({ config: c, dbFile: file, token, client: { ...fast, maxRetries: 1 } }).catch(
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(token);
      expect(existsSync(file)).toBe(false);
    }
  });

  it('resumes after a crash mid-sync with no gap and no duplicate', async () => {
    const file = dbFile();
    let pages = 0;
    await expect(
      sync({
        config: config(),
        dbFile: file,
        token: TOKEN,
        client: fast,
        afterPage: ({ resource }) => {
          if (resource === 'merge_requests' && ++pages === 5) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const partial = count(file, 'merge_requests');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected().mergeRequests.length);
    await sync({ config: config(), dbFile: file, token: TOKEN, client: fast });
    expect(ids(file, 'merge_requests')).toEqual(expected().mergeRequests);
    expect(count(file, 'mr_commits')).toBe(
      expected().mergeRequests.reduce((s, id) => s + (history.mrCommits.get(id)?.length ?? 0), 0),
    );
  });
});
