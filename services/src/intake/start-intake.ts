// The intake service: watches a client's upload folder, takes each sensor file exactly once, stores
// its readings in SQLite and moves it to processed/ or rejected/. See services/README.md.
//
// Exactly once: a file is identified by its content (sha256 and size). Its readings, quarantined rows
// and its entry in the files table are written in one transaction; only then is it moved. A crash
// before the commit leaves nothing stored (the file is taken again on restart); a crash after it
// leaves the entry with no `moved_at`, and on restart the same file is recognised and only moved.
import { createHash } from 'node:crypto';
import { createReadStream, type FSWatcher, type Stats, watch } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  createLogger,
  type Logger,
  recordPumpState,
  recordTankLevel,
  recordTankLevelLimits,
} from '@dss/instrumentation';
import {
  ATTR_DSS_INTAKE_OUTCOME,
  ATTR_DSS_INTAKE_REASON,
  ATTR_DSS_INTAKE_ROWS,
  ATTR_DSS_INTAKE_ROWS_QUARANTINED,
  ATTR_DSS_INTAKE_ROWS_STORED,
  ATTR_FILE_NAME,
  ATTR_FILE_SIZE,
  INTAKE_OUTCOME,
  type IntakeOutcome,
} from '@dss/instrumentation/conventions';
import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { type FileRecord, IntakeStore } from './store.ts';
import { intakeInstruments, intakeTracer } from './telemetry.ts';
import {
  type FileReason,
  type ParsedFile,
  parseCsvFile,
  type QuarantinedRow,
  type Reading,
} from './validate.ts';

export const PROCESSED_DIR = 'processed';
export const REJECTED_DIR = 'rejected';

/** Why a file could not be handled this time (it stays where it is and is tried again). */
export type ErrorReason = 'vanished' | 'unreadable' | 'store' | 'move';

export interface IntakeHooks {
  /** Before a file is read (tests remove it here). */
  beforeRead?: (path: string) => void | Promise<void>;
  /** Inside the store transaction, before the commit (tests crash here). */
  inTransaction?: (name: string) => void;
  /** After the commit, before the move (tests crash here). */
  afterCommit?: (record: FileRecord) => void | Promise<void>;
}

export interface IntakeOptions {
  /** The client's upload folder (the simulator's `<dir>/<client>`); processed/ and rejected/ go inside. */
  dir: string;
  /** The SQLite file (created with its folder). */
  dbPath: string;
  /** The client whose files these are: rows of another site are quarantined. */
  client: string;
  /** Full scans of the folder, besides fs.watch, so that nothing is missed. Default 5000 ms. */
  scanIntervalMs?: number;
  /** Use fs.watch (default true); the periodic scan alone also works. */
  watch?: boolean;
  /** Bigger files are rejected unread. Default 64 MiB. */
  maxFileBytes?: number;
  /** Tries before an unreadable file is moved to rejected/. Default 3. */
  maxAttempts?: number;
  /** Tank heights, for `dss.tank.fill_ratio` (recorded only for the tanks given). */
  tankCapacityMeters?: Readonly<Record<string, number>>;
  /**
   * Operating band of each tank, from the network configuration: recorded as `dss.tank.min_level` and
   * `dss.tank.max_level` at start and on every periodic scan (the alert rules compare levels with them).
   */
  tankLevelLimits?: Readonly<Record<string, { minM: number; maxM: number }>>;
  /** Default: the instrumentation's logger (pino, bridged to OTel logs). */
  logger?: Logger;
  /** Test hooks. */
  hooks?: IntakeHooks;
}

export interface IntakeStats {
  processed: number;
  rejected: number;
  duplicate: number;
  errors: number;
  rowsStored: number;
  rowsQuarantined: number;
}

export interface RunningIntake {
  /** Scans the folder now and resolves once every file found is handled. */
  scanNow(): Promise<void>;
  stats(): IntakeStats;
  /** The database (read it; the intake writes it). */
  readonly store: IntakeStore;
  /** Stops watching, finishes the file in hand, closes the database. */
  stop(): Promise<void>;
}

