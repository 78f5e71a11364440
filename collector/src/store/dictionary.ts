// Resources and scopes are stored once and referenced by id. A dictionary maps a row's content key to
// its id: from memory when seen before, else by inserting it (or finding the row another writer, or an
// earlier run, inserted) by the hash of its content.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** Entries kept in memory; past it the cache starts over (a busy collector sees a few hundred). */
const MAX_CACHED = 10_000;

export interface DictionaryRow {
  key: string;
}

export class Dictionary<Row extends DictionaryRow> {
  private readonly cache = new Map<string, number>();
  /** Ids learnt in the current transaction: forgotten if it rolls back, since the rows are gone. */
  private readonly uncommitted: string[] = [];
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement<[Buffer]>;
  private readonly values: (row: Row) => unknown[];

  /**
   * `columns` are the table's columns after `hash`; `values` gives them for a row, in that order.
   */
  constructor(
    db: Database.Database,
    table: string,
    columns: readonly string[],
    values: (row: Row) => unknown[],
  ) {
    const placeholders = columns.map(() => '?').join(', ');
    this.insert = db.prepare(
      `INSERT INTO ${table} (hash, ${columns.join(', ')}) VALUES (?, ${placeholders}) ON CONFLICT (hash) DO NOTHING`,
    );
    this.select = db.prepare(`SELECT id FROM ${table} WHERE hash = ?`).pluck() as Database.Statement<
      [Buffer]
    >;
    this.values = values;
  }

  /** The row's id, inserting it if needed. Call inside a transaction, then commit() or rollback(). */
  idOf(row: Row): number {
    const cached = this.cache.get(row.key);
    if (cached !== undefined) return cached;
    const hash = createHash('sha256').update(row.key).digest().subarray(0, 16);
    const inserted = this.insert.run(hash, ...this.values(row));
    const id = inserted.changes === 1 ? Number(inserted.lastInsertRowid) : (this.select.get(hash) as number);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(row.key, id);
    this.uncommitted.push(row.key);
    return id;
  }

  committed(): void {
    this.uncommitted.length = 0;
  }

  rolledBack(): void {
    for (const key of this.uncommitted) this.cache.delete(key);
    this.uncommitted.length = 0;
  }

  /** Forgets every id, e.g. after rows were deleted behind this dictionary's back. */
  clear(): void {
    this.cache.clear();
    this.uncommitted.length = 0;
  }
}
