// Writes a GitlabHistory (the seeded sample) into a store exactly as a sync would, without HTTP: the sample
// `npm start` shows when no GitLab is configured.
import type { DoraConfig } from '../config.ts';
import type { GitlabHistory } from '../gitlab-types.ts';
import { type Db, writers } from '../store/db.ts';
import { commitRow, deploymentRow, incidentRow, jobRow, mergeRequestRow, pipelineRow } from '../sync/map.ts';

export function loadHistory(
  db: Db,
  history: GitlabHistory,
  config: DoraConfig,
  incidentLabel = 'incident',
): void {
  const w = writers(db);
  db.transaction(() => {
    for (const client of config.clients) {
      const group = history.groups.find((g) => g.full_path === client.group);
      if (!group) continue;
      for (const p of history.projects.filter((x) => x.namespace.id === group.id)) {
        const pc = client.projects[p.path];
        w.project({
          id: p.id,
          client: client.name,
          path: p.path,
          path_with_namespace: p.path_with_namespace,
          web_url: p.web_url,
          default_branch: p.default_branch,
          deploy: JSON.stringify(pc?.deploy ?? { type: 'none' }),
          ships: JSON.stringify(pc?.ships ?? []),
        });
        for (const d of history.deployments.get(p.id) ?? []) w.deployment(deploymentRow(p.id, d));
        for (const x of history.pipelines.get(p.id) ?? []) w.pipeline(pipelineRow(x));
        if (pc?.deploy.type === 'job') for (const j of history.jobs.get(p.id) ?? []) w.job(jobRow(p.id, j));
        for (const m of history.mergeRequests.get(p.id) ?? []) {
          if (m.state !== 'merged') continue;
          const commits = history.mrCommits.get(m.id) ?? [];
          w.mergeRequest(mergeRequestRow(m, commits, history.mrNotes.get(m.id) ?? []));
          for (const c of commits)
            w.mrCommit({ mr_id: m.id, sha: c.id, authored_at: Date.parse(c.authored_date) });
        }
        for (const c of history.commits.get(p.id) ?? []) w.commit(commitRow(p.id, c));
        for (const i of history.issues.get(p.id) ?? [])
          if (i.issue_type === 'incident' || i.labels.includes(incidentLabel)) w.incident(incidentRow(i));
      }
    }
  })();
}
