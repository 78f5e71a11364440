// `dss-obs dashboards build --out DIR`: the DSS dashboards as Grafana JSON, with the data source and
// dashboard provisioning files that point a Grafana at the collector.
import { resolve } from 'node:path';
import { buildDashboards, writeGrafanaFiles } from '@dss/dashboards';
import type { Command } from 'commander';

interface BuildOptions {
  out: string;
  url: string;
  prometheusUrl?: string;
  tempoUrl?: string;
  lokiUrl?: string;
  tenant?: string;
  tokenEnv?: string;
}

export function registerDashboardsCommand(program: Command): void {
  const dashboards = program
    .command('dashboards')
    .description('Grafana dashboards as code and their provisioning');
  dashboards
    .command('build')
    .description('write the dashboards (JSON) and Grafana provisioning files into a folder')
    .option('--out <dir>', 'the folder to write into', 'grafana')
    .option('--url <url>', "the collector's query API", 'http://127.0.0.1:3200')
    .option('--prometheus-url <url>', 'at scale: Prometheus or Mimir (overrides --url for it)')
    .option('--tempo-url <url>', 'at scale: Tempo (overrides --url for it)')
    .option('--loki-url <url>', 'at scale: Loki (overrides --url for it)')
    .option('--tenant <client>', 'send X-Scope-OrgID: <client> (one Grafana organisation per client)')
    .option(
      '--token-env <name>',
      'send Authorization: Bearer $NAME (Grafana expands the environment variable NAME)',
    )
    .action((options: BuildOptions) => {
      const outDir = resolve(options.out);
      const written = writeGrafanaFiles({
        outDir,
        url: options.url,
        ...(options.prometheusUrl ? { prometheusUrl: options.prometheusUrl } : {}),
        ...(options.tempoUrl ? { tempoUrl: options.tempoUrl } : {}),
        ...(options.lokiUrl ? { lokiUrl: options.lokiUrl } : {}),
        ...(options.tenant ? { tenant: options.tenant } : {}),
        ...(options.tokenEnv ? { tokenEnv: options.tokenEnv } : {}),
      });
      const panels = buildDashboards().reduce((n, d) => n + d.panels.length, 0);
      console.log(`dss-obs dashboards: ${written.length} files, ${panels} panels, in ${outDir}`);
      for (const path of written) console.log(`  ${path}`);
      console.log('Grafana 11/12, with these files:');
      console.log(`  GF_PATHS_PROVISIONING=${resolve(outDir, 'provisioning')} grafana server`);
    });
}
