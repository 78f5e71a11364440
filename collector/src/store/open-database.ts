// Opens (or creates) the collector's SQLite file with the settings the store relies on, and brings its
// schema to the current version.
//
// Durability: WAL with synchronous=NORMAL. A commit appends the transaction to the -wal file and
// returns without fsync; the bytes are in the operating system's page cache, which outlives the process.
// So a collector killed at any point (SIGKILL, a crash, OOM) loses nothing it committed: the next open
// replays the WAL. What it does not survive is the machine losing power or the kernel crashing before
// the OS flushed the WAL (a few seconds at most): the last transactions then roll back, and the
// database stays consistent. `synchronous: 'FULL'` fsyncs the WAL on every commit and survives that too,
// at the cost of one fsync per batch.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { checkSchemaVersion, type MigrationOutcome, migrate } from './migrate.ts';
import { MIGRATIONS, type Migration } from './schema.ts';

export interface OpenDatabaseOptions {
  /** 'NORMAL' (default) survives a killed process; 'FULL' also survives power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a statement waits for another connection's write lock before SQLITE_BUSY. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** false: refuse a database older than the current schema instead of upgrading it (read-only tools). */
  upgrade?: boolean;
  /** false: the file must already exist. Default true. */
  create?: boolean;
  /** For tests: a different list of migrations. */
  migrations?: readonly Migration[];
  /** Told of each migration about to upgrade a file that has data (see migrate.ts). */
  onUpgrade?: (migration: Migration) => void;
}

export interface OpenedDatabase {
  db: Database.Database;
  file: string;
  migration: MigrationOutcome;
}

/** Bytes of WAL kept after a checkpoint; a burst can grow the file, this lets it shrink back. */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;
/**
 * WAL pages after which a commit checkpoints (SQLite's default is 1000, 4 MiB), on a connection that
 * checkpoints for itself: the collector's writer does so only when the background checkpointer is not
 * running (checkpointer.ts; while it runs, four times this is the writer's backstop). Each checkpoint
 * fsyncs the WAL and the database file and copies every page written since the last one, once: 16384
 * pages (64 MiB at 4 KiB pages, the journal size limit) checkpoints a sixteenth as often as the default
 * under a steady ingest. Durability is unchanged: a commit is in the WAL either way (see above).
 */
export const WAL_AUTOCHECKPOINT_PAGES = 16_384;

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const create = options.create ?? true;
  if (create && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { fileMustExist: !create, timeout: options.busyTimeoutMs ?? 5_000 });
  try {
    if ((db.pragma('page_count', { simple: true }) as number) === 0) {
      // Only possible before the first table exists: lets retention hand freed pages back to the OS
      // a few at a time (PRAGMA incremental_vacuum) instead of a full VACUUM.
      db.pragma('auto_vacuum = INCREMENTAL');
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && file !== ':memory:') {
      throw new Error(`${file}: could not switch to WAL mode (journal_mode is ${String(mode)})`);
    }
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -32768'); // KiB: 32 MiB of page cache
    const migrations = options.migrations ?? MIGRATIONS;
    let migration: MigrationOutcome;
    if (options.upgrade === false) {
      const version = checkSchemaVersion(db, file, migrations.length);
      if (version < migrations.length) {
        throw new Error(
          `${file} has schema version ${version}, older than this collector's ${migrations.length}: ` +
            'start the collector on it once to upgrade it',
        );
      }
      migration = { from: version, to: version };
    } else {
      migration = migrate(db, file, migrations, options.onUpgrade);
    }
    return { db, file, migration };
  } catch (error) {
    db.close();
    throw error;
  }
}
