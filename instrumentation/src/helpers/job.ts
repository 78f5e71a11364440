import { randomUUID } from 'node:crypto';
import { type Span, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_DSS_JOB_NAME,
  ATTR_DSS_JOB_OUTCOME,
  ATTR_DSS_JOB_RUN_ID,
  ATTR_ERROR_TYPE,
  JOB_OUTCOME,
  type JobOutcome,
} from '../conventions/attributes.ts';
import {
  METRIC_JOB_DURATION,
  METRIC_JOB_FAILURES,
  METRIC_JOB_LAST_SUCCESS,
  METRIC_JOB_SCHEDULE_DELAY,
} from '../conventions/metrics.ts';
import { counter, gauge, histogram, tracer } from './instruments.ts';

export interface TrackJobOptions {
  /** Identifies this run in traces and logs. Default: a random UUID. */
  runId?: string;
  /** When the scheduler meant the run to start: the lateness is recorded. */
  scheduledAt?: Date | number;
}

function errorType(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  return typeof error;
}

/**
 * Runs one job under a span `job NAME`, and records its duration by outcome, a failure count and,
 * on success, the time of the last success (what a missed-run alert watches). An error is
 * recorded on the span and rethrown unchanged.
 */
export async function trackJob<T>(
  name: string,
  fn: (span: Span) => Promise<T> | T,
  options: TrackJobOptions = {},
): Promise<T> {
  const runId = options.runId ?? randomUUID();
  const jobAttributes = { [ATTR_DSS_JOB_NAME]: name };
  return tracer().startActiveSpan(
    `job ${name}`,
    { attributes: { [ATTR_DSS_JOB_NAME]: name, [ATTR_DSS_JOB_RUN_ID]: runId } },
    async (span) => {
      const started = performance.now();
      if (options.scheduledAt !== undefined) {
        const scheduled =
          typeof options.scheduledAt === 'number' ? options.scheduledAt : options.scheduledAt.getTime();
        histogram(METRIC_JOB_SCHEDULE_DELAY).record(
          Math.max(0, (Date.now() - scheduled) / 1000),
          jobAttributes,
        );
      }
      let outcome: JobOutcome = JOB_OUTCOME.failure;
      try {
        const result = await fn(span);
        outcome = JOB_OUTCOME.success;
        gauge(METRIC_JOB_LAST_SUCCESS).record(Date.now() / 1000, jobAttributes);
        return result;
      } catch (error) {
        counter(METRIC_JOB_FAILURES).add(1, { ...jobAttributes, [ATTR_ERROR_TYPE]: errorType(error) });
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
        throw error;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        histogram(METRIC_JOB_DURATION).record(seconds, { ...jobAttributes, [ATTR_DSS_JOB_OUTCOME]: outcome });
        span.setAttribute(ATTR_DSS_JOB_OUTCOME, outcome);
        span.end();
      }
    },
  );
}
