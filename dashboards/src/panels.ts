// Panel helpers: every panel the DSS dashboards build comes from a PanelSpec, which says what it shows,
// in which unit, with which PromQL queries, and which service must run for it to have data. The tests
// read the specs back from the built JSON and run every query against a collector.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { prometheus } from './datasources.ts';

export interface QuerySpec {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  kind: 'timeseries' | 'stat';
  title: string;
  /** Required: what the panel shows and how to read it. */
  description: string;
  /** A Grafana unit id: s, ms, m, percentunit, reqps, bytes, short, currencyEUR, ... */
  unit: string;
  queries: QuerySpec[];
  /** Grid width (of 24) and height. Defaults 12 and 8. */
  width?: number;
  height?: number;
  /** Data links (e.g. to the traces or logs of the service shown). */
  links?: { title: string; url: string }[];
  min?: number;
  max?: number;
  /**
   * The service whose telemetry the panel needs (its `job`), when not the intake or the collector that
   * `dss-obs up` always runs: the panel-query test reports such a panel as waiting for that service
   * instead of failing while the service is not part of the platform yet.
   */
  requires?: 'alerts' | 'dora';
}

/** The panel of a spec; `id` must be unique within its dashboard. */
export function panel(spec: PanelSpec, id: number): TimeseriesPanelBuilder | StatPanelBuilder {
  const builder = spec.kind === 'stat' ? new StatPanelBuilder() : new TimeseriesPanelBuilder();
  builder
    .id(id)
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(prometheus)
    .span(spec.width ?? 12)
    .height(spec.height ?? 8);
  if (spec.min !== undefined) builder.min(spec.min);
  if (spec.max !== undefined) builder.max(spec.max);
  spec.queries.forEach((query, i) => {
    const target = new DataqueryBuilder()
      .expr(query.expr)
      .refId(String.fromCharCode(65 + i))
      .datasource(prometheus);
    if (query.legend) target.legendFormat(query.legend);
    if (spec.kind === 'stat') target.instant();
    builder.withTarget(target);
  });
  if (spec.links && spec.links.length > 0) {
    builder.links(spec.links.map((link) => ({ build: () => linkOf(link) }) as never));
  }
  if (spec.kind === 'timeseries') {
    (builder as TimeseriesPanelBuilder).legend({
      build: () => ({
        displayMode: common.LegendDisplayMode.List,
        placement: common.LegendPlacement.Bottom,
        showLegend: true,
        calcs: [],
      }),
    } as never);
  }
  return builder;
}

function linkOf(link: { title: string; url: string }): dashboard.DashboardLink {
  return {
    title: link.title,
    url: link.url,
    type: 'link' as dashboard.DashboardLinkType,
    icon: 'external link',
    tooltip: link.title,
    tags: [],
    asDropdown: false,
    targetBlank: false,
    includeVars: false,
    keepTime: true,
  };
}

export interface DashboardSpec {
  title: string;
  uid: string;
  description: string;
  tags: string[];
  refresh: string;
  /** Start of the default time range, e.g. `now-6h` (it ends now). */
  from: string;
  variables?: dashboard.QueryVariableBuilder[];
}

/** A dashboard of these panels, ids in order. */
export function dashboardOf(spec: DashboardSpec, panels: readonly PanelSpec[]): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(spec.tags)
    .refresh(spec.refresh)
    .time({ from: spec.from, to: 'now' });
  for (const variable of spec.variables ?? []) builder.withVariable(variable);
  for (const [i, p] of panels.entries()) builder.withPanel(panel(p, i + 1));
  return builder;
}
