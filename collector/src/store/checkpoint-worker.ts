// The worker thread of checkpointer.ts: its own connection to the database, which copies committed WAL
// frames into the database file every `intervalMs` (PRAGMA wal_checkpoint(PASSIVE): it never waits for,
// nor blocks, the writer or readers) and reports each pass to the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointPass, CheckpointWorkerData } from './checkpointer.ts';

interface WalCheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

const port = parentPort;
if (!port) throw new Error('checkpoint-worker.ts runs as a worker thread (see checkpointer.ts)');
const { file, intervalMs } = workerData as CheckpointWorkerData;
const db = new Database(file, { fileMustExist: true, timeout: 5_000 });
// This connection only checkpoints: it must never checkpoint on its own account nor hold a snapshot.
db.pragma('wal_autocheckpoint = 0');
let lastLog = -1;

const timer = setInterval(() => {
  try {
    const started = performance.now();
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as WalCheckpointRow[];
    if (!row || (row.log === lastLog && row.log === row.checkpointed)) return;
    lastLog = row.log;
    const pass: CheckpointPass = {
      walPages: row.log,
      checkpointedPages: row.checkpointed,
      seconds: (performance.now() - started) / 1000,
    };
    port.postMessage({ type: 'pass', pass });
  } catch (error) {
    port.postMessage({ type: 'error', message: (error as Error).message });
  }
}, intervalMs);

port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.close();
});
