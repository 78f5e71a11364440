// Alarm floods (ISA-18.2 / EEMUA 191): when more than `alerts` new alerts are annunciated on one channel
// (receiver) within `window`, the channel gets one summary instead of each notification: a DSSAlarmFlood
// notification at the start, an update at most every `summaryInterval` while new notifications are held, and
// a resolved one when at most `endBelow` new alerts arrived within `window`, listing what still fires. The
// guard wraps the notify function; held notifications count as handed over (the dispatcher logs them), so
// the end-of-flood summary is where the operator sees what is still active.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Notification, Notify } from '../dispatch/dispatcher.ts';
import { fingerprint } from '../dispatch/fingerprint.ts';
import { GO_ZERO_TIME, payloadTime } from '../dispatch/payload-time.ts';
import type { FloodSettings } from './settings.ts';

interface ChannelState {
  /** New-alert annunciations: key (fingerprint@startsAt) → time. */
  annunciations: Map<string, number>;
  flooded: boolean;
  floodStartMs: number;
  lastSummaryMs: number;
  held: Map<string, Notification>;
  heldSinceSummary: number;
  heldTotal: number;
}

export interface FloodGuardOptions {
  notify: Notify;
  /** The client a receiver belongs to (`*` for on-call): the summary carries it as dss_client. */
  clientOf: (receiver: string) => string | undefined;
  now?: () => number;
  registry?: Registry;
  externalURL?: string;
  /** Channels known up front: their series exist (at 0) before their first notification. */
  receivers?: string[];
}

export class FloodGuard {
  readonly #s: FloodSettings;
  readonly #o: FloodGuardOptions;
  readonly #now: () => number;
  readonly #channels = new Map<string, ChannelState>();
  readonly #metrics: { alerts: Counter; notifications: Counter; floods: Counter; held: Counter } | undefined;

