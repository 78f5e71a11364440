// Links from a panel to Grafana Explore over the panel's time range: the traces of a service in Tempo, its
// logs in Loki. Grafana fills in ${__from}, ${__to} and the dashboard variables when the link is followed,
// so those stay unencoded in the URL.
import { LOKI_UID, TEMPO_UID } from './datasources.ts';

function exploreUrl(datasourceUid: string, type: string, query: Record<string, unknown>): string {
  const panes = {
    a: {
      datasource: datasourceUid,
      queries: [{ refId: 'A', datasource: { type, uid: datasourceUid }, ...query }],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variables, filled in by Grafana
      range: { from: '${__from}', to: '${__to}' },
    },
  };
  const encoded = encodeURIComponent(JSON.stringify(panes))
    .replace(/%24%7B(__from|__to)%7D/g, '$${$1}')
    .replace(/%24(\w+)/g, '$$$1');
  return `/explore?schemaVersion=1&orgId=1&panes=${encoded}`;
}

export function tracesOf(serviceVariable: string): { title: string; url: string } {
  return {
    title: 'Traces of this service (Tempo)',
    url: exploreUrl(TEMPO_UID, 'tempo', {
      queryType: 'traceql',
      query: `{ resource.service.name = "$${serviceVariable}" }`,
      limit: 20,
    }),
  };
}

export function logsOf(serviceVariable: string): { title: string; url: string } {
  return {
    title: 'Logs of this service (Loki)',
    url: exploreUrl(LOKI_UID, 'loki', { expr: `{service_name="$${serviceVariable}"}` }),
  };
}
