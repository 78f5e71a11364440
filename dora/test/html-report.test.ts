// The HTML weekly report's structure: every key of every scope with its band, change and 12-week chart, the
// event lists with GitLab links, self-containment (no scripts, no external requests) and escaping.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerDoraCommand } from '../../bin/commands/dora.ts';
import { loadDataset } from '../src/metrics/load.ts';
import { trendChart } from '../src/report/html/charts.ts';
import { esc, href } from '../src/report/html/escape.ts';
import { renderHtml } from '../src/report/html/index.ts';
import { change, KEYS } from '../src/report/html/sections.ts';
import { type WeeklyReport, weeklyReport } from '../src/report/weekly.ts';
import { generateHistory, sampleConfig } from '../src/sample/generator.ts';
import { loadHistory } from '../src/sample/load.ts';
import { openStore } from '../src/store/db.ts';

const db = openStore(':memory:');
loadHistory(
  db,
  generateHistory({ seed: 3, clients: ['aveiro', 'braga'], days: 120, start: '2026-08-01T00:00:00Z' }),
  sampleConfig('https://gitlab.example.com', ['aveiro', 'braga']),
);
const ds = loadDataset(db);
db.close();
const report = (): WeeklyReport =>
  weeklyReport(ds, { week: '2026-W40', now: new Date('2026-10-05T06:00:00Z') });

