// `dss-obs dora sync --config FILE [--db FILE]`: GitLab → SQLite (full, then incremental).
// `dss-obs dora report --week 2026-W47 [--client x] [--format md|json]`: the weekly DORA report.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ConfigError,
  generateHistory,
  LOOKBACK_DAYS,
  loadConfig,
  loadHistory,
  openStore,
  parseSchedule,
  renderHtml,
  renderMarkdown,
  reportDataset,
  type ServeOptions,
  type SyncProgress,
  sampleConfig,
  startDoraServer,
  sync,
  weeklyReport,
} from '@dss/dora';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';

interface SyncOptions {
  config: string;
  db: string;
}

interface ServeCliOptions {
  port: string;
  host: string;
  db: string;
  config?: string;
  sample?: boolean;
  syncInterval: string;
  webhookSecretEnv: string;
  debounce: string;
  tz: string;
  metricsWindowDays: string;
  slackWebhookEnv?: string;
  slackSchedule: string;
  slackTz: string;
  publicUrl?: string;
}

const positive = (name: string, value: string, allowZero = false): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    throw new ConfigError(
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not ${value}`,
    );
  return n;
};

interface ReportOptions {
  week: string;
  client?: string;
  format: string;
  db: string;
  tz: string;
  out?: string;
  sample?: boolean;
  hotfixLabel: string;
  lookbackDays: string;
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
    .description('the weekly DORA report (per client and overall), as Markdown, JSON or HTML')
    .requiredOption('--week <week>', 'the ISO week, e.g. 2026-W47')
    .option('--client <name>', 'one client only')
    .option('--format <format>', 'md, json or html', 'md')
    .option('--db <file>', 'the SQLite database', '.data/dora.sqlite')
    .option('--tz <zone>', 'the time zone of the weeks (IANA)', 'UTC')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--hotfix-label <label>', 'MRs with this label are unplanned fixes (rework)', 'hotfix')
    .option('--sample', 'use the seeded sample history instead of the database')
    .option(
      '--lookback-days <days>',
      'read changes merged, and failures found, this long around the report weeks',
      String(LOOKBACK_DAYS),
    )
    .action((options: ReportOptions) => {
      if (!['md', 'json', 'html'].includes(options.format))
        throw new ConfigError(`--format must be md, json or html, not ${options.format}`);
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
        // Only the rows the report needs: its 13 weeks ± the lookback (not the whole history).
        const ds = reportDataset(store, options.week, options.tz, {
          lookbackDays: positive('--lookback-days', options.lookbackDays),
          ...(options.client ? { client: options.client } : {}),
        });
        const report = weeklyReport(ds, {
          week: options.week,
          timeZone: options.tz,
          hotfixLabel: options.hotfixLabel,
          ...(options.client ? { client: options.client } : {}),
        });
        const text =
          options.format === 'json'
            ? `${JSON.stringify(report, null, 2)}\n`
            : options.format === 'html'
              ? renderHtml(report)
              : renderMarkdown(report);
        if (options.out) writeFileSync(resolve(options.out), text);
        else process.stdout.write(text);
      } finally {
        store.close();
      }
    });
  dora
    .command('serve')
    .description(
      'serve the DORA keys: REST API, archived weekly reports, Prometheus /metrics, GitLab webhooks and periodic sync',
    )
    .option('--port <port>', 'the HTTP port (0 = any free one)', '3300')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--db <file>', 'the SQLite database', '.data/dora.sqlite')
    .option(
      '--config <file>',
      'the DORA configuration: sync from GitLab at start, periodically and on webhooks',
    )
    .option('--sample', 'serve the seeded sample history (in memory) instead of a database')
    .option(
      '--sync-interval <minutes>',
      'minutes between full syncs (0 = only at start and on webhooks)',
      '15',
    )
    .option(
      '--webhook-secret-env <name>',
      'the environment variable holding the GitLab webhook secret (X-Gitlab-Token)',
      'GITLAB_WEBHOOK_SECRET',
    )
    .option('--debounce <seconds>', 'quiet time after a webhook before syncing its project', '5')
    .option('--tz <zone>', 'the time zone of the weeks (IANA)', 'UTC')
    .option('--metrics-window-days <days>', 'the trailing window of the /metrics gauges', '28')
    .option(
      '--slack-webhook-env <name>',
      'post the weekly digest to the Slack Incoming Webhook whose URL is in this environment variable',
    )
    .option('--slack-schedule <when>', 'when the digest goes out (weekday and local time)', 'MON 08:00')
    .option(
      '--slack-tz <zone>',
      'the time zone of --slack-schedule (default: this machine’s)',
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    )
    .option('--public-url <url>', 'where this server is reachable, for links in the digest')
    .action(async (options: ServeCliOptions) => {
      if (options.config && options.sample) throw new ConfigError('use --config or --sample, not both');
      const config = options.config ? loadConfig(resolve(options.config)) : undefined;
      let token: string | undefined;
      if (config) {
        const tokenEnv = config.gitlab.tokenEnv ?? 'GITLAB_TOKEN';
        token = process.env[tokenEnv];
        if (!token)
          throw new ConfigError(`the GitLab token is missing: set the environment variable ${tokenEnv}`);
      } else if (!options.sample && !existsSync(resolve(options.db)))
        throw new ConfigError(
          `no DORA database at ${resolve(options.db)}: run dss-obs dora sync first, or give --config or --sample`,
        );
      const webhookSecret = process.env[options.webhookSecretEnv] || undefined;
      let slack: ServeOptions['slack'];
      if (options.slackWebhookEnv) {
        const webhookUrl = process.env[options.slackWebhookEnv];
        if (!webhookUrl || !/^https?:\/\//.test(webhookUrl))
          throw new ConfigError(
            `the Slack webhook URL is missing: set the environment variable ${options.slackWebhookEnv}`,
          );
        let schedule: ReturnType<typeof parseSchedule>;
        try {
          schedule = parseSchedule(options.slackSchedule, options.slackTz);
        } catch (error) {
          throw new ConfigError(`--slack-schedule/--slack-tz: ${(error as Error).message}`);
        }
        slack = { webhookUrl, schedule, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) };
      }
      const server = await startDoraServer({
        dbFile: options.sample ? ':memory:' : resolve(options.db),
        ...(config ? { config } : {}),
        ...(token ? { token } : {}),
        ...(options.sample ? { sample: true } : {}),
        ...(webhookSecret ? { webhookSecret } : {}),
        ...(slack ? { slack } : {}),
        port: positive('--port', options.port, true),
        host: options.host,
        syncIntervalMs: positive('--sync-interval', options.syncInterval, true) * 60_000,
        debounceMs: positive('--debounce', options.debounce, true) * 1000,
        timeZone: options.tz,
        metricsWindowDays: positive('--metrics-window-days', options.metricsWindowDays),
        log: (line) => console.log(line),
      });
      console.log(
        `dss-obs dora serve: ${server.url} (${config ? `GitLab ${config.gitlab.url}` : options.sample ? 'sample history' : resolve(options.db)}; ` +
          `webhooks ${webhookSecret ? 'on' : `off: set ${options.webhookSecretEnv}`}; ` +
          `Slack digest ${slack ? `${options.slackSchedule} ${options.slackTz}` : 'off'})`,
      );
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
