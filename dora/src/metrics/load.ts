// SQLite → Dataset: production deployments as each project's configuration declares them.
import type { DeploySource } from '../config.ts';
import type {
  Db,
  DeploymentRow,
  IncidentRow,
  JobRow,
  MergeRequestRow,
  PipelineRow,
  ProjectRow,
} from '../store/db.ts';
import type { Change, Dataset, Deployment, Incident, ProjectInfo } from './model.ts';
import { isoWeekWindow } from './time.ts';

const DAY = 86_400_000;

/** Instants (epoch ms) of the data to load: deployments finished, changes merged, incidents opened or closed. */
export interface LoadRange {
  start: number;
  end: number;
}

/**
 * How far around a report's weeks the data is read: a change merged up to this long before the first week
 * can still be shipped in it, and a deployment can be failed by an incident, a rollback or a revert up to this
 * long after. 180 days = the lower bound of the DORA "low" lead-time band (six months).
 */
export const LOOKBACK_DAYS = 180;

/** The range a weekly report (the week, the previous one and a `trendWeeks` trend) needs, snapped to days. */
export function reportRange(
  week: string,
  timeZone: string,
  trendWeeks = 12,
  lookbackDays = LOOKBACK_DAYS,
): LoadRange {
  const end = isoWeekWindow(week, timeZone).end;
  const start = end - (trendWeeks + 1) * 7 * DAY;
  const day = (t: number) => Math.floor(t / DAY) * DAY;
  return { start: day(start - lookbackDays * DAY), end: day(end + lookbackDays * DAY) + DAY };
}

/** The Dataset of one weekly report: only the rows in its range (`reportRange`), not the whole history. */
export function reportDataset(
  db: Db,
  week: string,
  timeZone: string,
  options: { client?: string; trendWeeks?: number; lookbackDays?: number } = {},
): Dataset {
  return loadDataset(db, {
    ...(options.client ? { client: options.client } : {}),
    range: reportRange(week, timeZone, options.trendWeeks, options.lookbackDays),
  });
}

