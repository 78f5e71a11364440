// An injected leak becomes the shipped tank alert at the client's receiver, within the documented delay:
// the time the data takes to arrive (the intake's scan, one metric export), then the rule's `for` (5 min for
// DSSTankLevelBelowMinimum), one evaluation interval and the route's group_wait (10 s for critical alerts).
// This is the slowest test of the suite (about 8 minutes: the tank drains, then `for` runs on the wall clock).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../support/platform.ts';

const EVALUATION_INTERVAL_S = 15;
/** for (5 min) + one evaluation + group_wait (10 s) + data arrival (intake scan 5 s, metric export 15 s) + slack. */
const DOCUMENTED_DELAY_MS = (300 + EVALUATION_INTERVAL_S + 10 + 20 + 30) * 1000;

interface Notification {
  receiver: string;
  status: string;
  alerts: { labels: Record<string, string> }[];
}

describe('an injected leak', () => {
  let platform: Platform;
  let dir: string;
  let queryPort = 0;

  beforeAll(async () => {
    platform = await startPlatform({
      prefix: 'dss-leak-',
      args: () => [
        '--accelerate',
        '60',
        '--backfill-hours',
        '1',
        '--alert-interval',
        String(EVALUATION_INTERVAL_S),
        '--inject',
        'leak,client=north,tank=T1,rate=400',
        '--no-dora',
      ],
    });
    ({ dir, queryPort } = platform);
  });

  afterAll(async () => {
    await platform.stop();
    platform.remove();
  }, 30_000);

  it(
    "fires DSSTankLevelBelowMinimum for that tank, at that client's receiver only, in time",
    async () => {
      const belowMinimum =
        'min_over_time(dss_tank_level_meters{dss_client="north",dss_tank_id="T1"}[1m]) < on() group_left() max(dss_tank_min_level_meters{dss_client="north",dss_tank_id="T1"})';
      let drainedAt: number | undefined;
      let alert: Notification | undefined;
      const file = join(dir, 'data', 'alerts', 'notifications.jsonl');
      const deadline = Date.now() + 10 * 60_000;
      while (!alert && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5000));
        if (drainedAt === undefined) {
          const body = (await (
            await fetch(
              `http://127.0.0.1:${queryPort}/api/v1/query?${new URLSearchParams({ query: belowMinimum })}`,
            ).catch(() => undefined)
          )?.json()) as { data?: { result?: unknown[] } } | undefined;
          if ((body?.data?.result?.length ?? 0) > 0) drainedAt = Date.now();
        }
        if (!existsSync(file)) continue;
        const notes = readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Notification);
        alert = notes.find(
          (n) =>
            n.status === 'firing' && n.alerts.some((a) => a.labels.alertname === 'DSSTankLevelBelowMinimum'),
        );
        const misrouted = notes.filter((n) =>
          n.alerts.some(
            (a) =>
              a.labels.dss_client !== undefined &&
              a.labels.dss_client !== n.receiver &&
              n.receiver !== 'on-call',
          ),
        );
        expect(misrouted).toEqual([]);
      }
      expect(drainedAt, 'the leak never took the tank below its minimum').toBeDefined();
      expect(alert, 'no DSSTankLevelBelowMinimum notification').toBeDefined();
      expect(alert?.receiver).toBe('north');
      expect(alert?.alerts.map((a) => `${a.labels.dss_client}/${a.labels.dss_tank_id}`)).toContain(
        'north/T1',
      );
      const delay = Date.now() - (drainedAt ?? 0);
      console.log(
        `leak → notification: ${(delay / 1000).toFixed(0)} s after the level was first seen below the minimum`,
      );
      expect(delay).toBeLessThanOrEqual(DOCUMENTED_DELAY_MS);
    },
    12 * 60_000,
  );
});
