// The sections of the HTML report: per scope the key table (value, band, change against the previous week,
// 12-week chart), the lead-time breakdown, then the week's deployments, failures, changes and incidents.
import { type Band, bandOf, DORA_2024 } from '../../metrics/bands.ts';
import type { Metrics } from '../../metrics/compute.ts';
import { hours, num, pct, when } from '../format.ts';
import type { ScopeReport, TrendPoint } from '../weekly.ts';
import { stagesChart, trendChart } from './charts.ts';
import { esc, link } from './escape.ts';

const BAND_COLORS: Record<Band, [string, string]> = {
  elite: ['#0a3622', '#d1f0dc'],
  high: ['#0f5132', '#e3f4e8'],
  medium: ['#664d03', '#fff3cd'],
  low: ['#842029', '#f8d7da'],
};

export const KEYS = [
  'deployment-frequency',
  'lead-time',
  'change-failure-rate',
  'time-to-restore',
  'failed-deployment-recovery',
  'rework-rate',
] as const;
export type KeyId = (typeof KEYS)[number];

interface KeyRow {
  key: KeyId;
  name: string;
  value: string;
  detail: string;
  band: Band | null;
  bandNote: string;
  now: number | null;
  before: number | null;
  format: (x: number) => string;
  /** Whether a higher value is an improvement. */
  higherIsBetter: boolean;
  trend: (t: TrendPoint) => number | null;
}

const median = (h: number | null): string => (h === null ? '–' : `${hours(h)} median`);

function rows(m: Metrics, p: Metrics): KeyRow[] {
  const ttrBand = bandOf(DORA_2024.recoveryTime.rules, m.timeToRestore.medianHours)?.band ?? null;
  return [
    {
      key: 'deployment-frequency',
      name: 'Deployment frequency',
      value: `${m.deploymentFrequency.deployments} deployments`,
      detail: `${num(m.deploymentFrequency.perDay)} per day · ${m.deploymentFrequency.deploymentDays} deployment days`,
      band: m.deploymentFrequency.band,
      bandNote: 'deployments per week',
      now: m.deploymentFrequency.deployments,
      before: p.deploymentFrequency.deployments,
      format: (x) => num(x),
      higherIsBetter: true,
      trend: (t) => t.deployments,
    },
    {
      key: 'lead-time',
      name: 'Lead time for changes',
      value:
        m.leadTime.medianHours === null
          ? '–'
          : `${hours(m.leadTime.medianHours)} median · ${hours(m.leadTime.p90Hours)} p90`,
      detail: `${m.leadTime.count} changes · GitLab merge→deploy median ${hours(m.leadTime.gitlabMedianHours)}`,
      band: m.leadTime.band,
      bandNote: 'median, first commit → production',
      now: m.leadTime.medianHours,
      before: p.leadTime.medianHours,
      format: hours,
      higherIsBetter: false,
      trend: (t) => t.leadTimeMedianHours,
    },
    {
      key: 'change-failure-rate',
      name: 'Change failure rate',
      value: pct(m.changeFailureRate.rate),
      detail: `${m.changeFailureRate.failed} of ${m.changeFailureRate.deployments} deployments failed`,
      band: m.changeFailureRate.band,
      bandNote: 'nearest 2024 cluster',
      now: m.changeFailureRate.rate,
      before: p.changeFailureRate.rate,
      format: (x) => pct(x).replace(' %', ' pp'),
      higherIsBetter: false,
      trend: (t) => t.changeFailureRate,
    },
    {
      key: 'time-to-restore',
      name: 'Time to restore service',
      value: median(m.timeToRestore.medianHours),
      detail: `${m.timeToRestore.count} incidents closed · ${m.timeToRestore.open} open`,
      band: ttrBand,
      bandNote: 'recovery bands',
      now: m.timeToRestore.medianHours,
      before: p.timeToRestore.medianHours,
      format: hours,
      higherIsBetter: false,
      trend: (t) => t.timeToRestoreMedianHours,
    },
    {
      key: 'failed-deployment-recovery',
      name: 'Failed deployment recovery time',
      value: median(m.failedDeploymentRecovery.medianHours),
      detail: `${m.failedDeploymentRecovery.count} recovered · ${m.failedDeploymentRecovery.unrecovered} not recovered`,
      band: m.failedDeploymentRecovery.band,
      bandNote: 'recovery bands',
      now: m.failedDeploymentRecovery.medianHours,
      before: p.failedDeploymentRecovery.medianHours,
      format: hours,
      higherIsBetter: false,
      trend: (t) => t.failedDeploymentRecoveryMedianHours,
    },
    {
      key: 'rework-rate',
      name: 'Deployment rework rate',
      value: pct(m.reworkRate.rate),
      detail: `${m.reworkRate.rework} of ${m.reworkRate.deployments} deployments were unplanned fixes`,
      band: null,
      bandNote: 'the 2024 report gives no rework bands',
      now: m.reworkRate.rate,
      before: p.reworkRate.rate,
      format: (x) => pct(x).replace(' %', ' pp'),
      higherIsBetter: false,
      trend: (t) => t.reworkRate,
    },
  ];
}

