// The weekly report, as data (JSON) and Markdown: per client and overall, the four keys and the rework rate
// for an ISO week, their DORA bands, the change against the previous week, a 12-week trend, and the
// deployments, failures and incidents behind the figures, with links to GitLab.
import {
  type ComputeOptions,
  computeMetrics,
  type Metrics,
  prepare,
  prepareClient,
} from '../metrics/compute.ts';
import type { Dataset } from '../metrics/model.ts';
import { isoWeekWindow, previousIsoWeek } from '../metrics/time.ts';
import { hours, pct } from './format.ts';

export interface TrendPoint {
  week: string;
  deployments: number;
  leadTimeMedianHours: number | null;
  leadTimeP90Hours: number | null;
  changeFailureRate: number | null;
  timeToRestoreMedianHours: number | null;
  failedDeploymentRecoveryMedianHours: number | null;
  reworkRate: number | null;
}

export interface ScopeReport {
  /** A client, or `null` for all clients together. */
  client: string | null;
  metrics: Metrics;
  /** The previous week's figures (without the drill-down lists). */
  previous: Metrics;
  trend: TrendPoint[];
}

export interface WeeklyReport {
  week: string;
  timeZone: string;
  generatedAt: string;
  scopes: ScopeReport[];
}

export interface WeeklyOptions {
  week: string;
  client?: string;
  timeZone?: string;
  hotfixLabel?: string;
  trendWeeks?: number;
  now?: Date;
  /** Reuses the links of a client's data (`null` = all clients) across reports, e.g. a server's cache. */
  prepared?: (client: string | null) => Prepared;
}

export type Prepared = ReturnType<typeof prepare>;

function point(week: string, m: Metrics): TrendPoint {
  return {
    week,
    deployments: m.deploymentFrequency.deployments,
    leadTimeMedianHours: m.leadTime.medianHours,
    leadTimeP90Hours: m.leadTime.p90Hours,
    changeFailureRate: m.changeFailureRate.rate,
    timeToRestoreMedianHours: m.timeToRestore.medianHours,
    failedDeploymentRecoveryMedianHours: m.failedDeploymentRecovery.medianHours,
    reworkRate: m.reworkRate.rate,
  };
}

export function weeklyReport(ds: Dataset, options: WeeklyOptions): WeeklyReport {
  const tz = options.timeZone ?? 'UTC';
  const clients = options.client ? [options.client] : [...new Set(ds.projects.map((p) => p.client))].sort();
  if (options.client && !ds.projects.some((p) => p.client === options.client))
    throw new Error(`no such client in the store: ${options.client}`);
  const scopes: (string | null)[] = options.client ? clients : [null, ...clients];
  const weeks: string[] = [options.week];
  for (let i = 1; i < (options.trendWeeks ?? 12); i++) weeks.unshift(previousIsoWeek(weeks[0] as string));
  const prepared = new Map<string | null, ReturnType<typeof prepare>>();
  const compute = (client: string | null, week: string, details = false): Metrics => {
    const o: ComputeOptions = { window: isoWeekWindow(week, tz), timeZone: tz, details };
    if (client) o.client = client;
    if (options.hotfixLabel) o.hotfixLabel = options.hotfixLabel;
    if (!prepared.has(client)) {
      // The overall scope comes first: each client's links are its part of those (prepareClient).
      const all = prepared.get(null);
      prepared.set(
        client,
        options.prepared
          ? options.prepared(client)
          : client && all
            ? prepareClient(all, client)
            : prepare(ds, o),
      );
    }
    return computeMetrics(ds, o, prepared.get(client));
  };
  return {
    week: options.week,
    timeZone: tz,
    generatedAt: (options.now ?? new Date()).toISOString(),
    scopes: scopes.map((client) => {
      // The drill-down for the week itself; the trend and the previous week need the figures only.
      const trend = weeks.map((w) => ({ w, m: compute(client, w, w === options.week) }));
      return {
        client,
        metrics: (trend[trend.length - 1] as { m: Metrics }).m,
        previous: compute(client, previousIsoWeek(options.week)),
        trend: trend.map(({ w, m }) => point(w, m)),
      };
    }),
  };
}

const delta = (now: number | null, before: number | null, format: (x: number) => string): string => {
  if (now === null || before === null) return '';
  const d = now - before;
  if (d === 0) return ' (=)';
  return ` (${d > 0 ? '+' : '−'}${format(Math.abs(d))})`;
};
const band = (b: string | null): string => (b ? `**${b}**` : '–');
const spark = (values: (number | null)[]): string => {
  const bars = '▁▂▃▄▅▆▇█';
  const nums = values.filter((v): v is number => v !== null);
  const max = Math.max(0, ...nums);
  return values
    .map((v) => (v === null ? ' ' : bars[max === 0 ? 0 : Math.round((v / max) * (bars.length - 1))]))
    .join('');
};

