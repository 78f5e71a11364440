// The three data sources every dashboard uses, by fixed UID, and their provisioning: Grafana's built-in
// Prometheus, Tempo and Loki data sources pointed at the collector's query port (or, at scale, at the real
// Prometheus/Mimir, Tempo and Loki: only the URLs change), with trace-to-logs, logs-to-trace and the
// service map wired between them.
import type * as common from '@grafana/grafana-foundation-sdk/common';

export const PROMETHEUS_UID = 'dss-prometheus';
export const TEMPO_UID = 'dss-tempo';
export const LOKI_UID = 'dss-loki';

export const prometheus: common.DataSourceRef = { type: 'prometheus', uid: PROMETHEUS_UID };
export const tempo: common.DataSourceRef = { type: 'tempo', uid: TEMPO_UID };
export const loki: common.DataSourceRef = { type: 'loki', uid: LOKI_UID };

export interface DataSourceOptions {
  /** The collector's query API, e.g. http://127.0.0.1:3200: all three data sources. */
  url: string;
  /** At scale, each data source at its own service (deploy/): these override `url`. */
  prometheusUrl?: string;
  tempoUrl?: string;
  lokiUrl?: string;
  /** Sent as X-Scope-OrgID: the client (tenant) this Grafana organisation sees. None: every client. */
  tenant?: string;
  /** Bearer token for a collector with DSS_COLLECTOR_TOKENS. Written as an environment reference. */
  tokenEnv?: string;
}

/** Grafana's data source provisioning file (apiVersion 1), as an object to write as YAML. */
export function dataSourceProvisioning(options: DataSourceOptions): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const secure: Record<string, string> = {};
  let n = 1;
  if (options.tenant) {
    headers[`httpHeaderName${n}`] = 'X-Scope-OrgID';
    secure[`httpHeaderValue${n}`] = options.tenant;
    n++;
  }
  if (options.tokenEnv) {
    headers[`httpHeaderName${n}`] = 'Authorization';
    secure[`httpHeaderValue${n}`] = `Bearer $\{${options.tokenEnv}}`;
  }
  const common = (url: string | undefined, extra: Record<string, unknown>) => ({
    access: 'proxy',
    url: url ?? options.url,
    editable: false,
    jsonData: { ...headers, ...extra },
    ...(Object.keys(secure).length > 0 ? { secureJsonData: secure } : {}),
  });
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'DSS Prometheus',
        type: 'prometheus',
        uid: PROMETHEUS_UID,
        isDefault: true,
        ...common(options.prometheusUrl, {
          httpMethod: 'POST',
          timeInterval: '15s',
          prometheusType: 'Prometheus',
        }),
      },
      {
        name: 'DSS Tempo',
        type: 'tempo',
        uid: TEMPO_UID,
        ...common(options.tempoUrl, {
          tracesToLogsV2: {
            datasourceUid: LOKI_UID,
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            filterByTraceID: true,
            customQuery: true,
            query:
              '{service_name="$' + '{__span.tags["service.name"]}"} | trace_id = "$' + '{__trace.traceId}"',
          },
          serviceMap: { datasourceUid: PROMETHEUS_UID },
          nodeGraph: { enabled: true },
          search: { hide: false },
          streamingEnabled: { search: false, metrics: false },
        }),
      },
      {
        name: 'DSS Loki',
        type: 'loki',
        uid: LOKI_UID,
        ...common(options.lokiUrl, {
          maxLines: 1000,
          derivedFields: [
            {
              name: 'trace_id',
              matcherType: 'label',
              matcherRegex: 'trace_id',
              datasourceUid: TEMPO_UID,
              url: '$' + '{__value.raw}',
              urlDisplayLabel: 'View trace',
            },
          ],
        }),
      },
    ],
  };
}
