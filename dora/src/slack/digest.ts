// The weekly report as a Slack message (Block Kit, for an Incoming Webhook): a header, then per scope (all
// clients, then each client) the keys with their band and the change against the previous week, and a link
// to the HTML report when the server has a public URL. Text from GitLab is escaped for Slack's mrkdwn.
import type { Band } from '../metrics/bands.ts';
import { hours, num, pct } from '../report/format.ts';
import type { ScopeReport, WeeklyReport } from '../report/weekly.ts';

/** Slack's mrkdwn control characters (`&`, `<`, `>`), as its documentation asks. */
export const slackEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const BAND: Record<Band, string> = {
  elite: ':large_green_circle: elite',
  high: ':large_blue_circle: high',
  medium: ':large_yellow_circle: medium',
  low: ':red_circle: low',
};
const band = (b: Band | null): string => (b ? BAND[b] : '–');

function change(now: number | null, before: number | null, format: (x: number) => string): string {
  if (now === null || before === null) return '';
  const d = now - before;
  if (Math.abs(d) < 1e-9) return ' (= 0)';
  return ` (${d > 0 ? '▲ +' : '▼ −'}${format(Math.abs(d))})`;
}

const MAX_SCOPES = 20; // Block Kit allows 50 blocks per message

function scopeBlocks(s: ScopeReport): object[] {
  const m = s.metrics;
  const p = s.previous;
  const pp = (x: number) => pct(x).replace(' %', ' pp');
  const field = (title: string, value: string) => ({ type: 'mrkdwn', text: `*${title}*\n${value}` });
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(s.client ?? 'All clients')}*` } },
    {
      type: 'section',
      fields: [
        field(
          'Deployment frequency',
          `${m.deploymentFrequency.deployments} deployments${change(m.deploymentFrequency.deployments, p.deploymentFrequency.deployments, num)} · ${band(m.deploymentFrequency.band)}`,
        ),
        field(
          'Lead time (median, p90)',
          `${hours(m.leadTime.medianHours)}, ${hours(m.leadTime.p90Hours)}${change(m.leadTime.medianHours, p.leadTime.medianHours, hours)} · ${band(m.leadTime.band)}`,
        ),
        field(
          'Change failure rate',
          `${pct(m.changeFailureRate.rate)} (${m.changeFailureRate.failed}/${m.changeFailureRate.deployments})${change(m.changeFailureRate.rate, p.changeFailureRate.rate, pp)} · ${band(m.changeFailureRate.band)}`,
        ),
        field(
          'Time to restore (median)',
          `${hours(m.timeToRestore.medianHours)}, ${m.timeToRestore.open} open${change(m.timeToRestore.medianHours, p.timeToRestore.medianHours, hours)}`,
        ),
        field(
          'Failed deployment recovery',
          `${hours(m.failedDeploymentRecovery.medianHours)}${change(m.failedDeploymentRecovery.medianHours, p.failedDeploymentRecovery.medianHours, hours)} · ${band(m.failedDeploymentRecovery.band)}`,
        ),
        field(
          'Rework rate',
          `${pct(m.reworkRate.rate)} (${m.reworkRate.rework}/${m.reworkRate.deployments})${change(m.reworkRate.rate, p.reworkRate.rate, pp)}`,
        ),
      ],
    },
  ];
}

export function slackDigest(
  report: WeeklyReport,
  options: { reportUrl?: string } = {},
): { text: string; blocks: object[] } {
  const all = report.scopes[0];
  const shown = report.scopes.slice(0, MAX_SCOPES);
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: `DORA weekly report ${report.week}` } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: slackEscape(
            `${all?.metrics.window.start.slice(0, 10) ?? ''} – ${all ? new Date(Date.parse(all.metrics.window.end) - 1).toISOString().slice(0, 10) : ''} (${report.timeZone}); bands: DORA ${all?.metrics.bandsFrom.year ?? ''}; ▲▼ against the previous week`,
          ),
        },
      ],
    },
  ];
  for (const s of shown) blocks.push({ type: 'divider' }, ...scopeBlocks(s));
  if (report.scopes.length > shown.length)
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${report.scopes.length - shown.length} more clients in the full report`,
        },
      ],
    });
  if (options.reportUrl && /^https?:\/\//.test(options.reportUrl))
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `<${slackEscape(options.reportUrl)}|The full report, with the deployments, failures and incidents>`,
      },
    });
  const m = all?.metrics;
  const text = m
    ? `DORA weekly report ${report.week}${all?.client ? ` (${all.client})` : ''}: ${m.deploymentFrequency.deployments} deployments, lead time ${hours(m.leadTime.medianHours)}, change failure rate ${pct(m.changeFailureRate.rate)}, time to restore ${hours(m.timeToRestore.medianHours)}`
    : `DORA weekly report ${report.week}`;
  return { text: slackEscape(text), blocks };
}