/** The fragments of `html` between `<tr data-client="c" data-key="k">` and its `</tr>`. */
const row = (html: string, client: string, key: string): string => {
  const start = html.indexOf(`<tr data-client="${client}" data-key="${key}">`);
  expect(start, `${client} × ${key}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</tr>', start));
};

describe('the HTML weekly report', () => {
  it('has every key for every scope, each with a value, a band cell, a change and a 12-bar chart', () => {
    const r = report();
    const html = renderHtml(r);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const client of ['all', 'aveiro', 'braga']) {
      expect(html).toContain(`data-scope="${client}"`);
      for (const key of KEYS) {
        const tr = row(html, client, key);
        expect(tr).toMatch(/<span data-value[^>]*>[^<]+<\/span>/);
        expect(tr).toMatch(/data-change="(up|down|same|none)"/);
        const svg = /<svg[^>]*data-chart="([^"]+)"[^>]*>(.*?)<\/svg>/.exec(tr);
        expect(svg?.[1]).toBe(`${client}:${key}`);
        expect(svg?.[2]?.match(/<rect /g)).toHaveLength(12);
        expect(svg?.[2]).toContain('<path d="M0 ');
      }
      expect(html).toContain(`data-chart="${client}:lead-time-stages"`);
    }
    // Bands where the 2024 report has them (rework has none): the rendered band is the computed one.
    const aveiro = r.scopes.find((s) => s.client === 'aveiro');
    const band = aveiro?.metrics.deploymentFrequency.band;
    expect(band).toBeTruthy();
    expect(row(html, 'aveiro', 'deployment-frequency')).toContain(`data-band="${band}"`);
    expect(row(html, 'aveiro', 'rework-rate')).not.toContain('data-band=');
    // The value shown is the metric's figure.
    expect(row(html, 'aveiro', 'deployment-frequency')).toContain(
      `${aveiro?.metrics.deploymentFrequency.deployments} deployments`,
    );
    // Lists only under the clients (the overall scope would repeat them), with GitLab links.
    expect(html.match(/data-list="deployments"/g)).toHaveLength(2);
    expect(html.match(/data-list="incidents"/g)).toHaveLength(2);
    const deployments = r.scopes.slice(1).reduce((n, s) => n + s.metrics.deployments.length, 0);
    expect(html.match(/<tr data-row="deployment">/g)).toHaveLength(deployments);
    expect(html).toMatch(
      /href="https:\/\/gitlab\.example\.com\/dss\/aveiro\/[a-z_]+\/-\/(pipelines|jobs)\/\d+"/,
    );
    expect(html).toMatch(/href="https:\/\/gitlab\.example\.com\/dss\/\w+\/[a-z_]+\/-\/merge_requests\/\d+"/);
  });

  it('is self-contained: no scripts, no external resources, every link absolute http(s) or #', () => {
    const html = renderHtml(report());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bon[a-z]+=/i);
    for (const [, url] of html.matchAll(/href="([^"]*)"/g))
      expect(url).toMatch(/^(https:\/\/gitlab\.example\.com\/|#$)/);
    expect(html).toContain('max-width:720px');
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('escapes every text it did not write, and refuses non-http links', () => {
    const r = report();
    const aveiro = r.scopes[1] as WeeklyReport['scopes'][number];
    aveiro.client = 'a"ve<iro>';
    const change0 = aveiro.metrics.changes[0];
    const deployment0 = aveiro.metrics.deployments[0];
    if (!change0 || !deployment0) throw new Error('the sample week should have changes and deployments');
    change0.title = '<script>alert(1)</script> & "quoted" \'single\'';
    deployment0.webUrl = 'javascript:alert(1)';
    deployment0.project = '<img src=x onerror=alert(1)>';
    const html = renderHtml(r);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;');
    expect(html).toContain('data-scope="a&quot;ve&lt;iro&gt;"');
    expect(html).toContain('a&quot;ve&lt;iro&gt;</h2>');
    expect(html).not.toContain('javascript:');
    expect(esc('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    expect(href('https://gitlab.example.com/a?b=1&c=2')).toBe('https://gitlab.example.com/a?b=1&amp;c=2');
    expect(href('data:text/html,x')).toBe('#');
  });

  it('shows the change against the previous week with ▲/▼, its sign, and whether it is better', () => {
    const fmt = (x: number) => String(x);
    expect(change({ now: 5, before: 3, format: fmt, higherIsBetter: true })).toMatch(
      /data-change="up" style="color:#1a7f37[^>]*>▲ \+2</,
    );
    expect(change({ now: 5, before: 3, format: fmt, higherIsBetter: false })).toMatch(
      /data-change="up" style="color:#cf222e[^>]*>▲ \+2</,
    );
    expect(change({ now: 1, before: 3.5, format: fmt, higherIsBetter: false })).toMatch(
      /data-change="down" style="color:#1a7f37[^>]*>▼ −2.5</,
    );
    expect(change({ now: 2, before: 2, format: fmt, higherIsBetter: true })).toContain('= 0');
    expect(change({ now: null, before: 2, format: fmt, higherIsBetter: true })).toContain(
      'data-change="none"',
    );
  });

  it('draws bars proportional to the values, a 1-pixel mark for weeks without data, this week darker', () => {
    const svg = trendChart('k', 'title', [
      { label: 'W1', value: 10, text: '10' },
      { label: 'W2', value: null, text: 'no data' },
      { label: 'W3', value: 5, text: '5' },
      { label: 'W4', value: 0, text: '0' },
    ]);
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([30, 1, 15, 1]);
    expect(svg.match(/fill="#0b57d0"/g)).toHaveLength(1);
    expect(svg).toContain('<title>W2: no data</title>');
    const empty = trendChart('k', 't', [{ label: 'W1', value: null, text: '–' }]);
    expect(empty).toContain('<path d="M0 31.5H120"');
  });

  it('is what `dss-obs dora report --format html` writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dora-html-'));
    try {
      const program = new Command('dss-obs').exitOverride();
      registerDoraCommand(program);
      const out = join(dir, 'w47.html');
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await program.parseAsync([
          'node',
          'dss-obs',
          'dora',
          'report',
          '--week',
          '2026-W47',
          '--sample',
          '--client',
          'braga',
          '--format',
          'html',
          '--out',
          out,
        ]);
      } finally {
        log.mockRestore();
      }
      const html = readFileSync(out, 'utf8');
      expect(html).toContain('<h1 style="font-size:22px;margin:0 0 4px">DORA weekly report 2026-W47</h1>');
      expect(html).toContain('data-scope="braga"');
      expect(html).not.toContain('data-scope="all"');
      await expect(
        program.parseAsync([
          'node',
          'dss-obs',
          'dora',
          'report',
          '--week',
          '2026-W47',
          '--sample',
          '--format',
          'pdf',
        ]),
      ).rejects.toThrow(/--format must be md, json or html/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
