// The 400 answers of the query APIs. Tempo and Loki both answer a bad query with 400 and the reason as plain
// text, which Grafana shows to the user as it is.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { QueryError } from '../query/query-error.ts';

/** A request parameter we cannot use (a bad time, trace id or step); answered 400 with the message. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

/** Error handler for the API families' scopes: query and parameter errors become 400, the rest goes on. */
export async function answerBadRequests(
  error: FastifyError | Error,
  _request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (error instanceof QueryError || error instanceof BadRequestError) {
    return reply.code(400).type('text/plain; charset=utf-8').send(error.message);
  }
  throw error; // to Fastify's default handler (500)
}