/** Names never taken: uploads in progress and hidden files. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || /\.(tmp|part|filepart)$/i.test(name);
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes beside the final name, then renames: a report is never seen half written. */
async function writeAtomic(path: string, content: string): Promise<void> {
  await writeFile(`${path}.tmp`, content);
  await rename(`${path}.tmp`, path);
}

/** `name`, or `stem.<sha12>.ext` (then with a counter) when the folder already has that name. */
async function freeName(folder: string, name: string, sha256: string): Promise<string> {
  if (!(await exists(join(folder, name)))) return name;
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 0; ; i++) {
    const candidate = `${stem}.${sha256.slice(0, 12)}${i === 0 ? '' : `-${i}`}${ext}`;
    if (!(await exists(join(folder, candidate)))) return candidate;
  }
}

function quarantineReport(name: string, rows: readonly QuarantinedRow[]): string {
  return rows.map((q) => `${name}:${q.line}: ${q.reason}: ${q.message}\n    ${q.raw}`).join('\n');
}

class Intake implements RunningIntake {
  readonly store: IntakeStore;
  readonly #options: IntakeOptions;
  readonly #log: Logger;
  readonly #queue = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #givenUp = new Set<string>();
  readonly #stats: IntakeStats = {
    processed: 0,
    rejected: 0,
    duplicate: 0,
    errors: 0,
    rowsStored: 0,
    rowsQuarantined: 0,
  };
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #stopping = false;
  #scanFailed = false;

  constructor(options: IntakeOptions) {
    this.#options = options;
    this.#log = options.logger ?? createLogger({ name: 'intake' });
    this.store = new IntakeStore(options.dbPath);
  }

  async start(): Promise<void> {
    const { dir } = this.#options;
    await mkdir(join(dir, PROCESSED_DIR), { recursive: true });
    await mkdir(join(dir, REJECTED_DIR), { recursive: true });
    await this.#reconcile();
    this.#watch();
    this.#recordLevelLimits();
    this.#timer = setInterval(() => {
      this.#recordLevelLimits();
      void this.#scan();
    }, this.#options.scanIntervalMs ?? 5000);
    this.#log.info({ dir, dbPath: this.#options.dbPath, client: this.#options.client }, 'intake started');
    await this.scanNow();
  }

  /** The tanks' operating bands, as gauges (recorded again on every periodic scan). */
  #recordLevelLimits(): void {
    for (const [tankId, band] of Object.entries(this.#options.tankLevelLimits ?? {})) {
      recordTankLevelLimits({ tankId, minMeters: band.minM, maxMeters: band.maxM });
    }
  }

  /** fs.watch on the folder; on failure (the folder removed...), the scans go on and re-arm it. */
  #watch(): void {
    if (!(this.#options.watch ?? true) || this.#watcher || this.#stopping) return;
    const { dir } = this.#options;
    try {
      const watcher = watch(dir, (_event, name) => {
        if (typeof name === 'string' && name !== '') this.#enqueue(name);
      });
      watcher.on('error', (error) => {
        this.#log.warn({ err: error, dir }, 'intake: watching the folder failed; periodic scans go on');
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = undefined;
      });
      this.#watcher = watcher;
    } catch (error) {
      this.#log.warn({ err: error, dir }, 'intake: cannot watch the folder; periodic scans go on');
    }
  }

  /** Entries whose move was not confirmed before a stop or crash: confirm those already moved. */
  async #reconcile(): Promise<void> {
    for (const record of this.store.pendingMoves()) {
      const folder = join(this.#options.dir, record.status === 'processed' ? PROCESSED_DIR : REJECTED_DIR);
      if (await exists(join(folder, record.destination))) {
        this.store.markMoved(record.id);
        this.#log.info({ file: record.name, id: record.id }, 'intake: move confirmed after restart');
      }
    }
  }

  stats(): IntakeStats {
    return { ...this.#stats };
  }

  async scanNow(): Promise<void> {
    await this.#scan();
    while (this.#draining) await this.#draining;
  }

  async #scan(): Promise<void> {
    if (this.#stopping) return;
    let names: string[];
    try {
      const entries = await readdir(this.#options.dir, { withFileTypes: true });
      names = entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
      if (this.#scanFailed) {
        this.#scanFailed = false;
        this.#log.info({ dir: this.#options.dir }, 'intake: the folder is back');
        // A watcher on a removed folder sees nothing any more: watch the new one.
        this.#watcher?.close();
        this.#watcher = undefined;
      }
      this.#watch();
    } catch (error) {
      if (!this.#scanFailed)
        this.#log.error({ err: error, dir: this.#options.dir }, 'intake: cannot list the folder');
      this.#scanFailed = true;
      return;
    }
    for (const name of names.sort()) this.#enqueue(name);
  }

  #enqueue(name: string): void {
    if (this.#stopping || isIgnoredName(name) || this.#givenUp.has(name)) return;
    this.#queue.add(name);
    this.#kick();
  }

  /** One drain at a time; a name queued while the last one was finishing starts the next. */
  #kick(): void {
    if (this.#draining) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#queue.size > 0 && !this.#stopping) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (!this.#stopping) {
      const next = this.#queue.values().next();
      if (next.done) return;
      this.#queue.delete(next.value);
      try {
        await this.#handle(next.value);
      } catch (error) {
        // #handle catches what it expects; anything else is a bug, never a crash of the service.
        this.#log.error({ err: error, file: next.value }, 'intake: unexpected failure');
      }
    }
  }

  async #handle(name: string): Promise<void> {
    const path = join(this.#options.dir, name);
    let before: Stats;
    try {
      before = await stat(path);
    } catch (error) {
      // Gone before we looked (our own move also wakes the watcher): nothing to do.
      if (errorCode(error) !== 'ENOENT') this.#error(name, 'unreadable', error);
      return;
    }
    if (!before.isFile()) return;
    const started = performance.now();
    await intakeTracer().startActiveSpan(
      'intake.file',
      { root: true, attributes: { [ATTR_FILE_NAME]: name, [ATTR_FILE_SIZE]: before.size } },
      async (span) => {
        let outcome: IntakeOutcome = INTAKE_OUTCOME.error;
        let reason: string | undefined;
        try {
          ({ outcome, reason } = await this.#take(name, path, before, span));
        } finally {
          span.setAttribute(ATTR_DSS_INTAKE_OUTCOME, outcome);
          if (reason) span.setAttribute(ATTR_DSS_INTAKE_REASON, reason);
          const instruments = intakeInstruments();
          instruments.fileDuration.record((performance.now() - started) / 1000, {
            [ATTR_DSS_INTAKE_OUTCOME]: outcome,
          });
          span.end();
        }
      },
    );
  }

  async #take(
    name: string,
    path: string,
    before: Stats,
    span: Span,
  ): Promise<{ outcome: IntakeOutcome; reason?: string }> {
    const { client, hooks } = this.#options;
    let content: Buffer | undefined;
    let sha256: string;
    try {
      await hooks?.beforeRead?.(path);
      if (before.size > (this.#options.maxFileBytes ?? 64 * 1024 * 1024)) sha256 = await sha256OfFile(path);
      else {
        content = await readFile(path);
        const after = await stat(path);
        if (after.size !== content.length || after.mtimeMs !== before.mtimeMs) {
          // Still being written by something that does not upload atomically: take it next time.
          this.#log.info({ file: name }, 'intake: file changed while read; will retry');
          return this.#retryLater(span);
        }
        sha256 = createHash('sha256').update(content).digest('hex');
      }
    } catch (error) {
      return this.#readFailed(name, path, error, span);
    }
    this.#failures.delete(name);
    const size = content?.length ?? before.size;

    const known = this.store.findByContent(sha256, size);
    if (known) return this.#alreadyKnown(name, known, span);

    const parsed: ParsedFile = content
      ? intakeTracer().startActiveSpan('intake.parse', (child) => {
          try {
            const result = parseCsvFile(content, client);
            child.setAttribute(ATTR_DSS_INTAKE_ROWS, result.ok ? result.rows : 0);
            return result;
          } finally {
            child.end();
          }
        })
      : { ok: false, reason: 'too-large', message: `file of ${size} bytes is over the limit` };

    const readings: Reading[] = parsed.ok ? parsed.readings : [];
    const quarantined: QuarantinedRow[] = parsed.ok ? parsed.quarantined : [];
    let rejectReason: FileReason | undefined;
    let rejectMessage: string | undefined;
    if (!parsed.ok) {
      rejectReason = parsed.reason;
      rejectMessage = parsed.message;
    } else if (readings.length === 0) {
      rejectReason = 'no-valid-row';
      rejectMessage =
        parsed.rows === 0 ? 'no data row after the header' : `none of the ${parsed.rows} rows is valid`;
    }
    const status = rejectReason ? 'rejected' : 'processed';
    const folder = join(this.#options.dir, status === 'processed' ? PROCESSED_DIR : REJECTED_DIR);
    span.setAttributes({
      [ATTR_DSS_INTAKE_ROWS]: parsed.ok ? parsed.rows : 0,
      [ATTR_DSS_INTAKE_ROWS_STORED]: readings.length,
      [ATTR_DSS_INTAKE_ROWS_QUARANTINED]: quarantined.length,
    });

    let record: FileRecord | undefined;
    try {
      const destination = await freeName(folder, name, sha256);
      record = intakeTracer().startActiveSpan('intake.store', (child) => {
        try {
          child.setAttribute(ATTR_DSS_INTAKE_ROWS_STORED, readings.length);
          return this.store.recordFile(
            {
              name,
              size,
              sha256,
              client,
              status,
              ...(rejectReason ? { reason: rejectReason } : {}),
              ...(rejectMessage ? { message: rejectMessage } : {}),
              rows: parsed.ok ? parsed.rows : 0,
              destination,
              readings,
              quarantined,
            },
            hooks?.inTransaction ? () => hooks.inTransaction?.(name) : undefined,
          );
        } catch (error) {
          child.recordException(error as Error);
          child.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          child.end();
        }
      });
    } catch (error) {
      this.#error(name, 'store', error, span);
      return { outcome: INTAKE_OUTCOME.error, reason: 'store' };
    }
    if (!record) {
      // Another intake on the same database recorded this content a moment ago.
      const winner = this.store.findByContent(sha256, size);
      return winner ? this.#alreadyKnown(name, winner, span) : this.#retryLater(span);
    }
    await hooks?.afterCommit?.(record);

    // The data is stored: what it says goes out now, whatever happens to the move.
    const instruments = intakeInstruments();
    for (const q of quarantined) instruments.rowsQuarantined.add(1, { [ATTR_DSS_INTAKE_REASON]: q.reason });
    this.#stats.rowsQuarantined += quarantined.length;
    if (quarantined.length > 0) {
      this.#log.warn(
        {
          file: name,
          quarantined: quarantined.length,
          first: quarantined.slice(0, 5).map((q) => `line ${q.line}: ${q.reason}: ${q.message}`),
        },
        'intake: rows quarantined',
      );
    }
    if (record.status === 'processed') {
      this.#recordReadings(readings);
      instruments.rowsStored.add(readings.length);
      this.#stats.rowsStored += readings.length;
    }

    if (!(await this.#move(record, span))) return { outcome: INTAKE_OUTCOME.error, reason: 'move' };
    return this.#finished(record);
  }

  /** Counts and logs a file once it is stored and moved. */
  #finished(record: FileRecord): { outcome: IntakeOutcome; reason?: string } {
    const files = intakeInstruments().files;
    if (record.status === 'rejected') {
      const reason = record.reason ?? 'unknown';
      files.add(1, { [ATTR_DSS_INTAKE_OUTCOME]: INTAKE_OUTCOME.rejected, [ATTR_DSS_INTAKE_REASON]: reason });
      this.#stats.rejected++;
      this.#log.warn(
        { file: record.name, id: record.id, reason, message: record.message },
        'intake: file rejected',
      );
      return { outcome: INTAKE_OUTCOME.rejected, reason };
    }
    files.add(1, { [ATTR_DSS_INTAKE_OUTCOME]: INTAKE_OUTCOME.processed });
    this.#stats.processed++;
    this.#log.info(
      {
        file: record.name,
        id: record.id,
        rows: record.rows,
        stored: record.rowsStored,
        quarantined: record.rowsQuarantined,
      },
      'intake: file processed',
    );
    return { outcome: INTAKE_OUTCOME.processed };
  }

  /** The same content was recorded before: finish an interrupted move, or set a re-upload aside. */
  async #alreadyKnown(
    name: string,
    known: FileRecord,
    span: Span,
  ): Promise<{ outcome: IntakeOutcome; reason?: string }> {
    if (known.movedAt === null && known.name === name) {
      // Stored, then the process stopped before the move: only the move is left to do.
      this.#log.info({ file: name, id: known.id }, 'intake: file already stored; finishing its move');
      span.setAttributes({
        [ATTR_DSS_INTAKE_ROWS]: known.rows,
        [ATTR_DSS_INTAKE_ROWS_STORED]: known.rowsStored,
        [ATTR_DSS_INTAKE_ROWS_QUARANTINED]: known.rowsQuarantined,
      });
      if (!(await this.#move(known, span))) return { outcome: INTAKE_OUTCOME.error, reason: 'move' };
      return this.#finished(known);
    }
    const folder = join(this.#options.dir, REJECTED_DIR);
    try {
      await mkdir(folder, { recursive: true });
      const destination = await freeName(folder, name, known.sha256);
      await writeAtomic(
        join(folder, `${destination}.reason.txt`),
        [
          `file: ${name}`,
          `reason: duplicate`,
          `same content (sha256 ${known.sha256}, ${known.size} bytes) as ${known.name}, file #${known.id}, received ${known.receivedAt} and ${known.status}; nothing stored again`,
          '',
        ].join('\n'),
      );
      await rename(join(this.#options.dir, name), join(folder, destination));
    } catch (error) {
      this.#error(name, 'move', error, span);
      return { outcome: INTAKE_OUTCOME.error, reason: 'move' };
    }
    intakeInstruments().files.add(1, {
      [ATTR_DSS_INTAKE_OUTCOME]: INTAKE_OUTCOME.duplicate,
      [ATTR_DSS_INTAKE_REASON]: 'duplicate',
    });
    this.#stats.duplicate++;
    this.#log.warn({ file: name, original: known.name, id: known.id }, 'intake: duplicate file set aside');
    return { outcome: INTAKE_OUTCOME.duplicate, reason: 'duplicate' };
  }

  /** Reports beside the file, then the rename; then the move is confirmed in the database. */
  async #move(record: FileRecord, span: Span): Promise<boolean> {
    const folder = join(this.#options.dir, record.status === 'processed' ? PROCESSED_DIR : REJECTED_DIR);
    return intakeTracer().startActiveSpan('intake.move', async (child) => {
      try {
        await mkdir(folder, { recursive: true });
        const quarantined = record.rowsQuarantined > 0 ? this.store.quarantinedRows(record.id) : [];
        if (record.status === 'rejected') {
          await writeAtomic(
            join(folder, `${record.destination}.reason.txt`),
            [
              `file: ${record.name}`,
              `reason: ${record.reason}`,
              `${record.message}`,
              ...(quarantined.length > 0 ? ['', 'rows:', quarantineReport(record.name, quarantined)] : []),
              '',
            ].join('\n'),
          );
        } else if (quarantined.length > 0) {
          await writeAtomic(
            join(folder, `${record.destination}.quarantine.txt`),
            `${quarantineReport(record.name, quarantined)}\n`,
          );
        }
        await rename(join(this.#options.dir, record.name), join(folder, record.destination));
        this.store.markMoved(record.id);
        return true;
      } catch (error) {
        child.recordException(error as Error);
        child.setStatus({ code: SpanStatusCode.ERROR });
        // Stored but not moved: the next scan finds it again and only moves it.
        this.#error(record.name, 'move', error, span);
        return false;
      } finally {
        child.end();
      }
    });
  }

  async #readFailed(
    name: string,
    path: string,
    error: unknown,
    span: Span,
  ): Promise<{ outcome: IntakeOutcome; reason?: string }> {
    if (errorCode(error) === 'ENOENT') {
      this.#error(name, 'vanished', error, span);
      return { outcome: INTAKE_OUTCOME.error, reason: 'vanished' };
    }
    this.#error(name, 'unreadable', error, span);
    const attempts = (this.#failures.get(name) ?? 0) + 1;
    this.#failures.set(name, attempts);
    if (attempts < (this.#options.maxAttempts ?? 3))
      return { outcome: INTAKE_OUTCOME.error, reason: 'unreadable' };
    // Still unreadable: set it aside with its reason rather than trying forever. Not recorded in the
    // database (its content is unknown); a readable re-upload is taken normally.
    this.#failures.delete(name);
    try {
      const folder = join(this.#options.dir, REJECTED_DIR);
      await mkdir(folder, { recursive: true });
      const destination = await freeName(folder, name, String(Date.now()));
      await writeAtomic(
        join(folder, `${destination}.reason.txt`),
        `file: ${name}\nreason: unreadable\n${(error as Error).message}\n`,
      );
      await rename(path, join(folder, destination));
      intakeInstruments().files.add(1, {
        [ATTR_DSS_INTAKE_OUTCOME]: INTAKE_OUTCOME.rejected,
        [ATTR_DSS_INTAKE_REASON]: 'unreadable',
      });
      this.#stats.rejected++;
      return { outcome: INTAKE_OUTCOME.rejected, reason: 'unreadable' };
    } catch (moveError) {
      this.#givenUp.add(name);
      this.#log.error(
        { err: moveError, file: name },
        'intake: cannot read nor move the file; leaving it until restart',
      );
      return { outcome: INTAKE_OUTCOME.error, reason: 'unreadable' };
    }
  }

  #retryLater(span: Span): { outcome: IntakeOutcome; reason?: string } {
    span.setAttribute(ATTR_DSS_INTAKE_REASON, 'changed');
    // Taken again by the next periodic scan.
    return { outcome: INTAKE_OUTCOME.error, reason: 'changed' };
  }

  #error(name: string, reason: ErrorReason, error: unknown, span?: Span): void {
    this.#stats.errors++;
    intakeInstruments().files.add(1, {
      [ATTR_DSS_INTAKE_OUTCOME]: INTAKE_OUTCOME.error,
      [ATTR_DSS_INTAKE_REASON]: reason,
    });
    if (span) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: `${reason}: ${(error as Error)?.message ?? error}`,
      });
    }
    const level = reason === 'vanished' ? 'warn' : 'error';
    this.#log[level]({ err: error, file: name, reason }, `intake: file ${reason}`);
  }

  /** The readings as DSS metrics, oldest first so that each gauge ends on the newest value. */
  #recordReadings(readings: readonly Reading[]): void {
    const usable = readings.filter((r) => r.quality !== 'BAD').sort((a, b) => a.timestampMs - b.timestampMs);
    const capacities = this.#options.tankCapacityMeters ?? {};
    const pumps = new Map<string, { pumpId: string; on?: boolean; speedHz?: number; powerKw?: number }>();
    let newest = Number.NEGATIVE_INFINITY;
    for (const r of usable) {
      newest = Math.max(newest, r.timestampMs);
      if (r.kind === 'level') {
        const capacity = capacities[r.asset];
        recordTankLevel({
          tankId: r.asset,
          levelMeters: r.value,
          ...(capacity === undefined ? {} : { capacityMeters: capacity }),
        });
      } else if (r.kind === 'run' || r.kind === 'speed' || r.kind === 'power') {
        const key = `${r.asset}@${r.timestampMs}`;
        let pump = pumps.get(key);
        if (!pump) {
          pump = { pumpId: r.asset };
          pumps.set(key, pump);
        }
        if (r.kind === 'run') pump.on = r.value === 1;
        else if (r.kind === 'speed') pump.speedHz = r.value;
        else pump.powerKw = r.value;
      }
    }
    // Map order is insertion order: by time, since the readings were sorted.
    for (const pump of pumps.values()) {
      if (pump.on === undefined) continue;
      recordPumpState({
        pumpId: pump.pumpId,
        on: pump.on,
        ...(pump.speedHz === undefined ? {} : { speedHz: pump.speedHz }),
        ...(pump.powerKw === undefined ? {} : { powerKw: pump.powerKw }),
      });
    }
    if (Number.isFinite(newest)) intakeInstruments().lastReading.record(newest / 1000);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#watcher?.close();
    clearInterval(this.#timer);
    while (this.#draining) await this.#draining;
    this.store.close();
    this.#log.info({ dir: this.#options.dir }, 'intake stopped');
  }
}

export async function startIntake(options: IntakeOptions): Promise<RunningIntake> {
  const intake = new Intake(options);
  try {
    await intake.start();
  } catch (error) {
    await intake.stop();
    throw error;
  }
  return intake;
}
