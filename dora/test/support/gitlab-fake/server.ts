// A GitLab REST API (v4) server for tests, on loopback, serving a GitlabHistory as GitLab's documentation
// specifies: offset pagination (page, per_page ≤ 100, x-page, x-per-page, x-next-page, x-prev-page, x-total,
// x-total-pages, link) and keyset pagination on group projects (pagination=keyset, order_by=id, id_after, link),
// the updated_after/updated_before/order_by/sort filters, PRIVATE-TOKEN or Authorization: Bearer (401 bad
// token, 403 insufficient_scope, 404 unknown group/project), RateLimit-* headers, and injectable faults
// (429 with Retry-After, 500/502, slow answers, dropped connections).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitlabHistory, GlMergeRequest, GlProject } from '../../../src/gitlab-types.ts';

export interface Fault {
  /** Matches the request path (without query); all requests if absent. */
  path?: RegExp;
  status?: 429 | 500 | 502 | 503;
  /** Seconds, sent as Retry-After with a 429. */
  retryAfter?: number;
  /** Answer (normally) after this many ms. */
  delayMs?: number;
  /** How many requests it hits; default 1. */
  times?: number;
}

export interface FakeGitlab {
  url: string;
  history: GitlabHistory;
  /** Every request: method, path and query string (never the token). */
  requests: { path: string; query: URLSearchParams; at: number; status: number }[];
  faults: Fault[];
  /** Requests allowed per minute, as advertised in RateLimit-* (no enforcement; faults do that). */
  rateLimit: number;
  /** token → scopes (`read_api`, `api`, `read_user`…). */
  tokens: Map<string, string[]>;
  close(): Promise<void>;
}

export async function startFakeGitlab(
  history: GitlabHistory,
  tokens?: Record<string, string[]>,
): Promise<FakeGitlab> {
  const fake: FakeGitlab = {
    url: '',
    history,
    requests: [],
    faults: [],
    rateLimit: 100_000,
    tokens: new Map(Object.entries(tokens ?? { 'glpat-good': ['read_api'] })),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    handle(fake, req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function handle(fake: FakeGitlab, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', fake.url);
  const entry = { path: url.pathname, query: url.searchParams, at: Date.now(), status: 200 };
  fake.requests.push(entry);
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    entry.status = status;
    const reset = Math.ceil(Date.now() / 1000) + 60;
    const observed = fake.requests.filter((r) => r.at > Date.now() - 60_000).length;
    send(res, status, body, {
      'ratelimit-limit': String(fake.rateLimit),
      'ratelimit-observed': String(observed),
      'ratelimit-remaining': String(Math.max(0, fake.rateLimit - observed)),
      'ratelimit-reset': String(reset),
      ...headers,
    });
  };

  const fault = fake.faults.find((f) => !f.path || f.path.test(url.pathname));
  if (fault) {
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) fake.faults.splice(fake.faults.indexOf(fault), 1);
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.status === 429) {
      const after = fault.retryAfter ?? 1;
      return reply(
        429,
        { message: 'Retry later' },
        {
          'retry-after': String(after),
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + after),
        },
      );
    }
    if (fault.status) return reply(fault.status, { message: `${fault.status} Internal Server Error` });
  }

  if (!url.pathname.startsWith('/api/v4/')) return reply(404, { message: '404 Not Found' });
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = (req.headers['private-token'] as string | undefined) ?? bearer;
  const scopes = token ? fake.tokens.get(token) : undefined;
  if (!scopes) return reply(401, { message: '401 Unauthorized' });
  if (!scopes.includes('read_api') && !scopes.includes('api'))
    return reply(403, {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api read_api',
    });
  if (req.method !== 'GET') return reply(405, { message: '405 Method Not Allowed' });

  const h = fake.history;
  const parts = url.pathname.slice('/api/v4/'.length).split('/');
  const q = url.searchParams;
  if (parts[0] === 'version') return reply(200, { version: '18.6.0', revision: 'fake' });

  if (parts[0] === 'groups' && parts[1]) {
    const key = decodeURIComponent(parts[1]);
    const group = h.groups.find((g) => String(g.id) === key || g.full_path === key);
    if (!group) return reply(404, { message: '404 Group Not Found' });
    if (parts.length === 2) return reply(200, group);
    if (parts[2] === 'projects' && parts.length === 3) {
      const projects = h.projects.filter((p) => p.namespace.id === group.id).sort((a, b) => a.id - b.id);
      if (q.get('pagination') === 'keyset') return keyset(url, projects, reply);
      return paginate(url, projects, reply);
    }
    return reply(404, { message: '404 Not Found' });
  }

  if (parts[0] === 'projects' && parts[1]) {
    const key = decodeURIComponent(parts[1]);
    const p = h.projects.find((x) => String(x.id) === key || x.path_with_namespace === key);
    if (!p) return reply(404, { message: '404 Project Not Found' });
    const rest = parts.slice(2).join('/');
    if (rest === '') return reply(200, p);
    if (rest === 'deployments') {
      let list = h.deployments.get(p.id) ?? [];
      list = list.filter(
        (d) =>
          (!q.get('environment') || d.environment.name === q.get('environment')) &&
          (!q.get('status') || d.status === q.get('status')),
      );
      return paginate(url, sortFilter(list, q, 'id'), reply);
    }
    if (rest === 'merge_requests') {
      const state = q.get('state') ?? 'all';
      const list = (h.mergeRequests.get(p.id) ?? []).filter(
        (m) =>
          (state === 'all' || m.state === state) &&
          (!q.get('target_branch') || m.target_branch === q.get('target_branch')),
      );
      return paginate(url, sortFilter(list, q, 'created_at'), reply);
    }
    const mrSub = /^merge_requests\/(\d+)\/(commits|notes)$/.exec(rest);
    if (mrSub) {
      const mr = (h.mergeRequests.get(p.id) ?? []).find((m: GlMergeRequest) => m.iid === Number(mrSub[1]));
      if (!mr) return reply(404, { message: '404 Not found' });
      if (mrSub[2] === 'commits') return paginate(url, h.mrCommits.get(mr.id) ?? [], reply);
      const notes = [...(h.mrNotes.get(mr.id) ?? [])];
      notes.sort((a, b) => a.created_at.localeCompare(b.created_at));
      if ((q.get('sort') ?? 'desc') === 'desc') notes.reverse();
      return paginate(url, notes, reply);
    }
    if (rest === 'repository/commits') {
      const since = q.get('since');
      const until = q.get('until');
      const list = [...(h.commits.get(p.id) ?? [])]
        .filter((c) => (!since || c.committed_date >= since) && (!until || c.committed_date <= until))
        .reverse(); // newest first, like `git log`
      return paginate(url, list, reply);
    }
    if (rest === 'pipelines') {
      const scope = q.get('scope');
      const tagNames = new Set((h.tags.get(p.id) ?? []).map((t) => t.name));
      const list = (h.pipelines.get(p.id) ?? []).filter(
        (x) =>
          (scope !== 'tags' || tagNames.has(x.ref)) &&
          (scope !== 'branches' || !tagNames.has(x.ref)) &&
          (!q.get('status') || x.status === q.get('status')) &&
          (!q.get('ref') || x.ref === q.get('ref')),
      );
      return paginate(url, sortFilter(list, q, 'id'), reply);
    }
    if (rest === 'issues') {
      const labels = q.get('labels')?.split(',').filter(Boolean) ?? [];
      const state = q.get('state') ?? 'all';
      const list = (h.issues.get(p.id) ?? []).filter(
        (i) =>
          (!q.get('issue_type') || i.issue_type === q.get('issue_type')) &&
          labels.every((l) => i.labels.includes(l)) &&
          (state === 'all' || i.state === state),
      );
      return paginate(url, sortFilter(list, q, 'created_at'), reply);
    }
    if (rest === 'jobs') {
      // Newest first; `scope[]` filters by status (repeatable).
      const scopes = q.getAll('scope[]').concat(q.getAll('scope'));
      const list = [...(h.jobs.get(p.id) ?? [])]
        .filter((j) => scopes.length === 0 || scopes.includes(j.status))
        .sort((a, b) => b.id - a.id);
      return paginate(url, list, reply);
    }
    if (rest === 'repository/tags') return paginate(url, [...(h.tags.get(p.id) ?? [])].reverse(), reply);
    return reply(404, { message: '404 Not Found' });
  }
  return reply(404, { message: '404 Not Found' });
}

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

