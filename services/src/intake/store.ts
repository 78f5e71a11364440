// The intake's SQLite database: the readings, the rows quarantined, and the files seen. The files
// table is what makes intake exactly-once: a file's content (sha256 and size) is recorded in the same
// transaction as its readings, so after a crash the readings are there with their file or neither is.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FileReason, QuarantinedRow, Reading } from './validate.ts';

export type FileStatus = 'processed' | 'rejected';

export interface FileRecord {
  id: number;
  name: string;
  size: number;
  sha256: string;
  client: string;
  status: FileStatus;
  reason: FileReason | null;
  message: string | null;
  rows: number;
  rowsStored: number;
  rowsQuarantined: number;
  /** The file's name in processed/ or rejected/. */
  destination: string;
  receivedAt: string;
  /** When the file was moved out of the intake folder; null while the move is pending. */
  movedAt: string | null;
}

export interface NewFile {
  name: string;
  size: number;
  sha256: string;
  client: string;
  status: FileStatus;
  reason?: FileReason;
  message?: string;
  rows: number;
  destination: string;
  readings: readonly Reading[];
  quarantined: readonly QuarantinedRow[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS files (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  client TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('processed', 'rejected')),
  reason TEXT,
  message TEXT,
  rows INTEGER NOT NULL,
  rows_stored INTEGER NOT NULL,
  rows_quarantined INTEGER NOT NULL,
  destination TEXT NOT NULL,
  received_at TEXT NOT NULL,
  moved_at TEXT,
  UNIQUE (sha256, size)
);
CREATE INDEX IF NOT EXISTS files_by_name ON files (name);
CREATE TABLE IF NOT EXISTS readings (
  file_id INTEGER NOT NULL REFERENCES files (id),
  client TEXT NOT NULL,
  tag TEXT NOT NULL,
  ts INTEGER NOT NULL,
  value REAL NOT NULL,
  quality TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS readings_by_tag_time ON readings (client, tag, ts);
CREATE INDEX IF NOT EXISTS readings_by_file ON readings (file_id);
CREATE TABLE IF NOT EXISTS quarantined_rows (
  file_id INTEGER NOT NULL REFERENCES files (id),
  file_name TEXT NOT NULL,
  line INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantined_by_file ON quarantined_rows (file_id);
`;

interface FileRow {
  id: number;
  name: string;
  size: number;
  sha256: string;
  client: string;
  status: FileStatus;
  reason: FileReason | null;
  message: string | null;
  rows: number;
  rows_stored: number;
  rows_quarantined: number;
  destination: string;
  received_at: string;
  moved_at: string | null;
}

const toRecord = (r: FileRow): FileRecord => ({
  id: r.id,
  name: r.name,
  size: r.size,
  sha256: r.sha256,
  client: r.client,
  status: r.status,
  reason: r.reason,
  message: r.message,
  rows: r.rows,
  rowsStored: r.rows_stored,
  rowsQuarantined: r.rows_quarantined,
  destination: r.destination,
  receivedAt: r.received_at,
  movedAt: r.moved_at,
});

export class IntakeStore {
  readonly db: Database.Database;
  readonly #byContent: Database.Statement<[string, number], FileRow>;
  readonly #byId: Database.Statement<[number], FileRow>;
  readonly #pendingMoves: Database.Statement<[], FileRow>;
  readonly #insertFile: Database.Statement;
  readonly #insertReading: Database.Statement;
  readonly #insertQuarantined: Database.Statement;
  readonly #markMoved: Database.Statement<[string, number]>;
  readonly #quarantinedOf: Database.Statement<[number], QuarantinedRow>;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a committed file survives a power cut, not only a killed process.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    this.#byContent = this.db.prepare('SELECT * FROM files WHERE sha256 = ? AND size = ?');
    this.#byId = this.db.prepare('SELECT * FROM files WHERE id = ?');
    this.#pendingMoves = this.db.prepare('SELECT * FROM files WHERE moved_at IS NULL ORDER BY id');
    this.#insertFile = this.db.prepare(`
      INSERT INTO files (name, size, sha256, client, status, reason, message, rows, rows_stored,
        rows_quarantined, destination, received_at)
      VALUES (@name, @size, @sha256, @client, @status, @reason, @message, @rows, @rowsStored,
        @rowsQuarantined, @destination, @receivedAt)`);
    this.#insertReading = this.db.prepare(
      'INSERT INTO readings (file_id, client, tag, ts, value, quality) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#insertQuarantined = this.db.prepare(
      'INSERT INTO quarantined_rows (file_id, file_name, line, reason, message, raw) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#markMoved = this.db.prepare('UPDATE files SET moved_at = ? WHERE id = ?');
    this.#quarantinedOf = this.db.prepare(
      'SELECT line, reason, message, raw FROM quarantined_rows WHERE file_id = ? ORDER BY line',
    );
  }

  /** The file already recorded with this content, if any. */
  findByContent(sha256: string, size: number): FileRecord | undefined {
    const row = this.#byContent.get(sha256, size);
    return row && toRecord(row);
  }

  get(id: number): FileRecord | undefined {
    const row = this.#byId.get(id);
    return row && toRecord(row);
  }

  /** Files stored whose move out of the intake folder has not been confirmed. */
  pendingMoves(): FileRecord[] {
    return this.#pendingMoves.all().map(toRecord);
  }

  /**
   * Records a file, its readings and its quarantined rows in one transaction. Returns undefined when
   * the same content was recorded meanwhile (another intake on the same database won the race).
   * `inTransaction` runs before the commit (tests use it to crash there).
   */
  recordFile(file: NewFile, inTransaction?: () => void): FileRecord | undefined {
    const run = this.db.transaction(() => {
      if (this.#byContent.get(file.sha256, file.size)) return undefined;
      const id = Number(
        this.#insertFile.run({
          name: file.name,
          size: file.size,
          sha256: file.sha256,
          client: file.client,
          status: file.status,
          reason: file.reason ?? null,
          message: file.message ?? null,
          rows: file.rows,
          rowsStored: file.readings.length,
          rowsQuarantined: file.quarantined.length,
          destination: file.destination,
          receivedAt: new Date().toISOString(),
        }).lastInsertRowid,
      );
      for (const r of file.readings) {
        this.#insertReading.run(id, file.client, r.tag, r.timestampMs, r.value, r.quality);
      }
      for (const q of file.quarantined) {
        this.#insertQuarantined.run(id, file.name, q.line, q.reason, q.message, q.raw);
      }
      inTransaction?.();
      return id;
    });
    // IMMEDIATE: take the write lock before reading, so two intakes cannot both see "not recorded".
    const id = run.immediate();
    return id === undefined ? undefined : this.get(id);
  }

  markMoved(id: number): void {
    this.#markMoved.run(new Date().toISOString(), id);
  }

  quarantinedRows(fileId: number): QuarantinedRow[] {
    return this.#quarantinedOf.all(fileId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
