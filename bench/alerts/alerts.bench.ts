// `npm run bench -- alerts`: three figures of the alerting service, each printed with its setup.
//
// 1. Evaluation cost of the shipped rules (alerts/rules/dss.rules.yml, 24 rules in 3 groups) over 10,000
//    series (synthetic-dss.ts), every group evaluated every 15 s: the collector's query server runs in a
//    process of its own on the store (bench/collector/query-server-process.ts), the Evaluator in this one; ROUNDS rounds
//    (after one warm-up) at evaluation times 15 s apart at the end of the data, back to back. CPU time of
//    each process (process.cpuUsage) per round, as a share of one core at a 15 s interval, each group's
//    evaluation duration (median, p95), and the query time by rule (each query the evaluator sends, timed).
// 2. Latency from an anomaly entering the data to the Slack request: `startAlerts` (evaluation every 5 s,
//    a copy of DSSTankLevelBelowMinimum with `for: 10s`, group_wait 2 s, a bot-mode slack_configs) against a
//    collector store and Prometheus API in this process, fed every second as live data would be; at T a
//    tank's level drops below its minimum (a sample with timestamp T, appended at T); measured T → the
//    Slack fake stores the message, for TRIALS tanks at staggered times, next to interval + for + group_wait,
//    split at the evaluations that saw and fired the alert (its activeAt and firedAt).
// 3. Notification throughput under a rate-limiting Slack: NOTIFICATIONS notifications over 4 channels
//    through `createDelivery` (the real outbox on a temporary SQLite file, the real Slack integration and
//    rate limiter) against the Slack fake (1 message/s per channel, 429 with Retry-After: 1 beyond, and a
//    scripted 429 with Retry-After: 1 for RATELIMITED of the requests): messages per second overall and per
//    channel against the ideal 1/s per channel, 429s received, and deliveries per notification at the fake.
//
// Settings (environment): BENCH_CLIENTS (10: 1,000 series each), BENCH_ROUNDS (3), BENCH_DENSE_HOURS (2),
// BENCH_COARSE_MINUTES (30), BENCH_TRIALS (5), BENCH_NOTIFICATIONS (200), BENCH_RATELIMITED (0.1),
// BENCH_FIGURES (123: which figures to run). Each figure runs in a process of its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { parseDocument, stringify } from 'yaml';
import { loadRouting } from '../../alerts/src/dispatch/config.ts';
import type { Notification } from '../../alerts/src/dispatch/dispatcher.ts';
import { Evaluator } from '../../alerts/src/evaluation/evaluator.ts';
import { rulesQueries } from '../../alerts/src/evaluation/inline-recorded.ts';
import { AlertStateStore } from '../../alerts/src/evaluation/state-store.ts';
import { startAlerts } from '../../alerts/src/index.ts';
import { createDelivery } from '../../alerts/src/notify/delivery.ts';
import { loadRuleFile } from '../../alerts/src/rules/index.ts';
import { openStateDatabase } from '../../alerts/src/state/database.ts';
import { startFakeSlack } from '../../alerts/test/support/slack-fake/server.ts';
import { prometheusRoutes } from '../../collector/src/api/prometheus/index.ts';
import type { AppendSample } from '../../collector/src/metrics/model.ts';
import { MetricsStore } from '../../collector/src/store/metrics-store.ts';
import { openDatabase } from '../../collector/src/store/open-database.ts';
import { percentile, rate, startCollectorProcess } from '../collector/support.ts';
import { seededRandom } from '../collector/synthetic-store.ts';
import { dssSeries } from './synthetic-dss.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DENSE_HOURS = Number(process.env.BENCH_DENSE_HOURS ?? 2);
const COARSE_MINUTES = Number(process.env.BENCH_COARSE_MINUTES ?? 30);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 200);
const RATELIMITED = Number(process.env.BENCH_RATELIMITED ?? 0.1);
const FIGURES = process.env.BENCH_FIGURES ?? '123';

const RULES_FILE = fileURLToPath(new URL('../../alerts/rules/dss.rules.yml', import.meta.url));
const INTERVAL_MS = 15_000;
const END_MS = Date.UTC(2026, 0, 12, 14); // a Monday afternoon

