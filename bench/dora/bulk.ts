// A fast, seeded bulk history for the DORA benchmark, written straight into the store's tables (no GitLab
// JSON): `clients` × 5 projects (dbs deploys by tag pipeline and ships the whole group; the other four
// through the Deployments API), over `years`: per project ~2,000 production deployments (5 % failed, 2 %
// rollbacks), ~5,000 merged MRs (5 % hotfix, 2 % reverts) with 4 default-branch commits each (3 branch
// commits and the merge commit), and an incident about every two weeks.
import { mulberry32 } from '../../dora/src/sample/generator.ts';
import type { Db } from '../../dora/src/store/db.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface BulkOptions {
  clients: number;
  years: number;
  end: number;
  deploymentsPerProject?: number;
  mergeRequestsPerProject?: number;
  seed?: number;
}

export interface BulkCounts {
  projects: number;
  deployments: number;
  mergeRequests: number;
  commits: number;
  incidents: number;
}

const PROJECTS = ['dbs', 'workers', 'dbconnectors', 'forecast_optimization_api', 'scada_gateway'];

export function bulkHistory(db: Db, o: BulkOptions): BulkCounts {
  const rnd = mulberry32(o.seed ?? 47);
  const start = o.end - Math.round(o.years * 365.25) * DAY;
  const span = o.end - start;
  const nDeploy = o.deploymentsPerProject ?? 2000;
  const nMr = o.mergeRequestsPerProject ?? 5000;
  const counts: BulkCounts = { projects: 0, deployments: 0, mergeRequests: 0, commits: 0, incidents: 0 };
  const base = 'https://gitlab.example.com';
  const q = {
    project: db.prepare(
      'INSERT INTO projects (id, client, path, path_with_namespace, web_url, default_branch, deploy, ships) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    mr: db.prepare(
      `INSERT INTO merge_requests (id, project_id, iid, title, state, author, labels, created_at, merged_at, updated_at,
       merge_commit_sha, squash_commit_sha, first_commit_at, first_review_at, web_url)
       VALUES (?, ?, ?, ?, 'merged', 'dev', ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
    ),
    commit: db.prepare(
      'INSERT INTO commits (project_id, sha, committed_at, title, web_url) VALUES (?, ?, ?, NULL, NULL)',
    ),
    deployment: db.prepare(
      `INSERT INTO deployments (id, project_id, iid, sha, ref, status, environment, tier, created_at, finished_at, updated_at, web_url)
       VALUES (?, ?, ?, ?, 'main', ?, 'production', 'production', ?, ?, ?, ?)`,
    ),
    pipeline: db.prepare(
      'INSERT INTO pipelines (id, project_id, sha, ref, status, created_at, updated_at, web_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    incident: db.prepare(
      `INSERT INTO incidents (id, project_id, iid, title, description, state, created_at, closed_at, updated_at, labels, web_url)
       VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, '["incident"]', ?)`,
    ),
  };
  let nextId = 1;
  const hex = (project: number, n: number): string =>
    project.toString(16).padStart(8, '0') + n.toString(16).padStart(32, '0');
  db.transaction(() => {
    for (let c = 0; c < o.clients; c++) {
      const client = `client${String(c + 1).padStart(2, '0')}`;
      for (const path of PROJECTS) {
        const pid = nextId++;
        const web = `${base}/dss/${client}/${path}`;
        const pipeline = path === 'dbs';
        q.project.run(
          pid,
          client,
          path,
          `dss/${client}/${path}`,
          web,
          'main',
          JSON.stringify(
            pipeline
              ? { type: 'pipeline', tagPattern: '^v\\d+' }
              : { type: 'deployments', tier: 'production' },
          ),
          JSON.stringify(pipeline ? ['*'] : []),
        );
        counts.projects++;
        // Merged MRs, evenly spread with jitter; 3 branch commits and the merge commit each on main.
        const merges: { at: number; sha: string }[] = [];
        const titles: string[] = [];
        let n = 0;
        for (let i = 0; i < nMr; i++) {
          const merged = Math.round(start + ((i + rnd()) / nMr) * span);
          const created = merged - (2 + rnd() * 78) * HOUR;
          const firstCommit = created - (1 + rnd() * 71) * HOUR;
          const review = Math.min(merged, created + (0.5 + rnd() * 30) * HOUR);
          const revert = i > 10 && rnd() < 0.02;
          const hotfix = !revert && rnd() < 0.05;
          const title = revert
            ? `Revert "${titles[i - 1 - Math.floor(rnd() * 5)]}"`
            : `${path}: change ${i + 1}`;
          titles.push(title);
          for (let k = 0; k < 3; k++)
            q.commit.run(pid, hex(pid, n++), Math.round(firstCommit + ((created - firstCommit) * k) / 3));
          const sha = hex(pid, n++);
          q.commit.run(pid, sha, merged);
          merges.push({ at: merged, sha });
          const id = nextId++;
          q.mr.run(
            id,
            pid,
            i + 1,
            title,
            JSON.stringify(hotfix ? ['hotfix'] : revert ? ['revert'] : ['feature']),
            Math.round(created),
            merged,
            merged + HOUR,
            sha,
            Math.round(firstCommit),
            Math.round(review),
            `${web}/-/merge_requests/${i + 1}`,
          );
          counts.mergeRequests++;
          counts.commits += 4;
        }
        // Deployments of the head of main at the time; some fail, some roll back to the SHA deployed before.
        let head = -1;
        const deployed: string[] = [];
        for (let i = 0; i < nDeploy; i++) {
          const at = Math.round(start + ((i + rnd()) / nDeploy) * span);
          while (head + 1 < merges.length && (merges[head + 1] as { at: number }).at <= at) head++;
          if (head < 0) continue;
          const r = rnd();
          const rollback = r < 0.02 && deployed.length > 2;
          const sha = rollback
            ? (deployed[deployed.length - 2] as string)
            : (merges[head] as { sha: string }).sha;
          const status = !rollback && r < 0.07 ? 'failed' : 'success';
          if (status === 'success') deployed.push(sha);
          const finished = at + Math.round((5 + rnd() * 30) * 60_000);
          const id = nextId++;
          if (pipeline)
            q.pipeline.run(id, pid, sha, `v${i + 1}`, status, at, finished, `${web}/-/pipelines/${id}`);
          else q.deployment.run(id, pid, i + 1, sha, status, at, finished, finished, `${web}/-/environments`);
          counts.deployments++;
        }
        // Incidents: about every two weeks, closed 1 h – 3 days later (the last ones may still be open).
        let iid = 0;
        for (let t = start + rnd() * 14 * DAY; t < o.end; t += (7 + rnd() * 14) * DAY) {
          const opened = Math.round(t);
          const closed = opened + Math.round((1 + rnd() * 71) * HOUR);
          const open = closed > o.end;
          iid++;
          q.incident.run(
            nextId++,
            pid,
            iid,
            `${path} outage ${iid}`,
            open ? 'opened' : 'closed',
            opened,
            open ? null : closed,
            open ? opened : closed,
            `${web}/-/issues/${iid}`,
          );
          counts.incidents++;
        }
      }
    }
  })();
  return counts;
}
