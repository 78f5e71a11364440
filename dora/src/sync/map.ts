// GitLab JSON → store rows.
import type {
  GlCommit,
  GlDeployment,
  GlIssue,
  GlJob,
  GlMergeRequest,
  GlNote,
  GlPipeline,
} from '../gitlab-types.ts';
import type {
  CommitRow,
  DeploymentRow,
  IncidentRow,
  JobRow,
  MergeRequestRow,
  PipelineRow,
} from '../store/db.ts';

export const ms = (s: string | null | undefined): number | null => (s ? Date.parse(s) : null);

export function deploymentRow(projectId: number, d: GlDeployment): DeploymentRow {
  return {
    id: d.id,
    project_id: projectId,
    iid: d.iid,
    sha: d.sha,
    ref: d.ref,
    status: d.status,
    environment: d.environment?.name ?? null,
    tier: d.environment?.tier ?? null,
    created_at: Date.parse(d.created_at),
    // The deployment job's finish (GitLab's DORA buckets by finished_at); else the last update.
    finished_at:
      ms(d.finished_at) ??
      ms(d.deployable?.finished_at) ??
      (d.status === 'success' ? ms(d.updated_at) : null),
    updated_at: Date.parse(d.updated_at),
    web_url: d.deployable?.web_url ?? null,
  };
}

export function pipelineRow(p: GlPipeline): PipelineRow {
  return {
    id: p.id,
    project_id: p.project_id,
    sha: p.sha,
    ref: p.ref,
    status: p.status,
    created_at: Date.parse(p.created_at),
    updated_at: Date.parse(p.updated_at),
    web_url: p.web_url,
  };
}

export function mergeRequestRow(m: GlMergeRequest, commits: GlCommit[], notes: GlNote[]): MergeRequestRow {
  const authored = commits.map((c) => Date.parse(c.authored_date)).filter((x) => !Number.isNaN(x));
  // First review: the first note that is not a system note and not by the author (as DevLake), or null.
  const review = notes
    .filter((n) => !n.system && n.author.id !== m.author.id)
    .map((n) => Date.parse(n.created_at))
    .sort((a, b) => a - b)[0];
  return {
    id: m.id,
    project_id: m.project_id,
    iid: m.iid,
    title: m.title,
    state: m.state,
    author: m.author?.username ?? null,
    labels: JSON.stringify(m.labels ?? []),
    created_at: Date.parse(m.created_at),
    merged_at: ms(m.merged_at),
    updated_at: Date.parse(m.updated_at),
    merge_commit_sha: m.merge_commit_sha,
    squash_commit_sha: m.squash_commit_sha,
    first_commit_at: authored.length ? Math.min(...authored) : null,
    first_review_at: review ?? null,
    web_url: m.web_url,
  };
}

export function commitRow(projectId: number, c: GlCommit): CommitRow {
  return {
    project_id: projectId,
    sha: c.id,
    committed_at: Date.parse(c.committed_date),
    title: c.title,
    web_url: c.web_url,
  };
}

export function incidentRow(i: GlIssue): IncidentRow {
  return {
    id: i.id,
    project_id: i.project_id,
    iid: i.iid,
    title: i.title,
    description: i.description ?? null,
    state: i.state,
    created_at: Date.parse(i.created_at),
    closed_at: ms(i.closed_at),
    updated_at: Date.parse(i.updated_at),
    labels: JSON.stringify(i.labels ?? []),
    web_url: i.web_url,
  };
}

export function jobRow(projectId: number, j: GlJob): JobRow {
  return {
    id: j.id,
    project_id: projectId,
    pipeline_id: j.pipeline?.id ?? null,
    stage: j.stage,
    name: j.name,
    ref: j.ref,
    sha: j.commit?.id ?? j.pipeline?.sha ?? '',
    status: j.status,
    started_at: ms(j.started_at),
    finished_at: ms(j.finished_at),
    web_url: j.web_url,
  };
}
