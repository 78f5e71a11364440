// `dss-obs alerts check FILE...`, `dss-obs alerts test FILE...`: Prometheus rule files checked and unit
// tested as `promtool check rules` / `promtool test rules` do. `dss-obs alerts check-config FILE`: an
// Alertmanager routing file and our dss-alerts.yml, with the tenant isolation check. `dss-obs alerts serve`:
// the evaluator, routing and notification sinks (see alerts/README.md). Exit code 1 when a file fails.

import { checkConfigCommand, checkRulesCommand, serveCommand, testRulesCommand } from '@dss/alerts/cli';
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
    .option('--metrics-port <port>', 'serve self-metrics on /metrics at this port')
    .option('--notifications <file>', "write every receiver's notifications to this file (JSON lines)")
    .action(
      async (options: {
        rules: string[];
        queryUrl: string;
        alertmanagerConfig: string;
        config: string;
        state: string;
        interval: string;
        metricsPort?: string;
        notifications?: string;
      }) => {
        process.exitCode = await serveCommand(options);
      },
    );
}
