// The backend API over real HTTP (port 0) on a temp intake database seeded by the simulator, with
// the workers of north in process.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBackendApi, startBackendApi } from '../src/backend-api/index.ts';
import { type RunningWorkers, startWorkers } from '../src/workers/index.ts';
import { memoryLogger, removeTempDirs, tempDir, waitFor } from './support/helpers.ts';
import { seedIntakeDb } from './support/seed.ts';

const TOKENS = { 'north-token': 'north', 'south-token': 'south', 'admin-token': '*' };

describe('backend API', () => {
  let api: RunningBackendApi;
  let workers: RunningWorkers;

  beforeAll(async () => {
    const root = tempDir();
    const intakeDbPath = join(root, 'intake.sqlite');
    const workersDbPath = join(root, 'workers.sqlite');
    seedIntakeDb(intakeDbPath, {
      from: '2026-01-05T00:00:00Z',
      to: '2026-01-19T00:00:00Z',
      seed: 'api',
      stepSeconds: 300,
    });
    const { logger } = memoryLogger();
    workers = await startWorkers({
      client: 'north',
      intakeDbPath,
      dbPath: workersDbPath,
      schedule: false,
      logger,
    });
    api = await startBackendApi({
      port: 0,
      tokens: TOKENS,
      workers: { north: workers },
      intakeDbPath,
      workersDbPath,
      logger,
    });
  });

  afterAll(async () => {
    await api?.close();
    await workers?.stop();
    removeTempDirs();
  });

  async function call(path: string, init: RequestInit & { token?: string | null } = {}) {
    const { token = 'north-token', ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    const response = await fetch(`${api.url}${path}`, { ...rest, headers });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  const post = (path: string, body: unknown, token = 'north-token') =>
    call(path, {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  describe('auth', () => {
    it('401 without a token or with an unknown one', async () => {
      const none = await call('/clients', { token: null });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect((await call('/clients', { token: 'nope' })).status).toBe(401);
      expect((await call('/clients', { headers: { authorization: 'Basic abc' }, token: null })).status).toBe(
        401,
      );
    });

    it('403 on another client, whatever the route', async () => {
      for (const path of ['/clients/south/tanks', '/clients/south/jobs', '/clients/south/forecasts/latest']) {
        expect((await call(path)).status).toBe(403);
      }
      expect((await post('/clients/south/jobs', { job: 'kpi' })).status).toBe(403);
    });

    it('lists only the clients the token may see', async () => {
      expect((await call('/clients')).body.clients.map((c: { id: string }) => c.id)).toEqual(['north']);
      expect(
        (await call('/clients', { token: 'admin-token' })).body.clients.map((c: { id: string }) => c.id),
      ).toEqual(['north', 'south']);
    });
  });

  describe('validation', () => {
    it.each([
      ['/clients/north/tanks/T1/readings?from=yesterday', 'from'],
      ['/clients/north/tanks/T1/readings?to=2026-01-05T00:00:00', 'to'],
      ['/clients/north/tanks/T1/readings?from=2026-01-06T00:00:00Z&to=2026-01-05T00:00:00Z', 'from'],
      ['/clients/north/tanks/T1/readings?limit=0', 'limit'],
      ['/clients/north/tanks/T1/readings?limit=10001', 'limit'],
      ['/clients/north/tanks/T1/readings?limit=abc', 'limit'],
      ['/clients/north/tanks/T1/readings?limit=1&limit=2', 'limit'],
      ['/clients/north/tanks/T1/readings?kind=pressure', 'kind'],
      ['/clients/north/jobs?limit=-1', 'limit'],
    ])('400 for %s, naming %s', async (path, field) => {
      const { status, body } = await call(path);
      expect(status).toBe(400);
      expect(body.field).toBe(field);
      expect(body.error).toMatch(new RegExp(`^${field}: `));
    });

    it.each([
      [{ job: 'train' }, 'job'],
      [{}, 'job'],
      [[1, 2], 'body'],
      ['{"job": ', 'body'],
    ])('400 for the job body %j', async (body, field) => {
      const response = await post('/clients/north/jobs', body);
      expect(response.status).toBe(400);
      expect(response.body.field).toBe(field);
    });

    it('404 for an unknown client, tank, run or route', async () => {
      expect((await call('/clients/west/tanks', { token: 'admin-token' })).status).toBe(404);
      expect((await call('/clients/north/tanks/T9/readings')).status).toBe(404);
      expect((await call('/clients/north/jobs/00000000-0000-0000-0000-000000000000')).status).toBe(404);
      expect((await call('/nowhere')).status).toBe(404);
    });
  });

  describe('happy paths', () => {
    it('tanks with their band and latest level', async () => {
      const { status, body } = await call('/clients/north/tanks');
      expect(status).toBe(200);
      expect(body.tanks.map((t: { id: string }) => t.id)).toEqual(['T1', 'T2', 'T3']);
      expect(body.tanks[0]).toMatchObject({ minLevelM: 1, maxLevelM: 5, pumps: ['P1', 'P2'] });
      expect(body.tanks[0].lastLevel.time).toBe('2026-01-18T23:55:00.000Z');
    });

    it('readings in a window, limited to the newest', async () => {
      const { status, body } = await call(
        '/clients/north/tanks/T1/readings?from=2026-01-10T00:00:00Z&to=2026-01-10T01:00:00Z',
      );
      expect(status).toBe(200);
      expect(body.tag).toBe('T1.LEVEL');
      expect(body.readings).toHaveLength(12);
      expect(body.readings[0].time).toBe('2026-01-10T00:00:00.000Z');
      const limited = await call(
        `/clients/north/tanks/T1/readings?kind=flow-out&from=${Date.parse('2026-01-10T00:00:00Z') / 1000}&to=2026-01-10T01:00:00Z&limit=3`,
      );
      expect(limited.body.readings.map((r: { time: string }) => r.time)).toEqual([
        '2026-01-10T00:45:00.000Z',
        '2026-01-10T00:50:00.000Z',
        '2026-01-10T00:55:00.000Z',
      ]);
    });

    it('POST /jobs → 202, then the run, the forecast and the schedule', async () => {
      expect((await call('/clients/north/forecasts/latest')).status).toBe(404);
      const forecast = await post('/clients/north/jobs', { job: 'forecast' });
      expect(forecast.status).toBe(202);
      expect(forecast.headers.get('location')).toBe(`/clients/north/jobs/${forecast.body.runId}`);
      const optimization = await post('/clients/north/jobs', { job: 'optimization' });
      expect(optimization.status).toBe(202);
      const run = await waitFor(async () => {
        const r = await call(`/clients/north/jobs/${optimization.body.runId}`);
        return r.body.status === 'succeeded' || r.body.status === 'failed' ? r.body : undefined;
      });
      expect(run).toMatchObject({
        status: 'succeeded',
        job: 'optimization',
        trigger: 'api',
        client: 'north',
      });
      const latest = await call('/clients/north/forecasts/latest');
      expect(latest.status).toBe(200);
      expect(latest.body.demand.T1).toHaveLength(24);
      const schedule = await call('/clients/north/schedules/latest');
      expect(schedule.body.expectedCostEur).toBeLessThanOrEqual(schedule.body.baselineCostEur);
      const list = await call('/clients/north/jobs?limit=1');
      expect(list.body.runs).toHaveLength(1);
      expect((await call('/clients/north/jobs')).body.runs.map((r: { job: string }) => r.job)).toEqual([
        'optimization',
        'forecast',
      ]);
    });

    it('503 when the client has no workers in this process', async () => {
      expect((await post('/clients/south/jobs', { job: 'kpi' }, 'south-token')).status).toBe(503);
    });
  });
});
