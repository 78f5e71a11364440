// `dss-obs dora serve`: the DORA keys over HTTP (node:http).
//   GET  /api/v1/clients                      clients and their projects
//   GET  /api/v1/metrics?week=&client=&tz=    the four keys and the rework rate of a week, with the drill-down
//   GET  /api/v1/reports                      the archive of published reports
//   GET  /api/v1/reports/<week>.html|md|json  a weekly report (?client=, ?tz=): published and archived once the
//                                             week is over (and synced past its end), live before
//   GET  /metrics                             Prometheus gauges (prometheus.ts)
//   GET  /healthz                             liveness and the sync's state
//   POST /webhooks/gitlab                     GitLab events → a debounced incremental sync of that project
// With a GitLab configuration it syncs at start, every `syncIntervalMs`, and after webhooks; syncs never overlap.
// With a Slack webhook it posts the last finished week's digest on a schedule (default Mondays 08:00).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter } from 'prom-client';
import type { DoraConfig } from '../config.ts';
import { isoWeekOf, isoWeekWindow, previousIsoWeek } from '../metrics/time.ts';
import type { WeeklyReport } from '../report/weekly.ts';
import { generateHistory, sampleConfig } from '../sample/generator.ts';
import { loadHistory } from '../sample/load.ts';
import { slackDigest } from '../slack/digest.ts';
import { type PostOptions, postToSlack } from '../slack/post.ts';
import { nextRun, type Schedule } from '../slack/schedule.ts';
import { type Db, openStore } from '../store/db.ts';
import type { ClientOptions } from '../sync/client.ts';
import { sync } from '../sync/sync.ts';
import { CONTENT_TYPES, FORMATS, ReportArchive, type ReportFormat, renderReport } from './archive.ts';
import { doraRegistry } from './prometheus.ts';
import { DoraService } from './service.ts';
import { Debouncer, parseEvent, tokenMatches } from './webhook.ts';

const DAY = 86_400_000;

export interface ServeOptions {
  /** The SQLite file (`:memory:` with `sample`). */
  dbFile: string;
  /** GitLab: periodic and webhook-triggered syncs. Without it the server only reads the store. */
  config?: DoraConfig;
  token?: string;
  /** Load the seeded sample history into an empty store. */
  sample?: boolean;
  port?: number;
  host?: string;
  /** Full sync every this many ms (0 = only at start and on webhooks). Default 15 minutes. */
  syncIntervalMs?: number;
  /** Sync at start. Default true when a configuration is given. */
  syncAtStart?: boolean;
  /** The GitLab webhook secret (X-Gitlab-Token); webhooks are refused (404) without one. */
  webhookSecret?: string;
  /** Quiet time after the last event of a project before its sync. Default 5 s. */
  debounceMs?: number;
  timeZone?: string;
  hotfixLabel?: string;
  /** How far around a window the store is read (metrics/load.ts LOOKBACK_DAYS). Default 180. */
  lookbackDays?: number;
  /** The trailing window of the /metrics gauges, in days. Default 28. */
  metricsWindowDays?: number;
  now?: () => number;
  log?: (line: string) => void;
  /** The weekly digest to Slack (Block Kit, Incoming Webhook) on a schedule. */
  slack?: {
    webhookUrl: string;
    schedule: Schedule;
    /** Where the server is reachable, for the digest's link to the HTML report. */
    publicUrl?: string;
    post?: PostOptions;
    /** Test hook: the next run after `now` (default: the schedule's). */
    nextRunAt?: (now: number) => number;
  };
  /** Options of the GitLab client (retries, timeouts) for tests. */
  gitlabClient?: Partial<ClientOptions>;
}

export interface DoraServer {
  url: string;
  server: Server;
  service: DoraService;
  /** Resolves when every sync queued so far has finished. */
  idle(): Promise<void>;
  /** Posts the Slack digest of a week (default: the last finished one); rejects if Slack refuses it. */
  postDigest(week?: string): Promise<void>;
  /** Queues a sync (all projects, or these) and resolves when it has run. */
  syncNow(projects?: number[]): Promise<void>;
  state(): SyncState;
  close(): Promise<void>;
}

