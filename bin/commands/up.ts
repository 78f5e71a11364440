// `dss-obs up` (what `npm start` runs): the platform on one machine. Today that is the collector —
// OTLP in, scrapes, SQLite store, the Tempo, Loki and Prometheus query APIs for Grafana; the DSS services
// with the simulator, alerts and DORA join it as their issues land.
import type { Command } from 'commander';
import { addServeOptions, type ServeOptions, serveCollector } from './collector.ts';

export function registerUpCommand(program: Command): void {
  addServeOptions(
    program
      .command('up')
      .description('run the platform on this machine: the collector with its store and query APIs'),
  ).action(async function (this: Command, options: ServeOptions) {
    await serveCollector(this, options, 'dss-obs up', (running, url) => [
      '',
      '  Grafana: add data sources (Connections > Data sources), no plugin needed:',
      `    Tempo  URL ${url(running.queryPort)}`,
      `    Loki   URL ${url(running.queryPort)}`,
      `    Prometheus URL ${url(running.queryPort)}`,
      '  Instrument a service:',
      `    OTEL_EXPORTER_OTLP_ENDPOINT=${url(running.grpcPort)} node --import @dss/instrumentation/register app.js`,
    ]);
  });
}
