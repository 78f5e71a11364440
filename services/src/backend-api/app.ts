// The backend API's routes (JSON). Reads the intake database (readings) and the workers' database
// (runs, forecasts, schedules, KPIs); POST /jobs queues a run on the client's workers in process.
import { expressTelemetry } from '@dss/instrumentation/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { tagName } from '../scada-csv/format.ts';
import type { IntakeReader } from '../shared/intake-reader.ts';
import type { ClientNetworkConfig } from '../simulator/config.ts';
import type { RunningWorkers } from '../workers/start-workers.ts';
import type { WorkersStore } from '../workers/store.ts';
import { allowed, requireToken, type TokenMap } from './auth.ts';
import { HttpError, notFound } from './http-error.ts';
import { enumParam, intParam, jobBody, timeParam } from './validate.ts';

export interface AppDeps {
  tokens: TokenMap;
  networks: Readonly<Record<string, ClientNetworkConfig>>;
  workers: Readonly<Record<string, RunningWorkers>>;
  intake: IntakeReader;
  store: WorkersStore;
  log?: { error: (obj: unknown, msg: string) => void };
}

const READING_KINDS = ['level', 'flow-in', 'flow-out'] as const;
const tagOf = { level: tagName.level, 'flow-in': tagName.flowIn, 'flow-out': tagName.flowOut };
const DAY_MS = 86_400_000;

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(expressTelemetry());
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(requireToken(deps.tokens));
  app.use(express.json({ limit: '16kb' }));

  /** The client of the path, once the token may see it and it exists. */
  function clientOf(req: Request, res: Response): ClientNetworkConfig {
    const client = String(req.params.client);
    if (!allowed(res, client)) throw new HttpError(403, `this token may not access client ${client}`);
    const network = deps.networks[client];
    if (!network) throw notFound(`unknown client ${client}`);
    return network;
  }

  app.get('/clients', (_req, res) => {
    const clients = Object.keys(deps.networks).filter((c) => allowed(res, c));
    res.json({
      clients: clients.map((id) => ({
        id,
        tanks: deps.networks[id]?.tanks.length ?? 0,
        workers: id in deps.workers,
      })),
    });
  });

  app.get('/clients/:client/tanks', (req, res) => {
    const network = clientOf(req, res);
    res.json({
      tanks: network.tanks.map((t) => {
        const last = deps.intake.lastValue(network.client, tagName.level(t.id));
        return {
          id: t.id,
          areaM2: t.areaM2,
          heightM: t.heightM,
          minLevelM: t.minLevelM,
          maxLevelM: t.maxLevelM,
          pumps: network.pumps.filter((p) => p.tank === t.id).map((p) => p.id),
          lastLevel: last ? { time: new Date(last.ts).toISOString(), valueM: last.value } : null,
        };
      }),
    });
  });

  app.get('/clients/:client/tanks/:tank/readings', (req, res) => {
    const network = clientOf(req, res);
    const tank = network.tanks.find((t) => t.id === req.params.tank);
    if (!tank) throw notFound(`unknown tank ${req.params.tank} of client ${network.client}`);
    const query = req.query as Record<string, unknown>;
    const kind = enumParam(query, 'kind', READING_KINDS, 'level');
    const limit = intParam(query, 'limit', 1, 10_000, 1000);
    const to = timeParam(query, 'to') ?? Date.now() + DAY_MS;
    const from = timeParam(query, 'from') ?? to - DAY_MS;
    if (from >= to) throw new HttpError(400, 'from: must be before to', 'from');
    const tag = tagOf[kind](tank.id);
    const points = deps.intake.readings(network.client, tag, from, to, limit);
    res.json({
      client: network.client,
      tank: tank.id,
      tag,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      readings: points.map((p) => ({
        time: new Date(p.ts).toISOString(),
        value: p.value,
        quality: p.quality,
      })),
    });
  });

  app.get('/clients/:client/forecasts/latest', (req, res) => {
    const network = clientOf(req, res);
    const forecast = deps.store.latestForecast(network.client);
    if (!forecast) throw notFound(`no forecast yet for client ${network.client}`);
    res.json(forecast);
  });

  app.get('/clients/:client/schedules/latest', (req, res) => {
    const network = clientOf(req, res);
    const schedule = deps.store.latestSchedule(network.client);
    if (!schedule) throw notFound(`no pump schedule yet for client ${network.client}`);
    res.json(schedule);
  });

  app.get('/clients/:client/kpis', (req, res) => {
    const network = clientOf(req, res);
    const limit = intParam(req.query as Record<string, unknown>, 'limit', 1, 366, 30);
    res.json({ kpis: deps.store.kpis(network.client, limit) });
  });

  app.get('/clients/:client/jobs', (req, res) => {
    const network = clientOf(req, res);
    const limit = intParam(req.query as Record<string, unknown>, 'limit', 1, 500, 50);
    res.json({ runs: deps.store.listRuns(network.client, limit) });
  });

  app.get('/clients/:client/jobs/:id', (req, res) => {
    const network = clientOf(req, res);
    const run = deps.store.getRun(network.client, String(req.params.id));
    if (!run) throw notFound(`unknown job run ${req.params.id}`);
    res.json(run);
  });

  app.post('/clients/:client/jobs', (req, res) => {
    const network = clientOf(req, res);
    const job = jobBody(req.body);
    const workers = deps.workers[network.client];
    if (!workers) throw new HttpError(503, `no workers run for client ${network.client} in this process`);
    // Called inside the request's active context: the run carries this trace (see start-workers.ts).
    const queued = workers.trigger(job);
    if (queued.status === 'skipped') {
      throw new HttpError(409, `a ${job} run is already queued or running`, undefined, {
        runId: queued.runId,
        job,
      });
    }
    res
      .status(202)
      .location(`/clients/${network.client}/jobs/${queued.runId}`)
      .json({ runId: queued.runId, job, status: 'queued' });
  });

  app.use((_req, _res, next) => next(notFound('no such route')));

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof HttpError) {
      res.status(error.status).json(error.toJSON());
      return;
    }
    // body-parser's errors carry a status (400 bad JSON, 413 too large, 415 charset).
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      res.status(status).json({
        error: type === 'entity.parse.failed' ? 'body: not valid JSON' : (error as Error).message,
        field: 'body',
      });
      return;
    }
    deps.log?.error({ err: error }, 'backend-api: request failed');
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
