// The GitLab API calls of an incremental sync of one week, per project, against the GitLab fake: a full sync
// of a history that stops a week before its end, then the fake serves the whole history and we sync again.
import { join } from 'node:path';
import type { GitlabHistory } from '../../dora/src/gitlab-types.ts';
import { emptyHistory, generateHistory, sampleConfig } from '../../dora/src/sample/generator.ts';
import { sync } from '../../dora/src/sync/sync.ts';
import { startFakeGitlab } from '../../dora/test/support/gitlab-fake/server.ts';

const DAY = 86_400_000;

/** The history as GitLab showed it at `cut`: what was created, updated or finished by then. */
function asOf(h: GitlabHistory, cut: number): GitlabHistory {
  const out = emptyHistory();
  out.groups = h.groups;
  out.projects = h.projects;
  const before = (iso: string | null | undefined) =>
    iso !== null && iso !== undefined && Date.parse(iso) <= cut;
  for (const [id, list] of h.deployments)
    out.deployments.set(
      id,
      list.filter((x) => before(x.updated_at)),
    );
  for (const [id, list] of h.mergeRequests)
    out.mergeRequests.set(
      id,
      list.filter((x) => before(x.updated_at)),
    );
  for (const [id, list] of h.pipelines)
    out.pipelines.set(
      id,
      list.filter((x) => before(x.updated_at)),
    );
  for (const [id, list] of h.issues)
    out.issues.set(
      id,
      list.filter((x) => before(x.updated_at)),
    );
  for (const [id, list] of h.commits)
    out.commits.set(
      id,
      list.filter((x) => before(x.committed_date)),
    );
  for (const [id, list] of h.jobs)
    out.jobs.set(
      id,
      list.filter((x) => before(x.finished_at)),
    );
  for (const [id, list] of h.tags)
    out.tags.set(
      id,
      list.filter((x) => before(x.commit.committed_date)),
    );
  out.mrCommits = h.mrCommits;
  out.mrNotes = h.mrNotes;
  return out;
}

export async function incrementalSyncCalls(dir: string): Promise<void> {
  const clients = ['aveiro', 'braga', 'coimbra'];
  const days = 180;
  const start = Date.parse('2026-05-27T00:00:00Z');
  const full = generateHistory({ seed: 5, clients, start: new Date(start).toISOString(), days });
  const cut = start + (days - 7) * DAY;
  const fake = await startFakeGitlab(asOf(full, cut), { 'glpat-bench': ['read_api'] });
  try {
    const config = sampleConfig(fake.url, clients);
    config.gitlab.perPage = 100;
    const dbFile = join(dir, 'sync.sqlite');
    const first = await sync({ config, dbFile, token: 'glpat-bench' });
    fake.history = full;
    const from = fake.requests.length;
    const second = await sync({ config, dbFile, token: 'glpat-bench' });
    const calls = fake.requests.slice(from);
    const byProject = new Map<string, number>();
    for (const r of calls) {
      const m = /^\/api\/v4\/projects\/(\d+)\//.exec(r.path);
      const name = m
        ? (full.projects.find((p) => p.id === Number(m[1]))?.path_with_namespace ?? m[1])
        : '(preflight)';
      byProject.set(name as string, (byProject.get(name as string) ?? 0) + 1);
    }
    const projects = full.projects.length;
    const written = Object.entries(second.written)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(
      `incremental one-week sync of ${projects} projects (${clients.length} clients; the full sync before it: ${first.requests} calls): ` +
        `${second.requests} calls = ${(second.requests / projects).toFixed(1)} per project; upserted ${written}`,
    );
    for (const [name, n] of [...byProject].sort()) console.log(`  ${name.padEnd(44)} ${n}`);
    // A webhook-triggered sync of one project.
    fake.history = full;
    const one = full.projects.find((p) => p.path === 'forecast_optimization_api') as {
      id: number;
      path_with_namespace: string;
    };
    const oneFrom = fake.requests.length;
    const single = await sync({ config, dbFile, token: 'glpat-bench', projects: [one.id] });
    const paths = fake.requests.slice(oneFrom).map((r) => r.path.replace('/api/v4/', ''));
    console.log(
      `a webhook's sync of ${one.path_with_namespace} alone (nothing new): ${single.requests} calls: ${paths.join(' ')}`,
    );
  } finally {
    await fake.close();
  }
}
