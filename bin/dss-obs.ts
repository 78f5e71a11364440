#!/usr/bin/env node
import { readFileSync } from 'node:fs';
// dss-obs: the platform's command line. One subcommand per component, each in bin/commands/.
// Exit codes: 0 ok, 1 failure, 2 bad usage.
import { Command, CommanderError } from 'commander';
import { registerAlertsCommand } from './commands/alerts.ts';
import { registerCollectorCommand } from './commands/collector.ts';
import { registerConventionsCommand } from './commands/conventions.ts';
import { registerDashboardsCommand } from './commands/dashboards.ts';
import { registerDoraCommand } from './commands/dora.ts';
import { registerUpCommand } from './commands/up.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('dss-obs')
  .description(
    'DSS Observability Platform: collector, DORA report, alerts and dashboards for the water-utility DSS.',
  )
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerUpCommand(program);
registerConventionsCommand(program);
registerCollectorCommand(program);
registerDashboardsCommand(program);
registerAlertsCommand(program);
registerDoraCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors with 2.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  process.stderr.write(`dss-obs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
