// What a job run gets: its client's network, the intake database (read) and the workers' store.
import type { Logger } from '@dss/instrumentation';
import type { IntakeReader } from '../shared/intake-reader.ts';
import type { ClientNetworkConfig } from '../simulator/config.ts';
import type { JobName, WorkersStore } from './store.ts';

export interface JobContext {
  client: string;
  network: ClientNetworkConfig;
  intake: IntakeReader;
  store: WorkersStore;
  runId: string;
  log: Logger;
  /** Aborted when the run timed out or the workers stop: long work should give up. */
  signal: AbortSignal;
}

/** A job: returns a small JSON summary, stored with the run. */
export type JobFunction = (context: JobContext) => Promise<Record<string, unknown>>;

export type JobTable = Readonly<Record<JobName, JobFunction>>;
