// `dora sync`: GitLab → SQLite. First run: full history (or since `config.since`); then incremental.
//
// Each resource of each project is listed with order_by=updated_at&sort=asc&updated_after=<cursor> (inclusive,
// as GitLab), and each page is written in one transaction together with the new cursor (the page's highest
// updated_at). The next request starts again from page 1 with that cursor (a keyset over updated_at), so rows
// that change while we page cannot shift an offset past us; rows at the boundary instant are fetched twice and
// upserted by GitLab id. A crash therefore resumes at the last committed page: no gap, no duplicate.
// Before anything is written, a preflight checks the URL, the token, its scope, every group and every
// configured project, so a configuration error leaves the database untouched.
import { existsSync } from 'node:fs';
import type { ClientConfig, DoraConfig } from '../config.ts';
import type {
  GlCommit,
  GlDeployment,
  GlGroup,
  GlIssue,
  GlJob,
  GlMergeRequest,
  GlNote,
  GlPipeline,
  GlProject,
} from '../gitlab-types.ts';
import { type Db, getCursor, openStore, type Writers, writers } from '../store/db.ts';
import { type ClientOptions, GitlabClient, GitlabError } from './client.ts';
import { commitRow, deploymentRow, incidentRow, jobRow, mergeRequestRow, pipelineRow } from './map.ts';

export interface SyncProgress {
  client: string;
  project: string;
  resource: string;
  /** Items written so far for this resource. */
  items: number;
  /** Projects done / total. */
  done: number;
  total: number;
}

export interface SyncOptions {
  config: DoraConfig;
  dbFile: string;
  token: string;
  client?: Partial<ClientOptions>;
  onProgress?: (p: SyncProgress) => void;
  /**
   * Only these projects (GitLab ids): an incremental sync of what a webhook named. The preflight then checks
   * only the clients the store knows them under (every client if none is known yet).
   */
  projects?: number[];
  /** Test hook: called after each committed page; throwing simulates a crash. */
  afterPage?: (info: { project: string; resource: string; page: number }) => void;
}

export interface SyncResult {
  requests: number;
  written: Record<string, number>;
}

interface PlannedProject {
  client: ClientConfig;
  project: GlProject;
}

export class SyncError extends Error {}

async function preflight(api: GitlabClient, config: DoraConfig): Promise<PlannedProject[]> {
  try {
    await api.get('version');
  } catch (error) {
    if (error instanceof GitlabError && error.kind === 'not-found')
      throw new SyncError(`wrong GitLab URL: ${config.gitlab.url} has no API at /api/v4`);
    throw error;
  }
  const planned: PlannedProject[] = [];
  for (const client of config.clients) {
    let group: GlGroup;
    try {
      group = await api.get<GlGroup>(`groups/${encodeURIComponent(client.group)}`);
    } catch (error) {
      if (error instanceof GitlabError && error.kind === 'not-found')
        throw new SyncError(
          `unknown GitLab group '${client.group}' (client ${client.name}), or the token cannot see it`,
        );
      throw error;
    }
    const projects = await api.all<GlProject>(`groups/${group.id}/projects`, {
      pagination: 'keyset',
      order_by: 'id',
      sort: 'asc',
      archived: 'false',
    });
    for (const path of Object.keys(client.projects)) {
      if (!projects.some((p) => p.path === path))
        throw new SyncError(`unknown GitLab project '${client.group}/${path}' (client ${client.name})`);
    }
    for (const project of projects) planned.push({ client, project });
  }
  return planned;
}

