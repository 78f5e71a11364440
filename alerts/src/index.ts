// The alerting service in one call: rule files evaluated against a Prometheus query API, alerts routed by an
// Alertmanager configuration and delivered to the sinks of dss-alerts.yml. `dss-obs alerts serve` and
// `dss-obs up` run it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRouting } from './dispatch/config.ts';
import { Dispatcher } from './dispatch/dispatcher.ts';
import { Evaluator } from './evaluation/evaluator.ts';
import { AlertStateStore } from './evaluation/state-store.ts';
import { receiverNotifier } from './notify/index.ts';
import { formatSourceError, loadRuleFile } from './rules/index.ts';
import type { RuleGroup } from './rules/types.ts';

export {
  ConfigError,
  checkTenantIsolation,
  loadRouting,
  parseAlertmanagerConfig,
  parseDssAlertsConfig,
} from './dispatch/config.ts';
export { Dispatcher, fingerprint, type Notification } from './dispatch/dispatcher.ts';
export { Evaluator, META_ALERT_LABELS, type NotifiableAlert } from './evaluation/evaluator.ts';
export { AlertStateStore } from './evaluation/state-store.ts';

export interface StartAlertsOptions {
  ruleFiles: string[];
  /** Base URL of the Prometheus HTTP API, e.g. http://127.0.0.1:3200. */
  queryUrl: string;
  /** The Alertmanager configuration file (routing, receivers, inhibit rules). */
  alertmanagerConfig: string;
  /** dss-alerts.yml: receiver → client and sink. */
  config: string;
  /** Replaces the file of every receiver's sink (dss-obs up: <data-dir>/alerts/notifications.jsonl). */
  notificationsFile?: string;
  /** The SQLite state file (created with its directory). */
  statePath: string;
  log?: (message: string) => void;
  /** Interval of rule groups that do not set one; default 1 m. */
  intervalMs?: number;
  /** Serve self-metrics on GET /metrics at this port (0: any free port); not served when undefined. */
  metricsPort?: number;
  metricsHost?: string;
  externalURL?: string;
  /** Sent with every query (e.g. `{ authorization: 'Bearer …' }` when the collector requires a token). */
  queryHeaders?: Record<string, string>;
}

export interface RunningAlerts {
  evaluator: Evaluator;
  dispatcher: Dispatcher;
  /** The port of the /metrics server, when started. */
  metricsPort: number | undefined;
  stop(): Promise<void>;
}

/** Loads and checks everything (throws ConfigError / Error with every problem), then starts evaluating. */
export async function startAlerts(options: StartAlertsOptions): Promise<RunningAlerts> {
  const log = options.log ?? ((m: string) => console.error(m));
  const groups: RuleGroup[] = [];
  const errors: string[] = [];
  for (const file of options.ruleFiles) {
    const parsed = loadRuleFile(file);
    errors.push(...parsed.errors.map(formatSourceError));
    groups.push(...parsed.groups);
  }
  if (errors.length > 0) throw new Error(`invalid rule files:\n${errors.join('\n')}`);
  const { alertmanager, dss } = loadRouting(
    options.alertmanagerConfig,
    options.config,
    options.notificationsFile,
  );
  const dispatcher = new Dispatcher({
    config: alertmanager,
    notify: receiverNotifier(alertmanager, dss, log),
    log,
    ...(options.externalURL ? { externalURL: options.externalURL } : {}),
  });
  const store = new AlertStateStore(options.statePath);
  let evaluator: Evaluator;
  try {
    evaluator = new Evaluator({
      groups,
      queryUrl: options.queryUrl,
      store,
      onAlerts: (alerts) => dispatcher.receive(alerts),
      log,
      ...(options.intervalMs ? { defaultIntervalMs: options.intervalMs } : {}),
      ...(options.externalURL ? { externalURL: options.externalURL } : {}),
      ...(options.queryHeaders ? { queryHeaders: options.queryHeaders } : {}),
    });
  } catch (error) {
    store.close();
    throw error;
  }
  let server: Server | undefined;
  let metricsPort: number | undefined;
  if (options.metricsPort !== undefined) {
    const registry = evaluator.registry;
    server = createServer((req, res) => {
      if (req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end('not found\n');
        return;
      }
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    });
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(options.metricsPort, options.metricsHost ?? '127.0.0.1', () => resolve());
    });
    metricsPort = (server.address() as AddressInfo).port;
  }
  evaluator.start();
  log(`alerts: evaluating ${groups.length} rule group(s) against ${options.queryUrl}`);
  return {
    evaluator,
    dispatcher,
    metricsPort,
    async stop() {
      await evaluator.stop();
      dispatcher.stop();
      store.close();
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
    },
  };
}
