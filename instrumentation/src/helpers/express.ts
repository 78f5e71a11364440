// Express middleware for RED metrics (rate, errors, duration) by route template, and request IDs.
//
// The route is always the template (`/clients/:client/tanks`), never the raw URL: a raw URL per
// label value would grow the series without bound. A request that matched no route gets no
// `http.route` at all.
//
// When the OTel HTTP instrumentation is active it already records `http.server.request.duration`;
// the middleware then only hands it the route template (which it cannot always see, e.g. under
// ESM) and does not record a second copy. Without it, the middleware records the histogram itself.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '../conventions/attributes.ts';
import { METRIC_HTTP_SERVER_DURATION } from '../conventions/metrics.ts';
import { histogram } from './instruments.ts';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Span attribute carrying the request ID (the captured-header form of the OTel conventions). */
export const ATTR_REQUEST_ID = 'http.request.header.x-request-id';

// Only what the middleware touches, so the package does not depend on Express's types.
interface RequestLike extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}
interface ResponseLike extends ServerResponse {
  locals?: Record<string, unknown>;
}

// A request ID from outside is kept only if it is short and plain (it lands in logs and headers).
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function routeTemplate(req: RequestLike): string | undefined {
  const path = req.route?.path;
  if (typeof path !== 'string') return undefined;
  return `${req.baseUrl ?? ''}${path}` || '/';
}

export interface ExpressTelemetryOptions {
  /** Generate an ID for requests that come without `X-Request-Id`. Default true. */
  generateRequestId?: boolean;
}

/** `app.use(expressTelemetry())`, before the routes. */
export function expressTelemetry(options: ExpressTelemetryOptions = {}) {
  const generate = options.generateRequestId ?? true;
  return function dssExpressTelemetry(
    req: RequestLike,
    res: ResponseLike,
    next: (error?: unknown) => void,
  ): void {
    const started = performance.now();
    const incoming = req.headers[REQUEST_ID_HEADER];
    const given = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : undefined;
    const requestId = given ?? (generate ? randomUUID() : undefined);
    const span = trace.getActiveSpan();
    if (requestId) {
      res.setHeader(REQUEST_ID_HEADER, requestId);
      if (res.locals) res.locals.requestId = requestId;
      span?.setAttribute(ATTR_REQUEST_ID, [requestId]);
    }
    const rpc = getRPCMetadata(context.active());

    // The route is known only once routing ran; hand it over just before the response ends, while
    // the HTTP instrumentation can still use it for the span name and its metric.
    const end = res.end;
    res.end = function endWithRoute(this: ResponseLike, ...args: unknown[]) {
      const route = routeTemplate(req);
      if (route) {
        if (rpc?.type === RPCType.HTTP && !rpc.route) rpc.route = route;
        span?.setAttribute(ATTR_HTTP_ROUTE, route);
      }
      return (end as (...a: unknown[]) => ResponseLike).apply(this, args);
    } as ResponseLike['end'];

    if (!rpc) {
      res.once('finish', () => {
        const route = routeTemplate(req);
        const status = res.statusCode;
        histogram(METRIC_HTTP_SERVER_DURATION).record((performance.now() - started) / 1000, {
          [ATTR_HTTP_REQUEST_METHOD]: req.method ?? 'GET',
          [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
          ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
          ...(status >= 500 ? { [ATTR_ERROR_TYPE]: String(status) } : {}),
        });
      });
    }
    next();
  };
}
