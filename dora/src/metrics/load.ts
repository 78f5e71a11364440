// SQLite → Dataset: production deployments as each project's configuration declares them.
import type { DeploySource } from '../config.ts';
import type {
  CommitRow,
  Db,
  DeploymentRow,
  IncidentRow,
  JobRow,
  MergeRequestRow,
  PipelineRow,
  ProjectRow,
} from '../store/db.ts';
import type { Change, Dataset, Deployment, Incident, ProjectInfo } from './model.ts';

export function loadDataset(db: Db, options: { client?: string } = {}): Dataset {
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
  const qDeployments = db.prepare('SELECT * FROM deployments WHERE project_id = ?');
  const qPipelines = db.prepare('SELECT * FROM pipelines WHERE project_id = ?');
  const qJobs = db.prepare('SELECT * FROM jobs WHERE project_id = ? AND stage = ?');
  const qChanges = db.prepare(
    "SELECT * FROM merge_requests WHERE project_id = ? AND state = 'merged' AND merged_at IS NOT NULL",
  );
  const qIncidents = db.prepare('SELECT * FROM incidents WHERE project_id = ?');
  const qCommits = db.prepare('SELECT sha, committed_at FROM commits WHERE project_id = ?');
  for (const p of projects) {
    const d = p.deploy;
    if (d.type === 'deployments') {
      const tier = d.tier ?? 'production';
      for (const r of qDeployments.all(p.id) as DeploymentRow[]) {
        if (d.environment ? r.environment !== d.environment : r.tier !== tier) continue;
        if ((r.status !== 'success' && r.status !== 'failed') || r.finished_at === null) continue;
        deployments.push({
          key: `deployment:${r.id}`,
          projectId: p.id,
          sha: r.sha,
          ref: r.ref ?? '',
          status: r.status,
          startedAt: r.created_at,
          finishedAt: r.finished_at,
          webUrl: r.web_url ?? `${p.webUrl}/-/environments`,
        });
      }
    } else if (d.type === 'pipeline') {
      const pattern = new RegExp(d.tagPattern);
      for (const r of qPipelines.all(p.id) as PipelineRow[]) {
        if (!pattern.test(r.ref) || (r.status !== 'success' && r.status !== 'failed')) continue;
        deployments.push({
          key: `pipeline:${r.id}`,
          projectId: p.id,
          sha: r.sha,
          ref: r.ref,
          status: r.status,
          startedAt: r.created_at,
          finishedAt: r.updated_at, // the pipelines list has no finished_at: its last update is the finish
          webUrl: r.web_url ?? `${p.webUrl}/-/pipelines/${r.id}`,
        });
      }
    } else if (d.type === 'job') {
      const ref = d.refPattern ? new RegExp(d.refPattern) : null;
      for (const r of qJobs.all(p.id, d.stage) as JobRow[]) {
        if ((d.name && r.name !== d.name) || (ref && !ref.test(r.ref))) continue;
        if ((r.status !== 'success' && r.status !== 'failed') || r.finished_at === null) continue;
        deployments.push({
          key: `job:${r.id}`,
          projectId: p.id,
          sha: r.sha,
          ref: r.ref,
          status: r.status,
          startedAt: r.started_at ?? r.finished_at,
          finishedAt: r.finished_at,
          webUrl: r.web_url ?? `${p.webUrl}/-/jobs/${r.id}`,
        });
      }
    }
    for (const r of qChanges.all(p.id) as MergeRequestRow[])
      changes.push({
        id: r.id,
        projectId: p.id,
        iid: r.iid,
        title: r.title,
        labels: JSON.parse(r.labels) as string[],
        createdAt: r.created_at,
        mergedAt: r.merged_at as number,
        firstCommitAt: r.first_commit_at,
        firstReviewAt: r.first_review_at,
        mergeSha: r.merge_commit_sha ?? r.squash_commit_sha,
        webUrl: r.web_url ?? `${p.webUrl}/-/merge_requests/${r.iid}`,
      });
    for (const r of qIncidents.all(p.id) as IncidentRow[])
      incidents.push({
        id: r.id,
        projectId: p.id,
        iid: r.iid,
        title: r.title,
        description: r.description ?? '',
        createdAt: r.created_at,
        closedAt: r.closed_at,
        webUrl: r.web_url ?? `${p.webUrl}/-/issues/${r.iid}`,
      });
    const times = new Map<string, number>();
    for (const c of qCommits.all(p.id) as Pick<CommitRow, 'sha' | 'committed_at'>[])
      times.set(c.sha, c.committed_at);
    commitTimes.set(p.id, times);
  }
  return { projects, deployments, changes, incidents, commitTimes };
}
