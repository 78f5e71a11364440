// The real promtool (Debian's Prometheus 2.42) for cross-checks: tests skip without it, except in CI where
// its absence is an error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMTOOL = process.env.PROMTOOL_BINARY ?? '/usr/bin/promtool';

export const promtoolAvailable = existsSync(PROMTOOL);

if (!promtoolAvailable && process.env.CI) {
  throw new Error(`the rule cross-checks need ${PROMTOOL} (Debian's prometheus package)`);
}

export interface PromtoolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function promtool(args: string[], cwd?: string): PromtoolResult {
  const run = spawnSync(PROMTOOL, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status ?? -1, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

/** A fresh temporary directory with the given files written into it. */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dss-alerts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
