// Loki's HTTP API over the store, for Grafana's built-in Loki data source: log and metric queries, the
// health check, labels, label values and series. (/ready is served by the query server itself.)
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { lokiBuildInfoJson } from '../../query/loki/index.ts';
import { answerBadRequests } from '../bad-request.ts';
import { acceptFormBodies } from '../form-body.ts';
import { labelRoutes } from './label-routes.ts';
import { queryRoutes } from './query-routes.ts';

export function lokiRoutes(app: FastifyInstance, db: Database.Database): void {
  // A scope of its own, so that its error handler and form parser apply to this family only.
  app.register(async (loki) => {
    loki.setErrorHandler(answerBadRequests);
    acceptFormBodies(loki);
    loki.get('/loki/api/v1/status/buildinfo', async () => lokiBuildInfoJson());
    queryRoutes(loki, db);
    labelRoutes(loki, db);
  });
}
