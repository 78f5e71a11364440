// The alerts service keeps everything that must survive a restart in one SQLite file (better-sqlite3, WAL):
// rule state and history (evaluation/state-store.ts), silences (silence/), the notification log and the
// alerts of the aggregation groups (dispatch/), the outbox (notify/outbox/). Each part creates its own
// tables; sharing one file lets a notification's outbox row and its log entry commit in one transaction.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type StateDatabase = Database.Database;

export function openStateDatabase(file: string): StateDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A process crash loses nothing committed in WAL mode with NORMAL; only a power cut can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
