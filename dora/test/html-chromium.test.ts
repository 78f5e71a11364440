// The HTML weekly report of the seeded sample history, rendered by headless Chromium: a screenshot that is a
// real picture (PNG of the window's size, not blank), and through the DevTools protocol every figure (each
// scope × each key) present, every chart drawn with non-zero geometry, and no horizontal overflow.
// Skipped (with a message) only when Chromium is absent and CI is not set; in CI a missing Chromium fails.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../src/metrics/load.ts';
import { renderHtml } from '../src/report/html/index.ts';
import { KEYS } from '../src/report/html/sections.ts';
import { weeklyReport } from '../src/report/weekly.ts';
import { generateHistory, sampleConfig } from '../src/sample/generator.ts';
import { loadHistory } from '../src/sample/load.ts';
import { openStore } from '../src/store/db.ts';
import { findChromium, openPage, pngInfo, screenshot } from './support/chromium.ts';

const chromium = findChromium();
if (!chromium && process.env.CI)
  throw new Error('CI is set but Chromium is missing: install the Debian package chromium (see .ci/run)');
if (!chromium)
  console.warn(
    'dora html-chromium tests SKIPPED: no chromium on PATH (apt-get install chromium); CI runs them',
  );

describe.skipIf(!chromium)('the HTML report in headless Chromium', () => {
  let dir: string;
  let url: string;
  const clients = ['aveiro', 'braga', 'coimbra'];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dora-chromium-report-'));
    // The same history as `dss-obs dora report --sample`.
    const db = openStore(':memory:');
    loadHistory(
      db,
      generateHistory({ start: '2026-06-01T00:00:00Z', days: 200 }),
      sampleConfig('https://gitlab.example.com'),
    );
    const report = weeklyReport(loadDataset(db), { week: '2026-W47', now: new Date('2026-11-23T07:00:00Z') });
    db.close();
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report));
    url = pathToFileURL(file).href;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders to a PNG of the window size that is not blank', async () => {
    const png = join(dir, 'report.png');
    await screenshot(chromium as string, url, png, 800, 2000);
    const info = pngInfo(readFileSync(png));
    expect({ width: info.width, height: info.height }).toEqual({ width: 800, height: 2000 });
    // A blank 800×2000 page compresses to a few kB and its pixels hold a handful of byte values.
    expect(statSync(png).size).toBeGreaterThan(50_000);
    expect(info.distinctBytes).toBeGreaterThan(100);
  });

  for (const width of [1024, 760, 500]) {
    it(`shows every figure and chart, with no horizontal overflow, at ${width} px`, async () => {
      const page = await openPage(chromium as string, url, width, 900);
      try {
        const dom = await page.evaluate<{
          innerWidth: number;
          scrollWidth: number;
          reportWidth: number;
          rows: { client: string; key: string; value: string; visible: boolean }[];
          charts: { chart: string; width: number; height: number; shapes: { w: number; h: number }[] }[];
          links: number;
          external: number;
        }>(`(() => {
          const rows = [...document.querySelectorAll('tr[data-key]')].map((tr) => {
            const v = tr.querySelector('[data-value]');
            const box = v.getBoundingClientRect();
            return { client: tr.dataset.client, key: tr.dataset.key, value: v.textContent, visible: box.width > 0 && box.height > 0 };
          });
          const charts = [...document.querySelectorAll('svg[data-chart]')].map((svg) => {
            const box = svg.getBoundingClientRect();
            const shapes = [...svg.querySelectorAll('rect, path')].map((e) => { const b = e.getBBox(); return { w: b.width, h: b.height }; });
            return { chart: svg.dataset.chart, width: box.width, height: box.height, shapes };
          });
          return {
            innerWidth: window.innerWidth,
            scrollWidth: document.documentElement.scrollWidth,
            reportWidth: document.getElementById('report').getBoundingClientRect().width,
            rows,
            charts,
            links: document.querySelectorAll('a[href^="https://gitlab.example.com/"]').length,
            external: performance.getEntriesByType('resource').length,
          };
        })()`);
        expect(dom.innerWidth).toBe(width);
        expect(dom.scrollWidth).toBeLessThanOrEqual(dom.innerWidth);
        expect(dom.reportWidth).toBeLessThanOrEqual(720);
        expect(dom.external).toBe(0);
        expect(dom.links).toBeGreaterThan(10);
        for (const client of ['all', ...clients])
          for (const key of KEYS) {
            const row = dom.rows.find((r) => r.client === client && r.key === key);
            expect(row, `${client} × ${key}`).toBeDefined();
            expect(row?.visible).toBe(true);
            expect(row?.value.trim()).not.toBe('');
            const chart = dom.charts.find((c) => c.chart === `${client}:${key}`);
            expect(chart, `chart ${client} × ${key}`).toBeDefined();
            expect(chart?.width).toBeGreaterThan(0);
            expect(chart?.height).toBeGreaterThan(0);
            expect(chart?.shapes.filter((s) => s.w > 0 && s.h > 0).length).toBeGreaterThanOrEqual(12);
          }
        expect(dom.rows).toHaveLength((clients.length + 1) * KEYS.length);
        for (const client of ['all', ...clients]) {
          const stages = dom.charts.find((c) => c.chart === `${client}:lead-time-stages`);
          expect(stages?.shapes.filter((s) => s.w > 0 && s.h > 0).length).toBeGreaterThan(1);
        }
      } finally {
        await page.close();
      }
    });
  }
});
