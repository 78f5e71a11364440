// The subset of GitLab's REST API (v4) JSON that @dss/dora reads, as GitLab's documentation describes it.
// The fake server serves exactly these shapes, and the sync maps them to rows.

export interface GlUserRef {
  id: number;
  username: string;
}

export interface GlProject {
  id: number;
  name: string;
  path: string;
  path_with_namespace: string;
  web_url: string;
  default_branch: string;
  namespace: { id: number; full_path: string; kind: 'group' };
}

export interface GlGroup {
  id: number;
  name: string;
  path: string;
  full_path: string;
  web_url: string;
}

export interface GlDeployment {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  status: 'created' | 'running' | 'success' | 'failed' | 'canceled' | 'blocked';
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  environment: {
    id: number;
    name: string;
    tier: 'production' | 'staging' | 'testing' | 'development' | 'other';
  };
  deployable: { id: number; status: string; finished_at: string | null; web_url: string } | null;
  user: GlUserRef;
}

export interface GlMergeRequest {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  created_at: string;
  updated_at: string;
  merged_at: string | null;
  closed_at: string | null;
  target_branch: string;
  source_branch: string;
  sha: string;
  merge_commit_sha: string | null;
  squash_commit_sha: string | null;
  labels: string[];
  author: GlUserRef;
  web_url: string;
}

export interface GlCommit {
  id: string;
  short_id: string;
  title: string;
  authored_date: string;
  committed_date: string;
  created_at: string;
  parent_ids: string[];
  web_url: string;
}

export interface GlNote {
  id: number;
  body: string;
  author: GlUserRef;
  created_at: string;
  system: boolean;
}

export interface GlPipeline {
  id: number;
  iid: number;
  project_id: number;
  sha: string;
  ref: string;
  status: 'created' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual';
  source: string;
  created_at: string;
  updated_at: string;
  web_url: string;
}

export interface GlIssue {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string;
  state: 'opened' | 'closed';
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  labels: string[];
  issue_type: 'issue' | 'incident' | 'test_case' | 'task';
  web_url: string;
}

export interface GlJob {
  id: number;
  status: 'created' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual';
  stage: string;
  name: string;
  ref: string;
  tag: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  commit: { id: string };
  pipeline: { id: number; project_id: number; ref: string; sha: string; status: string; web_url: string };
  web_url: string;
}

export interface GlTag {
  name: string;
  target: string;
  commit: { id: string; committed_date: string };
}

/** Everything one GitLab instance holds, as the fake serves it and the sample history provides it. */
export interface GitlabHistory {
  groups: GlGroup[];
  projects: GlProject[];
  deployments: Map<number, GlDeployment[]>;
  mergeRequests: Map<number, GlMergeRequest[]>;
  mrCommits: Map<number, GlCommit[]>; // by MR global id
  mrNotes: Map<number, GlNote[]>; // by MR global id
  commits: Map<number, GlCommit[]>; // default-branch history, by project id
  pipelines: Map<number, GlPipeline[]>;
  issues: Map<number, GlIssue[]>;
  tags: Map<number, GlTag[]>;
  jobs: Map<number, GlJob[]>;
}
