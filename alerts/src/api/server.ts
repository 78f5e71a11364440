// The alerts API (default 127.0.0.1:3400): the part of Alertmanager's API v2 that senders, amtool-like clients
// and our CLI use, so `dss-obs alerts silence …` works against this service and a real Alertmanager alike,
// plus /metrics (prom-client) and the health endpoints.
//   GET  /-/healthy, /-/ready
//   GET  /api/v2/status, /api/v2/receivers
//   POST /api/v2/alerts            GET /api/v2/alerts?filter=…&active=&silenced=&inhibited=
//   POST /api/v2/silences          GET /api/v2/silences?filter=…
//   GET  /api/v2/silence/{id}      DELETE /api/v2/silence/{id}
//   GET  /metrics
// With a token configured every request but the health endpoints needs `Authorization: Bearer <token>`.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Dispatcher } from '../dispatch/dispatcher.ts';
import type { Silences } from '../silence/silences.ts';
import { listAlerts, parsePostableAlerts } from './alerts-routes.ts';
import { HttpError, readJson, sendError, sendJson } from './http.ts';
import { deleteSilence, getSilence, listSilences, postSilence } from './silences-routes.ts';

export interface AlertsApiOptions {
  dispatcher: Dispatcher;
  silences: Silences;
  registry: Registry;
  resolveTimeoutMs: number;
  receivers: string[];
  /** The Alertmanager configuration text, shown by /api/v2/status. */
  configText: string;
  token?: string;
  now?: () => number;
}

const started = new Date().toISOString();

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return given.length === want.length && timingSafeEqual(given, want);
}

const flag = (v: string | null, dflt: boolean) => (v === null ? dflt : v !== 'false');

export function alertsApiHandler(o: AlertsApiOptions) {
  const now = o.now ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    try {
      if (path === '/-/healthy' || path === '/-/ready') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
        return;
      }
      if (!authorized(req, o.token)) throw new HttpError(401, 'missing or wrong bearer token');
      if (path === '/metrics' && method === 'GET') {
        const text = await o.registry.metrics();
        res.writeHead(200, { 'content-type': o.registry.contentType }).end(text);
        return;
      }
      if (path === '/api/v2/status' && method === 'GET')
        return sendJson(res, 200, {
          cluster: { status: 'disabled', peers: [] },
          config: { original: o.configText },
          uptime: started,
          versionInfo: {
            version: 'dss-alerts',
            branch: '',
            revision: '',
            buildUser: '',
            buildDate: '',
            goVersion: '',
          },
        });
      if (path === '/api/v2/receivers' && method === 'GET')
        return sendJson(
          res,
          200,
          o.receivers.map((name) => ({ name })),
        );
      if (path === '/api/v2/alerts') {
        if (method === 'POST') {
          const alerts = parsePostableAlerts(await readJson(req), now(), o.resolveTimeoutMs);
          o.dispatcher.receive(alerts);
          return sendJson(res, 200, '');
        }
        if (method === 'GET') {
          const q = url.searchParams;
          return sendJson(
            res,
            200,
            listAlerts(
              o.dispatcher,
              {
                filter: q.getAll('filter'),
                active: flag(q.get('active'), true),
                silenced: flag(q.get('silenced'), true),
                inhibited: flag(q.get('inhibited'), true),
              },
              now(),
            ),
          );
        }
      }
      if (path === '/api/v2/silences') {
        if (method === 'POST') return sendJson(res, 200, postSilence(o.silences, await readJson(req)));
        if (method === 'GET')
          return sendJson(res, 200, listSilences(o.silences, url.searchParams.getAll('filter'), now()));
      }
      const one = /^\/api\/v2\/silence\/([^/]+)$/.exec(path);
      if (one?.[1]) {
        const id = decodeURIComponent(one[1]);
        if (method === 'GET') return sendJson(res, 200, getSilence(o.silences, id, now()));
        if (method === 'DELETE') {
          deleteSilence(o.silences, id);
          return sendJson(res, 200, '');
        }
      }
      throw new HttpError(404, `no route for ${method} ${path}`);
    } catch (error) {
      sendError(res, error);
    }
  };
}

export async function startAlertsApi(
  options: AlertsApiOptions,
  port: number,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const handler = alertsApiHandler(options);
  const server = createServer((req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