export interface SyncState {
  running: boolean;
  lastSyncAt: number | null;
  lastError: string | null;
  errors: number;
  syncs: number;
  requests: number;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

const MAX_BODY = 5 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, `request body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function validTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw new HttpError(400, `unknown time zone: ${tz}`);
  }
}

export async function startDoraServer(options: ServeOptions): Promise<DoraServer> {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const defaultTz = options.timeZone ?? 'UTC';
  const db: Db = openStore(options.dbFile);
  if (options.sample && (db.prepare('SELECT count(*) AS n FROM projects').get() as { n: number }).n === 0)
    loadHistory(
      db,
      generateHistory({ start: '2026-06-01T00:00:00Z', days: 200 }),
      sampleConfig('https://gitlab.example.com'),
    );
  const service = new DoraService(db, {
    hotfixLabel: options.hotfixLabel ?? options.config?.hotfixLabel ?? 'hotfix',
    ...(options.lookbackDays !== undefined ? { lookbackDays: options.lookbackDays } : {}),
  });
  const archive = new ReportArchive(db);
  const state: SyncState = {
    running: false,
    // Without GitLab the data is as of when the store was opened (the sample history): that is its "sync".
    lastSyncAt: options.config ? null : now(),
    lastError: null,
    errors: 0,
    syncs: 0,
    requests: 0,
  };
  const windowDays = options.metricsWindowDays ?? 28;
  const { registry, syncErrors } = doraRegistry({
    snapshot: () => {
      const end = now();
      const window = { start: end - windowDays * DAY, end };
      // (service.rangeOf snaps the rows read to days, so scrapes within a day share one cached range)
      return [null, ...service.clients()].map((client) => ({
        client: client ?? 'all',
        metrics: service.metrics(window, client, defaultTz),
      }));
    },
    lastSyncSeconds: () => (state.lastSyncAt === null ? null : state.lastSyncAt / 1000),
  });

  // Syncs run one at a time, in order.
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  const runSync = async (projects?: number[]): Promise<void> => {
    const { config, token } = options;
    if (!config || !token || closed) return;
    state.running = true;
    const what = projects ? `projects ${projects.join(', ')}` : 'all projects';
    try {
      const result = await sync({
        config,
        token,
        dbFile: options.dbFile,
        ...(projects ? { projects } : {}),
        ...(options.gitlabClient ? { client: options.gitlabClient } : {}),
      });
      state.lastSyncAt = now();
      state.lastError = null;
      state.syncs++;
      state.requests += result.requests;
      if (Object.keys(result.written).length) service.invalidate();
      log(`dora serve: synced ${what}: ${result.requests} requests`);
    } catch (error) {
      state.errors++;
      syncErrors.inc();
      // sync() redacts the token from its errors; only the message is logged.
      state.lastError = error instanceof Error ? error.message : String(error);
      log(`dora serve: sync of ${what} failed: ${state.lastError}`);
    } finally {
      state.running = false;
    }
  };
  const enqueue = (projects?: number[]): Promise<void> => {
    const next = queue.then(() => runSync(projects));
    queue = next;
    return next;
  };
  const debouncer = new Debouncer(options.debounceMs ?? 5000, (projects) => {
    void enqueue(projects);
  });

  const reportOf = (week: string, client: string | null, tz: string, format: ReportFormat) => {
    const window = isoWeekWindow(week, tz);
    if (client !== null && !service.clients().includes(client))
      throw new HttpError(404, `no such client: ${client}`);
    // Published once the week is over and, with GitLab, once a sync has run after its end.
    const synced = !options.config || (state.lastSyncAt !== null && state.lastSyncAt >= window.end);
    if (window.end <= now() && synced) {
      let stored = archive.get(week, client, tz, format);
      if (!stored) {
        archive.publish(service.report(week, client, tz, new Date(now())), client, now());
        stored = archive.get(week, client, tz, format);
      }
      if (stored)
        return {
          body: stored.body,
          headers: {
            'x-dora-report': 'archived',
            'x-dora-published-at': new Date(stored.publishedAt).toISOString(),
          },
        };
    }
    const report = service.report(week, client, tz, new Date(now()));
    const body = renderReport(report, format);
    return { body, headers: { 'x-dora-report': 'live' } };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const q = url.searchParams;
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/webhooks/gitlab') {
      if (req.method !== 'POST') throw new HttpError(405, 'use POST');
      if (!options.webhookSecret)
        throw new HttpError(404, 'webhooks are disabled: no webhook secret configured');
      const given = req.headers['x-gitlab-token'];
      if (!tokenMatches(Array.isArray(given) ? given[0] : given, options.webhookSecret)) {
        req.resume();
        throw new HttpError(401, 'missing or wrong X-Gitlab-Token');
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw new HttpError(400, `the body is not JSON: ${(error as Error).message}`);
      }
      const event = parseEvent(body);
      if (!event.relevant)
        return sendJson(res, 202, { queued: false, kind: event.kind, reason: event.reason });
      if (!options.config)
        return sendJson(res, 202, {
          queued: false,
          kind: event.kind,
          reason: 'no GitLab configuration to sync with',
        });
      debouncer.add(event.projectId);
      return sendJson(res, 202, { queued: true, kind: event.kind, project: event.projectId });
    }
    if (!get) throw new HttpError(405, `${req.method} is not supported here`);
    if (path === '/healthz')
      return sendJson(res, 200, {
        status: 'ok',
        gitlab: options.config ? 'configured' : options.sample ? 'sample' : 'none',
        sync: {
          ...state,
          lastSyncAt: state.lastSyncAt === null ? null : new Date(state.lastSyncAt).toISOString(),
        },
        dataVersion: service.version,
      });
    if (path === '/metrics') {
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
      return;
    }
    if (path === '/api/v1/clients') {
      const projects = service.projects();
      return sendJson(res, 200, {
        clients: service.clients().map((name) => ({
          name,
          projects: projects
            .filter((p) => p.client === name)
            .map((p) => ({
              id: p.id,
              path: p.path,
              pathWithNamespace: p.pathWithNamespace,
              webUrl: p.webUrl,
              deploy: p.deploy,
              ships: p.ships,
            })),
        })),
      });
    }
    if (path === '/api/v1/metrics') {
      const tz = validTimeZone(q.get('tz') ?? defaultTz);
      const week = q.get('week') ?? isoWeekOf(now(), tz);
      const client = q.get('client');
      const window = weekWindow(week, tz);
      if (client !== null && !service.clients().includes(client))
        throw new HttpError(404, `no such client: ${client}`);
      return sendJson(res, 200, { week, timeZone: tz, metrics: service.metrics(window, client, tz) });
    }
    if (path === '/api/v1/reports') {
      return sendJson(res, 200, {
        reports: archive.list().map((r) => ({
          ...r,
          publishedAt: new Date(r.publishedAt).toISOString(),
          urls: Object.fromEntries(
            r.formats.map((f) => {
              const params = new URLSearchParams();
              if (r.client) params.set('client', r.client);
              if (r.timeZone !== defaultTz) params.set('tz', r.timeZone);
              const qs = params.size ? `?${params}` : '';
              return [f, `/api/v1/reports/${r.week}.${f}${qs}`];
            }),
          ),
        })),
      });
    }
    const m = /^\/api\/v1\/reports\/([^/]+)\.([a-z]+)$/.exec(path);
    if (m) {
      const format = m[2] as ReportFormat;
      if (!FORMATS.includes(format))
        throw new HttpError(404, `no report format ${m[2]}: use .html, .md or .json`);
      const tz = validTimeZone(q.get('tz') ?? defaultTz);
      const week = decodeURIComponent(m[1] as string);
      weekWindow(week, tz);
      const { body, headers } = reportOf(week, q.get('client'), tz, format);
      res.writeHead(200, { 'content-type': CONTENT_TYPES[format], 'cache-control': 'no-cache', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    throw new HttpError(404, `no such endpoint: ${path}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500)
        log(
          `dora serve: ${req.method} ${req.url?.split('?')[0]}: ${(error as Error).stack ?? String(error)}`,
        );
      if (!res.headersSent) sendJson(res, status, { error: (error as Error).message ?? String(error) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3300, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  // The Slack digest: the last finished week's report (as published in the archive), at the scheduled time.
  const digests = new Counter({
    name: 'dss_dora_slack_digests_total',
    help: 'Weekly digests posted to Slack, by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const postDigest = async (week?: string): Promise<void> => {
    const slack = options.slack;
    if (!slack) throw new Error('no Slack webhook configured');
    const w = week ?? previousIsoWeek(isoWeekOf(now(), defaultTz));
    try {
      if (options.config) await enqueue();
      const report = JSON.parse(reportOf(w, null, defaultTz, 'json').body) as WeeklyReport;
      const payload = slackDigest(report, {
        ...(slack.publicUrl
          ? { reportUrl: `${slack.publicUrl.replace(/\/$/, '')}/api/v1/reports/${w}.html` }
          : {}),
      });
      const result = await postToSlack(slack.webhookUrl, payload, slack.post);
      digests.inc({ outcome: 'sent' });
      log(`dora serve: Slack digest of ${w} posted (${result.attempts} attempts)`);
    } catch (error) {
      digests.inc({ outcome: 'failed' });
      log(`dora serve: Slack digest of ${w} failed: ${(error as Error).message}`);
      throw error;
    }
  };
  let slackTimer: NodeJS.Timeout | null = null;
  const scheduleDigest = (): void => {
    const slack = options.slack;
    if (!slack || closed) return;
    const at = slack.nextRunAt ? slack.nextRunAt(now()) : nextRun(now(), slack.schedule);
    // Timers cannot exceed 2^31-1 ms (~24.8 days); a week is well below.
    slackTimer = setTimeout(
      () => {
        postDigest()
          .catch(() => {})
          .finally(scheduleDigest);
      },
      Math.max(0, at - now()),
    );
    slackTimer.unref();
  };
  scheduleDigest();

  let timer: NodeJS.Timeout | null = null;
  if (options.config && options.token) {
    if (options.syncAtStart ?? true) void enqueue();
    const every = options.syncIntervalMs ?? 15 * 60_000;
    if (every > 0) {
      timer = setInterval(() => void enqueue(), every);
      timer.unref();
    }
  }
  return {
    url: `http://${host}:${port}`,
    server,
    service,
    idle: async () => {
      debouncer.flush();
      for (let q = queue; ; q = queue) {
        await q;
        if (q === queue) return;
      }
    },
    syncNow: (projects) => enqueue(projects),
    postDigest,
    state: () => ({ ...state }),
    close: async () => {
      closed = true;
      if (timer) clearInterval(timer);
      if (slackTimer) clearTimeout(slackTimer);
      debouncer.cancel();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await queue;
      db.close();
    },
  };
}

function weekWindow(week: string, tz: string) {
  try {
    return isoWeekWindow(week, tz);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
}
