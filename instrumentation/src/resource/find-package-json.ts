import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface PackageInfo {
  name?: string;
  version?: string;
}

/**
 * The nearest package.json at or above `startDir`, as the service's own identity: its name is the
 * default `service.name`, its version the default `service.version`. Unreadable files are skipped.
 */
export function findPackageJson(startDir: string): PackageInfo | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as PackageInfo;
        return { name: parsed.name, version: parsed.version };
      } catch {
        // A broken package.json says nothing about the service; keep looking upwards.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where the service lives: the directory of the main script, else the working directory. */
export function serviceDirectory(): string {
  const main = process.argv[1];
  return main ? dirname(resolve(main)) : process.cwd();
}
