// The four DORA keys and the deployment rework rate, as pure functions of a Dataset and a window.
// The exact definitions, their edge cases and their anchors (GitLab, DORA, DevLake) are in dora/README.md.
import { type Band, type BandTable, bandOf, DORA_2024 } from './bands.ts';
import type { Change, Dataset, Deployment, Incident, ProjectInfo } from './model.ts';
import { isoWeekOf, localDay, type Window } from './time.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ComputeOptions {
  window: Window;
  /** Only this client's projects; all clients when absent. */
  client?: string;
  timeZone?: string;
  hotfixLabel?: string;
  bands?: BandTable;
  /** The drill-down (deployments, changes, incidents); default true. Trends need the figures only. */
  details?: boolean;
}

export type FailureCause =
  | { kind: 'incident'; incidentId: number; webUrl: string }
  | { kind: 'rollback'; by: string; webUrl: string }
  | { kind: 'revert'; changeId: number; webUrl: string };

export type ReworkReason = 'hotfix' | 'revert' | 'rollback';

export interface DeploymentDetail {
  key: string;
  project: string;
  client: string;
  sha: string;
  ref: string;
  status: 'success' | 'failed';
  finishedAt: string;
  webUrl: string;
  changes: number[];
  failure: FailureCause[];
  rework: ReworkReason[];
  /** Failed deployment recovery: when production was restored, if it was. */
  recoveredAt: string | null;
}

export interface ChangeDetail {
  id: number;
  project: string;
  iid: number;
  title: string;
  webUrl: string;
  deployment: string;
  firstCommitAt: string | null;
  mergedAt: string;
  deployedAt: string;
  leadTimeHours: number;
  mergeToDeployHours: number;
  stages: { coding: number | null; pickup: number | null; review: number | null; deploy: number };
}

export interface IncidentDetail {
  id: number;
  project: string;
  iid: number;
  title: string;
  webUrl: string;
  openedAt: string;
  closedAt: string | null;
  hoursToRestore: number | null;
  attributedTo: string | null;
}