export function bandPill(band: Band | null, note: string): string {
  if (!band) return `<span style="color:#57606a" title="${esc(note)}">–</span>`;
  const [fg, bg] = BAND_COLORS[band];
  return `<span data-band="${band}" title="${esc(note)}" style="display:inline-block;white-space:nowrap;padding:1px 8px;border-radius:10px;background:${bg};color:${fg};font-weight:600;font-size:12px">${band}</span>`;
}

/** ▲/▼ with the signed difference, green when it is an improvement, red when not; `=` when unchanged. */
export function change(row: Pick<KeyRow, 'now' | 'before' | 'format' | 'higherIsBetter'>): string {
  if (row.now === null || row.before === null)
    return '<span data-change="none" style="color:#57606a">–</span>';
  const d = row.now - row.before;
  if (Math.abs(d) < 1e-9) return '<span data-change="same" style="color:#57606a">= 0</span>';
  const up = d > 0;
  const good = up === row.higherIsBetter;
  return `<span data-change="${up ? 'up' : 'down'}" style="color:${good ? '#1a7f37' : '#cf222e'};white-space:nowrap">${up ? '▲ +' : '▼ −'}${esc(row.format(Math.abs(d)))}</span>`;
}

const TH =
  'style="text-align:left;padding:6px 6px;font-size:12px;color:#57606a;font-weight:600;border-bottom:1px solid #d0d7de"';
const TD =
  'style="padding:6px 6px;vertical-align:top;border-bottom:1px solid #eaeef2;overflow-wrap:anywhere"';

export function keyTable(s: ScopeReport): string {
  const scope = s.client ?? 'all';
  const body = rows(s.metrics, s.previous)
    .map((r) => {
      const bars = s.trend.map((t) => {
        const v = r.trend(t);
        return { label: t.week, value: v, text: v === null ? 'no data' : r.format(v).replace(' pp', ' %') };
      });
      return (
        `<tr data-client="${esc(scope)}" data-key="${r.key}">` +
        `<td ${TD}><strong>${esc(r.name)}</strong><br><span style="font-size:12px;color:#57606a">${esc(r.detail)}</span></td>` +
        `<td ${TD}><span data-value style="font-size:15px;font-weight:600">${esc(r.value)}</span></td>` +
        `<td ${TD}>${bandPill(r.band, r.bandNote)}</td>` +
        `<td ${TD}>${change(r)}</td>` +
        `<td ${TD}>${trendChart(`${scope}:${r.key}`, `${r.name}, ${s.trend[0]?.week ?? ''} to ${s.trend[s.trend.length - 1]?.week ?? ''}`, bars)}</td>` +
        '</tr>'
      );
    })
    .join('');
  return (
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;font-size:14px;table-layout:fixed">` +
    `<tr><th ${TH}>Key</th><th ${TH} width="140">This week</th><th ${TH} width="70">Band</th><th ${TH} width="80">vs last week</th><th ${TH} width="132">12 weeks</th></tr>${body}</table>`
  );
}

export function breakdown(s: ScopeReport): string {
  const st = s.metrics.leadTime.stages;
  const stages = [
    { name: 'coding', hours: st.coding.medianHours, text: hours(st.coding.medianHours), color: '#8250df' },
    { name: 'pickup', hours: st.pickup.medianHours, text: hours(st.pickup.medianHours), color: '#bf8700' },
    { name: 'review', hours: st.review.medianHours, text: hours(st.review.medianHours), color: '#1a7f37' },
    { name: 'deploy', hours: st.deploy.medianHours, text: hours(st.deploy.medianHours), color: '#0b57d0' },
  ];
  const legend = stages
    .map(
      (x) =>
        `<span data-stage="${x.name}" style="white-space:nowrap"><span style="display:inline-block;width:9px;height:9px;background:${x.color}"></span> ${x.name} ${esc(x.text)}</span>`,
    )
    .join(' → ');
  return (
    `<p style="margin:12px 0 4px;font-size:13px"><strong>Lead time by stage</strong> (medians): ${legend}</p>` +
    stagesChart(`${s.client ?? 'all'}:lead-time-stages`, stages)
  );
}