export function loadDataset(db: Db, options: { client?: string; range?: LoadRange } = {}): Dataset {
  const projectRows = db
    .prepare(`SELECT * FROM projects ${options.client ? 'WHERE client = ?' : ''} ORDER BY id`)
    .all(...(options.client ? [options.client] : [])) as ProjectRow[];
  const projects: ProjectInfo[] = projectRows.map((p) => ({
    id: p.id,
    client: p.client,
    path: p.path,
    pathWithNamespace: p.path_with_namespace,
    webUrl: p.web_url,
    deploy: JSON.parse(p.deploy) as DeploySource,
    ships: JSON.parse(p.ships) as string[],
  }));
  const deployments: Deployment[] = [];
  const changes: Change[] = [];
  const incidents: Incident[] = [];
  const commitTimes = new Map<number, Map<string, number>>();
  const r = options.range ?? { start: -8.64e15, end: 8.64e15 };
  // Each deployed or merged SHA comes with its default-branch commit time (the commits' primary key), so only
  // the commits the links need are read, not the whole history.
  const shaTime = (alias: string, sha: string) =>
    `(SELECT committed_at FROM commits c WHERE c.project_id = ${alias}.project_id AND c.sha = ${sha}) AS sha_time`;
  const qDeployments = db.prepare(
    `SELECT d.*, ${shaTime('d', 'd.sha')} FROM deployments d WHERE project_id = ? AND finished_at >= ? AND finished_at < ?`,
  );
  const qPipelines = db.prepare(
    `SELECT p.*, ${shaTime('p', 'p.sha')} FROM pipelines p WHERE project_id = ? AND updated_at >= ? AND updated_at < ?`,
  );
  const qJobs = db.prepare(
    `SELECT j.*, ${shaTime('j', 'j.sha')} FROM jobs j WHERE project_id = ? AND stage = ? AND finished_at >= ? AND finished_at < ?`,
  );
  const qChanges = db.prepare(
    `SELECT m.*, ${shaTime('m', 'coalesce(m.merge_commit_sha, m.squash_commit_sha)')} FROM merge_requests m
     WHERE project_id = ? AND merged_at >= ? AND merged_at < ? AND state = 'merged'`,
  );
  const qIncidents = db.prepare(
    `SELECT * FROM incidents WHERE project_id = ?
     AND ((created_at >= ? AND created_at < ?) OR (closed_at >= ? AND closed_at < ?))`,
  );
  for (const p of projects) {
    const d = p.deploy;
    const times = new Map<string, number>();
    commitTimes.set(p.id, times);
    const time = (sha: string | null, at: number | null): void => {
      if (sha && at !== null) times.set(sha, at);
    };
    if (d.type === 'deployments') {
      const tier = d.tier ?? 'production';
      for (const row of qDeployments.all(p.id, r.start, r.end) as (DeploymentRow & WithTime)[]) {
        if (d.environment ? row.environment !== d.environment : row.tier !== tier) continue;
        if ((row.status !== 'success' && row.status !== 'failed') || row.finished_at === null) continue;
        time(row.sha, row.sha_time);
        deployments.push({
          key: `deployment:${row.id}`,
          projectId: p.id,
          sha: row.sha,
          ref: row.ref ?? '',
          status: row.status,
          startedAt: row.created_at,
          finishedAt: row.finished_at,
          webUrl: row.web_url ?? `${p.webUrl}/-/environments`,
        });
      }
    } else if (d.type === 'pipeline') {
      const pattern = new RegExp(d.tagPattern);
      for (const row of qPipelines.all(p.id, r.start, r.end) as (PipelineRow & WithTime)[]) {
        if (!pattern.test(row.ref) || (row.status !== 'success' && row.status !== 'failed')) continue;
        time(row.sha, row.sha_time);
        deployments.push({
          key: `pipeline:${row.id}`,
          projectId: p.id,
          sha: row.sha,
          ref: row.ref,
          status: row.status,
          startedAt: row.created_at,
          finishedAt: row.updated_at, // the pipelines list has no finished_at: its last update is the finish
          webUrl: row.web_url ?? `${p.webUrl}/-/pipelines/${row.id}`,
        });
      }
    } else if (d.type === 'job') {
      const ref = d.refPattern ? new RegExp(d.refPattern) : null;
      for (const row of qJobs.all(p.id, d.stage, r.start, r.end) as (JobRow & WithTime)[]) {
        if ((d.name && row.name !== d.name) || (ref && !ref.test(row.ref))) continue;
        if ((row.status !== 'success' && row.status !== 'failed') || row.finished_at === null) continue;
        time(row.sha, row.sha_time);
        deployments.push({
          key: `job:${row.id}`,
          projectId: p.id,
          sha: row.sha,
          ref: row.ref,
          status: row.status,
          startedAt: row.started_at ?? row.finished_at,
          finishedAt: row.finished_at,
          webUrl: row.web_url ?? `${p.webUrl}/-/jobs/${row.id}`,
        });
      }
    }
    for (const row of qChanges.all(p.id, r.start, r.end) as (MergeRequestRow & WithTime)[]) {
      const mergeSha = row.merge_commit_sha ?? row.squash_commit_sha;
      time(mergeSha, row.sha_time);
      changes.push({
        id: row.id,
        projectId: p.id,
        iid: row.iid,
        title: row.title,
        labels: JSON.parse(row.labels) as string[],
        createdAt: row.created_at,
        mergedAt: row.merged_at as number,
        firstCommitAt: row.first_commit_at,
        firstReviewAt: row.first_review_at,
        mergeSha,
        webUrl: row.web_url ?? `${p.webUrl}/-/merge_requests/${row.iid}`,
      });
    }
    for (const row of qIncidents.all(p.id, r.start, r.end, r.start, r.end) as IncidentRow[])
      incidents.push({
        id: row.id,
        projectId: p.id,
        iid: row.iid,
        title: row.title,
        description: row.description ?? '',
        createdAt: row.created_at,
        closedAt: row.closed_at,
        webUrl: row.web_url ?? `${p.webUrl}/-/issues/${row.iid}`,
      });
  }
  return { projects, deployments, changes, incidents, commitTimes };
}

interface WithTime {
  sha_time: number | null;
}
