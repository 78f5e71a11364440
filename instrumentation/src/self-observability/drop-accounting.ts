// Counts the telemetry this process could not deliver, per signal, and reports it on stderr at
// most once per interval: a dead collector must cost the service nothing but dropped telemetry,
// and that loss must be visible without one line per failed export.
import type { Signal } from '../config/read-env.ts';
import { info } from '../config/warnings.ts';

export interface DropCounts {
  traces: number;
  metrics: number;
  logs: number;
}

export interface TelemetryStats {
  /** Items delivered to the collector, per signal. */
  delivered: DropCounts;
  /** Items lost: the export failed, or the in-process queue was full. */
  dropped: DropCounts;
  /** The last export error seen, if any (redacted of credentials by the exporters). */
  lastError?: string;
}

const zero = (): DropCounts => ({ traces: 0, metrics: 0, logs: 0 });

export class DropAccounting {
  readonly delivered = zero();
  readonly dropped = zero();
  lastError: string | undefined;
  private unreported = zero();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly listeners: Array<(signal: Signal, count: number) => void> = [];

  constructor(reportIntervalMillis: number) {
    if (reportIntervalMillis > 0) {
      this.timer = setInterval(() => this.report(), reportIntervalMillis);
      this.timer.unref();
    }
  }

  recordDelivered(signal: Signal, count: number): void {
    this.delivered[signal] += count;
  }

  recordDropped(signal: Signal, count: number, reason?: unknown): void {
    if (count <= 0) return;
    this.dropped[signal] += count;
    this.unreported[signal] += count;
    if (reason !== undefined) this.lastError = reason instanceof Error ? reason.message : String(reason);
    for (const listener of this.listeners) listener(signal, count);
  }

  /** Called for every drop, e.g. to feed the dss.telemetry.dropped counter. */
  onDropped(listener: (signal: Signal, count: number) => void): void {
    this.listeners.push(listener);
  }

  stats(): TelemetryStats {
    return {
      delivered: { ...this.delivered },
      dropped: { ...this.dropped },
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /** Prints what was dropped since the last report, if anything. */
  report(): void {
    const { traces, metrics, logs } = this.unreported;
    if (traces + metrics + logs === 0) return;
    this.unreported = zero();
    info(
      `telemetry dropped since last report: ${traces} spans, ${metrics} metric points, ${logs} log records` +
        (this.lastError ? ` (last error: ${this.lastError})` : ''),
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.report();
  }
}
