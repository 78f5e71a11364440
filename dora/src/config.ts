// The sync configuration: where GitLab is, which groups are clients, and how each project deploys.
import { readFileSync } from 'node:fs';

/** How a project's production deployments are found. */
export type DeploySource =
  /** GitLab environments: the Deployments API, environment tier (default `production`). */
  | { type: 'deployments'; tier?: string; environment?: string }
  /** A pipeline on a tag whose name matches `tagPattern` (a regular expression). */
  | { type: 'pipeline'; tagPattern: string }
  /** A job in a named stage (and optionally with a name) of the project's pipelines, on an optional ref pattern. */
  | { type: 'job'; stage: string; name?: string; refPattern?: string }
  /** No deployments of its own (its changes are shipped by another project). */
  | { type: 'none' };

export interface ProjectConfig {
  deploy: DeploySource;
  /**
   * Paths (inside the group) of projects whose merged changes this project's deployments ship since its
   * previous deployment; `['*']` = every other project of the group (e.g. `dbs` redeploys every container).
   */
  ships?: string[];
}

export interface ClientConfig {
  /** The client (water utility) name, e.g. `aveiro`. */
  name: string;
  /** The GitLab group full path, e.g. `dss/aveiro`. */
  group: string;
  /** By project path; projects not listed are synced (MRs, incidents) but deploy nothing themselves. */
  projects: Record<string, ProjectConfig>;
}

export interface DoraConfig {
  gitlab: {
    url: string;
    /** The environment variable that holds the token (never the token itself). Default GITLAB_TOKEN. */
    tokenEnv?: string;
    perPage?: number;
    timeoutMs?: number;
    maxRetries?: number;
  };
  /** Issues with this label are incidents too (besides `issue_type=incident`). Default `incident`. */
  incidentLabel?: string;
  /** MRs with this label are unplanned fixes (rework). Default `hotfix`. */
  hotfixLabel?: string;
  /** History to take on the first (full) sync, ISO date. Default: everything. */
  since?: string;
  clients: ClientConfig[];
}

export class ConfigError extends Error {}

export function parseConfig(json: unknown): DoraConfig {
  const c = json as Partial<DoraConfig> | null;
  if (!c || typeof c !== 'object') throw new ConfigError('config: not a JSON object');
  if (!c.gitlab || typeof c.gitlab.url !== 'string') throw new ConfigError('config: gitlab.url is required');
  try {
    new URL(c.gitlab.url);
  } catch {
    throw new ConfigError(`config: gitlab.url is not a URL: ${c.gitlab.url}`);
  }
  if (c.since !== undefined && Number.isNaN(Date.parse(c.since)))
    throw new ConfigError(`config: since is not an ISO date: ${c.since}`);
  if (!Array.isArray(c.clients) || c.clients.length === 0)
    throw new ConfigError('config: clients must list at least one client');
  for (const client of c.clients) {
    if (!client.name || !client.group) throw new ConfigError('config: every client needs a name and a group');
    for (const [path, p] of Object.entries(client.projects ?? {})) {
      const t = p.deploy?.type;
      if (t !== 'deployments' && t !== 'pipeline' && t !== 'job' && t !== 'none')
        throw new ConfigError(
          `config: ${client.name}/${path}: deploy.type must be deployments|pipeline|job|none`,
        );
      if (t === 'job' && !(p.deploy as { stage?: string }).stage)
        throw new ConfigError(`config: ${client.name}/${path}: deploy.stage is required for type job`);
      if (t === 'pipeline') {
        try {
          new RegExp((p.deploy as { tagPattern: string }).tagPattern);
        } catch {
          throw new ConfigError(
            `config: ${client.name}/${path}: deploy.tagPattern is not a regular expression`,
          );
        }
      }
    }
    client.projects ??= {};
  }
  return c as DoraConfig;
}

export function loadConfig(file: string): DoraConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`config: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseConfig(JSON.parse(text));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`config: ${file} is not valid JSON: ${(error as Error).message}`);
  }
}