export interface Distribution {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface Metrics {
  window: { start: string; end: string; days: number };
  client: string | null;
  bandsFrom: { report: string; year: number };
  deploymentFrequency: {
    deployments: number;
    deploymentDays: number;
    perDay: number;
    perWeek: number;
    byWeek: { week: string; deployments: number }[];
    band: Band | null;
  };
  leadTime: Distribution & {
    band: Band | null;
    stages: { coding: Distribution; pickup: Distribution; review: Distribution; deploy: Distribution };
    /** GitLab's definition: merge → deploy, median. */
    gitlabMedianHours: number | null;
  };
  changeFailureRate: { failed: number; deployments: number; rate: number | null; band: Band | null };
  timeToRestore: Distribution & { open: number };
  failedDeploymentRecovery: Distribution & { unrecovered: number; band: Band | null };
  reworkRate: { rework: number; deployments: number; rate: number | null };
  deployments: DeploymentDetail[];
  changes: ChangeDetail[];
  incidents: IncidentDetail[];
}

/** Median (mean of the two middle values for an even count) and nearest-rank p90, in hours. */
export function distribution(values: number[]): Distribution {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { count: 0, medianHours: null, p90Hours: null };
  const median = n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
  const p90 = s[Math.ceil(0.9 * n) - 1] as number;
  return { count: n, medianHours: round(median / HOUR), p90Hours: round(p90 / HOUR) };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const iso = (ms: number): string => new Date(ms).toISOString();
const REVERT = /^Revert "(.+)"$/;
const ROOT_CAUSE = /root cause:\s*([0-9a-f]{7,40})/i;

interface Linked {
  deployment: Deployment;
  project: ProjectInfo;
  changes: Change[];
  failure: FailureCause[];
  rework: Set<ReworkReason>;
  rolledBackBy: Deployment | null;
  isRollback: boolean;
  recoveredAt: number | null;
}

/** Links every change to the deployment that shipped it, and marks failures, rollbacks and rework. */
export function link(ds: Dataset, hotfixLabel = 'hotfix') {
  const projectById = new Map(ds.projects.map((p) => [p.id, p]));
  const linked = new Map<string, Linked>();
  const byProject = new Map<number, Deployment[]>();
  for (const d of [...ds.deployments].sort(
    (a, b) => a.finishedAt - b.finishedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  )) {
    const project = projectById.get(d.projectId);
    if (!project) continue;
    linked.set(d.key, {
      deployment: d,
      project,
      changes: [],
      failure: [],
      rework: new Set(),
      rolledBackBy: null,
      isRollback: false,
      recoveredAt: null,
    });
    if (!byProject.has(d.projectId)) byProject.set(d.projectId, []);
    (byProject.get(d.projectId) as Deployment[]).push(d);
  }
  const shaTime = (projectId: number, sha: string | null): number | undefined =>
    sha ? ds.commitTimes.get(projectId)?.get(sha) : undefined;
  const okByProject = new Map<number, Deployment[]>();
  for (const [pid, list] of byProject)
    okByProject.set(
      pid,
      list.filter((d) => d.status === 'success'),
    );
  const successes = (projectId: number): Deployment[] => okByProject.get(projectId) ?? [];

  // Rollbacks: a successful deployment of a SHA that is older than the one running (an earlier deployment's
  // SHA, or an older commit of the default branch). It marks the deployment it replaced as failed.
  for (const list of byProject.keys()) {
    const ok = successes(list);
    const before = new Set<string>(); // the SHAs of ok[0 .. i-2]
    for (let i = 1; i < ok.length; i++) {
      const d = ok[i] as Deployment;
      const prev = ok[i - 1] as Deployment;
      if (i >= 2) before.add((ok[i - 2] as Deployment).sha);
      if (d.sha === prev.sha) continue;
      const seenBefore = before.has(d.sha);
      const td = shaTime(d.projectId, d.sha);
      const tp = shaTime(prev.projectId, prev.sha);
      if (seenBefore || (td !== undefined && tp !== undefined && td < tp)) {
        const l = linked.get(d.key) as Linked;
        l.isRollback = true;
        l.rework.add('rollback');
        const failed = linked.get(prev.key) as Linked;
        failed.rolledBackBy = d;
        failed.failure.push({ kind: 'rollback', by: d.key, webUrl: d.webUrl });
      }
    }
  }

  // Changes → the first deployment that shipped them: a successful, non-rollback deployment of their own project
  // whose deployed commit is not older than the merge commit, or of a project declared to ship them that
  // started after the merge; the earliest such deployment wins.
  const shippers = new Map<number, ProjectInfo[]>();
  for (const p of ds.projects) {
    for (const q of ds.projects) {
      if (q.id === p.id || q.client !== p.client) continue;
      if (q.ships.includes('*') || q.ships.includes(p.path)) {
        if (!shippers.has(p.id)) shippers.set(p.id, []);
        (shippers.get(p.id) as ProjectInfo[]).push(q);
      }
    }
  }
  // Per project, the successful non-rollback deployments in start order, with the suffix minimum of their
  // position in finish order: the first (in finish order) of those that started at or after an instant is
  // found by one binary search.
  const byStart = new Map<number, { starts: number[]; firstByFinish: number[]; ok: Deployment[] }>();
  const startIndex = (projectId: number) => {
    let entry = byStart.get(projectId);
    if (!entry) {
      const ok = successes(projectId);
      const order = ok
        .map((d, i) => ({ d, i }))
        .filter(({ d }) => !(linked.get(d.key) as Linked).isRollback)
        .sort((a, b) => a.d.startedAt - b.d.startedAt || a.i - b.i);
      const firstByFinish = order.map(({ i }) => i);
      for (let k = firstByFinish.length - 2; k >= 0; k--)
        firstByFinish[k] = Math.min(firstByFinish[k] as number, firstByFinish[k + 1] as number);
      entry = { starts: order.map(({ d }) => d.startedAt), firstByFinish, ok };
      byStart.set(projectId, entry);
    }
    return entry;
  };
  const firstStartedFrom = (projectId: number, at: number): Deployment | undefined => {
    const { starts, firstByFinish, ok } = startIndex(projectId);
    const k = lowerBound(starts, at);
    return k < starts.length ? ok[firstByFinish[k] as number] : undefined;
  };
  const finishes = new Map<number, number[]>();
  const finishTimes = (projectId: number): number[] => {
    let f = finishes.get(projectId);
    if (!f) {
      f = successes(projectId).map((d) => d.finishedAt);
      finishes.set(projectId, f);
    }
    return f;
  };
  const shippedBy = new Map<number, Deployment>();
  for (const c of ds.changes) {
    let best: Deployment | undefined;
    const mergeTime = shaTime(c.projectId, c.mergeSha);
    const own = successes(c.projectId);
    for (let k = lowerBound(finishTimes(c.projectId), c.mergedAt); k < own.length; k++) {
      const d = own[k] as Deployment;
      if ((linked.get(d.key) as Linked).isRollback) continue;
      const deployedTime = shaTime(d.projectId, d.sha);
      const contains =
        mergeTime !== undefined && deployedTime !== undefined
          ? deployedTime >= mergeTime
          : d.startedAt >= c.mergedAt;
      if (contains) {
        best = d;
        break;
      }
    }
    for (const q of shippers.get(c.projectId) ?? []) {
      const d = firstStartedFrom(q.id, c.mergedAt);
      if (d && (!best || d.finishedAt < best.finishedAt)) best = d;
    }
    if (best) {
      shippedBy.set(c.id, best);
      const l = linked.get(best.key) as Linked;
      l.changes.push(c);
      if (c.labels.includes(hotfixLabel)) l.rework.add('hotfix');
      if (REVERT.test(c.title)) l.rework.add('revert');
    }
  }

  // Reverts: the deployment that shipped the reverted change failed.
  const byTitle = new Map<string, Change[]>();
  for (const c of ds.changes) {
    const k = `${c.projectId}\u0000${c.title}`;
    const list = byTitle.get(k);
    if (list) list.push(c);
    else byTitle.set(k, [c]);
  }
  for (const c of ds.changes) {
    const title = REVERT.exec(c.title)?.[1];
    if (!title) continue;
    const reverted = (byTitle.get(`${c.projectId}\u0000${title}`) ?? [])
      .filter(
        (x) => x.projectId === c.projectId && x.title === title && x.mergedAt <= c.mergedAt && x.id !== c.id,
      )
      .sort((a, b) => b.mergedAt - a.mergedAt)[0];
    const d = reverted && shippedBy.get(reverted.id);
    if (!d) continue;
    const l = linked.get(d.key) as Linked;
    l.failure.push({ kind: 'revert', changeId: c.id, webUrl: c.webUrl });
    const fix = shippedBy.get(c.id);
    if (fix && fix.finishedAt >= d.finishedAt)
      l.recoveredAt = l.recoveredAt === null ? fix.finishedAt : Math.min(l.recoveredAt, fix.finishedAt);
  }

  // Incidents → a deployment: the SHA named by `root cause: <sha>` in the description, else the latest
  // successful deployment of the incident's project (or of the projects that ship it) finished before it opened.
  const attributed = new Map<number, Deployment>();
  for (const i of ds.incidents) {
    let d: Deployment | undefined;
    const named = ROOT_CAUSE.exec(i.description)?.[1]?.toLowerCase();
    const candidates = [i.projectId, ...(shippers.get(i.projectId) ?? []).map((p) => p.id)].flatMap(
      successes,
    );
    if (named) d = candidates.find((x) => x.sha.startsWith(named));
    if (!d) {
      if (successes(i.projectId).length) {
        // The last one (in finish order) finished at or before the incident opened.
        const k = upperBound(finishTimes(i.projectId), i.createdAt) - 1;
        d = k >= 0 ? successes(i.projectId)[k] : undefined;
      } else
        for (const x of candidates)
          if (x.finishedAt <= i.createdAt && (!d || x.finishedAt >= d.finishedAt)) d = x;
    }
    if (!d) continue;
    attributed.set(i.id, d);
    const l = linked.get(d.key) as Linked;
    l.failure.push({ kind: 'incident', incidentId: i.id, webUrl: i.webUrl });
    if (i.closedAt !== null)
      l.recoveredAt = l.recoveredAt === null ? i.closedAt : Math.min(l.recoveredAt, i.closedAt);
  }
  for (const l of linked.values()) {
    if (l.rolledBackBy)
      l.recoveredAt =
        l.recoveredAt === null
          ? l.rolledBackBy.finishedAt
          : Math.min(l.recoveredAt, l.rolledBackBy.finishedAt);
    if (l.deployment.status === 'failed') {
      const next = successes(l.deployment.projectId)[
        upperBound(finishTimes(l.deployment.projectId), l.deployment.finishedAt)
      ];
      l.recoveredAt = next ? next.finishedAt : null;
    }
  }
  // In finish order (the deployments were inserted sorted), for windows by binary search.
  const ordered = [...linked.values()];
  const finishOrder = ordered.map((l) => l.deployment.finishedAt);
  return { linked, ordered, finishOrder, shippedBy, attributed, projectById };
}

export type Linking = ReturnType<typeof link>;

/** The first index whose value is ≥ x in an ascending array. */
function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose value is > x in an ascending array. */
function upperBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The links (changes → deployments, failures, rework) of a client's data, reusable across windows. */
export function prepare(dataset: Dataset, options: { client?: string; hotfixLabel?: string } = {}) {
  const ds = options.client ? restrict(dataset, options.client) : dataset;
  return { ds, linking: link(ds, options.hotfixLabel) };
}

/**
 * A client's part of the links of all clients: links never cross clients (shipping projects, incidents and
 * reverts stay inside a client's group), so this equals `prepare(dataset, { client })` without linking again.
 */
export function prepareClient(all: ReturnType<typeof prepare>, client: string): ReturnType<typeof prepare> {
  // computeMetrics reads the incidents of `ds`; deployments and changes come from the links.
  const ids = new Set(all.ds.projects.filter((p) => p.client === client).map((p) => p.id));
  return {
    ds: {
      ...all.ds,
      projects: all.ds.projects.filter((p) => ids.has(p.id)),
      deployments: [],
      changes: [],
      incidents: all.ds.incidents.filter((i) => ids.has(i.projectId)),
    },
    linking: all.linking,
  };
}

export function computeMetrics(
  dataset: Dataset,
  options: ComputeOptions,
  prepared: ReturnType<typeof prepare> = prepare(dataset, options),
): Metrics {
  const { window } = options;
  const tz = options.timeZone ?? 'UTC';
  const bands = options.bands ?? DORA_2024;
  const { ds } = prepared;
  const { attributed, projectById } = prepared.linking;
  const details = options.details ?? true;
  const inWindow = (t: number | null): boolean => t !== null && t >= window.start && t < window.end;
  const days = (window.end - window.start) / DAY;

  // The links may be those of all clients (prepareClient): keep the client's own deployments.
  const { ordered, finishOrder } = prepared.linking;
  const all = ordered
    .slice(lowerBound(finishOrder, window.start), lowerBound(finishOrder, window.end))
    .filter((l) => !options.client || l.project.client === options.client);
  const ok = all.filter((l) => l.deployment.status === 'success');

  // Deployment frequency.
  const weeks = new Map<string, number>();
  for (let t = window.start; t < window.end; t += DAY) weeks.set(isoWeekOf(t, tz), 0);
  for (const l of ok) {
    const w = isoWeekOf(l.deployment.finishedAt, tz);
    weeks.set(w, (weeks.get(w) ?? 0) + 1);
  }
  const perWeek = days > 0 ? (ok.length / days) * 7 : 0;

  // Lead time: the changes shipped by the window's deployments.
  const changeDetails: ChangeDetail[] = [];
  const lead: number[] = [];
  const mergeToDeploy: number[] = [];
  const stages = {
    coding: [] as number[],
    pickup: [] as number[],
    review: [] as number[],
    deploy: [] as number[],
  };
  for (const l of ok) {
    for (const c of l.changes) {
      const deployedAt = l.deployment.finishedAt;
      const start = c.firstCommitAt ?? c.createdAt;
      const reviewed = c.firstReviewAt !== null && c.firstReviewAt <= c.mergedAt ? c.firstReviewAt : null;
      const st = {
        coding: c.firstCommitAt === null ? null : Math.max(0, c.createdAt - c.firstCommitAt),
        pickup: reviewed === null ? null : Math.max(0, reviewed - c.createdAt),
        review: reviewed === null ? null : Math.max(0, c.mergedAt - reviewed),
        deploy: Math.max(0, deployedAt - c.mergedAt),
      };
      lead.push(Math.max(0, deployedAt - start));
      mergeToDeploy.push(st.deploy);
      if (st.coding !== null) stages.coding.push(st.coding);
      if (st.pickup !== null) stages.pickup.push(st.pickup);
      if (st.review !== null) stages.review.push(st.review);
      stages.deploy.push(st.deploy);
      if (!details) continue;
      const p = projectById.get(c.projectId) as ProjectInfo;
      changeDetails.push({
        id: c.id,
        project: p.pathWithNamespace,
        iid: c.iid,
        title: c.title,
        webUrl: c.webUrl,
        deployment: l.deployment.key,
        firstCommitAt: c.firstCommitAt === null ? null : iso(c.firstCommitAt),
        mergedAt: iso(c.mergedAt),
        deployedAt: iso(deployedAt),
        leadTimeHours: round(Math.max(0, deployedAt - start) / HOUR),
        mergeToDeployHours: round(st.deploy / HOUR),
        stages: {
          coding: st.coding === null ? null : round(st.coding / HOUR),
          pickup: st.pickup === null ? null : round(st.pickup / HOUR),
          review: st.review === null ? null : round(st.review / HOUR),
          deploy: round(st.deploy / HOUR),
        },
      });
    }
  }
  const leadDist = distribution(lead);

  // Change failure rate and rework rate over the window's successful deployments.
  const failed = ok.filter((l) => l.failure.length > 0);
  const rework = ok.filter((l) => l.rework.size > 0);
  const cfr = ok.length ? failed.length / ok.length : null;

  // Time to restore service: incidents closed in the window (GitLab), open → closed.
  const incidents = ds.incidents.filter((i) => inWindow(i.closedAt) || inWindow(i.createdAt));
  const closedInWindow = incidents.filter((i) => inWindow(i.closedAt));
  const ttr = distribution(closedInWindow.map((i) => (i.closedAt as number) - i.createdAt));
  const open = incidents.filter((i) => i.closedAt === null || i.closedAt >= window.end).length;

  // Failed deployment recovery: deployments in the window that failed (status failed, or a change failure).
  const failures = all.filter((l) => l.deployment.status === 'failed' || l.failure.length > 0);
  const recovered = failures.filter((l) => l.recoveredAt !== null);
  const fdrt = distribution(
    recovered.map((l) => Math.max(0, (l.recoveredAt as number) - l.deployment.finishedAt)),
  );

  const projectName = (id: number): string => (projectById.get(id) as ProjectInfo).pathWithNamespace;
  return {
    window: { start: iso(window.start), end: iso(window.end), days: round(days) },
    client: options.client ?? null,
    bandsFrom: { report: bands.report, year: bands.year },
    deploymentFrequency: {
      deployments: ok.length,
      deploymentDays: new Set(ok.map((l) => localDay(l.deployment.finishedAt, tz))).size,
      perDay: days > 0 ? round(ok.length / days) : 0,
      perWeek: round(perWeek),
      byWeek: [...weeks].sort().map(([week, deployments]) => ({ week, deployments })),
      band: ok.length || days > 0 ? (bandOf(bands.deploymentFrequency.rules, perWeek)?.band ?? null) : null,
    },
    leadTime: {
      ...leadDist,
      band: bandOf(bands.leadTime.rules, leadDist.medianHours)?.band ?? null,
      stages: {
        coding: distribution(stages.coding),
        pickup: distribution(stages.pickup),
        review: distribution(stages.review),
        deploy: distribution(stages.deploy),
      },
      gitlabMedianHours: distribution(mergeToDeploy).medianHours,
    },
    changeFailureRate: {
      failed: failed.length,
      deployments: ok.length,
      rate: cfr === null ? null : round(cfr),
      band: bandOf(bands.changeFailureRate.rules, cfr)?.band ?? null,
    },
    timeToRestore: { ...ttr, open },
    failedDeploymentRecovery: {
      ...fdrt,
      unrecovered: failures.length - recovered.length,
      band: bandOf(bands.recoveryTime.rules, fdrt.medianHours)?.band ?? null,
    },
    reworkRate: {
      rework: rework.length,
      deployments: ok.length,
      rate: ok.length ? round(rework.length / ok.length) : null,
    },
    deployments: (details ? all : []).map((l) => ({
      key: l.deployment.key,
      project: l.project.pathWithNamespace,
      client: l.project.client,
      sha: l.deployment.sha,
      ref: l.deployment.ref,
      status: l.deployment.status,
      finishedAt: iso(l.deployment.finishedAt),
      webUrl: l.deployment.webUrl,
      changes: l.changes.map((c) => c.id),
      failure: l.failure,
      rework: [...l.rework],
      recoveredAt: l.recoveredAt === null ? null : iso(l.recoveredAt),
    })),
    changes: changeDetails,
    incidents: (details ? incidents : []).map(
      (i: Incident): IncidentDetail => ({
        id: i.id,
        project: projectName(i.projectId),
        iid: i.iid,
        title: i.title,
        webUrl: i.webUrl,
        openedAt: iso(i.createdAt),
        closedAt: i.closedAt === null ? null : iso(i.closedAt),
        hoursToRestore: i.closedAt === null ? null : round((i.closedAt - i.createdAt) / HOUR),
        attributedTo: attributed.get(i.id)?.key ?? null,
      }),
    ),
  };
}

function restrict(ds: Dataset, client: string): Dataset {
  const ids = new Set(ds.projects.filter((p) => p.client === client).map((p) => p.id));
  return {
    projects: ds.projects.filter((p) => ids.has(p.id)),
    deployments: ds.deployments.filter((d) => ids.has(d.projectId)),
    changes: ds.changes.filter((c) => ids.has(c.projectId)),
    incidents: ds.incidents.filter((i) => ids.has(i.projectId)),
    commitTimes: ds.commitTimes,
  };
}
