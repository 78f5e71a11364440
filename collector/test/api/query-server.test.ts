import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningQueryServer, startQueryServer, tenantOf } from '../../src/api/query-server.ts';
import { parseTokenList, resolveTenant } from '../../src/auth/tokens.ts';

const servers: RunningQueryServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(options: Parameters<typeof startQueryServer>[0]) {
  const server = await startQueryServer({
    port: 0,
    ...options,
    routes: [
      (app) => {
        app.get('/whoami', async (request) => ({ tenant: tenantOf(request) ?? null }));
      },
    ],
  });
  servers.push(server);
  return (path: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, { headers });
}

describe('query server', () => {
  it("answers Grafana's health checks and build info", async () => {
    const get = await start({});
    expect(await (await get('/api/echo')).text()).toBe('echo');
    expect(await (await get('/ready')).text()).toBe('ready');
    expect(await (await get('/api/status/buildinfo')).json()).toMatchObject({ version: expect.any(String) });
  });

  it('without tokens, X-Scope-OrgID narrows to one tenant and its absence means all', async () => {
    const get = await start({});
    expect(await (await get('/whoami')).json()).toEqual({ tenant: null });
    expect(await (await get('/whoami', { 'X-Scope-OrgID': 'aveiro' })).json()).toEqual({ tenant: 'aveiro' });
  });

  it('with tokens, a tenant token sees its tenant only and a wildcard token may choose', async () => {
    const get = await start({ auth: parseTokenList('tok-aveiro=aveiro,tok-ops=*') });
    expect((await get('/whoami')).status).toBe(401);
    expect((await get('/whoami', { Authorization: 'Bearer nope' })).status).toBe(401);
    expect(await (await get('/whoami', { Authorization: 'Bearer tok-aveiro' })).json()).toEqual({
      tenant: 'aveiro',
    });
    const other = await get('/whoami', { Authorization: 'Bearer tok-aveiro', 'X-Scope-OrgID': 'braga' });
    expect(other.status).toBe(403);
    expect(await other.text()).toBe('this token may not read tenant "braga"');
    expect(
      await (await get('/whoami', { Authorization: 'Bearer tok-ops', 'X-Scope-OrgID': 'braga' })).json(),
    ).toEqual({
      tenant: 'braga',
    });
    // Health checks stay open.
    expect((await get('/api/echo')).status).toBe(200);
  });

  it('serves the self-metrics registry on /metrics', async () => {
    const registry = new Registry();
    const { Counter } = await import('prom-client');
    new Counter({ name: 'dss_collector_test_total', help: 'test', registers: [registry] }).inc(3);
    const get = await start({ registry });
    expect(await (await get('/metrics')).text()).toContain('dss_collector_test_total 3');
  });

  it('refuses to listen beyond loopback without authentication', async () => {
    await expect(startQueryServer({ host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /refusing to serve on 0\.0\.0\.0 without authentication/,
    );
  });
});

describe('token list', () => {
  it('parses token=tenant pairs and names a bad entry without echoing its token', () => {
    expect(parseTokenList('a=aveiro, b=*')).toEqual({
      tokens: [
        { token: 'a', tenant: 'aveiro' },
        { token: 'b', tenant: '*' },
      ],
    });
    expect(() => parseTokenList('good=aveiro,supersecret')).toThrow(
      'token entry 2 is not of the form token=tenant',
    );
    let message = '';
    try {
      parseTokenList('supersecret');
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/token entry 1 is not of the form/);
    expect(message).not.toContain('supersecret');
  });

  it('a tenant token cannot widen its scope by omitting the header', () => {
    expect(resolveTenant({ authorization: 'Bearer a' }, parseTokenList('a=aveiro'))).toBe('aveiro');
  });
});
