// GET /api/status/buildinfo: a bare object, no envelope (grafana/tempo cmd/tempo, Prometheus' common
// version package): {"version","revision","branch","buildDate","buildUser","goVersion"}. Grafana's Tempo data
// source reads `version` to decide which features to offer (streaming search needs >= 2.2.0, and only when
// the data source enables streaming); with no answer it assumes 2.1.0.

export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildDate: string;
  buildUser: string;
  goVersion: string;
}

/** The Tempo version we report: our API follows Tempo 2.x (v2 trace by id, tags v2, spanSets). */
export const TEMPO_COMPATIBLE_VERSION = '2.9.0';

export function tempoBuildInfoJson(overrides: Partial<BuildInfo> = {}): BuildInfo {
  return {
    version: TEMPO_COMPATIBLE_VERSION,
    revision: '',
    branch: '',
    buildDate: '',
    buildUser: 'dss-observability',
    goVersion: '',
    ...overrides,
  };
}
