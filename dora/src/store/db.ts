// The SQLite store of what the DORA computation needs from GitLab. Instants are epoch milliseconds (UTC).
// Migrations are numbered; `PRAGMA user_version` holds the last applied one. Rows are upserted by GitLab id.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const MIGRATIONS: string[] = [
  // 1: the first schema.
  `CREATE TABLE projects (
     id INTEGER PRIMARY KEY, client TEXT NOT NULL, path TEXT NOT NULL, path_with_namespace TEXT NOT NULL,
     web_url TEXT NOT NULL, default_branch TEXT NOT NULL,
     deploy TEXT NOT NULL DEFAULT '{"type":"none"}', ships TEXT NOT NULL DEFAULT '[]');
   CREATE TABLE deployments (
     id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, iid INTEGER, sha TEXT NOT NULL, ref TEXT,
     status TEXT NOT NULL, environment TEXT, tier TEXT, created_at INTEGER NOT NULL, finished_at INTEGER,
     updated_at INTEGER NOT NULL, web_url TEXT);
   CREATE INDEX deployments_project ON deployments(project_id, finished_at);
   CREATE TABLE pipelines (
     id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, sha TEXT NOT NULL, ref TEXT NOT NULL,
     status TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, web_url TEXT);
   CREATE INDEX pipelines_project ON pipelines(project_id, updated_at);
   CREATE TABLE merge_requests (
     id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, iid INTEGER NOT NULL, title TEXT NOT NULL,
     state TEXT NOT NULL, author TEXT, labels TEXT NOT NULL DEFAULT '[]', created_at INTEGER NOT NULL,
     merged_at INTEGER, updated_at INTEGER NOT NULL, merge_commit_sha TEXT, squash_commit_sha TEXT,
     first_commit_at INTEGER, first_review_at INTEGER, web_url TEXT);
   CREATE INDEX merge_requests_project ON merge_requests(project_id, merged_at);
   CREATE TABLE mr_commits (
     mr_id INTEGER NOT NULL, sha TEXT NOT NULL, authored_at INTEGER NOT NULL, PRIMARY KEY (mr_id, sha));
   CREATE TABLE commits (
     project_id INTEGER NOT NULL, sha TEXT NOT NULL, committed_at INTEGER NOT NULL, title TEXT, web_url TEXT,
     PRIMARY KEY (project_id, sha));
   CREATE TABLE incidents (
     id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, iid INTEGER NOT NULL, title TEXT NOT NULL,
     description TEXT, state TEXT NOT NULL, created_at INTEGER NOT NULL, closed_at INTEGER,
     updated_at INTEGER NOT NULL, labels TEXT NOT NULL DEFAULT '[]', web_url TEXT);
   CREATE TABLE sync_cursors (
     project_id INTEGER NOT NULL, resource TEXT NOT NULL, updated_after INTEGER NOT NULL,
     PRIMARY KEY (project_id, resource));`,
  // 2: deployment jobs (deploy.type = job).
  `CREATE TABLE jobs (
     id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, pipeline_id INTEGER, stage TEXT NOT NULL,
     name TEXT NOT NULL, ref TEXT NOT NULL, sha TEXT NOT NULL, status TEXT NOT NULL, started_at INTEGER,
     finished_at INTEGER, web_url TEXT);
   CREATE INDEX jobs_project ON jobs(project_id, stage);`,
  // 3: published weekly reports (dora serve), kept as they were first rendered after the week ended.
  `CREATE TABLE reports (
     week TEXT NOT NULL, client TEXT NOT NULL DEFAULT '', time_zone TEXT NOT NULL, format TEXT NOT NULL,
     content_type TEXT NOT NULL, body TEXT NOT NULL, published_at INTEGER NOT NULL,
     PRIMARY KEY (week, client, time_zone, format));`,
  // 4: reading a report's range of incidents and jobs by index (metrics/load.ts).
  `CREATE INDEX incidents_created ON incidents(project_id, created_at);
   CREATE INDEX incidents_closed ON incidents(project_id, closed_at);
   CREATE INDEX jobs_finished ON jobs(project_id, stage, finished_at);`,
];