export async function sync(options: SyncOptions): Promise<SyncResult> {
  const { config } = options;
  const api = new GitlabClient({
    url: config.gitlab.url,
    token: options.token,
    ...(config.gitlab.perPage ? { perPage: config.gitlab.perPage } : {}),
    ...(config.gitlab.timeoutMs ? { timeoutMs: config.gitlab.timeoutMs } : {}),
    ...(config.gitlab.maxRetries !== undefined ? { maxRetries: config.gitlab.maxRetries } : {}),
    ...options.client,
  });
  let planned: PlannedProject[];
  const only = options.projects ? new Set(options.projects) : null;
  try {
    planned = await preflight(
      api,
      only ? { ...config, clients: clientsOf(options.dbFile, config, only) } : config,
    );
  } catch (error) {
    throw redacted(api, error);
  }
  const db = openStore(options.dbFile);
  const written: Record<string, number> = {};
  try {
    const w = writers(db);
    db.transaction(() => {
      for (const { client, project } of planned) {
        const pc = client.projects[project.path];
        w.project({
          id: project.id,
          client: client.name,
          path: project.path,
          path_with_namespace: project.path_with_namespace,
          web_url: project.web_url,
          default_branch: project.default_branch,
          deploy: JSON.stringify(pc?.deploy ?? { type: 'none' }),
          ships: JSON.stringify(pc?.ships ?? []),
        });
      }
    })();
    if (only) planned = planned.filter((p) => only.has(p.project.id));
    let done = 0;
    for (const plan of planned) {
      await syncProject(api, db, w, options, plan, written, done, planned.length);
      done++;
    }
  } catch (error) {
    throw redacted(api, error);
  } finally {
    db.close();
  }
  return { requests: api.requestCount, written };
}

/** The configured clients the store holds any of `projects` under; all of them when it holds none. */
function clientsOf(dbFile: string, config: DoraConfig, projects: Set<number>): ClientConfig[] {
  if (!existsSync(dbFile)) return config.clients;
  const db = openStore(dbFile);
  try {
    const names = new Set(
      (db.prepare('SELECT id, client FROM projects').all() as { id: number; client: string }[])
        .filter((r) => projects.has(r.id))
        .map((r) => r.client),
    );
    const known = config.clients.filter((c) => names.has(c.name));
    return known.length ? known : config.clients;
  } finally {
    db.close();
  }
}

function redacted(api: GitlabClient, error: unknown): Error {
  if (error instanceof Error) {
    error.message = api.redact(error.message);
    if (error.stack) error.stack = api.redact(error.stack);
    return error;
  }
  return new Error(api.redact(String(error)));
}

