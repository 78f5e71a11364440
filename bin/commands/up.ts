// `dss-obs up` (what `npm start` runs): the platform on one machine. The collector (OTLP in, scrapes,
// SQLite store, the Tempo, Loki and Prometheus query APIs for Grafana) in this process, and the DSS
// services beside it, each in its own process: the simulator writing two clients' SCADA files, and per
// client an intake and the backend API with its workers, exporting their telemetry to the collector; and the
// alert rules, evaluated against the collector, notifying to a file; and the DORA report of the sample
// history (no GitLab configured).
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAlerts } from '@dss/alerts';
import { startDoraServer } from '@dss/dora';
import { type Command, InvalidArgumentError } from 'commander';
import { writeSampleDoraReport } from '../platform/dora-sample.ts';
import { startDssServices } from '../platform/dss-services.ts';
import { freePorts } from '../platform/free-ports.ts';
import { startOperatorTraffic } from '../platform/operator-traffic.ts';
import { addServeOptions, type ServeOptions, serveCollector } from './collector.ts';

interface UpOptions extends ServeOptions {
  dataDir: string;
  services: boolean;
  accelerate: number;
  inject: string[];
  backfillHours: number;
  verbose?: boolean;
  apiPort: number;
  alerts: boolean;
  alertRules?: string[];
  dora: boolean;
  alertInterval?: number;
  alertsPort: number;
  doraPort: number;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function registerUpCommand(program: Command): void {
  addServeOptions(
    program
      .command('up')
      .description('run the platform on this machine: the collector, and the DSS services on simulated data')
      .option('--data-dir <dir>', 'where the platform keeps its files (collector, intake)', '.data')
      .option('--no-services', 'run the collector only')
      .option('--accelerate <n>', 'simulated seconds per real second', positiveNumber, 60)
      .option(
        '--inject <fault>',
        'a simulator fault, e.g. leak,client=north,tank=T1 (repeatable; services/README.md)',
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option('--backfill-hours <h>', 'hours of history the simulator writes at start', positiveNumber, 48)
      .option(
        '--api-port <port>',
        "the first client's backend API port (the next client gets the next)",
        positiveNumber,
        8080,
      )
      .option('--no-alerts', 'do not evaluate the alert rules')
      .option(
        '--alerts-port <port>',
        'port of the alerts API (Alertmanager v2: alerts, silences) and its /metrics (0: any free port)',
        (value: string) => {
          const n = Number(value);
          if (!Number.isInteger(n) || n < 0 || n > 65535)
            throw new InvalidArgumentError('expected a port number');
          return n;
        },
        3400,
      )
      .option('--no-dora', 'do not run DORA (the sample history, its report and dora serve)')
      .option(
        '--dora-port <port>',
        'port of the DORA API, report archive and /metrics (0: any free port)',
        portNumber,
        3300,
      )
      .option(
        '--alert-rules <file>',
        'rule files to evaluate instead of alerts/rules/dss.rules.yml (repeatable)',
        (value: string, previous: string[] = []) => [...previous, resolve(value)],
      )
      .option(
        '--alert-interval <seconds>',
        'evaluation interval of groups that set none (default 60)',
        positiveNumber,
      )
      .option('--verbose', "print the services' info logs too (they always reach the collector, for Loki)"),
  ).action(async function (this: Command, options: UpOptions) {
    const dataDir = resolve(options.dataDir);
    // The collector scrapes the alerts service's /metrics (evaluation, alarm rates, floods) for the dashboards:
    // its port must be known before the collector starts.
    const alertsPort =
      options.alerts && options.services && options.alertsPort === 0
        ? ((await freePorts(1))[0] ?? 0)
        : options.alertsPort;
    if (options.alerts && options.services)
      options.scrape = [...(options.scrape ?? []), `alerts=http://127.0.0.1:${alertsPort}/metrics`];
    // And DORA's gauges (the DORA dashboard, sync state on platform health).
    const doraPort =
      options.dora && options.doraPort === 0 ? ((await freePorts(1))[0] ?? 0) : options.doraPort;
    if (options.dora)
      options.scrape = [...(options.scrape ?? []), `dora=http://127.0.0.1:${doraPort}/metrics`];
    // --data keeps its meaning; by default the collector's file goes into the data directory.
    if (this.getOptionValueSource('data') === 'default') options.data = join(dataDir, 'collector.sqlite');
    let doraServer: Awaited<ReturnType<typeof startDoraServer>> | undefined;
    await serveCollector(this, options, 'dss-obs up', async (running, url) => {
      const lines = [
        '',
        '  Grafana: add data sources (Connections > Data sources), no plugin needed:',
        `    Tempo  URL ${url(running.queryPort)}`,
        `    Loki   URL ${url(running.queryPort)}`,
        `    Prometheus URL ${url(running.queryPort)}`,
        '  Instrument a service:',
        `    OTEL_EXPORTER_OTLP_ENDPOINT=${url(running.grpcPort)} node --import @dss/instrumentation/register app.js`,
      ];
      if (options.dora) {
        // Without a GitLab configured, the DORA report of the seeded sample history (dss-obs dora sync for the real one).
        const dora = writeSampleDoraReport(dataDir);
        lines.push(`  DORA: sample history in ${dora.database}; report of ${dora.week} in ${dora.report}`);
        doraServer = await startDoraServer({
          dbFile: dora.database,
          port: doraPort,
          log: (line) => console.log(`[dora] ${line}`),
        });
        lines.push(
          `  DORA API ${doraServer.url}: /api/v1/reports/${dora.week}.html (the weekly report), /api/v1/metrics, /metrics`,
        );
      }
      if (!options.services) return { lines, stop: async () => doraServer?.close() };
      const services = startDssServices({
        dataDir,
        otlpEndpoint: `http://127.0.0.1:${running.grpcPort}`,
        accelerate: options.accelerate,
        faults: options.inject ?? [],
        backfillHours: options.backfillHours,
        verbose: options.verbose ?? false,
        apiPort: options.apiPort,
      });
      lines.push(
        `  DSS services (${services.processes.map((p) => p.name).join(', ')}): simulator at ${options.accelerate}x, ` +
          `SCADA files in ${join(dataDir, 'intake')}, readings in ${join(dataDir, 'intake.sqlite')}`,
      );
      for (const [client, api] of Object.entries(services.apis))
        lines.push(`  Backend API (${client})  ${api}`);
      lines.push(
        `  API tokens in ${services.tokenFile}: curl -H "Authorization: Bearer <token>" <api>/clients/<client>/jobs`,
      );
      if ((options.inject ?? []).length > 0)
        lines.push(`  Injected faults: ${(options.inject ?? []).join('; ')}`);
      const traffic = startOperatorTraffic({ apis: services.credentials });
      lines.push('  Operator traffic: each client API is called every 5 s, as the DSS screens would');
      // The alert rules of alerts/, evaluated against the collector's Prometheus API, routed per client to a
      // file (and the console) unless Slack is configured in alerts/routing.
      const notifications = join(dataDir, 'alerts', 'notifications.jsonl');
      const alerts = options.alerts
        ? await startAlerts({
            ruleFiles: options.alertRules ?? [join(repoRoot, 'alerts/rules/dss.rules.yml')],
            ...(options.alertInterval ? { intervalMs: options.alertInterval * 1000 } : {}),
            queryUrl: url(running.queryPort),
            alertmanagerConfig: join(repoRoot, 'alerts/routing/dss.alertmanager.yml'),
            config: join(repoRoot, 'alerts/routing/dss-alerts.yml'),
            notificationsFile: notifications,
            statePath: join(dataDir, 'alerts', 'state.db'),
            apiPort: alertsPort,
            log: (message) => console.log(`[alerts] ${message}`),
          })
        : undefined;
      if (alerts)
        lines.push(
          `  Alerts: alerts/rules/dss.rules.yml every minute, notifications in ${notifications}`,
          `  Alerts API (Alertmanager v2: alerts, silences) ${url(alerts.apiPort ?? 0)}: dss-obs alerts silence add|list|expire`,
        );
      return {
        lines,
        stop: async () => {
          await doraServer?.close();
          traffic.stop();
          await alerts?.stop();
          await services.stop();
        },
      };
    });
  });
}