interface Timestamped {
  id: number;
  created_at: string;
  updated_at: string;
}

/** `updated_after`/`updated_before` (inclusive, as GitLab), `order_by` and `sort` (default desc). */
function sortFilter<T extends Timestamped>(
  list: T[],
  q: URLSearchParams,
  defaultOrder: 'id' | 'created_at',
): T[] {
  const after = q.get('updated_after');
  const before = q.get('updated_before');
  const out = list.filter(
    (x) =>
      (!after || Date.parse(x.updated_at) >= Date.parse(after)) &&
      (!before || Date.parse(x.updated_at) <= Date.parse(before)),
  );
  const order = (q.get('order_by') ?? defaultOrder) as 'id' | 'created_at' | 'updated_at';
  const key = (x: T): number => (order === 'id' ? x.id : Date.parse(x[order]));
  out.sort((a, b) => key(a) - key(b) || a.id - b.id);
  if ((q.get('sort') ?? 'desc') === 'desc') out.reverse();
  return out;
}

function pageLink(url: URL, page: number): string {
  const u = new URL(url);
  u.searchParams.set('page', String(page));
  return u.toString();
}

function paginate(url: URL, list: unknown[], reply: Reply): void {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 20) || 20));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const totalPages = Math.max(1, Math.ceil(list.length / perPage));
  const body = list.slice((page - 1) * perPage, page * perPage);
  const links = [`<${pageLink(url, 1)}>; rel="first"`, `<${pageLink(url, totalPages)}>; rel="last"`];
  if (page < totalPages) links.unshift(`<${pageLink(url, page + 1)}>; rel="next"`);
  if (page > 1) links.unshift(`<${pageLink(url, page - 1)}>; rel="prev"`);
  reply(200, body, {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-total': String(list.length),
    'x-total-pages': String(totalPages),
    link: links.join(', '),
  });
}

function keyset(url: URL, list: GlProject[], reply: Reply): void {
  const q = url.searchParams;
  if ((q.get('order_by') ?? 'id') !== 'id') {
    reply(400, { error: 'Keyset pagination is not yet available for this type of request' });
    return;
  }
  const perPage = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 20) || 20));
  const desc = q.get('sort') === 'desc';
  const sorted = desc ? [...list].reverse() : list;
  const idAfter = q.get('id_after');
  const idBefore = q.get('id_before');
  const rest = sorted.filter(
    (p) => (!idAfter || p.id > Number(idAfter)) && (!idBefore || p.id < Number(idBefore)),
  );
  const body = rest.slice(0, perPage);
  const headers: Record<string, string> = {};
  const last = body[body.length - 1];
  if (rest.length > perPage && last) {
    const next = new URL(url);
    next.searchParams.delete(desc ? 'id_after' : 'id_before');
    next.searchParams.set(desc ? 'id_before' : 'id_after', String(last.id));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  reply(200, body, headers);
}
