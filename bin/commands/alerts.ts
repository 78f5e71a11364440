// `dss-obs alerts check FILE...` and `dss-obs alerts test FILE...`: Prometheus rule files checked and unit
// tested as `promtool check rules` / `promtool test rules` do (see alerts/README.md). Exit code 1 when a
// file fails.

import { checkRulesCommand, testRulesCommand } from '@dss/alerts/cli';
import type { Command } from 'commander';

export function registerAlertsCommand(program: Command): void {
  const alerts = program.command('alerts').description('alert rules: check rule files, run rule unit tests');
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
}
