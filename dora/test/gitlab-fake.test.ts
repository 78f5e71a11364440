// The fake GitLab speaks GitLab's REST API as documented, and the sample history is realistic and seeded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlDeployment, GlIssue, GlMergeRequest, GlProject } from '../src/gitlab-types.ts';
import { generateHistory } from '../src/sample/generator.ts';
import { type FakeGitlab, startFakeGitlab } from './support/gitlab-fake/server.ts';

const history = generateHistory({ seed: 11, clients: ['aveiro', 'braga'], days: 120 });
let fake: FakeGitlab;
beforeAll(async () => {
  fake = await startFakeGitlab(history, { good: ['read_api'], weak: ['read_user'] });
});
afterAll(() => fake.close());

const get = (path: string, headers: Record<string, string> = { 'PRIVATE-TOKEN': 'good' }) =>
  fetch(`${fake.url}/api/v4/${path}`, { headers });

describe('the seeded history', () => {
  it('is the same for the same seed and holds every kind of event', () => {
    const again = generateHistory({ seed: 11, clients: ['aveiro', 'braga'], days: 120 });
    expect(JSON.stringify([...again.mergeRequests])).toBe(JSON.stringify([...history.mergeRequests]));
    expect(JSON.stringify([...generateHistory({ seed: 12 }).mergeRequests])).not.toBe(
      JSON.stringify([...history.mergeRequests]),
    );
    const mrs = [...history.mergeRequests.values()].flat();
    const deployments = [...history.deployments.values()].flat();
    const issues = [...history.issues.values()].flat();
    expect(history.projects.map((p) => p.path_with_namespace)).toContain(
      'dss/braga/forecast_optimization_api',
    );
    expect(mrs.some((m) => m.title.startsWith('Revert "'))).toBe(true);
    expect(mrs.some((m) => m.labels.includes('hotfix'))).toBe(true);
    expect(deployments.some((d) => d.status === 'failed' && d.environment.tier === 'production')).toBe(true);
    expect(deployments.some((d) => d.environment.tier === 'staging')).toBe(true);
    expect(issues.some((i) => i.issue_type === 'incident')).toBe(true);
    expect(issues.some((i) => i.issue_type === 'issue' && i.labels.includes('incident'))).toBe(true);
    // a rollback: a production SHA deployed again after another one
    const rolled = [...history.deployments.values()].some((list) => {
      const shas = list
        .filter((d) => d.environment.tier === 'production' && d.status === 'success')
        .map((d) => d.sha);
      return shas.some((s, i) => i > 1 && shas.slice(0, i - 1).includes(s) && shas[i - 1] !== s);
    });
    expect(rolled).toBe(true);
    expect([...history.pipelines.values()].flat().some((p) => /^v\d+$/.test(p.ref))).toBe(true);
    for (const m of mrs.filter((x) => x.merged_at)) {
      expect(Date.parse(m.merged_at as string)).toBeGreaterThan(Date.parse(m.created_at));
      const first = history.mrCommits.get(m.id)?.at(-1);
      expect(Date.parse(first?.authored_date as string)).toBeLessThan(Date.parse(m.created_at));
    }
  });
});

