// Grafana dashboards of the DSS as code, and their provisioning.
export { type BuiltDashboard, buildDashboards, type WriteOptions, writeGrafanaFiles } from './build.ts';
export { dataSourceProvisioning, LOKI_UID, PROMETHEUS_UID, TEMPO_UID } from './datasources.ts';
export type { PanelSpec, QuerySpec } from './panels.ts';
