// Run by alerts/test/outbox-crash.test.ts as a child process (node, type stripping):
//   node crash-child.ts <sqlite file> <fake Slack API base> <token>
// Enqueues a storm of 50 firing notifications over 3 receivers (channels C-0, C-1, C-2; some groups
// repeat, so some are thread replies), each in its own transaction and idempotently (a restart enqueues
// the same keys again, which does nothing), delivers them in bot mode, prints "done" and exits.
import Database from 'better-sqlite3';
import {
  createSlackIntegrations,
  deliveryKey,
  Outbox,
  OutboxWorker,
  RateLimiter,
} from '../../../src/notify/outbox/index.ts';
import { notification } from './fixtures.ts';

const [file, apiUrl, token] = process.argv.slice(2);
if (!file || !apiUrl || !token) throw new Error('usage: crash-child.ts <db> <api url> <token>');

export const STORM = 50;

const db = new Database(file);
db.pragma('journal_mode = WAL');
const outbox = new Outbox(db);
const limiter = new RateLimiter({ ratePerSecond: 1, burst: 2 });
const integrations = [0, 1, 2].flatMap((c) =>
  createSlackIntegrations(
    {
      name: `r${c}`,
      slackConfigs: [
        {
          channel: `C${c}`,
          api_url: `${apiUrl}/chat.postMessage`,
          http_config: { authorization: { credentials: token } },
          send_resolved: true,
          timeout: '2s',
        },
      ],
    },
    { limiter, env: {}, client: { initialBackoffMs: 50, maxBackoffMs: 500 } },
  ),
);
const worker = new OutboxWorker({
  outbox,
  integrations,
  retryInitialMs: 100,
  retryMaxMs: 1000,
  pollIntervalMs: 50,
  onDeadLetter: (row) => process.stderr.write(`dead: ${row.deliveryKey}: ${row.lastError}\n`),
});
worker.start();
for (let i = 0; i < STORM; i++) {
  const n = notification({
    receiver: `r${i % 3}`,
    client: `client-${i % 3}`,
    tank: `T-${Math.floor(i / 3) % 14}`,
  });
  for (const a of n.alerts) a.annotations.summary = `storm ${i}`;
  db.transaction(() => {
    outbox.enqueue({
      deliveryKey: deliveryKey(n, 'slack/0', `storm-${i}`),
      receiver: n.receiver,
      integration: 'slack/0',
      groupKey: n.groupKey,
      payload: n,
    });
  })();
  process.stdout.write(`enqueued ${i}\n`);
}
await worker.drain(120_000);
await worker.stop();
db.close();
process.stdout.write('done\n');
