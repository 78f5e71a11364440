// @dss/dora: the four DORA keys (and the deployment rework rate) of the DSS team from GitLab.
export {
  type ClientConfig,
  ConfigError,
  type DoraConfig,
  loadConfig,
  type ProjectConfig,
  parseConfig,
} from './config.ts';
export type * from './gitlab-types.ts';
export { type BandTable, bandOf, DORA_2024 } from './metrics/bands.ts';
export { computeMetrics, distribution, type Metrics, prepare } from './metrics/compute.ts';
export { LOOKBACK_DAYS, loadDataset, reportDataset, reportRange } from './metrics/load.ts';
export type * from './metrics/model.ts';
export { isoWeekOf, isoWeekWindow, previousIsoWeek } from './metrics/time.ts';
export { renderHtml } from './report/html/index.ts';
export { renderMarkdown, type WeeklyReport, weeklyReport } from './report/weekly.ts';
export { generateHistory, sampleConfig } from './sample/generator.ts';
export { loadHistory } from './sample/load.ts';
export { type DoraServer, type ServeOptions, startDoraServer } from './serve/server.ts';
export { slackDigest } from './slack/digest.ts';
export { postToSlack, SlackError } from './slack/post.ts';
export { nextRun, parseSchedule, type Schedule } from './slack/schedule.ts';
export { type Db, openStore, SCHEMA_VERSION } from './store/db.ts';
export { GitlabClient, GitlabError } from './sync/client.ts';
export { SyncError, type SyncProgress, sync } from './sync/sync.ts';
