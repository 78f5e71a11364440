// The Slack digest: Block Kit structure and escaping, posting with 429 Retry-After and 5xx retries against a
// local fake Incoming Webhook, the weekly schedule (weekday, local time, DST), and `dora serve` posting it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../src/metrics/load.ts';
import { weeklyReport } from '../src/report/weekly.ts';
import { generateHistory, sampleConfig } from '../src/sample/generator.ts';
import { loadHistory } from '../src/sample/load.ts';
import { startDoraServer } from '../src/serve/server.ts';
import { slackDigest } from '../src/slack/digest.ts';
import { postToSlack, SlackError } from '../src/slack/post.ts';
import { nextRun, parseSchedule } from '../src/slack/schedule.ts';
import { openStore } from '../src/store/db.ts';

interface FakeSlack {
  url: string;
  bodies: unknown[];
  /** Answers to give, in order; then 200 `ok`. */
  answers: { status: number; body?: string; headers?: Record<string, string> }[];
  close(): Promise<void>;
}

async function startFakeSlack(): Promise<FakeSlack> {
  const fake: FakeSlack = { url: '', bodies: [], answers: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => {
      fake.bodies.push(JSON.parse(text));
      const a = fake.answers.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secretpart`;
  fake.close = () => new Promise((r) => server.close(() => r()));
  return fake;
}

const db = openStore(':memory:');
loadHistory(
  db,
  generateHistory({ seed: 3, clients: ['aveiro', 'braga'], days: 120, start: '2026-08-01T00:00:00Z' }),
  sampleConfig('https://gitlab.example.com', ['aveiro', 'braga']),
);
const ds = loadDataset(db);
db.close();

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());

describe('the Slack digest', () => {
  it('is Block Kit: a header, each scope with the six keys, bands and changes, escaped, with a link', () => {
    const report = weeklyReport(ds, { week: '2026-W40' });
    (report.scopes[1] as { client: string }).client = 'a<b>&c';
    const d = slackDigest(report, { reportUrl: 'https://dora.example.com/api/v1/reports/2026-W40.html' });
    const blocks = d.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'DORA weekly report 2026-W40' },
    });
    expect(blocks.length).toBeLessThanOrEqual(50);
    const fields = blocks.filter((b) => b.fields);
    expect(fields).toHaveLength(3);
    for (const f of fields) {
      expect(f.fields?.map((x) => x.text.split('\n')[0])).toEqual([
        '*Deployment frequency*',
        '*Lead time (median, p90)*',
        '*Change failure rate*',
        '*Time to restore (median)*',
        '*Failed deployment recovery*',
        '*Rework rate*',
      ]);
    }
    const text = JSON.stringify(blocks);
    expect(text).toContain('*a&lt;b&gt;&amp;c*');
    expect(text).not.toContain('a<b>');
    expect(text).toMatch(/deployments( \((▲ \+|▼ −|= )[^)]*\))? · :[a-z_]+: (elite|high|medium|low)/);
    expect(text).toContain('<https://dora.example.com/api/v1/reports/2026-W40.html|');
    expect(d.text).toMatch(/^DORA weekly report 2026-W40: \d+ deployments/);
  });

  it('is posted through 429 (honouring Retry-After) and 5xx, and fails at once on another 4xx', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    slack.bodies.length = 0;
    slack.answers.push(
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '3' } },
      { status: 503 },
      { status: 500 },
    );
    const r = await postToSlack(slack.url, { text: 'hi' }, { sleep, backoffMs: 10 });
    expect(r.attempts).toBe(4);
    expect(waits).toEqual([3000, 20, 40]);
    expect(slack.bodies).toEqual([{ text: 'hi' }, { text: 'hi' }, { text: 'hi' }, { text: 'hi' }]);

    slack.answers.push({ status: 400, body: 'invalid_payload' });
    const bad = await postToSlack(slack.url, { text: 'x' }, { sleep }).catch((e: Error) => e);
    expect(bad).toBeInstanceOf(SlackError);
    expect(String(bad)).toMatch(/refused the digest \(400\): invalid_payload/);

    slack.answers.push(...Array.from({ length: 3 }, () => ({ status: 502 })));
    const down = await postToSlack(slack.url, { text: 'x' }, { sleep, maxRetries: 2 }).catch((e: Error) => e);
    expect(String(down)).toMatch(/failed after 3 attempts \(last 502/);
    const closed = await postToSlack(
      'http://127.0.0.1:9/services/T/B/secretpart',
      {},
      { sleep, maxRetries: 1 },
    ).catch((e: Error) => e);
    expect(String(closed)).toMatch(/unreachable after 2 attempts/);
    for (const e of [bad, down, closed]) expect(String(e)).not.toContain('secretpart');
  });

  it('goes out on the scheduled weekday and local time, across DST', () => {
    const mon8 = parseSchedule('MON 08:00', 'Europe/Lisbon');
    expect(new Date(nextRun(Date.parse('2026-11-25T12:00:00Z'), mon8)).toISOString()).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    expect(new Date(nextRun(Date.parse('2026-11-30T07:59:00Z'), mon8)).toISOString()).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    expect(new Date(nextRun(Date.parse('2026-11-30T08:00:00Z'), mon8)).toISOString()).toBe(
      '2026-12-07T08:00:00.000Z',
    );
    // Summer time: Lisbon is UTC+1 from 2027-03-28 01:00 UTC; New York UTC−4 from 2027-03-14.
    expect(
      new Date(
        nextRun(Date.parse('2027-03-27T12:00:00Z'), parseSchedule('sun 08:00', 'Europe/Lisbon')),
      ).toISOString(),
    ).toBe('2027-03-28T07:00:00.000Z');
    expect(
      new Date(
        nextRun(Date.parse('2027-03-10T00:00:00Z'), parseSchedule('Monday 9:30', 'America/New_York')),
      ).toISOString(),
    ).toBe('2027-03-15T13:30:00.000Z');
    expect(() => parseSchedule('MONDAY', 'UTC')).toThrow(/not a schedule/);
    expect(() => parseSchedule('XYZ 08:00', 'UTC')).toThrow(/not a schedule/);
    expect(() => parseSchedule('MON 25:00', 'UTC')).toThrow(/not a schedule/);
    expect(() => parseSchedule('MON 08:00', 'Mars/Olympus')).toThrow();
  });

  it('is posted by dora serve at the scheduled time, for the week that just ended', async () => {
    slack.bodies.length = 0;
    const NOW = Date.parse('2026-11-25T12:00:00Z');
    let calls = 0;
    const server = await startDoraServer({
      dbFile: ':memory:',
      sample: true,
      port: 0,
      now: () => NOW,
      log: () => {},
      slack: {
        webhookUrl: slack.url,
        schedule: parseSchedule('MON 08:00', 'UTC'),
        publicUrl: 'https://dora.example.com/',
        nextRunAt: (now) => (++calls === 1 ? now + 30 : now + 86_400_000),
      },
    });
    try {
      for (let i = 0; i < 100 && slack.bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(slack.bodies).toHaveLength(1);
      const body = slack.bodies[0] as { blocks: { text?: { text: string } }[] };
      expect(body.blocks[0]?.text?.text).toBe('DORA weekly report 2026-W47');
      expect(JSON.stringify(body)).toContain('<https://dora.example.com/api/v1/reports/2026-W47.html|');
      for (let i = 0; i < 20 && calls < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(calls).toBe(2); // rescheduled
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain('dss_dora_slack_digests_total{outcome="sent"} 1');
      // The digest shows the published report's figures.
      const archived = (await (await fetch(`${server.url}/api/v1/reports`)).json()) as {
        reports: { week: string }[];
      };
      expect(archived.reports.map((r) => r.week)).toContain('2026-W47');
    } finally {
      await server.close();
    }
  });
});
