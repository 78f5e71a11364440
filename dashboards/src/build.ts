// Builds every dashboard to Grafana JSON and writes the provisioning that makes a Grafana 11 or 12 show
// them: provisioning/datasources/dss.yaml (the collector's three APIs), provisioning/dashboards/dss.yaml
// (a file provider), and dashboards/*.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { stringify } from 'yaml';
import { ALARM_MANAGEMENT_PANELS, alarmManagementDashboard } from './dashboards/alarm-management.ts';
import { DORA_PANELS, doraDashboard } from './dashboards/dora.ts';
import { DSS_OPERATIONS_PANELS, dssOperations } from './dashboards/dss-operations.ts';
import { PLATFORM_HEALTH_PANELS, platformHealth } from './dashboards/platform-health.ts';
import { SERVICE_OVERVIEW_PANELS, serviceOverview } from './dashboards/service-overview.ts';
import { type DataSourceOptions, dataSourceProvisioning } from './datasources.ts';
import type { PanelSpec } from './panels.ts';

export interface BuiltDashboard {
  file: string;
  json: dashboard.Dashboard;
  panels: PanelSpec[];
}

export function buildDashboards(): BuiltDashboard[] {
  return [
    { file: 'service-overview.json', json: serviceOverview().build(), panels: SERVICE_OVERVIEW_PANELS },
    { file: 'dss-operations.json', json: dssOperations().build(), panels: DSS_OPERATIONS_PANELS },
    { file: 'platform-health.json', json: platformHealth().build(), panels: PLATFORM_HEALTH_PANELS },
    {
      file: 'alarm-management.json',
      json: alarmManagementDashboard().build(),
      panels: ALARM_MANAGEMENT_PANELS,
    },
    { file: 'dora.json', json: doraDashboard().build(), panels: DORA_PANELS },
  ];
}

export interface WriteOptions extends DataSourceOptions {
  outDir: string;
}

/** Writes the dashboards and the provisioning files; returns the paths written. */
export function writeGrafanaFiles(options: WriteOptions): string[] {
  const written: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    written.push(path);
  };
  const dashboardsDir = join(options.outDir, 'dashboards');
  for (const built of buildDashboards())
    write(join(dashboardsDir, built.file), `${JSON.stringify(built.json, null, 2)}\n`);
  const { outDir: _outDir, ...sourceOptions } = options;
  write(
    join(options.outDir, 'provisioning', 'datasources', 'dss.yaml'),
    stringify(dataSourceProvisioning(sourceOptions)),
  );
  write(
    join(options.outDir, 'provisioning', 'dashboards', 'dss.yaml'),
    stringify({
      apiVersion: 1,
      providers: [
        {
          name: 'DSS',
          folder: 'DSS',
          type: 'file',
          disableDeletion: false,
          allowUiUpdates: false,
          updateIntervalSeconds: 30,
          // Grafana reads this path; run Grafana with GF_PATHS_PROVISIONING pointing at <out>/provisioning
          // and the same <out> for the dashboards (see dashboards/README.md).
          options: { path: join(options.outDir, 'dashboards'), foldersFromFilesStructure: false },
        },
      ],
    }),
  );
  return written;
}
