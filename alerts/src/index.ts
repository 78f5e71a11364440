// The alerting service in one call: rule files evaluated against a Prometheus query API, alerts routed by an
// Alertmanager configuration and delivered to the sinks of dss-alerts.yml. `dss-obs alerts serve` and
// `dss-obs up` run it.
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { alarmManagement } from './alarm-management/index.ts';
import { startAlertsApi } from './api/server.ts';
import { loadRouting } from './dispatch/config.ts';
import { Dispatcher } from './dispatch/dispatcher.ts';
import { Evaluator } from './evaluation/evaluator.ts';
import { AlertStateStore } from './evaluation/state-store.ts';
import { deliveryFailedAlert } from './notify/delivery-failed.ts';
import { createDelivery } from './notify/index.ts';
import { formatSourceError, loadRuleFile } from './rules/index.ts';
import type { RuleGroup } from './rules/types.ts';
import { Silences } from './silence/silences.ts';
import { openStateDatabase } from './state/database.ts';

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
export { Silences } from './silence/silences.ts';
export { openStateDatabase } from './state/database.ts';

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
  /**
   * Serve the alerts API (Alertmanager API v2 subset: alerts, silences, status) and /metrics at this port
   * (0: any free port); not served when undefined.
   */
  apiPort?: number;
  apiHost?: string;
  /** Require `Authorization: Bearer <token>` on the API. */
  apiToken?: string;
  /** Grafana's base URL, for the links in Slack messages (default $DSS_GRAFANA_URL). */
  grafanaUrl?: string;
  externalURL?: string;
  /** Sent with every query (e.g. `{ authorization: 'Bearer …' }` when the collector requires a token). */
  queryHeaders?: Record<string, string>;
}

export interface RunningAlerts {
  evaluator: Evaluator;
  dispatcher: Dispatcher;
  silences: Silences;
  /** The port of the API (and /metrics), when started. */
  apiPort: number | undefined;
  stop(): Promise<void>;
}

/** Loads and checks everything (throws ConfigError / Error with every problem), then starts evaluating. */
export async function startAlerts(options: StartAlertsOptions): Promise<RunningAlerts> {
  const log = options.log ?? ((m: string) => console.error(m));
  const grafanaUrl = options.grafanaUrl ?? process.env.DSS_GRAFANA_URL;
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
  // Everything that must survive a restart: rule state, silences, notification log, dispatcher alerts, outbox.
  const db = openStateDatabase(options.statePath);
  const closers: Array<() => unknown> = [() => db.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const silences = new Silences(db);
    const registry = new Registry();
    let dispatcher: Dispatcher | undefined;
    const delivery = createDelivery({
      alertmanager,
      dss,
      db,
      log,
      registry,
      render: {
        ...(grafanaUrl ? { grafanaUrl } : {}),
        ...(options.apiPort !== undefined
          ? { silenceApiUrl: `http://${options.apiHost ?? '127.0.0.1'}:${options.apiPort}` }
          : {}),
      },
      // A notification that cannot be delivered (permanent error, or retried too long) tells on-call.
      onDeadLetter: (row) => dispatcher?.receive([deliveryFailedAlert(row, Date.now())]),
    });
    closers.push(() => delivery.stop());
    // Flood summaries per channel and shelving of chattering alerts (ISA-18.2), around the delivery.
    const alarms = alarmManagement(dss.alarmManagement, {
      notify: delivery.notify,
      clientOf: (receiver) => dss.receivers.get(receiver)?.client,
      receivers: [...alertmanager.receivers.keys()],
      registry,
      db,
      ...(options.externalURL ? { externalURL: options.externalURL } : {}),
    });
    const d = new Dispatcher({
      config: alertmanager,
      notify: alarms.notify,
      log,
      db,
      silences,
      ...(alarms.shelves ? { shelves: alarms.shelves } : {}),
      ...(alarms.onActivated ? { onActivated: alarms.onActivated } : {}),
      ...(options.externalURL ? { externalURL: options.externalURL } : {}),
    });
    dispatcher = d;
    closers.push(() => d.stop());
    alarms.setReporter((alerts) => d.receive(alerts));
    const floodTimer = setInterval(() => alarms.floods?.tick(), 60_000);
    floodTimer.unref();
    closers.push(() => clearInterval(floodTimer));
    const evaluator = new Evaluator({
      groups,
      queryUrl: options.queryUrl,
      store: new AlertStateStore(db),
      registry,
      onAlerts: (alerts) => d.receive(alerts),
      log,
      ...(options.intervalMs ? { defaultIntervalMs: options.intervalMs } : {}),
      ...(options.externalURL ? { externalURL: options.externalURL } : {}),
      ...(options.queryHeaders ? { queryHeaders: options.queryHeaders } : {}),
    });
    closers.push(() => evaluator.stop());
    let apiPort: number | undefined;
    if (options.apiPort !== undefined) {
      const api = await startAlertsApi(
        {
          dispatcher: d,
          silences,
          registry,
          resolveTimeoutMs: alertmanager.resolveTimeoutMs,
          receivers: [...alertmanager.receivers.keys()],
          configText: readFileSync(options.alertmanagerConfig, 'utf8'),
          ...(options.apiToken ? { token: options.apiToken } : {}),
        },
        options.apiPort,
        options.apiHost,
      ).catch((error: Error) => {
        throw new Error(
          `alerts API: cannot listen on ${options.apiHost ?? '127.0.0.1'}:${options.apiPort}: ${error.message}`,
        );
      });
      apiPort = api.port;
      closers.push(() => api.close());
    }
    evaluator.start();
    log(`alerts: evaluating ${groups.length} rule group(s) against ${options.queryUrl}`);
    return { evaluator, dispatcher: d, silences, apiPort, stop: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
