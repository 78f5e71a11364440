// Tempo's HTTP API over the store, for Grafana's built-in Tempo data source: trace by id, search, tags.
// (/api/echo and /api/status/buildinfo are served by the query server itself.)
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { answerBadRequests } from '../bad-request.ts';
import { searchRoutes } from './search-route.ts';
import { tagsRoutes } from './tags-route.ts';
import { traceByIdRoutes } from './trace-by-id-route.ts';

export function tempoRoutes(app: FastifyInstance, db: Database.Database): void {
  // A scope of its own, so that its error handler answers this family's bad requests only.
  app.register(async (tempo) => {
    tempo.setErrorHandler(answerBadRequests);
    traceByIdRoutes(tempo, db);
    searchRoutes(tempo, db);
    tagsRoutes(tempo, db);
  });
}
