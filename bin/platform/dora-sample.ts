// DORA in `dss-obs up` when no GitLab is configured: the seeded sample history (the same generator the GitLab
// fake of the tests serves) loaded into <data-dir>/dora.sqlite, and last week's report written beside it, so
// a newcomer sees the report a manager reads on Monday. With GitLab configured, `dss-obs dora sync` fills the
// same database from the real thing.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateHistory,
  isoWeekOf,
  loadDataset,
  loadHistory,
  openStore,
  previousIsoWeek,
  renderMarkdown,
  sampleConfig,
  weeklyReport,
} from '@dss/dora';

const DAY = 86_400_000;

export function writeSampleDoraReport(
  dataDir: string,
  now = Date.now(),
): { database: string; report: string; week: string } {
  const database = join(dataDir, 'dora.sqlite');
  const fresh = !existsSync(database);
  const store = openStore(database);
  try {
    if (fresh) {
      const start = new Date(Math.floor((now - 200 * DAY) / DAY) * DAY).toISOString();
      loadHistory(store, generateHistory({ start, days: 200 }), sampleConfig('https://gitlab.example.com'));
    }
    const week = previousIsoWeek(isoWeekOf(now, 'UTC'));
    const report = join(dataDir, 'dora', `${week}.md`);
    mkdirSync(join(dataDir, 'dora'), { recursive: true });
    writeFileSync(report, renderMarkdown(weeklyReport(loadDataset(store), { week, timeZone: 'UTC' })));
    return { database, report, week };
  } finally {
    store.close();
  }
}
