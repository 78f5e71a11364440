// The weekly report as one self-contained HTML file (inline CSS, inline SVG charts, no scripts, no external
// requests): per scope (all clients, then each client) the four keys and the rework rate with their DORA band,
// the change against the previous week and a 12-week chart, the lead-time breakdown, then the week's
// deployments, failures, changes and incidents with links to GitLab. All text is escaped.
import type { WeeklyReport } from '../weekly.ts';
import { esc } from './escape.ts';
import { documentShell, section } from './layout.ts';
import { breakdown, keyTable, lists } from './sections.ts';

export function renderHtml(report: WeeklyReport): string {
  const first = report.scopes[0];
  const window = first
    ? `${first.metrics.window.start.slice(0, 10)} to ${new Date(Date.parse(first.metrics.window.end) - 1).toISOString().slice(0, 10)}`
    : '';
  const header =
    `<h1 style="font-size:22px;margin:0 0 4px">DORA weekly report ${esc(report.week)}</h1>` +
    `<p style="margin:0;color:#57606a;font-size:13px">${esc(window)} (${esc(report.timeZone)}) · generated ${esc(report.generatedAt.slice(0, 16).replace('T', ' '))} UTC · ` +
    `bands: ${esc(first?.metrics.bandsFrom.report ?? '')}. ▲▼ compare with the previous week; green is better.</p>`;
  const many = report.scopes.length > 1;
  const body = report.scopes
    .map((s) => {
      // With several scopes the overall one has the figures only; each client lists its own events.
      const events = !many || s.client !== null ? lists(s.metrics) : '';
      return section(s.client ?? 'all', s.client ?? 'All clients', keyTable(s) + breakdown(s) + events);
    })
    .join('\n');
  return documentShell(`DORA weekly report ${report.week}`, `${header}\n${body}`);
}
