import { afterEach, describe, expect, it } from 'vitest';
import { METADATA_EVENT_TYPE } from '../src/notify/outbox/index.ts';
import { notification } from './support/slack-fake/fixtures.ts';
import { botConfig, type Harness, harness } from './support/slack-fake/harness.ts';
import { type FakeSlack, startFakeSlack } from './support/slack-fake/server.ts';

let fake: FakeSlack;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await fake?.close();
});

function response(h: Harness, key: string) {
  const row = h.outbox.list({ limit: 1000 }).find((r) => r.deliveryKey === key);
  return { row, response: row?.response ? JSON.parse(row.response) : undefined };
}

describe('webhook mode', () => {
  it('posts text and blocks to the Incoming Webhook; resolved skipped without send_resolved', async () => {
    fake = await startFakeSlack();
    const url = fake.addWebhook('C-hook');
    h = harness({ north: [{ api_url: url }] });
    const [key] = h.send(notification());
    await h.worker.drain(10_000);
    const msgs = fake.messages('C-hook');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]?.text).toContain('[FIRING:1] DSSTankLevelBelowMinimum · north');
    expect(JSON.stringify(msgs[0]?.blocks)).toContain('silence add');
    expect(fake.calls('webhook')[0]?.status).toBe(200);
    expect(response(h, key ?? '').row?.state).toBe('delivered');

    const [rkey] = h.send(notification({ status: 'resolved' }));
    await h.worker.drain(10_000);
    expect(fake.messages('C-hook')).toHaveLength(1);
    expect(response(h, rkey ?? '').response).toEqual({ skipped: 'resolved, send_resolved is false' });
    expect(
      await h.metric('dss_alerts_notifications_total', { receiver: 'north', outcome: 'delivered' }),
    ).toBe(2);
  });

  it('honours a webhook 429 with retry_after in the body, and dead-letters invalid_payload', async () => {
    fake = await startFakeSlack();
    const url = fake.addWebhook('C-hook');
    fake.script('webhook', [
      { kind: 'ratelimit', retryAfter: 0, bodyRetryAfter: 1.5 },
      { kind: 'pass' },
      { kind: 'error', error: 'invalid_payload' },
    ]);
    h = harness({ north: [{ api_url: url, send_resolved: true }] });
    h.send(notification({ tank: 'T-1' }));
    h.send(notification({ tank: 'T-2' }));
    await h.worker.drain(10_000);
    const calls = fake.calls('webhook');
    expect(calls.map((c) => c.status)).toEqual([429, 200, 400]);
    expect((calls[1]?.atMs ?? 0) - (calls[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(1450);
    expect(h.dead).toHaveLength(1);
    expect(h.dead[0]?.lastError).toBe('webhook: HTTP 400 invalid_payload');
    expect(h.dead[0]?.lastError).not.toContain('/services/');
  });
});

describe('bot mode', () => {
  it('posts with metadata, then updates the parent and replies in its thread; resolve closes the thread', async () => {
    fake = await startFakeSlack();
    h = harness({ north: [botConfig(fake, 'CNORTH')] });
    const [k1] = h.send(notification({ tank: 'T-1', alerts: 1 }));
    await h.worker.drain(10_000);
    const [parent] = fake.messages('CNORTH');
    expect(parent?.metadata).toEqual({ event_type: METADATA_EVENT_TYPE, event_payload: { delivery_id: k1 } });
    expect(response(h, k1 ?? '').response).toEqual({ channel: 'CNORTH', ts: parent?.ts, reconciled: false });
    expect(fake.calls('chat.postMessage')[0]?.params).toMatchObject({
      channel: 'CNORTH',
      unfurl_links: false,
    });

    // A later firing notification of the same group: the parent shows it, the thread keeps it.
    const again = notification({ tank: 'T-1' });
    for (const a of again.alerts) a.annotations.summary = 'Tank T-1 still below';
    const [k2] = h.send(again);
    await h.worker.drain(10_000);
    const reply = fake.messages('CNORTH')[1];
    expect(reply?.thread_ts).toBe(parent?.ts);
    expect(reply?.reply_broadcast).toBe(false);
    expect(reply?.metadata?.event_payload.delivery_id).toBe(k2);
    expect(parent?.edits).toHaveLength(1);

    // Resolved: chat.update of the parent to the resolved rendering, and a reply in the thread.
    const [k3] = h.send(notification({ tank: 'T-1', status: 'resolved' }));
    await h.worker.drain(10_000);
    expect(parent?.edits).toHaveLength(2);
    expect(parent?.text.startsWith('✅ [RESOLVED] DSSTankLevelBelowMinimum · north')).toBe(true);
    expect(JSON.stringify(parent?.blocks)).toContain('✅ [RESOLVED]');
    const update = fake.calls('chat.update').at(-1);
    expect(update?.params).toMatchObject({ channel: 'CNORTH', ts: parent?.ts });
    const resolvedReply = fake.messages('CNORTH')[2];
    expect(resolvedReply?.thread_ts).toBe(parent?.ts);
    expect(resolvedReply?.text.startsWith('✅ [RESOLVED]')).toBe(true);
    expect(response(h, k3 ?? '').response).toMatchObject({ threadTs: parent?.ts });
    expect(h.outbox.thread('north', 'slack/0', notification({ tank: 'T-1' }).groupKey)).toBeUndefined();

    // It fires again: a new parent.
    h.send(notification({ tank: 'T-1' }));
    await h.worker.drain(10_000);
    const fourth = fake.messages('CNORTH')[3];
    expect(fourth?.thread_ts).toBeUndefined();
    expect(fake.messages('CNORTH').filter((m) => !m.thread_ts)).toHaveLength(2);
  });

  it('without send_resolved, the parent is still edited to resolved but no reply is posted', async () => {
    fake = await startFakeSlack();
    h = harness({ north: [botConfig(fake, 'CNORTH', { send_resolved: false })] });
    h.send(notification({ tank: 'T-1' }));
    await h.worker.drain(10_000);
    h.send(notification({ tank: 'T-1', status: 'resolved' }));
    await h.worker.drain(10_000);
    expect(fake.messages('CNORTH')).toHaveLength(1);
    expect(fake.messages('CNORTH')[0]?.text.startsWith('✅ [RESOLVED]')).toBe(true);
  });

  it('posts a new parent when the old one was deleted in Slack (chat.update: message_not_found)', async () => {
    fake = await startFakeSlack();
    h = harness({ north: [botConfig(fake, 'CNORTH')] });
    h.send(notification({ tank: 'T-1' }));
    await h.worker.drain(10_000);
    const first = fake.messages('CNORTH')[0];
    fake.deleteMessage('CNORTH', first?.ts ?? '');
    const [key] = h.send(notification({ tank: 'T-1', alerts: 1 }));
    await h.worker.drain(10_000);
    expect(fake.calls('chat.update').map((c) => (c.response as { error?: string }).error)).toEqual([
      'message_not_found',
    ]);
    const [parent] = fake.messages('CNORTH');
    expect(parent?.thread_ts).toBeUndefined();
    expect(parent?.metadata?.event_payload.delivery_id).toBe(key);
    expect(h.outbox.thread('north', 'slack/0', notification({ tank: 'T-1' }).groupKey)?.ts).toBe(parent?.ts);
    expect(h.dead).toHaveLength(0);
  });

  it('waits Retry-After on 429 (header and body) and counts it', async () => {
    fake = await startFakeSlack();
    fake.script('chat.postMessage', [{ kind: 'ratelimit', retryAfter: 2 }]);
    h = harness({ north: [botConfig(fake, 'CNORTH')] });
    h.send(notification({ tank: 'T-1' }));
    await h.worker.drain(10_000);
    const posts = fake.calls('chat.postMessage');
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect((posts[1]?.atMs ?? 0) - (posts[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(2000);
    expect(await h.metric('dss_alerts_slack_rate_limited_total', { receiver: 'north' })).toBe(1);
    expect(fake.messages('CNORTH')).toHaveLength(1);

    fake.script('chat.postMessage', [{ kind: 'ratelimit', retryAfter: 1, bodyRetryAfter: 2.5 }]);
    h.send(notification({ tank: 'T-2' }));
    await h.worker.drain(10_000);
    const more = fake.calls('chat.postMessage').slice(2);
    expect(more.map((p) => p.status)).toEqual([429, 200]);
    expect((more[1]?.atMs ?? 0) - (more[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(2500);
  });

  it('retries 5xx with backoff and posts once', async () => {
    fake = await startFakeSlack();
    fake.script('chat.postMessage', [
      { kind: 'http', status: 500 },
      { kind: 'http', status: 503 },
      { kind: 'error', error: 'service_unavailable' },
    ]);
    h = harness({ north: [botConfig(fake, 'CNORTH')] });
    const [key] = h.send(notification());
    await h.worker.drain(15_000);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([500, 503, 200, 200]);
    expect(fake.messages('CNORTH')).toHaveLength(1);
    expect(response(h, key ?? '').row?.state).toBe('delivered');
    expect(await h.metric('dss_alerts_notifications_total', { outcome: 'retried' })).toBeGreaterThanOrEqual(
      3,
    );
    expect(await h.metric('dss_alerts_notification_latency_seconds')).toBe(1);
  });

  it('reconciles a slow answer (stored, then timed out) through conversations.history: no duplicate', async () => {
    fake = await startFakeSlack();
    fake.script('chat.postMessage', [{ kind: 'slow', delayMs: 1500 }]); // the client's timeout is 1 s
    h = harness({ north: [botConfig(fake, 'CNORTH')] });
    const [key] = h.send(notification());
    await h.worker.drain(15_000);
    expect(fake.messages('CNORTH')).toHaveLength(1);
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
    const history = fake.calls('conversations.history');
    expect(history.length).toBeGreaterThanOrEqual(1);
    expect(history[0]?.params).toMatchObject({ channel: 'CNORTH', include_all_metadata: 'true' });
    const { row, response: r } = response(h, key ?? '');
    expect(row?.state).toBe('delivered');
    expect(r).toEqual({ channel: 'CNORTH', ts: fake.messages('CNORTH')[0]?.ts, reconciled: true });
    expect(h.outbox.thread('north', 'slack/0', notification().groupKey)?.ts).toBe(
      fake.messages('CNORTH')[0]?.ts,
    );
  });

  it('re-posts after internal_error when the message is not in the channel', async () => {
    fake = await startFakeSlack();
    fake.script('chat.postMessage', [{ kind: 'error', error: 'internal_error' }]);
    h = harness({ north: [botConfig(fake, 'CNORTH')] });
    h.send(notification());
    await h.worker.drain(15_000);
    expect(fake.calls('conversations.history')).toHaveLength(1);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([200, 200]);
    expect(fake.messages('CNORTH')).toHaveLength(1);
  });

  it('dead-letters permanent errors (with the callback and metric) without holding up later rows', async () => {
    fake = await startFakeSlack({ channels: ['CNORTH', 'CSOUTH'] });
    fake.script('chat.postMessage', [{ kind: 'error', error: 'invalid_blocks' }], 'CNORTH');
    h = harness({
      north: [botConfig(fake, 'CNORTH')],
      south: [botConfig(fake, 'CSOUTH')],
      gone: [botConfig(fake, 'CGONE')],
    });
    const [bad] = h.send(notification({ tank: 'T-1' }));
    const [good] = h.send(notification({ tank: 'T-2' }));
    h.send(notification({ receiver: 'south', client: 'south' }));
    const [gone] = h.send(notification({ receiver: 'gone', client: 'gone' }));
    await h.worker.drain(10_000);
    expect(h.dead.map((r) => [r.deliveryKey, r.lastError])).toEqual(
      expect.arrayContaining([
        [bad, 'chat.postMessage: invalid_blocks'],
        [gone, 'chat.postMessage: channel_not_found'],
      ]),
    );
    expect(h.dead).toHaveLength(2);
    expect(
      h.outbox
        .list({ state: 'dead' })
        .map((r) => r.deliveryKey)
        .sort(),
    ).toEqual([bad, gone].sort());
    expect(response(h, good ?? '').row?.state).toBe('delivered');
    expect(fake.messages('CNORTH')).toHaveLength(1);
    expect(fake.messages('CSOUTH')).toHaveLength(1);
    expect(await h.metric('dss_alerts_notifications_total', { outcome: 'dead' })).toBe(2);
    expect(
      await h.metric('dss_alerts_notifications_total', { receiver: 'north', outcome: 'delivered' }),
    ).toBe(1);
    // The bad token: invalid_auth is permanent too, and the token shows nowhere.
    const h2 = harness({
      x: [botConfig(fake, 'CNORTH', { http_config: { authorization: { credentials: 'xoxb-wrong-1' } } })],
    });
    h2.send(notification({ receiver: 'x' }));
    await h2.worker.drain(10_000);
    expect(h2.dead[0]?.lastError).toBe('chat.postMessage: invalid_auth');
    expect(JSON.stringify(h2.outbox.list())).not.toContain('xoxb-wrong-1');
    expect(await h2.registry.metrics()).not.toContain('xoxb');
    await h2.close();
  });
});
