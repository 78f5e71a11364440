// `dss-obs alerts check FILE...`, `dss-obs alerts test FILE...`: Prometheus rule files checked and unit
// tested as `promtool check rules` / `promtool test rules` do. `dss-obs alerts check-config FILE`: an
// Alertmanager routing file and our dss-alerts.yml, with the tenant isolation check. `dss-obs alerts serve`:
// the evaluator, routing and notification sinks (see alerts/README.md). Exit code 1 when a file fails.

import {
  checkConfigCommand,
  checkRulesCommand,
  serveCommand,
  silenceAddCommand,
  silenceExpireCommand,
  silenceListCommand,
  testRulesCommand,
} from '@dss/alerts/cli';
import type { Command } from 'commander';

export function registerAlertsCommand(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('alert rules: check rule files, run rule unit tests, check routing, evaluate and notify');
  alerts
    .command('check')
    .description('validate Prometheus rule files (as promtool check rules)')
    .argument('<files...>', 'rule files')
    .action((files: string[]) => {
      process.exitCode = checkRulesCommand(files);
    });
  alerts
    .command('test')
    .description('run rule unit tests (promtool test rules format)')
    .argument('<files...>', 'rule test files')
    .action((files: string[]) => {
      process.exitCode = testRulesCommand(files);
    });
  alerts
    .command('check-config')
    .description('validate an Alertmanager routing file and its receivers (tenant isolation included)')
    .argument('<file>', 'Alertmanager configuration file')
    .option('--config <file>', 'receivers → client and sink (default: dss-alerts.yml next to FILE)')
    .action((file: string, options: { config?: string }) => {
      process.exitCode = checkConfigCommand(file, options.config);
    });
  alerts
    .command('serve')
    .description('evaluate rules against a Prometheus query API and route alerts to the sinks')
    .requiredOption('--rules <files...>', 'rule files')
    .requiredOption(
      '--query-url <url>',
      'Prometheus HTTP API base URL (the collector: http://127.0.0.1:3200)',
    )
    .requiredOption('--alertmanager-config <file>', 'Alertmanager configuration file (routes, receivers)')
    .requiredOption('--config <file>', 'dss-alerts.yml: receivers → client and sink')
    .requiredOption('--state <file>', 'SQLite file keeping alert state across restarts')
    .option('--interval <duration>', 'evaluation interval of groups that do not set one', '1m')
    .option('--port <port>', 'port of the alerts API (alerts, silences) and /metrics', '3400')
    .option('--host <host>', 'address to bind (token in $DSS_ALERTS_API_TOKEN)', '127.0.0.1')
    .option('--notifications <file>', "write every receiver's notifications to this file (JSON lines)")
    .action(
      async (options: {
        rules: string[];
        queryUrl: string;
        alertmanagerConfig: string;
        config: string;
        state: string;
        interval: string;
        port?: string;
        host?: string;
        notifications?: string;
      }) => {
        process.exitCode = await serveCommand(options);
      },
    );

  const silence = alerts
    .command('silence')
    .description('add, list and expire silences (the alerts API, or any Alertmanager)');
  const client = (c: Command) =>
    c.option(
      '--alertmanager.url <url>',
      'the alerts API or an Alertmanager (token in $DSS_ALERTS_API_TOKEN)',
      process.env.DSS_ALERTS_URL ?? 'http://127.0.0.1:3400',
    );
  const clientArgs = (o: Record<string, string>) => ({
    url: o['alertmanager.url'] ?? 'http://127.0.0.1:3400',
    ...(process.env.DSS_ALERTS_API_TOKEN ? { token: process.env.DSS_ALERTS_API_TOKEN } : {}),
  });
  client(
    silence
      .command('add')
      .description('silence the alerts matching every matcher, e.g. alertname=DSSJobFailed dss_client=north')
      .argument('<matchers...>', 'label matchers: name=value, name!=value, name=~regex, name!~regex')
      .option('-d, --duration <duration>', 'how long (ignored with --end)', '1h')
      .option('--start <time>', 'RFC 3339 start (default now)')
      .option('--end <time>', 'RFC 3339 end')
      .option('-a, --author <name>', 'who silences (default: your user name)')
      .requiredOption('-c, --comment <text>', 'why'),
  ).action(async (matchers: string[], o: Record<string, string>) => {
    process.exitCode = await silenceAddCommand({
      ...clientArgs(o),
      matchers,
      duration: o.duration ?? '1h',
      ...(o.start ? { start: o.start } : {}),
      ...(o.end ? { end: o.end } : {}),
      ...(o.author ? { author: o.author } : {}),
      ...(o.comment ? { comment: o.comment } : {}),
    });
  });
  client(
    silence
      .command('list')
      .alias('query')
      .description('list active and pending silences')
      .argument('[filter...]', 'only silences with matchers on these labels, e.g. dss_client=north')
      .option('--expired', 'show expired silences too')
      .option('--json', 'print JSON'),
  ).action(async (filter: string[], o: Record<string, string>) => {
    process.exitCode = await silenceListCommand({
      ...clientArgs(o),
      filter,
      expired: Boolean(o.expired),
      json: Boolean(o.json),
    });
  });
  client(
    silence.command('expire').description('end silences now').argument('<ids...>', 'silence ids'),
  ).action(async (ids: string[], o: Record<string, string>) => {
    process.exitCode = await silenceExpireCommand({ ...clientArgs(o), ids });
  });
}