function table(title: string, kind: string, head: string[], body: string[], empty: string): string {
  const content = body.length
    ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;font-size:13px"><tr>${head.map((h) => `<th ${TH}>${esc(h)}</th>`).join('')}</tr>${body.join('')}</table>`
    : `<p style="margin:4px 0;color:#57606a;font-size:13px">${esc(empty)}</p>`;
  return `<h3 data-list="${kind}" style="font-size:15px;margin:18px 0 6px">${esc(title)} (${body.length})</h3>${content}`;
}

const short = (key: string): string => key.replace(/^(deployment|pipeline|job):/, '$1 ');

export function lists(m: Metrics): string {
  const deployments = m.deployments.map((d) => {
    const flags = [
      d.status === 'failed' ? 'failed' : '',
      d.failure.length ? 'change failure' : '',
      ...d.rework.map((r) => `rework: ${r}`),
    ].filter(Boolean);
    return (
      `<tr data-row="deployment"><td ${TD}>${esc(when(d.finishedAt))}</td><td ${TD}>${esc(d.project)}</td>` +
      `<td ${TD}>${link(d.webUrl, `${d.ref} ${d.sha.slice(0, 8)}`)}</td><td ${TD}>${d.changes.length}</td>` +
      `<td ${TD}>${esc(flags.join(', ') || 'ok')}</td></tr>`
    );
  });
  const failures = m.deployments
    .filter((d) => d.status === 'failed' || d.failure.length > 0)
    .map((d) => {
      const causes = d.failure.map((f) => link(f.webUrl, f.kind));
      if (d.status === 'failed') causes.unshift(esc('deployment failed'));
      return (
        `<tr data-row="failure"><td ${TD}>${link(d.webUrl, `${d.project} ${d.sha.slice(0, 8)}`)}</td>` +
        `<td ${TD}>${causes.join(', ')}</td><td ${TD}>${esc(d.recoveredAt ? `recovered ${when(d.recoveredAt)}` : 'not recovered')}</td></tr>`
      );
    });
  const changes = m.changes.map(
    (c) =>
      `<tr data-row="change"><td ${TD}>${link(c.webUrl, `${c.project}!${c.iid}`)} ${esc(c.title)}</td>` +
      `<td ${TD}>${esc(hours(c.leadTimeHours))}</td>` +
      `<td ${TD}><span style="font-size:12px;color:#57606a">${esc(`${hours(c.stages.coding)} / ${hours(c.stages.pickup)} / ${hours(c.stages.review)} / ${hours(c.stages.deploy)}`)}</span></td></tr>`,
  );
  const incidents = m.incidents.map(
    (i) =>
      `<tr data-row="incident"><td ${TD}>${link(i.webUrl, `${i.project}#${i.iid}`)} ${esc(i.title)}</td>` +
      `<td ${TD}>${esc(when(i.openedAt))}</td><td ${TD}>${esc(i.closedAt ? `restored in ${hours(i.hoursToRestore)}` : 'open')}</td>` +
      `<td ${TD}>${esc(i.attributedTo ? short(i.attributedTo) : '–')}</td></tr>`,
  );
  return [
    table(
      'Deployments',
      'deployments',
      ['Finished', 'Project', 'Ref', 'Changes', 'Outcome'],
      deployments,
      'No deployments this week.',
    ),
    table(
      'Failures',
      'failures',
      ['Deployment', 'Cause', 'Recovery'],
      failures,
      'No failed deployments this week.',
    ),
    table(
      'Changes shipped',
      'changes',
      ['Merge request', 'Lead time', 'Coding / pickup / review / deploy'],
      changes,
      'No changes shipped this week.',
    ),
    table(
      'Incidents',
      'incidents',
      ['Incident', 'Opened', 'Restored', 'Attributed to'],
      incidents,
      'No incidents this week.',
    ),
  ].join('');
}
