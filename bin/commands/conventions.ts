import { ATTRIBUTES, METRICS, renderConventionsMarkdown } from '@dss/instrumentation/conventions';
import type { Command } from 'commander';

export function registerConventionsCommand(program: Command): void {
  program
    .command('conventions')
    .description('print the DSS attribute and metric names (Markdown, or JSON with --json)')
    .option('--json', 'print JSON instead of Markdown')
    .action((options: { json?: boolean }) => {
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ attributes: ATTRIBUTES, metrics: METRICS }, null, 2)}\n`
          : renderConventionsMarkdown(),
      );
    });
}
