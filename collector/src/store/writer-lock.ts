// One writing collector per database file. Two would each keep their own in-memory state of the file (the
// metrics head and series catalog, the resource and scope ids) and corrupt each other's view, so the
// second one is refused at start with a message naming the first. The lock is a file beside the database
// (`<db>.lock`, holding the owner's pid and start time), taken with O_EXCL; a lock whose process is gone
// (a collector killed with SIGKILL) is taken over. Readers (`dss-obs collector stats`) need no lock.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

export interface WriterLock {
  readonly path: string;
  release(): void;
}

interface LockContent {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockContent | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockContent;
  } catch {
    return undefined;
  }
}

export function acquireWriterLock(dbPath: string): WriterLock {
  const path = `${dbPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const content: LockContent = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      writeSync(fd, `${JSON.stringify(content)}\n`);
      closeSync(fd);
      return {
        path,
        release() {
          if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLock(path);
      // Another host sharing the file system: its pid means nothing here, so never take its lock over.
      if (owner && (owner.host !== hostname() || alive(owner.pid))) {
        throw new DatabaseLockedError(
          `${dbPath} is in use by another collector (pid ${owner.pid} on ${owner.host}, since ${owner.since}); ` +
            `stop it, or use another --data file (lock: ${path})`,
        );
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new DatabaseLockedError(`cannot lock ${dbPath}: ${path} keeps appearing`);
}
