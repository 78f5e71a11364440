// Instant queries against a Prometheus HTTP API (`GET /api/v1/query?query=…&time=…`): the collector's query
// port or a real Prometheus.
import type { QueryData } from '@dss/collector/promql';
import { toVector, type VectorSample } from './rule-outputs.ts';

export class QueryError extends Error {
  /** `unavailable` when the backend did not answer, else Prometheus's errorType (bad_data, execution, …). */
  readonly errorType: string;
  constructor(errorType: string, message: string) {
    super(message);
    this.errorType = errorType;
  }
}

function queryUrl(base: string, expr: string, timeMs: number): string {
  const url = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('query', expr);
  url.searchParams.set('time', (timeMs / 1000).toFixed(3));
  return url.toString();
}

interface ApiAnswer {
  status: string;
  data?: QueryData;
  errorType?: string;
  error?: string;
}

function decode(status: number, text: string): VectorSample[] {
  let body: ApiAnswer;
  try {
    body = JSON.parse(text) as ApiAnswer;
  } catch {
    throw new QueryError('unavailable', `HTTP ${status}: ${text.slice(0, 200)}`);
  }
  if (body.status !== 'success' || !body.data)
    throw new QueryError(body.errorType ?? 'unavailable', body.error ?? `HTTP ${status}`);
  return toVector(body.data);
}

export async function httpInstantQuery(
  base: string,
  expr: string,
  timeMs: number,
  timeoutMs = 30_000,
  headers: Record<string, string> = {},
): Promise<VectorSample[]> {
  let response: Response;
  try {
    response = await fetch(queryUrl(base, expr, timeMs), { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    throw new QueryError('unavailable', `${(error as Error).message}${cause ? `: ${cause.message}` : ''}`);
  }
  return decode(response.status, await response.text());
}
