// Brings a database to the current schema version, or refuses it. Each migration runs in its own
// transaction together with the new user_version, so a failure leaves the database at the last
// version that completed.
import type Database from 'better-sqlite3';
import { APPLICATION_ID, MIGRATIONS, type Migration } from './schema.ts';

/** The database cannot be used by this collector: newer schema, or not a collector database. */
export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
}

export interface MigrationOutcome {
  from: number;
  to: number;
}

export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws StoreVersionError when the file is not a collector database or is newer than `latest`. */
export function checkSchemaVersion(db: Database.Database, file: string, latest: number): number {
  const version = schemaVersionOf(db);
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as {
      n: number;
    };
    if (tables.n > 0 && applicationId !== APPLICATION_ID) {
      throw new StoreVersionError(`${file} is an SQLite database, but not one of this collector's`);
    }
    return version;
  }
  if (applicationId !== APPLICATION_ID) {
    throw new StoreVersionError(
      `${file} is an SQLite database with application_id ${applicationId}, not one of this collector's`,
    );
  }
  if (version > latest) {
    throw new StoreVersionError(
      `${file} has schema version ${version}, newer than the version ${latest} this collector knows: ` +
        'run a newer collector, or point this one at another file',
    );
  }
  return version;
}

/**
 * `onUpgrade` is told of each migration about to run on a file that has data (not on a new file): one can
 * take a while on a large file (version 6 indexes every stored span), so the caller can say so.
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
  onUpgrade?: (migration: Migration) => void,
): MigrationOutcome {
  const latest = migrations.length;
  const from = checkSchemaVersion(db, file, latest);
  for (const migration of migrations.slice(from)) {
    if (from > 0) onUpgrade?.(migration);
    db.transaction(() => {
      // Another process may have upgraded the file since we looked: the write lock is ours now.
      if (schemaVersionOf(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: latest };
}