async function syncProject(
  api: GitlabClient,
  db: Db,
  w: Writers,
  options: SyncOptions,
  { client, project }: PlannedProject,
  written: Record<string, number>,
  done: number,
  total: number,
): Promise<void> {
  const { config } = options;
  const since = config.since ? Date.parse(config.since) : undefined;
  const pid = project.id;
  const base = `projects/${pid}`;
  const deploy = client.projects[project.path]?.deploy ?? { type: 'none' as const };
  const report = (resource: string, items: number): void =>
    options.onProgress?.({ client: client.name, project: project.path, resource, items, done, total });

  const byUpdatedAt = async <T extends { updated_at: string }>(
    resource: string,
    path: string,
    params: Record<string, string | undefined>,
    write: (items: T[]) => Promise<() => void>,
  ): Promise<void> => {
    let cursor = getCursor(db, pid, resource) ?? since;
    let page = 1;
    let count = 0;
    let pages = 0;
    for (;;) {
      const { items, nextUrl } = await api.page<T>(path, {
        ...params,
        order_by: 'updated_at',
        sort: 'asc',
        updated_after: cursor === undefined ? undefined : new Date(cursor).toISOString(),
        page,
      });
      if (items.length === 0) break;
      const commit = await write(items);
      const high = Math.max(...items.map((x) => Date.parse(x.updated_at)));
      db.transaction(() => {
        commit();
        w.cursor(pid, resource, Math.max(high, cursor ?? high));
      })();
      count += items.length;
      written[resource] = (written[resource] ?? 0) + items.length;
      report(resource, count);
      options.afterPage?.({ project: project.path_with_namespace, resource, page: ++pages });
      if (!nextUrl) break;
      if (cursor === undefined || high > cursor) {
        cursor = high;
        page = 1;
      } else page++;
    }
  };

  if (deploy.type === 'deployments') {
    await byUpdatedAt<GlDeployment>(
      'deployments',
      `${base}/deployments`,
      { environment: deploy.environment },
      async (items) => () => {
        for (const d of items) w.deployment(deploymentRow(pid, d));
      },
    );
  }
  if (deploy.type === 'pipeline') {
    await byUpdatedAt<GlPipeline>(
      'pipelines',
      `${base}/pipelines`,
      { scope: 'tags' },
      async (items) => () => {
        for (const p of items) w.pipeline(pipelineRow(p));
      },
    );
  }
  if (deploy.type === 'job') {
    // The jobs list has no updated_after: newest first (by id), until jobs finished a day before the
    // high-water mark (the latest finish seen): a job that was still running at the last sync has a lower id
    // than ones that finished before it, so the overlap re-reads it; upserts by id absorb the rest.
    const mark = getCursor(db, pid, 'jobs');
    const stopBefore = mark !== undefined ? mark - 24 * 3_600_000 : since;
    const jobs: GlJob[] = [];
    pages: for await (const page of api.pages<GlJob>(`${base}/jobs`, { 'scope[]': ['success', 'failed'] })) {
      for (const j of page) {
        const finished = j.finished_at ? Date.parse(j.finished_at) : undefined;
        if (stopBefore !== undefined && finished !== undefined && finished < stopBefore) break pages;
        jobs.push(j);
      }
    }
    const mine = jobs.filter((j) => j.stage === deploy.stage);
    db.transaction(() => {
      for (const j of mine) w.job(jobRow(pid, j));
      const high = Math.max(mark ?? 0, ...jobs.map((j) => (j.finished_at ? Date.parse(j.finished_at) : 0)));
      if (high > 0) w.cursor(pid, 'jobs', high);
    })();
    written.jobs = (written.jobs ?? 0) + mine.length;
    report('jobs', mine.length);
  }
  await byUpdatedAt<GlMergeRequest>(
    'merge_requests',
    `${base}/merge_requests`,
    { state: 'merged', target_branch: project.default_branch },
    async (items) => {
      const details: { mr: GlMergeRequest; commits: GlCommit[]; notes: GlNote[] }[] = [];
      const known = db.prepare('SELECT updated_at FROM merge_requests WHERE id = ?');
      for (const mr of items) {
        // Already stored at this version (the page boundary, fetched again): no need for its commits and notes.
        const row = known.get(mr.id) as { updated_at: number } | undefined;
        if (row && row.updated_at === Date.parse(mr.updated_at)) continue;
        const commits = await api.all<GlCommit>(`${base}/merge_requests/${mr.iid}/commits`);
        const notes: GlNote[] = [];
        for await (const page of api.pages<GlNote>(`${base}/merge_requests/${mr.iid}/notes`, {
          sort: 'asc',
          order_by: 'created_at',
        })) {
          notes.push(...page);
          if (page.some((n) => !n.system && n.author.id !== mr.author.id)) break;
        }
        details.push({ mr, commits, notes });
      }
      return () => {
        for (const { mr, commits, notes } of details) {
          w.mergeRequest(mergeRequestRow(mr, commits, notes));
          for (const c of commits)
            w.mrCommit({ mr_id: mr.id, sha: c.id, authored_at: Date.parse(c.authored_date) });
        }
      };
    },
  );
  const incidentWrite = async (items: GlIssue[]) => () => {
    for (const i of items) w.incident(incidentRow(i));
  };
  await byUpdatedAt<GlIssue>(
    'incidents:type',
    `${base}/issues`,
    { issue_type: 'incident', state: 'all' },
    incidentWrite,
  );
  await byUpdatedAt<GlIssue>(
    'incidents:label',
    `${base}/issues`,
    { labels: config.incidentLabel ?? 'incident', state: 'all' },
    incidentWrite,
  );

  // Default-branch commits (to order deployed SHAs): newest first, no updated_at; the cursor is `since`.
  const commitCursor = getCursor(db, pid, 'commits') ?? since;
  const commits = await api.all<GlCommit>(`${base}/repository/commits`, {
    ref_name: project.default_branch,
    since: commitCursor === undefined ? undefined : new Date(commitCursor).toISOString(),
  });
  if (commits.length) {
    const high = Math.max(...commits.map((c) => Date.parse(c.committed_date)));
    db.transaction(() => {
      for (const c of commits) w.commit(commitRow(pid, c));
      w.cursor(pid, 'commits', Math.max(high, commitCursor ?? high));
    })();
    written.commits = (written.commits ?? 0) + commits.length;
  }
  report('commits', commits.length);
}
