// The backend API as a server: startBackendApi({ port, host, tokens, workers, intakeDbPath, workersDbPath }).
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@dss/instrumentation';
import { IntakeReader } from '../shared/intake-reader.ts';
import { type ClientNetworkConfig, DEFAULT_NETWORK } from '../simulator/config.ts';
import type { RunningWorkers } from '../workers/start-workers.ts';
import { WorkersStore } from '../workers/store.ts';
import { createApp } from './app.ts';
import type { TokenMap } from './auth.ts';

export interface BackendApiOptions {
  /** 0: any free port (see `port` of the result). */
  port: number;
  host?: string;
  tokens: TokenMap;
  /** The workers of each client, in this process (POST /jobs triggers them). */
  workers: Readonly<Record<string, RunningWorkers>>;
  intakeDbPath: string;
  workersDbPath: string;
  /** The clients' networks; default: DEFAULT_NETWORK. */
  networks?: readonly ClientNetworkConfig[];
  logger?: Logger;
}

export interface RunningBackendApi {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function startBackendApi(options: BackendApiOptions): Promise<RunningBackendApi> {
  const log = options.logger ?? createLogger({ name: 'backend-api' });
  const intake = new IntakeReader(options.intakeDbPath);
  const store = new WorkersStore(options.workersDbPath);
  const networks = Object.fromEntries((options.networks ?? DEFAULT_NETWORK).map((n) => [n.client, n]));
  const app = createApp({ tokens: options.tokens, networks, workers: options.workers, intake, store, log });
  const host = options.host ?? '127.0.0.1';
  const server = app.listen(options.port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host, port }, 'backend api listening');
  return {
    port,
    url: `http://${host}:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      intake.close();
      store.close();
    },
  };
}
