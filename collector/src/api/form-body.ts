// Loki's and Prometheus's endpoints also take their parameters as a POST form (application/x-www-form-urlencoded), which
// Fastify does not parse by itself. Repeated keys (match[]) become arrays, as in the query string.
import type { FastifyInstance } from 'fastify';

export function acceptFormBodies(app: FastifyInstance): void {
  if (app.hasContentTypeParser('application/x-www-form-urlencoded')) return;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const out: Record<string, string | string[]> = {};
      for (const [key, value] of new URLSearchParams(body as string)) {
        const existing = out[key];
        out[key] =
          existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
      }
      done(null, out);
    },
  );
}
