// The weekly report (JSON and Markdown) over the sample history, and the `dss-obs dora` commands end to end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerDoraCommand } from '../../bin/commands/dora.ts';
import { loadDataset } from '../src/metrics/load.ts';
import { renderMarkdown, weeklyReport } from '../src/report/weekly.ts';
import { generateHistory, sampleConfig } from '../src/sample/generator.ts';
import { loadHistory } from '../src/sample/load.ts';
import { openStore } from '../src/store/db.ts';
import { type FakeGitlab, startFakeGitlab } from './support/gitlab-fake/server.ts';

const history = generateHistory({
  seed: 3,
  clients: ['aveiro', 'braga'],
  days: 120,
  start: '2026-08-01T00:00:00Z',
});

describe('the weekly report', () => {
  const db = openStore(':memory:');
  loadHistory(db, history, sampleConfig('https://gitlab.example.com', ['aveiro', 'braga']));
  const ds = loadDataset(db);
  db.close();

  it('has every key per client and overall, the previous week and a 12-week trend', () => {
    const report = weeklyReport(ds, { week: '2026-W40', now: new Date('2026-10-05T06:00:00Z') });
    expect(report.scopes.map((s) => s.client)).toEqual([null, 'aveiro', 'braga']);
    const all = report.scopes[0];
    expect(all?.trend.map((t) => t.week)).toEqual([
      '2026-W29',
      '2026-W30',
      '2026-W31',
      '2026-W32',
      '2026-W33',
      '2026-W34',
      '2026-W35',
      '2026-W36',
      '2026-W37',
      '2026-W38',
      '2026-W39',
      '2026-W40',
    ]);
    expect(all?.previous.window.start).toBe('2026-09-21T00:00:00.000Z');
    const sum = (i: number) => report.scopes.slice(1).reduce((s, x) => s + (x.trend[i]?.deployments ?? 0), 0);
    expect(all?.trend.map((t) => t.deployments)).toEqual(all?.trend.map((_, i) => sum(i)));
    expect(all?.metrics.deploymentFrequency.deployments).toBeGreaterThan(0);
    const md = renderMarkdown(report);
    for (const text of [
      '# DORA weekly report, 2026-W40 (UTC)',
      '## All clients',
      '## aveiro',
      '| Deployment frequency |',
      '| Lead time for changes (median, p90) |',
      '| Change failure rate |',
      '| Time to restore service (median) |',
      '| Failed deployment recovery (median) |',
      '| Deployment rework rate |',
      '### Deployments',
      'Lead time breakdown (medians): coding',
    ])
      expect(md).toContain(text);
    expect(md).toMatch(
      /\]\(https:\/\/gitlab\.example\.com\/dss\/aveiro\/[a-z_]+\/-\/(pipelines|jobs)\/\d+\)/,
    );
  });

  it('reports one client, and refuses an unknown one', () => {
    expect(weeklyReport(ds, { week: '2026-W40', client: 'braga' }).scopes.map((s) => s.client)).toEqual([
      'braga',
    ]);
    expect(() => weeklyReport(ds, { week: '2026-W40', client: 'porto' })).toThrow(/no such client.*porto/);
  });
});

describe('dss-obs dora', () => {
  let dir: string;
  let fake: FakeGitlab;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dora-cli-'));
    fake = await startFakeGitlab(history, { 'glpat-cli-secret': ['read_api'] });
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (...args: string[]): Promise<string> => {
    const program = new Command('dss-obs').exitOverride();
    registerDoraCommand(program);
    const lines: string[] = [];
    const log = vi
      .spyOn(console, 'log')
      .mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await program.parseAsync(['node', 'dss-obs', ...args]);
    } finally {
      log.mockRestore();
      err.mockRestore();
      out.mockRestore();
    }
    return lines.join('');
  };

  it('syncs with plain progress lines off a terminal, then reports as JSON', async () => {
    const config = join(dir, 'dora.json');
    const c = sampleConfig(fake.url, ['aveiro', 'braga']);
    c.gitlab.tokenEnv = 'DORA_TEST_TOKEN';
    writeFileSync(config, JSON.stringify(c));
    const db = join(dir, 'data', 'dora.sqlite');
    process.env.DORA_TEST_TOKEN = 'glpat-cli-secret';
    try {
      const output = await run('dora', 'sync', '--config', config, '--db', db);
      expect(output).toMatch(/dora sync: 0\/8 aveiro\/dbs pipelines: \d+/);
      expect(output).toMatch(/dss-obs dora sync: \d+ requests; upserted: .*merge_requests \d+/);
      expect(output).not.toContain('glpat-cli-secret');
      const out = join(dir, 'w40.json');
      await run(
        'dora',
        'report',
        '--week',
        '2026-W40',
        '--client',
        'aveiro',
        '--format',
        'json',
        '--db',
        db,
        '--out',
        out,
      );
      const report = JSON.parse(readFileSync(out, 'utf8'));
      expect(report.scopes[0].client).toBe('aveiro');
      expect(report.scopes[0].metrics.deploymentFrequency.deployments).toBeGreaterThan(0);
      // the same week computed from the sample loaded directly gives the same figures
      const mem = openStore(':memory:');
      loadHistory(mem, history, c);
      const direct = weeklyReport(loadDataset(mem), { week: '2026-W40', client: 'aveiro' });
      mem.close();
      expect(report.scopes[0].metrics).toEqual(JSON.parse(JSON.stringify(direct.scopes[0]?.metrics)));
    } finally {
      delete process.env.DORA_TEST_TOKEN;
    }
  });

  it('fails with one clear message when the token is missing or refused, or the week is wrong', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(
      config,
      JSON.stringify({ ...sampleConfig(fake.url), gitlab: { url: fake.url, tokenEnv: 'DORA_NOPE' } }),
    );
    await expect(run('dora', 'sync', '--config', config, '--db', join(dir, 'x.sqlite'))).rejects.toThrow(
      /set the environment variable DORA_NOPE/,
    );
    process.env.DORA_NOPE = 'glpat-wrong-secret';
    try {
      const error = await run('dora', 'sync', '--config', config, '--db', join(dir, 'x.sqlite')).catch(
        (e: Error) => e,
      );
      expect(String(error)).toMatch(/refused the token \(401/);
      expect(String(error)).not.toContain('glpat-wrong-secret');
    } finally {
      delete process.env.DORA_NOPE;
    }
    await expect(run('dora', 'report', '--week', '2026-47', '--sample')).rejects.toThrow(/not an ISO week/);
    await expect(
      run('dora', 'report', '--week', '2026-W47', '--db', join(dir, 'none.sqlite')),
    ).rejects.toThrow(/no DORA database.*dora sync first/);
  });
});