export function openStore(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface ProjectRow {
  id: number;
  client: string;
  path: string;
  path_with_namespace: string;
  web_url: string;
  default_branch: string;
  deploy: string;
  ships: string;
}
export interface DeploymentRow {
  id: number;
  project_id: number;
  iid: number | null;
  sha: string;
  ref: string | null;
  status: string;
  environment: string | null;
  tier: string | null;
  created_at: number;
  finished_at: number | null;
  updated_at: number;
  web_url: string | null;
}
export interface PipelineRow {
  id: number;
  project_id: number;
  sha: string;
  ref: string;
  status: string;
  created_at: number;
  updated_at: number;
  web_url: string | null;
}
export interface MergeRequestRow {
  id: number;
  project_id: number;
  iid: number;
  title: string;
  state: string;
  author: string | null;
  labels: string;
  created_at: number;
  merged_at: number | null;
  updated_at: number;
  merge_commit_sha: string | null;
  squash_commit_sha: string | null;
  first_commit_at: number | null;
  first_review_at: number | null;
  web_url: string | null;
}
export interface JobRow {
  id: number;
  project_id: number;
  pipeline_id: number | null;
  stage: string;
  name: string;
  ref: string;
  sha: string;
  status: string;
  started_at: number | null;
  finished_at: number | null;
  web_url: string | null;
}
export interface CommitRow {
  project_id: number;
  sha: string;
  committed_at: number;
  title: string | null;
  web_url: string | null;
}
export interface IncidentRow {
  id: number;
  project_id: number;
  iid: number;
  title: string;
  description: string | null;
  state: string;
  created_at: number;
  closed_at: number | null;
  updated_at: number;
  labels: string;
  web_url: string | null;
}

function upsert(db: Db, table: string, columns: string[], key: string[]): (row: object) => void {
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${columns
      .filter((c) => !key.includes(c))
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}`;
  const stmt = db.prepare(sql);
  return (row) => {
    stmt.run(row);
  };
}

export interface Writers {
  project(row: ProjectRow): void;
  deployment(row: DeploymentRow): void;
  pipeline(row: PipelineRow): void;
  job(row: JobRow): void;
  mergeRequest(row: MergeRequestRow): void;
  mrCommit(row: { mr_id: number; sha: string; authored_at: number }): void;
  commit(row: CommitRow): void;
  incident(row: IncidentRow): void;
  cursor(projectId: number, resource: string, updatedAfter: number): void;
}

export function writers(db: Db): Writers {
  const cols = (table: string): string[] =>
    (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  return {
    project: upsert(db, 'projects', cols('projects'), ['id']),
    deployment: upsert(db, 'deployments', cols('deployments'), ['id']),
    pipeline: upsert(db, 'pipelines', cols('pipelines'), ['id']),
    job: upsert(db, 'jobs', cols('jobs'), ['id']),
    mergeRequest: upsert(db, 'merge_requests', cols('merge_requests'), ['id']),
    mrCommit: upsert(db, 'mr_commits', cols('mr_commits'), ['mr_id', 'sha']),
    commit: upsert(db, 'commits', cols('commits'), ['project_id', 'sha']),
    incident: upsert(db, 'incidents', cols('incidents'), ['id']),
    cursor: (() => {
      const w = upsert(
        db,
        'sync_cursors',
        ['project_id', 'resource', 'updated_after'],
        ['project_id', 'resource'],
      );
      return (project_id: number, resource: string, updated_after: number) =>
        w({ project_id, resource, updated_after });
    })(),
  };
}

export function getCursor(db: Db, projectId: number, resource: string): number | undefined {
  const row = db
    .prepare('SELECT updated_after FROM sync_cursors WHERE project_id = ? AND resource = ?')
    .get(projectId, resource) as { updated_after: number } | undefined;
  return row?.updated_after;
}
