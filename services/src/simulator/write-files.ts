// Files land the way an SFTP upload should: written under a `.tmp` name, then renamed, so a reader
// never sees half a file. Each client uploads into its own folder, `<dir>/<client>/`.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SimulatedFile, type SimulationOptions, simulateFiles, type TimeInput } from './simulation.ts';

/** The folder a client's files go to. */
export function clientDir(dir: string, client: string): string {
  return join(dir, client);
}

/** Writes `content` to `path` atomically (same folder `.tmp`, then rename). */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Writes one simulated file into `<dir>/<client>/`; returns its path. */
export function writeSimulatedFile(dir: string, file: SimulatedFile): string {
  const folder = clientDir(dir, file.client);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, file.name);
  writeFileAtomic(path, file.content);
  return path;
}

/** Backfill: writes every file from `from` to `to` at once. Returns how many were written. */
export function backfill(
  dir: string,
  from: TimeInput,
  to: TimeInput,
  options: SimulationOptions = {},
): number {
  let written = 0;
  for (const file of simulateFiles(from, to, options)) {
    writeSimulatedFile(dir, file);
    written++;
  }
  return written;
}
