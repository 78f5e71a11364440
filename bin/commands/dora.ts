// `dss-obs dora sync --config FILE [--db FILE]`: GitLab → SQLite (full, then incremental).
// `dss-obs dora report --week 2026-W47 [--client x] [--format md|json]`: the weekly DORA report.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ConfigError,
  generateHistory,
  loadConfig,
  loadDataset,
  loadHistory,
  openStore,
  renderMarkdown,
  type SyncProgress,
  sampleConfig,
  sync,
  weeklyReport,
} from '@dss/dora';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';

interface SyncOptions {
  config: string;
  db: string;
}

interface ReportOptions {
  week: string;
  client?: string;
  format: string;
  db: string;
  tz: string;
  out?: string;
  sample?: boolean;
  hotfixLabel: string;
}

export function registerDoraCommand(program: Command): void {
  const dora = program.command('dora').description('the four DORA keys from GitLab, and the weekly report');
  dora
    .command('sync')
    .description(
      'copy what the DORA keys need from GitLab into SQLite (full the first time, then incremental)',
    )
    .requiredOption('--config <file>', 'the DORA configuration (JSON: gitlab.url, gitlab.tokenEnv, clients)')
    .option('--db <file>', 'the SQLite database', '.data/dora.sqlite')
    .action(async (options: SyncOptions) => {
      const config = loadConfig(resolve(options.config));
      const tokenEnv = config.gitlab.tokenEnv ?? 'GITLAB_TOKEN';
      const token = process.env[tokenEnv];
      if (!token)
        throw new ConfigError(`the GitLab token is missing: set the environment variable ${tokenEnv}`);
      const tty = Boolean(process.stderr.isTTY);
      const bar = tty
        ? new cliProgress.SingleBar(
            {
              format: 'dora sync [{bar}] {value}/{total} projects | {project} {resource} {items}',
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let started = false;
      const onProgress = (p: SyncProgress): void => {
        const payload = { project: `${p.client}/${p.project}`, resource: p.resource, items: p.items };
        if (bar) {
          if (!started) bar.start(p.total, p.done, payload);
          started = true;
          bar.update(p.done, payload);
        } else
          process.stderr.write(
            `dora sync: ${p.done}/${p.total} ${payload.project} ${p.resource}: ${p.items}\n`,
          );
      };
      try {
        const result = await sync({ config, dbFile: resolve(options.db), token, onProgress });
        if (bar && started) bar.update(bar.getTotal());
        bar?.stop();
        const written = Object.entries(result.written)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        console.log(
          `dss-obs dora sync: ${result.requests} requests; upserted: ${written || 'nothing new'}; ${resolve(options.db)}`,
        );
      } catch (error) {
        bar?.stop();
        throw error;
      }
    });
  dora
    .command('report')
    .description('the weekly DORA report (per client and overall), as Markdown or JSON')
    .requiredOption('--week <week>', 'the ISO week, e.g. 2026-W47')
    .option('--client <name>', 'one client only')
    .option('--format <format>', 'md or json', 'md')
    .option('--db <file>', 'the SQLite database', '.data/dora.sqlite')
    .option('--tz <zone>', 'the time zone of the weeks (IANA)', 'UTC')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--hotfix-label <label>', 'MRs with this label are unplanned fixes (rework)', 'hotfix')
    .option('--sample', 'use the seeded sample history instead of the database')
    .action((options: ReportOptions) => {
      if (options.format !== 'md' && options.format !== 'json')
        throw new ConfigError(`--format must be md or json, not ${options.format}`);
      const db = options.sample ? openStore(':memory:') : null;
      if (db) {
        const config = sampleConfig('https://gitlab.example.com');
        loadHistory(db, generateHistory({ start: '2026-06-01T00:00:00Z', days: 200 }), config);
      } else if (!existsSync(resolve(options.db)))
        throw new ConfigError(
          `no DORA database at ${resolve(options.db)}: run dss-obs dora sync first (or --sample)`,
        );
      const store = db ?? openStore(resolve(options.db));
      try {
        const report = weeklyReport(loadDataset(store), {
          week: options.week,
          timeZone: options.tz,
          hotfixLabel: options.hotfixLabel,
          ...(options.client ? { client: options.client } : {}),
        });
        const text =
          options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report);
        if (options.out) writeFileSync(resolve(options.out), text);
        else process.stdout.write(text);
      } finally {
        store.close();
      }
    });
}
