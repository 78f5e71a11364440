// The domain the DORA computation works on, independent of SQLite (see load.ts) and of GitLab's JSON.
import type { DeploySource } from '../config.ts';

export interface ProjectInfo {
  id: number;
  client: string;
  path: string;
  pathWithNamespace: string;
  webUrl: string;
  deploy: DeploySource;
  /** Paths of projects whose merged changes this project's deployments ship (`*` = the whole group). */
  ships: string[];
}

export interface Deployment {
  /** `deployment:<GitLab id>` or `pipeline:<GitLab id>`. */
  key: string;
  projectId: number;
  sha: string;
  ref: string;
  status: 'success' | 'failed';
  startedAt: number;
  finishedAt: number;
  webUrl: string;
}

export interface Change {
  id: number;
  projectId: number;
  iid: number;
  title: string;
  labels: string[];
  createdAt: number;
  mergedAt: number;
  firstCommitAt: number | null;
  firstReviewAt: number | null;
  mergeSha: string | null;
  webUrl: string;
}

export interface Incident {
  id: number;
  projectId: number;
  iid: number;
  title: string;
  description: string;
  createdAt: number;
  closedAt: number | null;
  webUrl: string;
}

export interface Dataset {
  projects: ProjectInfo[];
  deployments: Deployment[];
  changes: Change[];
  incidents: Incident[];
  /** Default-branch commit times, by project id then SHA. */
  commitTimes: Map<number, Map<string, number>>;
}
