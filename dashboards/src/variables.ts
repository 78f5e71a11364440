// Dashboard variables: client (dss_client, the tenant), service (job) and tank, read from the Prometheus
// API's label values so they list what exists.
import {
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { prometheus } from './datasources.ts';

function labelValues(
  name: string,
  label: string,
  title: string,
  query: string,
  multi = false,
): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(title)
    .datasource(prometheus)
    .query({ query, refId: `${name}-values`, qryType: 1 })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(multi)
    .includeAll(multi)
    .description(`Values of the ${label} label`);
}

export const clientVariable = () =>
  labelValues('client', 'dss_client', 'Client', 'label_values(dss_tank_level_meters, dss_client)');

export const serviceVariable = () =>
  labelValues('service', 'job', 'Service', 'label_values(process_cpu_time_seconds_total, job)');

export const tankVariable = () =>
  labelValues(
    'tank',
    'dss_tank_id',
    'Tank',
    'label_values(dss_tank_level_meters{dss_client="$client"}, dss_tank_id)',
    true,
  );

/** The DORA client (a GitLab group; `all` is the whole team), from dora serve's gauges. */
export const doraClientVariable = () =>
  labelValues(
    'dora_client',
    'client',
    'Client',
    'label_values(dss_dora_deployments_per_day{job="dora"}, client)',
  );
