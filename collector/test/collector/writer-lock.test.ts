// One writing collector per database file: a second is refused with a message naming the first; a lock
// left by a killed collector is taken over.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, startCollector } from '../../src/collector/index.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

describe('the writer lock', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => dir.remove());

  const start = (file: string) => startCollector({ dbPath: dir.file(file), grpcPort: 0, httpPort: 0 });

  it('refuses a second collector on the same file, and lets one start again after the first closed', async () => {
    const first = await start('shared.sqlite');
    const second = start('shared.sqlite');
    await expect(second).rejects.toBeInstanceOf(DatabaseLockedError);
    await expect(second).rejects.toThrow(new RegExp(`in use by another collector \\(pid ${process.pid}`));
    await first.close();
    const again = await start('shared.sqlite');
    await again.close();
  });

  it('takes over the lock of a collector that is gone', async () => {
    // pid 2^22+1 is above Linux's pid_max default: no such process.
    writeFileSync(
      dir.file('stale.sqlite.lock'),
      JSON.stringify({ pid: 4_194_305, host: (await import('node:os')).hostname(), since: 'then' }),
    );
    const collector = await start('stale.sqlite');
    await collector.close();
  });
});