describe('the fake GitLab API', () => {
  it('authenticates: 401 without or with a bad token, Bearer accepted, 403 insufficient_scope', async () => {
    expect((await get('version', {})).status).toBe(401);
    expect((await get('version', { 'PRIVATE-TOKEN': 'nope' })).status).toBe(401);
    expect((await get('version', { Authorization: 'Bearer good' })).status).toBe(200);
    const weak = await get('version', { 'PRIVATE-TOKEN': 'weak' });
    expect(weak.status).toBe(403);
    expect(await weak.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('answers 404 for an unknown group or project, by id or URL-encoded path', async () => {
    expect((await get('groups/dss%2Fnowhere')).status).toBe(404);
    expect((await get('projects/424242/merge_requests')).status).toBe(404);
    expect((await get('groups/dss%2Faveiro')).status).toBe(200);
    expect((await get('projects/dss%2Faveiro%2Fdbs')).status).toBe(200);
  });

  it('paginates by offset with x-* and link headers', async () => {
    const project = history.projects[1] as GlProject;
    const total = history.mergeRequests.get(project.id)?.length as number;
    const r = await get(`projects/${project.id}/merge_requests?per_page=10&page=2`);
    expect(r.headers.get('x-page')).toBe('2');
    expect(r.headers.get('x-per-page')).toBe('10');
    expect(r.headers.get('x-total')).toBe(String(total));
    expect(r.headers.get('x-total-pages')).toBe(String(Math.ceil(total / 10)));
    expect(r.headers.get('x-next-page')).toBe('3');
    expect(r.headers.get('x-prev-page')).toBe('1');
    expect(r.headers.get('link')).toMatch(/page=3[^>]*>; rel="next"/);
    expect(((await r.json()) as unknown[]).length).toBe(10);
    const last = await get(`projects/${project.id}/merge_requests?per_page=10&page=${Math.ceil(total / 10)}`);
    expect(last.headers.get('x-next-page')).toBe('');
    expect(last.headers.get('link')).not.toMatch(/rel="next"/);
  });

  it('paginates group projects by keyset (id_after in link, no totals)', async () => {
    const r = await get('groups/dss%2Faveiro/projects?pagination=keyset&order_by=id&sort=asc&per_page=2');
    const page = (await r.json()) as GlProject[];
    expect(page).toHaveLength(2);
    expect(r.headers.get('x-total')).toBeNull();
    const next = /<([^>]+)>; rel="next"/.exec(r.headers.get('link') ?? '')?.[1] as string;
    expect(new URL(next).searchParams.get('id_after')).toBe(String(page[1]?.id));
    const rest = (await (await fetch(next, { headers: { 'PRIVATE-TOKEN': 'good' } })).json()) as GlProject[];
    expect(rest.map((p) => p.path)).toEqual(['dbconnectors', 'forecast_optimization_api']);
    expect((await get('groups/dss%2Faveiro/projects?pagination=keyset&order_by=name')).status).toBe(400);
  });

  it('filters by updated_after (inclusive) and orders by updated_at', async () => {
    const project = history.projects.find((p) => p.path === 'forecast_optimization_api') as GlProject;
    const all = history.deployments.get(project.id) as GlDeployment[];
    const cut = all[Math.floor(all.length / 2)]?.updated_at as string;
    const r = await get(
      `projects/${project.id}/deployments?updated_after=${cut}&order_by=updated_at&sort=asc&per_page=100&environment=production`,
    );
    const list = (await r.json()) as GlDeployment[];
    expect(list.length).toBe(
      all.filter((d) => d.updated_at >= cut && d.environment.name === 'production').length,
    );
    expect(list.map((d) => d.updated_at)).toEqual([...list.map((d) => d.updated_at)].sort());
    const mrs = (await (
      await get(`projects/${project.id}/merge_requests?state=merged&per_page=100`)
    ).json()) as GlMergeRequest[];
    expect(mrs.every((m) => m.state === 'merged')).toBe(true);
  });

  it('filters issues by issue_type and labels', async () => {
    for (const p of history.projects) {
      const incidents = (await (
        await get(`projects/${p.id}/issues?issue_type=incident&per_page=100`)
      ).json()) as GlIssue[];
      expect(incidents.every((i) => i.issue_type === 'incident')).toBe(true);
      const labelled = (await (
        await get(`projects/${p.id}/issues?labels=incident&per_page=100`)
      ).json()) as GlIssue[];
      expect(labelled.every((i) => i.labels.includes('incident'))).toBe(true);
    }
  });

  it('injects 429 with Retry-After and RateLimit-*, 5xx, and slow answers', async () => {
    fake.faults.push({ status: 429, retryAfter: 7 }, { status: 502 }, { delayMs: 300 });
    const limited = await get('version');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(limited.headers.get('ratelimit-limit')).toBeTruthy();
    expect((await get('version')).status).toBe(502);
    const t = Date.now();
    expect((await get('version')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    expect((await get('version')).status).toBe(200);
  });
});
