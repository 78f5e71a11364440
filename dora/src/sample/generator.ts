// A seeded, realistic GitLab history for the DSS: one group per client (water utility), each with `dbs`
// (deployment scripts; a tag pipeline `vN` redeploys every container of the client, so it ships the merged
// changes of the whole group), `workers`, `dbconnectors`, and `forecast_optimization_api` (deploys through
// GitLab environments, tier production). Months of merge requests with commits and review notes, default-branch
// commits, tag pipelines, deployments (some failed, some rollbacks = a redeploy of an older SHA), incidents
// (issue_type=incident, or a plain issue labelled `incident`), revert MRs and `hotfix` labels.
// The same seed gives the same history. It is the fake GitLab's data and the sample `npm start` shows.
import { createHash } from 'node:crypto';
import type { DoraConfig } from '../config.ts';
import type {
  GitlabHistory,
  GlCommit,
  GlDeployment,
  GlIssue,
  GlJob,
  GlMergeRequest,
  GlNote,
  GlPipeline,
  GlProject,
  GlTag,
} from '../gitlab-types.ts';

export interface GenerateOptions {
  seed?: number;
  clients?: string[];
  /** First day of history, ISO. */
  start?: string;
  days?: number;
  baseUrl?: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SAMPLE_PROJECTS = ['dbs', 'workers', 'dbconnectors', 'forecast_optimization_api'] as const;

/** The configuration that matches the generated history (and the sample). */
export function sampleConfig(url: string, clients: string[] = ['aveiro', 'braga', 'coimbra']): DoraConfig {
  return {
    gitlab: { url, tokenEnv: 'GITLAB_TOKEN' },
    incidentLabel: 'incident',
    hotfixLabel: 'hotfix',
    clients: clients.map((name) => ({
      name,
      group: `dss/${name}`,
      projects: {
        dbs: { deploy: { type: 'pipeline', tagPattern: '^v\\d+' }, ships: ['*'] },
        forecast_optimization_api: { deploy: { type: 'deployments', tier: 'production' } },
      },
    })),
  };
}

export function emptyHistory(): GitlabHistory {
  return {
    groups: [],
    projects: [],
    deployments: new Map(),
    mergeRequests: new Map(),
    mrCommits: new Map(),
    mrNotes: new Map(),
    commits: new Map(),
    pipelines: new Map(),
    issues: new Map(),
    tags: new Map(),
    jobs: new Map(),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const sha = (s: string): string => createHash('sha1').update(s).digest('hex');

export function generateHistory(options: GenerateOptions = {}): GitlabHistory {
  const rnd = mulberry32(options.seed ?? 47);
  const base = options.baseUrl ?? 'https://gitlab.example.com';
  const start = Date.parse(options.start ?? '2026-06-01T00:00:00Z');
  const end = start + (options.days ?? 180) * DAY;
  const h = emptyHistory();
  const between = (lo: number, hi: number): number => lo + rnd() * (hi - lo);
  const people = ['ana', 'bruno', 'carla', 'diogo', 'eva', 'filipe'];
  let nextId = 1000;
  const id = (): number => nextId++;
  // Working hours: push an instant to 08:00–18:00 UTC on a weekday.
  const workday = (ms: number): number => {
    const d = new Date(ms);
    const hour = d.getUTCHours();
    if (hour >= 18) d.setUTCDate(d.getUTCDate() + 1);
    if (hour < 8 || hour >= 18) d.setUTCHours(8 + Math.floor(rnd() * 3), Math.floor(rnd() * 60));
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
    return Math.max(d.getTime(), ms);
  };

  for (const client of options.clients ?? ['aveiro', 'braga', 'coimbra']) {
    const groupId = id();
    const groupPath = `dss/${client}`;
    h.groups.push({
      id: groupId,
      name: client,
      path: client,
      full_path: groupPath,
      web_url: `${base}/groups/${groupPath}`,
    });
    const projects = new Map<string, GlProject>();
    for (const path of SAMPLE_PROJECTS) {
      const p: GlProject = {
        id: id(),
        name: path,
        path,
        path_with_namespace: `${groupPath}/${path}`,
        web_url: `${base}/${groupPath}/${path}`,
        default_branch: 'main',
        namespace: { id: groupId, full_path: groupPath, kind: 'group' },
      };
      projects.set(path, p);
      h.projects.push(p);
      for (const m of [h.deployments, h.mergeRequests, h.commits, h.pipelines, h.issues, h.tags, h.jobs])
        m.set(p.id, []);
    }

    // Merge requests, their commits and review notes; the merge commit lands on main.
    for (const p of projects.values()) {
      const mrs = h.mergeRequests.get(p.id) as GlMergeRequest[];
      const main = h.commits.get(p.id) as GlCommit[];
      let iid = 0;
      for (let t = start + between(0, DAY); t < end; t += between(0.3, 2.5) * DAY) {
        const author = people[Math.floor(rnd() * people.length)] as string;
        const hotfix = rnd() < 0.05;
        const title = hotfix ? `Hotfix: ${p.path} crash ${iid}` : `${p.path}: change ${iid + 1}`;
        mrs.push(makeMr(t, title, author, hotfix ? ['hotfix'] : ['feature']));
        if (rnd() < 0.04) mrs.push(makeMr(t + between(1, 3) * DAY, `Revert "${title}"`, author, ['revert']));
      }
      function makeMr(created0: number, title: string, author: string, labels: string[]): GlMergeRequest {
        iid += 1;
        const created = workday(created0);
        const nCommits = 1 + Math.floor(rnd() * 4);
        const firstCommit = created - between(0.5, 72) * HOUR;
        const commits: GlCommit[] = [];
        for (let i = 0; i < nCommits; i++) {
          const at = firstCommit + ((created - firstCommit) * i) / nCommits;
          const s = sha(`${p.id}/${iid}/${i}`);
          commits.push(commit(s, `${title} (${i + 1})`, at, at, p.web_url, []));
        }
        const reviewed = workday(created + between(0.5, 30) * HOUR);
        const merged = workday(reviewed + between(0.5, 40) * HOUR);
        const open = merged > end || rnd() < 0.03;
        const mrId = id();
        const mergeSha = sha(`${p.id}/${iid}/merge`);
        const reviewer = people.find((x) => x !== author) as string;
        h.mrCommits.set(mrId, commits.reverse());
        const notes: GlNote[] = [
          {
            id: id(),
            body: 'added 1 commit',
            author: { id: 1, username: author },
            created_at: iso(created + HOUR / 6),
            system: true,
          },
          {
            id: id(),
            body: 'LGTM with a nit',
            author: { id: 2, username: reviewer },
            created_at: iso(reviewed),
            system: false,
          },
        ];
        h.mrNotes.set(mrId, notes);
        if (!open)
          main.push(commit(mergeSha, `Merge branch '${iid}' into 'main'`, merged, merged, p.web_url, []));
        return {
          id: mrId,
          iid,
          project_id: p.id,
          title,
          state: open ? 'opened' : 'merged',
          created_at: iso(created),
          updated_at: iso(open ? reviewed : merged + HOUR),
          merged_at: open ? null : iso(merged),
          closed_at: null,
          target_branch: 'main',
          source_branch: `feature/${iid}`,
          sha: commits[0]?.id ?? mergeSha,
          merge_commit_sha: open ? null : mergeSha,
          squash_commit_sha: null,
          labels,
          author: { id: 1, username: author },
          web_url: `${p.web_url}/-/merge_requests/${iid}`,
        };
      }
      main.sort((a, b) => Date.parse(a.committed_date) - Date.parse(b.committed_date));
      for (let i = 1; i < main.length; i++) (main[i] as GlCommit).parent_ids = [(main[i - 1] as GlCommit).id];
      mrs.sort((a, b) => a.iid - b.iid);
    }

    const headAt = (p: GlProject, t: number): GlCommit | undefined => {
      const main = h.commits.get(p.id) as GlCommit[];
      let head: GlCommit | undefined;
      for (const c of main) if (Date.parse(c.committed_date) <= t) head = c;
      return head;
    };

    // dbs: a tag vN and its pipeline every 1–5 days; 8 % fail and are re-tagged a few hours later.
    const dbs = projects.get('dbs') as GlProject;
    let n = 0;
    for (let t = start + 3 * DAY; t < end; t += between(1, 5) * DAY) {
      const at = workday(t);
      const head = headAt(dbs, at);
      if (!head) continue;
      n += 1;
      const tag = `v${n}`;
      (h.tags.get(dbs.id) as GlTag[]).push({
        name: tag,
        target: head.id,
        commit: { id: head.id, committed_date: head.committed_date },
      });
      const failed = rnd() < 0.08;
      pipeline(dbs, tag, head.id, at, failed ? 'failed' : 'success');
      if (failed) {
        n += 1;
        const fixAt = at + between(1, 6) * HOUR;
        const fixHead = headAt(dbs, fixAt) ?? head;
        (h.tags.get(dbs.id) as GlTag[]).push({
          name: `v${n}`,
          target: fixHead.id,
          commit: { id: fixHead.id, committed_date: fixHead.committed_date },
        });
        pipeline(dbs, `v${n}`, fixHead.id, fixAt, 'success');
      }
    }

    // forecast_optimization_api: Deployments API, environment `production` (tier production), plus staging.
    const api = projects.get('forecast_optimization_api') as GlProject;
    const deployed: string[] = [];
    let diid = 0;
    for (let t = start + 2 * DAY; t < end; t += between(0.5, 4) * DAY) {
      const at = workday(t);
      const head = headAt(api, at);
      if (!head) continue;
      deployment(api, head.id, at - 2 * HOUR, 'staging', 'success');
      const r = rnd();
      if (r < 0.1) {
        deployment(api, head.id, at, 'production', 'failed');
        deployed.push(deployment(api, head.id, at + between(0.5, 8) * HOUR, 'production', 'success'));
      } else if (r < 0.15 && deployed.length >= 2) {
        // A rollback: the previous good SHA redeployed a few hours after a bad release.
        deployed.push(deployment(api, head.id, at, 'production', 'success'));
        const older = deployed[deployed.length - 2] as string;
        deployed.push(deployment(api, older, at + between(1, 5) * HOUR, 'production', 'success'));
      } else {
        deployed.push(deployment(api, head.id, at, 'production', 'success'));
      }
    }
    function deployment(
      p: GlProject,
      s: string,
      at: number,
      env: string,
      status: 'success' | 'failed',
    ): string {
      diid += 1;
      const jobId = id();
      const finished = at + between(5, 20) * 60_000;
      const d: GlDeployment = {
        id: id(),
        iid: diid,
        ref: 'main',
        sha: s,
        status,
        created_at: iso(at),
        updated_at: iso(finished),
        finished_at: iso(finished),
        environment: {
          id: env === 'production' ? 1 : 2,
          name: env,
          tier: env === 'production' ? 'production' : 'staging',
        },
        deployable: {
          id: jobId,
          status,
          finished_at: iso(finished),
          web_url: `${p.web_url}/-/jobs/${jobId}`,
        },
        user: { id: 1, username: 'deployer' },
      };
      (h.deployments.get(p.id) as GlDeployment[]).push(d);
      return s;
    }
    function pipeline(p: GlProject, ref: string, s: string, at: number, status: 'success' | 'failed'): void {
      const pid = id();
      const list = h.pipelines.get(p.id) as GlPipeline[];
      const finished = at + between(10, 40) * 60_000;
      const web = `${p.web_url}/-/pipelines/${pid}`;
      list.push({
        id: pid,
        iid: list.length + 1,
        project_id: p.id,
        sha: s,
        ref,
        status,
        source: 'push',
        created_at: iso(at),
        updated_at: iso(finished),
        web_url: web,
      });
      // Its jobs: build, then `deploy:production` in stage `deploy` (which carries the pipeline's outcome).
      const jobs = h.jobs.get(p.id) as GlJob[];
      for (const [stage, name, jobStatus, start] of [
        ['build', 'build', 'success', at],
        ['deploy', 'deploy:production', status, at + 60_000],
      ] as const) {
        const jid = id();
        jobs.push({
          id: jid,
          status: jobStatus,
          stage,
          name,
          ref,
          tag: true,
          created_at: iso(at),
          started_at: iso(start),
          finished_at: iso(stage === 'deploy' ? finished : start + 30_000),
          commit: { id: s },
          pipeline: { id: pid, project_id: p.id, ref, sha: s, status, web_url: web },
          web_url: `${p.web_url}/-/jobs/${jid}`,
        });
      }
    }

    // Incidents: about every 10 days, a few hours after a production deployment; closed 1 h – 3 days later.
    let iiid = 0;
    for (let t = start + 5 * DAY; t < end; t += between(4, 16) * DAY) {
      const p = rnd() < 0.5 ? api : dbs;
      const opened = workday(t);
      const closed = opened + between(1, 72) * HOUR;
      const isClosed = closed < end;
      const asLabel = rnd() < 0.3;
      iiid += 1;
      (h.issues.get(p.id) as GlIssue[]).push({
        id: id(),
        iid: iiid,
        project_id: p.id,
        title: `Forecasts missing for ${client} (${iiid})`,
        description: 'Operators report the dashboard shows no forecast.',
        state: isClosed ? 'closed' : 'opened',
        created_at: iso(opened),
        updated_at: iso(isClosed ? closed : opened),
        closed_at: isClosed ? iso(closed) : null,
        labels: asLabel ? ['incident', 'sev::2'] : ['sev::2'],
        issue_type: asLabel ? 'issue' : 'incident',
        web_url: `${p.web_url}/-/${asLabel ? 'issues' : 'issues/incident'}/${iiid}`,
      });
      // A plain issue now and then, which is not an incident.
      if (rnd() < 0.5)
        (h.issues.get(p.id) as GlIssue[]).push({
          id: id(),
          iid: ++iiid,
          project_id: p.id,
          title: 'Tidy up the README',
          description: '',
          state: 'opened',
          created_at: iso(opened),
          updated_at: iso(opened),
          closed_at: null,
          labels: ['docs'],
          issue_type: 'issue',
          web_url: `${p.web_url}/-/issues/${iiid}`,
        });
    }
  }
  return h;
}

function commit(
  s: string,
  title: string,
  authored: number,
  committed: number,
  web: string,
  parents: string[],
): GlCommit {
  return {
    id: s,
    short_id: s.slice(0, 8),
    title,
    authored_date: iso(authored),
    committed_date: iso(committed),
    created_at: iso(committed),
    parent_ids: parents,
    web_url: `${web}/-/commit/${s}`,
  };
}
