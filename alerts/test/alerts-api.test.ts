// The alerts API (Alertmanager API v2 subset) over real HTTP, and `dss-obs alerts silence` against it.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertsApi } from '../src/api/server.ts';
import { bufferedOutput } from '../src/cli/output.ts';
import { silenceAddCommand, silenceExpireCommand, silenceListCommand } from '../src/cli/silence.ts';
import { parseAlertmanagerConfig } from '../src/dispatch/config.ts';
import { Dispatcher, type Notification } from '../src/dispatch/dispatcher.ts';
import { Silences } from '../src/silence/silences.ts';
import { openStateDatabase } from '../src/state/database.ts';

const CONFIG = `
route:
  receiver: north
  group_by: [alertname]
receivers:
  - name: north
`;
const TOKEN = 'test-token-123';

describe('alerts API', () => {
  let url: string;
  let close: () => Promise<void>;
  let dispatcher: Dispatcher;
  const sent: Notification[] = [];
  const db = openStateDatabase(':memory:');
  const silences = new Silences(db);
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    dispatcher = new Dispatcher({
      config: parseAlertmanagerConfig(CONFIG, 'am.yml'),
      notify: (n) => void sent.push(n),
      silences,
    });
    const api = await startAlertsApi(
      {
        dispatcher,
        silences,
        registry: new Registry(),
        resolveTimeoutMs: 300_000,
        receivers: ['north'],
        configText: CONFIG,
        token: TOKEN,
      },
      0,
    );
    url = `http://127.0.0.1:${api.port}`;
    close = api.close;
  });
  afterAll(async () => {
    dispatcher.stop();
    await close();
    db.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('needs the token, except for health', async () => {
    expect((await fetch(`${url}/-/healthy`)).status).toBe(200);
    const res = await fetch(`${url}/api/v2/alerts`);
    expect(res.status).toBe(401);
    expect(await res.json()).toBe('missing or wrong bearer token');
    expect((await post('/api/v2/alerts', [], { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('refuses bad alerts with a message naming the problem, and accepts nothing of a bad batch', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'expected a JSON array'],
      [[{ labels: {} }], '[0].labels: at least one label pair required'],
      [[{ labels: { a: 'b' } }, { labels: { '1x': 'b' } }], '[1].labels: invalid label name "1x"'],
      [[{ labels: { a: 'b' }, startsAt: 'yesterday' }], '[0].startsAt: not an RFC 3339 time'],
      [
        [{ labels: { a: 'b' }, startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' }],
        'start time must be before end time',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await post('/api/v2/alerts', body);
      expect(res.status).toBe(400);
      expect(String(await res.json())).toContain(message);
    }
    const broken = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: auth, body: '[{' });
    expect(broken.status).toBe(400);
    expect(String(await broken.json())).toContain('body is not valid JSON');
    const list = (await (await fetch(`${url}/api/v2/alerts`, { headers: auth })).json()) as unknown[];
    expect(list).toEqual([]);
  });

  it('lists alerts with their silences; the CLI adds, lists and expires silences', async () => {
    expect(
      (
        await post('/api/v2/alerts', [
          { labels: { alertname: 'DSSJobFailed', dss_client: 'north', job: 'forecast' } },
        ])
      ).status,
    ).toBe(200);
    const out = bufferedOutput();
    const client = { url, token: TOKEN };
    expect(
      await silenceAddCommand(
        {
          ...client,
          matchers: ['alertname=DSSJobFailed', 'job=~"fore.*"'],
          duration: '2h',
          author: 'ana',
          comment: 'rerun planned',
        },
        out,
      ),
    ).toBe(0);
    const id = out.out.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const alerts = (await (await fetch(`${url}/api/v2/alerts`, { headers: auth })).json()) as Array<{
      status: { state: string; silencedBy: string[] };
      receivers: Array<{ name: string }>;
    }>;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.status).toMatchObject({ state: 'suppressed', silencedBy: [id] });
    expect(alerts[0]?.receivers).toEqual([{ name: 'north' }]);
    const active = (await (
      await fetch(`${url}/api/v2/alerts?silenced=false`, { headers: auth })
    ).json()) as unknown[];
    expect(active).toEqual([]);

    const table = bufferedOutput();
    expect(await silenceListCommand({ ...client, filter: ['alertname=DSSJobFailed'] }, table)).toBe(0);
    expect(table.out).toContain(id);
    expect(table.out).toContain('alertname="DSSJobFailed" job=~"fore.*"');
    expect(table.out).toContain('rerun planned');
    const none = bufferedOutput();
    expect(await silenceListCommand({ ...client, filter: ['alertname=Other'] }, none)).toBe(0);
    expect(none.out).not.toContain(id);

    const expired = bufferedOutput();
    expect(await silenceExpireCommand({ ...client, ids: [id] }, expired)).toBe(0);
    const again = bufferedOutput();
    expect(await silenceExpireCommand({ ...client, ids: [id] }, again)).toBe(1);
    expect(again.err).toContain(`silence ${id} already expired`);
    const gone = bufferedOutput();
    expect(await silenceExpireCommand({ ...client, ids: ['no-such-id'] }, gone)).toBe(1);
    expect(gone.err).toContain('HTTP 404');
  });

  it('explains bad silences and unreachable APIs', async () => {
    const out = bufferedOutput();
    expect(
      await silenceAddCommand({ url, token: TOKEN, matchers: ['alertname=~".*"'], comment: 'all' }, out),
    ).toBe(1);
    expect(out.err).toContain('at least one matcher must not match the empty string');
    const bad = bufferedOutput();
    expect(
      await silenceAddCommand({ url, token: TOKEN, matchers: ['not a matcher'], comment: 'x' }, bad),
    ).toBe(2);
    expect(bad.err).toContain('bad matcher format');
    const down = bufferedOutput();
    expect(await silenceListCommand({ url: 'http://127.0.0.1:1', filter: [] }, down)).toBe(1);
    expect(down.err).toContain('cannot reach the alerts API at http://127.0.0.1:1');
  });
});
