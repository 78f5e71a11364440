// Checkpoints the store's write-ahead log from a worker thread. A checkpoint copies the pages committed
// to the WAL into the database file and fsyncs both; run by the writer's connection (SQLite's
// wal_autocheckpoint), it stalls the event loop that receives exports and answers queries for as long as
// the disk takes, hundreds of milliseconds on a slow disk. From a second connection in a worker it runs
// beside the writer (PASSIVE: neither waits for the other) and the event loop only commits.
//
// The WAL file starts over once a checkpoint has copied all of it and the writer begins its next
// transaction. Under a sustained load the writer commits while every checkpoint runs, so that may not
// happen for a while: the writer's own wal_autocheckpoint stays on as a backstop at a higher threshold
// (BACKSTOP_AUTOCHECKPOINT_PAGES), where it only copies what the worker has not copied yet. If the
// worker fails, the writer goes back to checkpointing everything itself.
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { WAL_AUTOCHECKPOINT_PAGES } from './open-database.ts';

/** What the worker is given. */
export interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
}

/** One checkpoint that had something to copy. */
export interface CheckpointPass {
  /** Frames in the WAL when it started. */
  walPages: number;
  /** Frames of the WAL now in the database file. */
  checkpointedPages: number;
  seconds: number;
}

export interface CheckpointerOptions {
  /** Time between checkpoints. Default 1 s. */
  intervalMs?: number;
  onPass?: (pass: CheckpointPass) => void;
  /** A failed checkpoint, or the worker stopping by itself (the writer then checkpoints again). */
  onError?: (error: Error) => void;
}

/** The writer's wal_autocheckpoint while the worker runs: four times the usual threshold. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 4 * WAL_AUTOCHECKPOINT_PAGES;

type WorkerMessage = { type: 'pass'; pass: CheckpointPass } | { type: 'error'; message: string };

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;

  /** `writer` is the connection that commits; `file` its database file (not ':memory:'). */
  constructor(writer: Database.Database, file: string, options: CheckpointerOptions = {}) {
    const onError = options.onError ?? ((error: Error) => console.error('checkpointer:', error.message));
    const workerData: CheckpointWorkerData = { file, intervalMs: options.intervalMs ?? 1_000 };
    this.worker = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), {
      workerData,
      // It holds one connection and a timer: a small heap keeps its share of the process's memory small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    // The worker must not keep a stopping process alive between checkpoints.
    this.worker.unref();
    writer.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'pass') options.onPass?.(message.pass);
      else onError(new Error(`WAL checkpoint failed: ${message.message}`));
    });
    this.worker.on('error', (error) => onError(error));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (!this.stopping) {
          if (writer.open) writer.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
          onError(
            new Error(`the checkpoint worker stopped (exit code ${code}); the writer checkpoints itself`),
          );
        }
        resolve();
      });
    });
  }

  /** Stops the worker after its current checkpoint and closes its connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.worker.ref(); // or a process with nothing else left to do exits before the worker has closed
    this.worker.postMessage('stop');
    await this.exited;
  }
}
