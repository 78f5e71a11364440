// `GET /metrics` of `dora serve`: the DORA keys per client (`client="all"` for all clients together) over a
// trailing window (default 28 days, ending at the scrape), their bands as 1/0 gauges, and the sync's state.
// A key without a value in the window (no deployments, no incidents closed) has no sample.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Band } from '../metrics/bands.ts';
import type { Metrics } from '../metrics/compute.ts';

const BANDS: Band[] = ['elite', 'high', 'medium', 'low'];

export interface DoraMetricsSource {
  /** The metrics of every scope: `all`, then each client. */
  snapshot(): { client: string; metrics: Metrics }[];
  lastSyncSeconds(): number | null;
}

export interface DoraRegistry {
  registry: Registry;
  syncErrors: Counter;
}

export function doraRegistry(source: DoraMetricsSource): DoraRegistry {
  const registry = new Registry();
  let cached: { at: number; data: { client: string; metrics: Metrics }[] } | null = null;
  // All gauges of one scrape read the same snapshot.
  const data = (): { client: string; metrics: Metrics }[] => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), data: source.snapshot() };
    return cached.data;
  };
  const gauge = (
    name: string,
    help: string,
    value: (m: Metrics) => number | null,
    extra: { labelNames?: string[]; set?: (g: Gauge, client: string, m: Metrics) => void } = {},
  ): void => {
    new Gauge({
      name,
      help,
      labelNames: ['client', ...(extra.labelNames ?? [])],
      registers: [registry],
      collect() {
        this.reset();
        for (const { client, metrics } of data()) {
          if (extra.set) extra.set(this, client, metrics);
          else {
            const v = value(metrics);
            if (v !== null) this.set({ client }, v);
          }
        }
      },
    });
  };
  const seconds = (h: number | null): number | null => (h === null ? null : Math.round(h * 3600));
  gauge(
    'dss_dora_deployments_per_day',
    'Successful production deployments per day over the window.',
    (m) => m.deploymentFrequency.perDay,
  );
  gauge(
    'dss_dora_lead_time_seconds',
    'Lead time for changes (first commit to production) over the window.',
    () => null,
    {
      labelNames: ['quantile'],
      set: (g, client, m) => {
        if (m.leadTime.medianHours !== null)
          g.set({ client, quantile: '0.5' }, Math.round(m.leadTime.medianHours * 3600));
        if (m.leadTime.p90Hours !== null)
          g.set({ client, quantile: '0.9' }, Math.round(m.leadTime.p90Hours * 3600));
      },
    },
  );
  gauge(
    'dss_dora_change_failure_ratio',
    'Failed deployments / deployments over the window.',
    (m) => m.changeFailureRate.rate,
  );
  gauge(
    'dss_dora_time_to_restore_seconds',
    'Median time to restore service (incidents closed in the window).',
    (m) => seconds(m.timeToRestore.medianHours),
  );
  gauge(
    'dss_dora_failed_deployment_recovery_seconds',
    'Median failed deployment recovery time over the window.',
    (m) => seconds(m.failedDeploymentRecovery.medianHours),
  );
  gauge(
    'dss_dora_rework_ratio',
    'Unplanned-fix deployments / deployments over the window.',
    (m) => m.reworkRate.rate,
  );
  gauge(
    'dss_dora_band',
    'The DORA band of each key: 1 for the band the key is in, 0 for the others.',
    () => null,
    {
      labelNames: ['key', 'band'],
      set: (g, client, m) => {
        const keys: [string, Band | null][] = [
          ['deployment_frequency', m.deploymentFrequency.band],
          ['lead_time', m.leadTime.band],
          ['change_failure_rate', m.changeFailureRate.band],
          ['failed_deployment_recovery', m.failedDeploymentRecovery.band],
        ];
        for (const [key, band] of keys) {
          if (band === null) continue;
          for (const b of BANDS) g.set({ client, key, band: b }, b === band ? 1 : 0);
        }
      },
    },
  );
  new Gauge({
    name: 'dss_dora_last_sync_timestamp_seconds',
    help: 'When the last successful GitLab sync finished (Unix seconds).',
    registers: [registry],
    collect() {
      const t = source.lastSyncSeconds();
      if (t !== null) this.set(t);
    },
  });
  const syncErrors = new Counter({
    name: 'dss_dora_sync_errors_total',
    help: 'GitLab syncs that failed.',
    registers: [registry],
  });
  return { registry, syncErrors };
}
