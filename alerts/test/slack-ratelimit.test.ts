import { afterEach, expect, it } from 'vitest';
import { notification } from './support/slack-fake/fixtures.ts';
import { botConfig, type Harness, harness, until } from './support/slack-fake/harness.ts';
import { type FakeSlack, startFakeSlack } from './support/slack-fake/server.ts';

let fake: FakeSlack;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await fake?.close();
});

it('keeps 1 message/s on a channel under a burst of 20 (from two receivers) without holding up another channel', async () => {
  // The fake answers 429 beyond 1 message/s per channel (burst 3): none may come back.
  fake = await startFakeSlack({ ratePerSecond: 1, burst: 3 });
  h = harness({
    'north-a': [botConfig(fake, 'CBUSY')],
    'north-b': [botConfig(fake, 'CBUSY')],
    south: [botConfig(fake, 'CQUIET')],
  });
  const start = Date.now();
  for (let i = 0; i < 20; i++)
    h.send(notification({ receiver: i % 2 ? 'north-a' : 'north-b', tank: `T-${i}` }));
  // The quiet channel's notifications come after the storm was queued.
  await new Promise((r) => setTimeout(r, 200));
  const quietQueued = Date.now();
  for (let i = 0; i < 2; i++) h.send(notification({ receiver: 'south', client: 'south', tank: `S-${i}` }));
  await until(() => fake.messages('CQUIET').length === 2, 5000, 'quiet channel');
  const quietDone = Date.now();
  expect(quietDone - quietQueued).toBeLessThan(2500);
  expect(fake.messages('CBUSY').length).toBeLessThan(10);

  await h.worker.drain(40_000);
  const busy = fake.calls('chat.postMessage', 'CBUSY');
  expect(busy.every((c) => c.status === 200)).toBe(true);
  expect(fake.rateLimited).toBe(0);
  expect(fake.messages('CBUSY')).toHaveLength(20);
  // Two at once (the burst), then one a second (arrival times: allow 250 ms of scheduling jitter on a loaded machine;
  // the fake answering no 429 above is the strict check).
  const t0 = busy[0]?.atMs ?? 0;
  busy.forEach((c, i) => {
    if (i >= 1) expect(c.atMs - t0).toBeGreaterThanOrEqual((i - 1) * 1000 - 250);
  });
  expect((busy.at(-1)?.atMs ?? 0) - start).toBeGreaterThanOrEqual(18_000 - 100);
  expect(await h.metric('dss_alerts_slack_rate_limited_total')).toBe(0);
  // The rows of each receiver went in the order they were queued.
  for (const r of ['north-a', 'north-b']) {
    const rows = h.outbox.list({ receiver: r, limit: 100 }).reverse();
    const ts = rows.map((x) => Number(JSON.parse(x.response ?? '{}').ts));
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
  }
}, 60_000);
