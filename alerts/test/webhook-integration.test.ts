// The webhook integration against a real HTTP server on loopback: what it posts, and how each failure is
// classified for the outbox (a 4xx is permanent, a 5xx, a 429 or a refused connection transient), with the
// webhook's host only in messages, since its path or query can hold a secret.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../bin/platform/free-ports.ts';
import type { Notification } from '../src/dispatch/dispatcher.ts';
import { DeliveryError } from '../src/notify/delivery-error.ts';
import type { DeliveryContext } from '../src/notify/outbox/worker.ts';
import { WebhookIntegration } from '../src/notify/webhook.ts';

const alert = (status: 'firing' | 'resolved', name: string) => ({
  status,
  labels: { alertname: name, dss_client: 'north' },
  annotations: {},
  startsAt: '2026-11-23T10:00:00Z',
  endsAt: status === 'resolved' ? '2026-11-23T10:05:00Z' : '0001-01-01T00:00:00Z',
  generatorURL: '',
  fingerprint: name,
});

function notification(status: 'firing' | 'resolved'): Notification {
  return {
    version: '4',
    groupKey: '{}:{dss_client="north"}',
    truncatedAlerts: 0,
    status,
    receiver: 'north-oncall',
    groupLabels: { dss_client: 'north' },
    commonLabels: { dss_client: 'north' },
    commonAnnotations: {},
    externalURL: 'http://alerts.example',
    alerts: [alert('firing', 'TankLow'), alert('resolved', 'TankHigh')],
  };
}

function context(n: Notification): DeliveryContext {
  return {
    row: {} as DeliveryContext['row'],
    notification: n,
    signal: new AbortController().signal,
    maybeSent: false,
    beginAttempt: () => {},
    thread: () => undefined,
    onRetry: () => {},
    onRateLimited: () => {},
  };
}

describe('WebhookIntegration', () => {
  let server: http.Server;
  let base = '';
  let nextStatus = 200;
  const bodies: Notification[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString()) as Notification);
        res.writeHead(nextStatus).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the firing alerts only without send_resolved, and skips resolved notifications', async () => {
    bodies.length = 0;
    nextStatus = 200;
    const hook = new WebhookIntegration('north-oncall', 0, { url: `${base}/hook`, sendResolved: false });
    expect(await hook.deliver(context(notification('firing')))).toEqual({});
    expect(bodies[0]?.alerts.map((a) => a.labels.alertname)).toEqual(['TankLow']);
    expect(await hook.deliver(context(notification('resolved')))).toEqual({
      skipped: 'resolved, send_resolved is false',
    });
    expect(bodies).toHaveLength(1);
  });

  it.each([
    [404, 'permanent'],
    [400, 'permanent'],
    [429, 'transient'],
    [503, 'transient'],
  ] as const)('classifies HTTP %i as %s, naming the host and not the secret path', async (status, kind) => {
    nextStatus = status;
    const hook = new WebhookIntegration('north-oncall', 1, {
      url: `${base}/hooks/s3cr3t-token?key=s3cr3t`,
      sendResolved: true,
    });
    const error = await hook.deliver(context(notification('firing'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind, code: `http_${status}`, status });
    expect((error as Error).message).toBe(`webhook ${new URL(base).host}: HTTP ${status}`);
    expect((error as Error).message).not.toContain('s3cr3t');
  });

  it('classifies a refused connection as transient', async () => {
    const [port] = await freePorts(1);
    const hook = new WebhookIntegration('north-oncall', 2, {
      url: `http://127.0.0.1:${port}/hooks/s3cr3t`,
      sendResolved: true,
    });
    const error = await hook.deliver(context(notification('firing'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: 'transient', code: 'network' });
    expect((error as Error).message).not.toContain('s3cr3t');
  });
});