const median = (values: number[]) => percentile(values, 50);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

// ---------------------------------------------------------------------------------------------------------
// 1. Evaluation cost

async function evaluationCost(): Promise<void> {
  console.log('\n--- 1. evaluation cost of alerts/rules/dss.rules.yml, every group every 15 s');
  const dir = mkdtempSync(join(tmpdir(), 'dss-bench-alerts-eval-'));
  try {
    const data = dssSeries({
      endMs: END_MS,
      timesPerBatch: 20,
      clients: CLIENTS,
      denseMs: DENSE_HOURS * 3_600_000,
      coarseMs: COARSE_MINUTES * 60_000,
    });
    const dbPath = join(dir, 'collector.sqlite');
    const { db } = openDatabase(dbPath);
    const store = new MetricsStore(db);
    const loadStarted = performance.now();
    let samples = 0;
    for (const batch of data.batches()) {
      store.appendSync(batch);
      samples += batch.samples.length;
    }
    store.compactSync();
    db.close();
    console.log(
      `data: ${rate(data.seriesCount)} series (${CLIENTS} clients x 100 tanks (level, min, max), 75 pumps, ` +
        '25 jobs (last success, period, failures, 22 duration buckets)), ' +
        `${rate(samples)} samples, loaded in ${seconds(performance.now() - loadStarted)} s`,
    );
    console.log(
      `  every 15 s over the last ${DENSE_HOURS} h; every ${COARSE_MINUTES} min back to 7 days (coarser than live ` +
        'data: the [1d] and [7d] windows read fewer samples than they would); tank levels also every 15 s over ' +
        'the hour before the same time on each of the previous 6 days (the seasonal rules read those)',
    );

    const server = await startCollectorProcess<{ queryPort: number }>(
      dbPath,
      fileURLToPath(new URL('../collector/query-server-process.ts', import.meta.url)),
    );
    const serverCpu = async (): Promise<number> => {
      const answer = new Promise<number>((resolve) => {
        let output = '';
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /^CPU (.*)$/m.exec(output);
          if (match) {
            server.child.stdout?.off('data', onData);
            const usage = JSON.parse(match[1] as string) as { user: number; system: number };
            resolve((usage.user + usage.system) / 1e6);
          }
        };
        server.child.stdout?.on('data', onData);
      });
      server.child.kill('SIGUSR2');
      return answer;
    };
    const stateDb = openStateDatabase(join(dir, 'alerts.sqlite'));
    try {
      const { groups, errors } = loadRuleFile(RULES_FILE);
      if (errors.length > 0) throw new Error(`${RULES_FILE}: ${errors.length} errors`);
      const logs: string[] = [];
      let notified = 0;
      // Groups without an interval (dss-tanks, dss-jobs) get 15 s; dss-job-duration-hourly keeps its 1 h as
      // the step of the [7d:1h] subquery dss-jobs reads its recorded name through, but is evaluated every
      // round like the others.
      const evaluator = new Evaluator({
        groups,
        queryUrl: `http://127.0.0.1:${server.ports.queryPort}`,
        store: new AlertStateStore(stateDb),
        defaultIntervalMs: INTERVAL_MS,
        onAlerts: (alerts) => {
          notified += alerts.length;
        },
        log: (m) => logs.push(m),
        queryTimeoutMs: 120_000,
      });
      // Each query the evaluator sends, timed to the answer's headers and attributed to its rule (the query
      // text the evaluator sends for it, recorded names inlined) or to templates' `query` calls.
      const ruleOf = new Map<string, string>();
      rulesQueries(groups, (g) => (g.intervalSet ? g.intervalMs : INTERVAL_MS)).forEach(({ queries }, i) => {
        const group = groups[i];
        queries.forEach((q, j) => {
          ruleOf.set(q, `${group?.name} ${group?.rules[j]?.name}`);
        });
      });
      const TEMPLATES = "annotation templates' `query` calls";
      const queryMs = new Map<string, number>();
      let timing = false;
      const originalFetch = globalThis.fetch;
      globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
        const started = performance.now();
        const response = await originalFetch(input, init);
        if (timing) {
          const query = new URL(input instanceof Request ? input.url : input).searchParams.get('query') ?? '';
          const rule = ruleOf.get(query) ?? TEMPLATES;
          queryMs.set(rule, (queryMs.get(rule) ?? 0) + performance.now() - started);
        }
        return response;
      }) as typeof fetch;
      const names = groups.map((g) => g.name);
      const durations = new Map<string, number[]>(names.map((n) => [n, []]));
      const round = async (timeMs: number, record: boolean) => {
        for (const name of names) {
          const started = performance.now();
          await evaluator.evaluateGroup(name, timeMs);
          if (record) durations.get(name)?.push(performance.now() - started);
        }
      };
      const firstMs = END_MS - ROUNDS * INTERVAL_MS;
      const warmStarted = performance.now();
      await round(firstMs, false);
      const warmMs = performance.now() - warmStarted;
      const cpuBefore = process.cpuUsage();
      const serverBefore = await serverCpu();
      const started = performance.now();
      timing = true;
      for (let r = 1; r <= ROUNDS; r++) await round(firstMs + r * INTERVAL_MS, true);
      timing = false;
      globalThis.fetch = originalFetch;
      const wallS = (performance.now() - started) / 1000;
      const serverS = (await serverCpu()) - serverBefore;
      const own = process.cpuUsage(cpuBefore);
      const evaluatorS = (own.user + own.system) / 1e6;

      const states = new Map<string, number>();
      for (const a of evaluator.alerts())
        if (a.state !== 'inactive') {
          const key = `${a.labels.alertname} ${a.state}`;
          states.set(key, (states.get(key) ?? 0) + 1);
        }
      console.log(
        `rules: ${groups.reduce((n, g) => n + g.rules.length, 0)} in ${groups.length} groups; ${ROUNDS} rounds ` +
          `(after one warm-up round of ${seconds(warmMs)} s) in ${wallS.toFixed(1)} s of wall time, ` +
          `${(notified / (ROUNDS + 1)).toFixed(0)} alerts handed on per round`,
      );
      console.log(
        `alerts at the end: ${[...states].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}` +
          (logs.length > 0 ? `\nevaluator log: ${logs.join(' | ')}` : ''),
      );
      const share = (cpuS: number) => `${((100 * cpuS) / ROUNDS / (INTERVAL_MS / 1000)).toFixed(1)} %`;
      console.log('\nCPU per round (s)   share of one core at a 15 s interval');
      console.log(
        `evaluator      ${(evaluatorS / ROUNDS).toFixed(3).padStart(6)}   ${share(evaluatorS).padStart(8)}`,
      );
      console.log(
        `query server   ${(serverS / ROUNDS).toFixed(3).padStart(6)}   ${share(serverS).padStart(8)}`,
      );
      console.log(
        `both           ${((evaluatorS + serverS) / ROUNDS).toFixed(3).padStart(6)}   ${share(evaluatorS + serverS).padStart(8)}`,
      );
      console.log('\ngroup (rules)                         median ms    p95 ms');
      for (const g of groups) {
        const d = durations.get(g.name) ?? [];
        console.log(
          `${`${g.name} (${g.rules.length})`.padEnd(36)} ${median(d).toFixed(0).padStart(10)} ${percentile(d, 95).toFixed(0).padStart(9)}`,
        );
      }
      const ranked = [...queryMs].sort((a, b) => b[1] - a[1]);
      const total = ranked.reduce((n, [, ms]) => n + ms, 0);
      console.log(
        '\nquery time per round, by rule (ms, share of all query time; wall time, the server is single-threaded)',
      );
      for (const [rule, ms] of ranked.slice(0, 8))
        console.log(
          `${rule.padEnd(72)} ${(ms / ROUNDS).toFixed(0).padStart(7)} ${((100 * ms) / total).toFixed(0).padStart(4)} %`,
        );
      const rest = ranked.slice(8);
      if (rest.length > 0)
        console.log(
          `${`${rest.length} other rules`.padEnd(72)} ${(rest.reduce((n, [, ms]) => n + ms, 0) / ROUNDS).toFixed(0).padStart(7)} ${((100 * rest.reduce((n, [, ms]) => n + ms, 0)) / total).toFixed(0).padStart(4)} %`,
        );
      await evaluator.stop();
    } finally {
      stateDb.close();
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// 2. Anomaly → Slack latency

const LATENCY = { intervalMs: 5_000, forMs: 10_000, groupWaitMs: 2_000 };
const SLACK_TOKEN = 'xoxb-fake-token';

/** The shipped dss-tanks group cut to DSSTankLevelBelowMinimum and the rules it reads, with short timings. */
function latencyRules(): string {
  const doc = parseDocument(readFileSync(RULES_FILE, 'utf8')).toJS() as {
    groups: Array<{ name: string; interval?: string; rules: Array<Record<string, unknown>> }>;
  };
  const tanks = doc.groups.find((g) => g.name === 'dss-tanks');
  if (!tanks) throw new Error('dss-tanks not found');
  const keep = [
    'dss_tank:level_meters:max',
    'dss_tank:min_level_meters:max',
    'dss_tank:max_level_meters:min',
    'dss_tank:level_hysteresis_meters',
    'DSSTankLevelBelowMinimum',
  ];
  const rules = tanks.rules
    .filter((r) => keep.includes(String(r.record ?? r.alert)))
    .map((r) => (r.alert ? { ...r, for: `${LATENCY.forMs / 1000}s` } : r));
  return stringify({
    groups: [{ name: 'dss-tanks', interval: `${LATENCY.intervalMs / 1000}s`, rules }],
  });
}

async function anomalyLatency(): Promise<void> {
  console.log('\n--- 2. anomaly → Slack request latency');
  const dir = mkdtempSync(join(tmpdir(), 'dss-bench-alerts-latency-'));
  const ids = Array.from({ length: TRIALS }, (_, k) => `T9${String(k + 1).padStart(2, '0')}`);
  const received = new Map<string, number>();
  const fake = await startFakeSlack({
    onStored: (m) => {
      const text = `${m.text} ${JSON.stringify(m.blocks)}`;
      for (const id of ids) if (!received.has(id) && text.includes(id)) received.set(id, Date.now());
    },
  });
  const { db } = openDatabase(join(dir, 'collector.sqlite'));
  const store = new MetricsStore(db);
  const app = Fastify();
  app.decorateRequest('tenant', undefined);
  prometheusRoutes(app, store);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const queryUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  let feeder: NodeJS.Timeout | undefined;
  let alerts: Awaited<ReturnType<typeof startAlerts>> | undefined;
  try {
    const low = new Set<string>();
    const append = (t: number) => {
      const samples: AppendSample[] = [];
      for (const id of ids) {
        const base = { dss_client: 'north', dss_tank_id: id };
        const labels = { ...base, job: 'dss-intake', instance: 'intake:9464' };
        samples.push(
          {
            labels: { __name__: 'dss_tank_level_meters', ...labels },
            timestampMs: t,
            value: low.has(id) ? 0.5 : 2.5,
          },
          { labels: { __name__: 'dss_tank_min_level_meters', ...labels }, timestampMs: t, value: 1 },
          { labels: { __name__: 'dss_tank_max_level_meters', ...labels }, timestampMs: t, value: 4 },
        );
      }
      store.appendSync({ tenant: 'north', samples });
    };
    // 10 minutes of history at 15 s, then a sample every second.
    const now = Date.now();
    for (let t = now - 600_000; t < now; t += 15_000) append(t);
    feeder = setInterval(() => append(Date.now()), 1000);

    const rulesFile = join(dir, 'rules.yml');
    writeFileSync(rulesFile, latencyRules());
    const amFile = join(dir, 'alertmanager.yml');
    writeFileSync(
      amFile,
      stringify({
        route: {
          receiver: 'on-call',
          group_by: ['alertname', 'dss_client', 'dss_tank_id'],
          group_wait: `${LATENCY.groupWaitMs / 1000}s`,
          group_interval: '5m',
          repeat_interval: '4h',
          routes: [{ receiver: 'north', matchers: ['dss_client="north"'] }],
        },
        receivers: [
          { name: 'on-call' },
          {
            name: 'north',
            slack_configs: [
              {
                channel: 'C0000NORTH',
                api_url: `${fake.apiUrl}/chat.postMessage`,
                http_config: { authorization: { type: 'Bearer', credentials: SLACK_TOKEN } },
              },
            ],
          },
        ],
      }),
    );
    const dssFile = join(dir, 'dss-alerts.yml');
    writeFileSync(
      dssFile,
      stringify({
        receivers: { 'on-call': { client: '*', console: false }, north: { client: 'north', console: false } },
      }),
    );
    const logs: string[] = [];
    alerts = await startAlerts({
      ruleFiles: [rulesFile],
      queryUrl,
      alertmanagerConfig: amFile,
      config: dssFile,
      statePath: join(dir, 'alerts.sqlite'),
      log: (m) => logs.push(m),
    });
    // The evaluation times (the evaluator's own timer calls evaluateGroup with them).
    const evaluationTimes: number[] = [];
    const evaluateGroup = alerts.evaluator.evaluateGroup.bind(alerts.evaluator);
    alerts.evaluator.evaluateGroup = (name: string, timeMs?: number) => {
      if (timeMs !== undefined) evaluationTimes.push(timeMs);
      return evaluateGroup(name, timeMs);
    };
    const startedAt = Date.now();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    console.log(
      `setup: startAlerts with ${rulesFile.replace(dir, '<tmp>')} = dss-tanks of dss.rules.yml cut to ` +
        `DSSTankLevelBelowMinimum and the 4 recording rules it reads, interval ${LATENCY.intervalMs / 1000} s, ` +
        `for ${LATENCY.forMs / 1000} s (shipped: 1m interval, for 5m); group_wait ${LATENCY.groupWaitMs / 1000} s ` +
        '(shipped: 30s, 10s for critical); a bot-mode slack_configs entry to the Slack fake; the Prometheus API ' +
        'and store in this process, a sample per tank every second',
    );
    // Anomalies at staggered times, so that they fall at different phases of the 5 s evaluation cycle.
    const triggered = new Map<string, number>();
    const stagger = 3_100;
    for (const [k, id] of ids.entries()) {
      await sleep(Math.max(0, startedAt + 2_000 + k * stagger - Date.now()));
      const t = Date.now();
      low.add(id);
      append(t);
      triggered.set(id, t);
    }
    const deadline = Date.now() + 3 * (LATENCY.intervalMs + LATENCY.forMs + LATENCY.groupWaitMs);
    while (received.size < ids.length && Date.now() < deadline) await sleep(100);
    const latencies: number[] = [];
    // From the evaluator's alerts: the evaluation that first saw the anomaly (activeAt) and the one that
    // fired it (firedAt); the rest is the dispatcher (group_wait), the outbox and the Slack request.
    const evaluated = new Map(
      (alerts?.evaluator.alerts() ?? []).map((a) => [a.labels.dss_tank_id ?? '', a] as const),
    );
    console.log('\ntank   phase in 5 s cycle   T → seen   seen → firing   firing → Slack   T → Slack (s)');
    const cell = (from: number | undefined, to: number | undefined, width: number) =>
      (from === undefined || to === undefined ? '-' : ((to - from) / 1000).toFixed(2)).padStart(width);
    for (const id of ids) {
      const t = triggered.get(id) as number;
      const at = received.get(id);
      const alert = evaluated.get(id);
      if (at !== undefined) latencies.push(at - t);
      console.log(
        `${id}   ${seconds((t - startedAt) % LATENCY.intervalMs).padStart(18)}   ${cell(t, alert?.activeAtMs, 8)}   ` +
          `${cell(alert?.activeAtMs, alert?.firedAtMs, 13)}   ${cell(alert?.firedAtMs, at, 14)}   ${cell(t, at, 13)}`,
      );
    }
    const target = LATENCY.intervalMs + LATENCY.forMs + LATENCY.groupWaitMs;
    console.log(
      `\nT → Slack: median ${seconds(median(latencies))} s, max ${seconds(Math.max(...latencies))} s, min ` +
        `${seconds(Math.min(...latencies))} s (${latencies.length}/${ids.length} received); target interval + for + ` +
        `group_wait = ${LATENCY.intervalMs / 1000} + ${LATENCY.forMs / 1000} + ${LATENCY.groupWaitMs / 1000} = ${target / 1000} s`,
    );
    loopDelay.disable();
    const spacing = evaluationTimes.slice(1).map((t, i) => t - (evaluationTimes[i] as number));
    const short = spacing.filter((ms) => ms < LATENCY.intervalMs).length;
    console.log(
      `evaluations: ${evaluationTimes.length}, ${LATENCY.intervalMs / 1000} s apart by the timer: spacing min ` +
        `${Math.min(...spacing)} ms, max ${Math.max(...spacing)} ms, ${short} below ${LATENCY.intervalMs} ms` +
        `: an alert whose \`for\` spans a short gap fires one evaluation later (seen → firing ${(LATENCY.forMs + LATENCY.intervalMs) / 1000} s)`,
    );
    console.log(
      `largest event-loop delay in this process during the trials: ${(loopDelay.max / 1e6).toFixed(0)} ms; alerts ` +
        'firing in the same evaluation share the Slack limiter of their channel (1 message/s, burst 2)',
    );
    if (logs.some((m) => m.includes('failing'))) console.log(`alerts log: ${logs.join(' | ')}`);
  } finally {
    clearInterval(feeder);
    await alerts?.stop();
    await app.close();
    await fake.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// 3. Throughput under rate limiting

async function rateLimitedThroughput(): Promise<void> {
  console.log('\n--- 3. notification throughput under a rate-limiting Slack');
  const dir = mkdtempSync(join(tmpdir(), 'dss-bench-alerts-slack-'));
  const channels = ['C00000001', 'C00000002', 'C00000003', 'C00000004'];
  const storedAt = new Map<string, number[]>(channels.map((c) => [c, []]));
  const fake = await startFakeSlack({
    onStored: (m) => storedAt.get(m.channel)?.push(Date.now()),
  });
  const random = seededRandom(11);
  let scripted = 0;
  // Enough faults for every request a channel can get (each 429 adds one): a pass or a 429, at random.
  for (const channel of channels)
    for (let i = 0; i < (3 * NOTIFICATIONS) / channels.length; i++) {
      const limited = random() < RATELIMITED;
      if (limited) scripted++;
      fake.script(
        'chat.postMessage',
        [limited ? { kind: 'ratelimit', retryAfter: 1 } : { kind: 'pass' }],
        channel,
      );
    }
  const receivers = channels.map((_, i) => `team-${i + 1}`);
  const amFile = join(dir, 'alertmanager.yml');
  writeFileSync(
    amFile,
    stringify({
      route: { receiver: receivers[0] },
      receivers: receivers.map((name, i) => ({
        name,
        slack_configs: [
          {
            channel: channels[i],
            api_url: `${fake.apiUrl}/chat.postMessage`,
            http_config: { authorization: { type: 'Bearer', credentials: SLACK_TOKEN } },
          },
        ],
      })),
    }),
  );
  const dssFile = join(dir, 'dss-alerts.yml');
  writeFileSync(
    dssFile,
    stringify({ receivers: Object.fromEntries(receivers.map((r) => [r, { client: '*', console: false }])) }),
  );
  const db = openStateDatabase(join(dir, 'alerts.sqlite'));
  const registry = new Registry();
  const { alertmanager, dss } = loadRouting(amFile, dssFile);
  const delivery = createDelivery({ alertmanager, dss, db, log: () => {}, registry });
  try {
    console.log(
      `setup: ${NOTIFICATIONS} firing notifications (each a new alert group: one chat.postMessage) to 4 receivers, ` +
        'one bot-mode slack_configs each, one channel each, enqueued at once through createDelivery ' +
        `(outbox on a temporary SQLite file); the Slack fake allows 1 message/s per channel (burst 3) and ` +
        `answers 429 Retry-After: 1 to ${(100 * RATELIMITED).toFixed(0)} % of the requests at random`,
    );
    const t0 = Date.now();
    for (let i = 0; i < NOTIFICATIONS; i++) {
      const receiver = receivers[i % receivers.length] as string;
      delivery.notify(notification(receiver, i));
    }
    await delivery.worker.drain(10 * NOTIFICATIONS * 1000);
    const lastStored = Math.max(...[...storedAt.values()].map((times) => times.at(-1) ?? t0));
    const elapsedS = (lastStored - t0) / 1000;
    const posts = fake.calls('chat.postMessage');
    const got429 = posts.filter((r) => r.status === 429);
    const byDelivery = new Map<string, number>();
    for (const m of fake.messages()) {
      const id = String(m.metadata?.event_payload.delivery_id ?? '');
      byDelivery.set(id, (byDelivery.get(id) ?? 0) + 1);
    }
    const once = [...byDelivery.values()].filter((n) => n === 1).length;
    const delivered = fake.messages().length;
    console.log(
      '\nchannel      messages   429s   last at (s)   msg/s since enqueue (ideal 1)   steady msg/s (first → last)',
    );
    for (const channel of channels) {
      const times = storedAt.get(channel) ?? [];
      const span = ((times.at(-1) ?? t0) - t0) / 1000;
      const steady = (times.length - 1) / (((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000);
      console.log(
        `${channel}  ${String(times.length).padStart(9)} ${String(got429.filter((r) => r.channel === channel).length).padStart(6)} ${span.toFixed(1).padStart(13)} ${(times.length / span).toFixed(2).padStart(29)} ${steady.toFixed(2).padStart(29)}`,
      );
    }
    console.log(
      `\noverall: ${delivered} messages in ${elapsedS.toFixed(1)} s (enqueue → last message stored) = ${(delivered / elapsedS).toFixed(2)} msg/s; ` +
        `ideal ${channels.length} msg/s (1/s per channel); achieved / ideal = ${(delivered / elapsedS / channels.length).toFixed(2)}`,
    );
    console.log(
      `429s received: ${got429.length} of ${posts.length} chat.postMessage requests ` +
        `(${got429.filter((r) => r.fault === 'ratelimit').length} scripted, ${fake.rateLimited} for exceeding 1 msg/s)`,
    );
    console.log(
      `exactly once at the fake: ${once} of ${NOTIFICATIONS} notifications delivered once, ` +
        `${[...byDelivery.values()].filter((n) => n > 1).length} more than once, ${NOTIFICATIONS - byDelivery.size} never ` +
        `(outbox pending ${delivery.outbox.pendingCount()}, ${scripted} 429s were scripted, not all used)`,
    );
  } finally {
    await delivery.stop();
    db.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function notification(receiver: string, i: number): Notification {
  const labels = {
    alertname: 'DSSTankLevelBelowMinimum',
    severity: 'critical',
    dss_client: 'north',
    dss_tank_id: `T-${String(i).padStart(4, '0')}`,
  };
  const annotations = {
    summary: `Tank ${labels.dss_tank_id} (north) is below its minimum level`,
    description: `The level of tank ${labels.dss_tank_id} is 0.52 m, below its minimum level.`,
    runbook_url: 'docs/alerts-rules.md#dsstanklevelbelowminimum',
  };
  const startsAt = new Date(Date.now() - 300_000).toISOString();
  return {
    version: '4',
    groupKey: `{}:{alertname="${labels.alertname}", dss_client="north", dss_tank_id="${labels.dss_tank_id}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver,
    groupLabels: { alertname: labels.alertname, dss_client: 'north', dss_tank_id: labels.dss_tank_id },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: 'http://127.0.0.1:3400',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations,
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: i.toString(16).padStart(16, '0'),
      },
    ],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Each figure in a process of its own, so that figure 1's large heap and its collection cannot stall the
// timers that figures 2 and 3 measure.
const figures: Record<string, () => Promise<void>> = {
  '1': evaluationCost,
  '2': anomalyLatency,
  '3': rateLimitedThroughput,
};
const figure = process.env.BENCH_FIGURE;
if (figure) await figures[figure]?.();
else
  for (const f of Object.keys(figures).filter((f) => FIGURES.includes(f))) {
    const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_FIGURE: f },
    });
    if (result.status !== 0) process.exitCode = 1;
  }