export function renderMarkdown(report: WeeklyReport): string {
  const out: string[] = [`# DORA weekly report, ${report.week} (${report.timeZone})`, ''];
  for (const s of report.scopes) {
    const m = s.metrics;
    const p = s.previous;
    out.push(`## ${s.client ?? 'All clients'}`, '');
    out.push(
      `Bands: ${m.bandsFrom.report}. Change against ${p.window.start.slice(0, 10)}'s week in brackets.`,
      '',
    );
    out.push('| Key | This week | Band | 12-week trend |', '|---|---|---|---|');
    out.push(
      `| Deployment frequency | ${m.deploymentFrequency.deployments} deployments, ${m.deploymentFrequency.deploymentDays} days${delta(m.deploymentFrequency.deployments, p.deploymentFrequency.deployments, String)} | ${band(m.deploymentFrequency.band)} | ${spark(s.trend.map((t) => t.deployments))} |`,
    );
    out.push(
      `| Lead time for changes (median, p90) | ${hours(m.leadTime.medianHours)}, ${hours(m.leadTime.p90Hours)} over ${m.leadTime.count} changes${delta(m.leadTime.medianHours, p.leadTime.medianHours, hours)} | ${band(m.leadTime.band)} | ${spark(s.trend.map((t) => t.leadTimeMedianHours))} |`,
    );
    out.push(
      `| Change failure rate | ${pct(m.changeFailureRate.rate)} (${m.changeFailureRate.failed}/${m.changeFailureRate.deployments})${delta(m.changeFailureRate.rate, p.changeFailureRate.rate, pct)} | ${band(m.changeFailureRate.band)} | ${spark(s.trend.map((t) => t.changeFailureRate))} |`,
    );
    out.push(
      `| Time to restore service (median) | ${hours(m.timeToRestore.medianHours)} over ${m.timeToRestore.count} incidents, ${m.timeToRestore.open} open${delta(m.timeToRestore.medianHours, p.timeToRestore.medianHours, hours)} | | ${spark(s.trend.map((t) => t.timeToRestoreMedianHours))} |`,
    );
    out.push(
      `| Failed deployment recovery (median) | ${hours(m.failedDeploymentRecovery.medianHours)} over ${m.failedDeploymentRecovery.count}, ${m.failedDeploymentRecovery.unrecovered} not recovered | ${band(m.failedDeploymentRecovery.band)} | |`,
    );
    out.push(
      `| Deployment rework rate | ${pct(m.reworkRate.rate)} (${m.reworkRate.rework}/${m.reworkRate.deployments})${delta(m.reworkRate.rate, p.reworkRate.rate, pct)} | | ${spark(s.trend.map((t) => t.reworkRate))} |`,
    );
    const ls = m.leadTime.stages;
    out.push(
      '',
      `Lead time breakdown (medians): coding ${hours(ls.coding.medianHours)} → pickup ${hours(ls.pickup.medianHours)} → review ${hours(ls.review.medianHours)} → deploy ${hours(ls.deploy.medianHours)}. GitLab's merge→deploy median: ${hours(m.leadTime.gitlabMedianHours)}.`,
      '',
    );
    if (m.deployments.length) {
      out.push('### Deployments', '');
      for (const d of m.deployments) {
        const flags = [
          d.status === 'failed' ? 'failed' : '',
          ...d.failure.map((f) => `change failure: [${f.kind}](${f.webUrl})`),
          ...d.rework.map((r) => `rework: ${r}`),
        ].filter(Boolean);
        out.push(
          `- [${d.project} ${d.ref} ${d.sha.slice(0, 8)}](${d.webUrl}) ${d.finishedAt.slice(0, 16).replace('T', ' ')} UTC, ${d.changes.length} changes${flags.length ? ` — ${flags.join(', ')}` : ''}`,
        );
      }
      out.push('');
    }
    if (m.changes.length) {
      out.push('### Changes', '');
      for (const c of m.changes)
        out.push(`- [${c.project}!${c.iid}](${c.webUrl}) ${c.title}: lead time ${hours(c.leadTimeHours)}`);
      out.push('');
    }
    if (m.incidents.length) {
      out.push('### Incidents', '');
      for (const i of m.incidents)
        out.push(
          `- [${i.project}#${i.iid}](${i.webUrl}) ${i.title}: opened ${i.openedAt.slice(0, 16).replace('T', ' ')} UTC, ${i.closedAt ? `restored in ${hours(i.hoursToRestore)}` : 'open'}`,
        );
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}
