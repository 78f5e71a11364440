// /loki/api/v1/status/buildinfo: Prometheus' build info object, no envelope, as Loki returns it.
export interface LokiBuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

/** The Loki version we report: our API follows Loki 3.x (structured metadata, categorize-labels). */
export const LOKI_COMPATIBLE_VERSION = '3.5.0';

export function lokiBuildInfoJson(overrides: Partial<LokiBuildInfo> = {}): LokiBuildInfo {
  return {
    version: LOKI_COMPATIBLE_VERSION,
    revision: '',
    branch: '',
    buildUser: 'dss-observability',
    buildDate: '',
    goVersion: '',
    ...overrides,
  };
}
