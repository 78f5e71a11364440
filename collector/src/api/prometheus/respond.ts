// Prometheus's response envelope: {status:"success", data} or {status:"error", errorType, error}, with the
// HTTP status its API uses for each error type.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type PromErrorType, PromQLError } from '../../query/promql/errors.ts';

const STATUS: Record<PromErrorType, number> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  canceled: 503,
  internal: 500,
};

export function success(data: unknown, warnings?: string[]): Record<string, unknown> {
  return warnings && warnings.length > 0
    ? { status: 'success', data, warnings }
    : { status: 'success', data };
}

export async function answerPrometheusErrors(
  error: FastifyError | Error,
  _request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (error instanceof PromQLError) {
    return reply
      .code(STATUS[error.errorType])
      .send({ status: 'error', errorType: error.errorType, error: error.message });
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.code(status).send({ status: 'error', errorType: 'bad_data', error: error.message });
  }
  return reply.code(500).send({ status: 'error', errorType: 'internal', error: error.message });
}
