// Prometheus's HTTP query API over the metrics store, for Grafana's Prometheus data source and for alert
// rule evaluation: queries, series metadata, build info, and the stubs Grafana probes (exemplars).
import type { FastifyInstance } from 'fastify';
import type { MetricsReader } from '../../metrics/model.ts';
import { acceptFormBodies } from '../form-body.ts';
import { type QueryRouteOptions, queryRoutes } from './query-routes.ts';
import { answerPrometheusErrors, success } from './respond.ts';
import { seriesRoutes } from './series-routes.ts';

export type PrometheusApiOptions = QueryRouteOptions;

/** The Prometheus version the API reports: the query semantics it follows. */
export const PROMETHEUS_COMPATIBLE_VERSION = '3.5.0';

export function prometheusRoutes(
  app: FastifyInstance,
  reader: MetricsReader,
  options: PrometheusApiOptions = {},
): void {
  app.register(async (prom) => {
    prom.setErrorHandler(answerPrometheusErrors);
    acceptFormBodies(prom);
    queryRoutes(prom, reader, options);
    seriesRoutes(prom, reader);
    prom.get('/api/v1/status/buildinfo', async () =>
      success({
        version: PROMETHEUS_COMPATIBLE_VERSION,
        revision: 'dss-collector',
        branch: 'main',
        buildUser: '',
        buildDate: '',
        goVersion: '',
      }),
    );
    const exemplars = async () => success([]);
    prom.get('/api/v1/query_exemplars', exemplars);
    prom.post('/api/v1/query_exemplars', exemplars);
  });
}