  constructor(settings: FloodSettings, options: FloodGuardOptions) {
    this.#s = settings;
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const registers = options.registry ? [options.registry] : undefined;
    if (registers) {
      const channels = this.#channels;
      const now = this.#now;
      const windowMs = settings.windowMs;
      this.#metrics = {
        alerts: new Counter({
          name: 'dss_alerts_channel_alerts_total',
          help: 'New alerts annunciated per channel (receiver): the alarm rate of ISA-18.2.',
          labelNames: ['receiver'],
          registers,
        }),
        notifications: new Counter({
          name: 'dss_alerts_channel_notifications_total',
          help: 'Notifications per channel (receiver), before flood control.',
          labelNames: ['receiver'],
          registers,
        }),
        floods: new Counter({
          name: 'dss_alerts_floods_total',
          help: 'Alarm floods per channel (more new alerts within the window than the flood threshold).',
          labelNames: ['receiver'],
          registers,
        }),
        held: new Counter({
          name: 'dss_alerts_flood_held_notifications_total',
          help: 'Notifications held back during floods (summarised instead).',
          labelNames: ['receiver'],
          registers,
        }),
      };
      new Gauge({
        name: 'dss_alerts_flood_active',
        help: 'Whether a channel is in an alarm flood (1) or not (0).',
        labelNames: ['receiver'],
        registers,
        collect() {
          for (const [r, c] of channels) this.set({ receiver: r }, c.flooded ? 1 : 0);
        },
      });
      new Gauge({
        name: 'dss_alerts_channel_alert_rate',
        help: 'New alerts per channel within the flood window (default 10 min).',
        labelNames: ['receiver'],
        registers,
        collect() {
          const since = now() - windowMs;
          for (const [r, c] of channels)
            this.set({ receiver: r }, [...c.annunciations.values()].filter((t) => t > since).length);
        },
      });
    }
    this.#init(options.receivers ?? []);
  }

  #init(receivers: readonly string[]): void {
    for (const r of receivers) {
      this.#channel(r);
      if (this.#metrics) for (const c of Object.values(this.#metrics)) c.inc({ receiver: r }, 0);
    }
  }

  #channel(receiver: string): ChannelState {
    let c = this.#channels.get(receiver);
    if (!c) {
      c = {
        annunciations: new Map(),
        flooded: false,
        floodStartMs: 0,
        lastSummaryMs: 0,
        held: new Map(),
        heldSinceSummary: 0,
        heldTotal: 0,
      };
      this.#channels.set(receiver, c);
    }
    return c;
  }

  #rate(c: ChannelState, now: number): number {
    for (const [k, t] of c.annunciations) if (t <= now - this.#s.windowMs) c.annunciations.delete(k);
    return c.annunciations.size;
  }

  /** The notify function to give the dispatcher. */
  readonly notify: Notify = (n) => {
    const now = this.#now();
    const c = this.#channel(n.receiver);
    let fresh = 0;
    for (const a of n.alerts) {
      if (a.status !== 'firing') continue;
      const key = `${a.fingerprint}@${a.startsAt}`;
      if (!c.annunciations.has(key)) {
        c.annunciations.set(key, now);
        fresh++;
      }
    }
    this.#metrics?.alerts.inc({ receiver: n.receiver }, fresh);
    this.#metrics?.notifications.inc({ receiver: n.receiver });
    const rate = this.#rate(c, now);
    if (!c.flooded && rate > this.#s.alerts) {
      c.flooded = true;
      c.floodStartMs = now;
      c.held = new Map([[n.groupKey, n]]);
      c.heldSinceSummary = 0;
      c.heldTotal = 1;
      this.#metrics?.floods.inc({ receiver: n.receiver });
      this.#metrics?.held.inc({ receiver: n.receiver });
      c.lastSummaryMs = now;
      return this.#o.notify(this.#summary(n.receiver, c, 'firing', rate, now));
    }
    if (!c.flooded) return this.#o.notify(n);
    c.held.set(n.groupKey, n);
    c.heldSinceSummary++;
    c.heldTotal++;
    this.#metrics?.held.inc({ receiver: n.receiver });
    if (rate <= this.#s.endBelow) return this.#end(n.receiver, c, rate, now);
    if (now - c.lastSummaryMs >= this.#s.summaryIntervalMs && c.heldSinceSummary > 0) {
      c.lastSummaryMs = now;
      c.heldSinceSummary = 0;
      return this.#o.notify(this.#summary(n.receiver, c, 'firing', rate, now));
    }
    return undefined;
  };

  /** Ends floods whose rate has dropped although no notification came; call it every minute or so. */
  tick(): Array<void | Promise<void>> {
    const now = this.#now();
    const out: Array<void | Promise<void>> = [];
    for (const [receiver, c] of this.#channels) {
      if (!c.flooded) continue;
      const rate = this.#rate(c, now);
      if (rate <= this.#s.endBelow) out.push(this.#end(receiver, c, rate, now));
    }
    return out;
  }

  flooded(receiver: string): boolean {
    return this.#channels.get(receiver)?.flooded ?? false;
  }

  #end(receiver: string, c: ChannelState, rate: number, now: number): void | Promise<void> {
    const summary = this.#summary(receiver, c, 'resolved', rate, now);
    c.flooded = false;
    c.held = new Map();
    return this.#o.notify(summary);
  }

  #summary(
    receiver: string,
    c: ChannelState,
    status: 'firing' | 'resolved',
    rate: number,
    now: number,
  ): Notification {
    // What fires now, by alert name, from the latest held notification of each group.
    const firing = new Map<string, number>();
    for (const n of c.held.values())
      for (const a of n.alerts)
        if (a.status === 'firing') {
          const name = a.labels.alertname ?? '?';
          firing.set(name, (firing.get(name) ?? 0) + 1);
        }
    const top = [...firing]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([name, count]) => `${name} ×${count}`)
      .join(', ');
    const minutes = Math.round(this.#s.windowMs / 60_000);
    const client = this.#o.clientOf(receiver);
    const labels: Record<string, string> = {
      alertname: 'DSSAlarmFlood',
      severity: 'warning',
      receiver,
      ...(client && client !== '*' ? { dss_client: client } : {}),
    };
    const summary =
      status === 'firing'
        ? `Alarm flood on ${receiver}: ${rate} new alerts in ${minutes} min (threshold ${this.#s.alerts}); notifications are summarised`
        : `Alarm flood on ${receiver} is over: ${rate} new alerts in the last ${minutes} min; notifications resume`;
    const description =
      `${c.heldTotal} notification(s) held since ${new Date(c.floodStartMs).toISOString()}. ` +
      (top ? `Firing now: ${top}.` : 'Nothing of the held notifications is firing now.');
    const annotations = { summary, description, runbook_url: 'docs/alerts-rules.md#dssalarmflood' };
    return {
      version: '4',
      groupKey: `{}/{alertname="DSSAlarmFlood"}:{receiver="${receiver}"}`,
      truncatedAlerts: 0,
      status,
      receiver,
      groupLabels: { alertname: 'DSSAlarmFlood' },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: this.#o.externalURL ?? '',
      alerts: [
        {
          status,
          labels,
          annotations,
          startsAt: payloadTime(c.floodStartMs),
          endsAt: status === 'firing' ? GO_ZERO_TIME : payloadTime(now),
          generatorURL: '',
          fingerprint: fingerprint(labels),
        },
      ],
    };
  }
}
