// `dss-obs alerts check-config FILE [--config dss-alerts.yml]` and `dss-obs alerts serve …`.
import { dirname, join } from 'node:path';
import { ConfigError, loadRouting } from '../dispatch/config.ts';
import { parseModelDuration } from '../rules/durations.ts';
import { type CommandOutput, processOutput } from './output.ts';

/** Checks an Alertmanager file with our parser and the tenant isolation rule; exit code. */
export function checkConfigCommand(
  file: string,
  dssConfig?: string,
  out: CommandOutput = processOutput,
): number {
  const ours = dssConfig ?? join(dirname(file), 'dss-alerts.yml');
  out.stdout(`Checking ${file} (receivers: ${ours})\n`);
  try {
    const { alertmanager, dss } = loadRouting(file, ours);
    out.stdout(
      `  SUCCESS: ${alertmanager.receivers.size} receivers, ${alertmanager.inhibitRules.length} inhibit rules, ` +
        `${dss.receivers.size} sinks\n`,
    );
    return 0;
  } catch (error) {
    out.stderr(`  FAILED:\n${(error as Error).message}\n`);
    if (!(error instanceof ConfigError)) return 2;
    return 1;
  }
}

export interface ServeArgs {
  rules: string[];
  queryUrl: string;
  alertmanagerConfig: string;
  config: string;
  state: string;
  interval?: string;
  /** The alerts API and /metrics; default 3400. */
  port?: string;
  host?: string;
  /** Replaces every receiver's sink file. */
  notifications?: string;
}

/** Runs the evaluator and dispatcher until SIGINT/SIGTERM. */
export async function serveCommand(args: ServeArgs, out: CommandOutput = processOutput): Promise<number> {
  const { startAlerts } = await import('../index.ts');
  let intervalMs: number | undefined;
  if (args.interval !== undefined) {
    const ms = parseModelDuration(args.interval);
    if (typeof ms === 'string' || ms === 0) {
      out.stderr(`--interval: ${typeof ms === 'string' ? ms : 'must not be 0'}\n`);
      return 2;
    }
    intervalMs = ms;
  }
  const log = (m: string) => out.stderr(`${m}\n`);
  let running: Awaited<ReturnType<typeof startAlerts>>;
  try {
    running = await startAlerts({
      ruleFiles: args.rules,
      queryUrl: args.queryUrl,
      alertmanagerConfig: args.alertmanagerConfig,
      config: args.config,
      statePath: args.state,
      log,
      ...(args.notifications !== undefined ? { notificationsFile: args.notifications } : {}),
      ...(intervalMs ? { intervalMs } : {}),
      apiPort: args.port !== undefined ? Number(args.port) : 3400,
      ...(args.host !== undefined ? { apiHost: args.host } : {}),
      ...(process.env.DSS_ALERTS_API_TOKEN ? { apiToken: process.env.DSS_ALERTS_API_TOKEN } : {}),
    });
  } catch (error) {
    out.stderr(`${(error as Error).message}\n`);
    return 1;
  }
  if (running.apiPort !== undefined)
    log(
      `alerts: API (Alertmanager v2: alerts, silences) and /metrics on http://${args.host ?? '127.0.0.1'}:${running.apiPort}`,
    );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.stop();
  return 0;
}
