// Validation: unusable records are removed and counted, with a message naming the problem and where.
import { describe, expect, it } from 'vitest';
import {
  decodeLogs,
  decodeMetrics,
  decodeTraces,
  flattenSpans,
  validateExport,
} from '../src/receiver/index.ts';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const TIME = '1700000000000000000';

const spansRequest = (...spans: object[]) =>
  decodeTraces(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), 'json');

describe('validating spans', () => {
  it('accepts a well-formed request untouched', () => {
    const request = spansRequest({ traceId: TRACE_ID, spanId: SPAN_ID, name: 'ok' });
    expect(validateExport(request)).toEqual({ rejected: 0, accepted: 1, message: '' });
    expect(flattenSpans(request)).toHaveLength(1);
  });

  it('drops spans with unusable ids and says which and why', () => {
    const request = decodeTraces(
      JSON.stringify({
        resourceSpans: [
          { scopeSpans: [{ spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, name: 'good' }] }] },
          {
            scopeSpans: [
              { spans: [] },
              {
                spans: [
                  { traceId: TRACE_ID.slice(2), spanId: SPAN_ID, name: 'short trace id' },
                  { traceId: TRACE_ID, spanId: SPAN_ID, name: 'good too', parentSpanId: '0000000000000000' },
                  { traceId: '0'.repeat(32), spanId: SPAN_ID, name: 'zero trace id' },
                  { traceId: TRACE_ID, name: 'no span id' },
                  { traceId: TRACE_ID, spanId: SPAN_ID, parentSpanId: 'abcd', name: 'bad parent' },
                ],
              },
            ],
          },
        ],
      }),
      'json',
    );
    const outcome = validateExport(request);
    expect(outcome.rejected).toBe(4);
    expect(outcome.accepted).toBe(2);
    expect(outcome.message).toBe(
      'rejected 4 of 6 spans: ' +
        'resource_spans[1].scope_spans[1].spans[0]: trace_id must be 16 bytes, got 15; ' +
        'resource_spans[1].scope_spans[1].spans[2]: trace_id is all zeroes; ' +
        'resource_spans[1].scope_spans[1].spans[3]: span_id is missing; ' +
        'resource_spans[1].scope_spans[1].spans[4]: parent_span_id must be 8 bytes, got 2',
    );
    const kept = flattenSpans(request).map(({ span }) => span);
    expect(kept.map((s) => s.name)).toEqual(['good', 'good too']);
    // An all-zero parent means "root span".
    expect(kept[1]?.parentSpanId).toBe('');
  });

  it('lists at most ten problems', () => {
    const bad = Array.from({ length: 13 }, () => ({ spanId: SPAN_ID }));
    const outcome = validateExport(spansRequest(...bad));
    expect(outcome.rejected).toBe(13);
    expect(outcome.message.match(/trace_id is missing/g)).toHaveLength(10);
    expect(outcome.message).toMatch(/\(and 3 more\)$/);
  });
});

describe('validating log records', () => {
  it('accepts records without trace context, drops those with malformed ids', () => {
    const request = decodeLogs(
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { body: { stringValue: 'no context' } },
                  { body: { stringValue: 'zero context' }, traceId: '0'.repeat(32), spanId: '0'.repeat(16) },
                  { body: { stringValue: 'context' }, traceId: TRACE_ID, spanId: SPAN_ID },
                  { body: { stringValue: 'bad' }, traceId: TRACE_ID, spanId: `${SPAN_ID}00` },
                ],
              },
            ],
          },
        ],
      }),
      'json',
    );
    const outcome = validateExport(request);
    expect(outcome).toEqual({
      rejected: 1,
      accepted: 3,
      message:
        'rejected 1 of 4 log records: resource_logs[0].scope_logs[0].log_records[3]: span_id must be 8 bytes, got 9',
    });
    const records = request.resourceLogs[0]?.scopeLogs[0]?.logRecords ?? [];
    expect(records.map((r) => [r.traceId, r.spanId])).toEqual([
      ['', ''],
      ['', ''],
      [TRACE_ID, SPAN_ID],
    ]);
  });
});

describe('validating metrics', () => {
  const metricsRequest = (...metrics: object[]) =>
    decodeMetrics(JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics }] }] }), 'json');

  it('accepts well-formed metrics of every type', () => {
    const request = metricsRequest(
      { name: 'g', gauge: { dataPoints: [{ timeUnixNano: TIME, asDouble: 1 }] } },
      {
        name: 's',
        sum: {
          aggregationTemporality: 2,
          dataPoints: [
            { timeUnixNano: TIME, asInt: '1' },
            { timeUnixNano: TIME, flags: 1 },
          ],
        },
      },
      {
        name: 'h',
        histogram: {
          aggregationTemporality: 1,
          dataPoints: [
            { timeUnixNano: TIME, count: 1, bucketCounts: [0, 1], explicitBounds: [5] },
            { timeUnixNano: TIME },
          ],
        },
      },
      {
        name: 'e',
        exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: TIME, scale: 3 }] },
      },
      {
        name: 'q',
        summary: { dataPoints: [{ timeUnixNano: TIME, quantileValues: [{ quantile: 0.99, value: 1 }] }] },
      },
    );
    expect(validateExport(request)).toEqual({ rejected: 0, accepted: 7, message: '' });
  });

  it('counts rejected data points and names the metric', () => {
    const request = metricsRequest(
      { name: 'fine', gauge: { dataPoints: [{ timeUnixNano: TIME, asDouble: 1 }] } },
      {
        name: '',
        gauge: {
          dataPoints: [
            { timeUnixNano: TIME, asDouble: 1 },
            { timeUnixNano: TIME, asDouble: 2 },
          ],
        },
      },
      { name: 'no.temporality', sum: { dataPoints: [{ timeUnixNano: TIME, asInt: 1 }] } },
      {
        name: 'dss.job.duration',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            { timeUnixNano: TIME, count: 3, bucketCounts: [1, 2], explicitBounds: [1, 5] },
            { timeUnixNano: TIME, count: 3, bucketCounts: [1, 1, 1], explicitBounds: [5, 1] },
            { timeUnixNano: TIME, count: 3, bucketCounts: [1, 1, 1], explicitBounds: [1, 5] },
          ],
        },
      },
      { name: 'no.value', gauge: { dataPoints: [{ timeUnixNano: TIME }, { asDouble: 1 }] } },
      { name: 'no.data' },
      {
        name: 'e',
        exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: TIME, scale: 21 }] },
      },
      {
        name: 'q',
        summary: { dataPoints: [{ timeUnixNano: TIME, quantileValues: [{ quantile: 2, value: 1 }] }] },
      },
    );
    const outcome = validateExport(request);
    expect(outcome.rejected).toBe(9);
    expect(outcome.accepted).toBe(2);
    const at = 'resource_metrics[0].scope_metrics[0].metrics';
    expect(outcome.message.split('; ')).toEqual([
      `rejected 9 of 11 data points: ${at}[1] "": metric name is empty (all 2 data points rejected)`,
      `${at}[2] "no.temporality": aggregation_temporality 0 is neither DELTA (1) nor CUMULATIVE (2) (all 1 data points rejected)`,
      `${at}[3] "dss.job.duration".data_points[0]: bucket_counts has 2 entries for 2 explicit_bounds (want 3)`,
      `${at}[3] "dss.job.duration".data_points[1]: explicit_bounds must be strictly increasing`,
      `${at}[4] "no.value".data_points[0]: data point has no value (neither as_int nor as_double)`,
      `${at}[4] "no.value".data_points[1]: time_unix_nano is missing`,
      `${at}[5] "no.data": metric has no data (none of gauge, sum, histogram, exponential_histogram, summary)`,
      `${at}[6] "e".data_points[0]: scale 21 is outside [-10, 20]`,
      `${at}[7] "q".data_points[0]: quantile_values: quantiles must be between 0 and 1`,
    ]);
    const kept = request.resourceMetrics[0]?.scopeMetrics[0]?.metrics ?? [];
    expect(kept.map((m) => [m.name, m.dataPoints.length])).toEqual([
      ['fine', 1],
      ['dss.job.duration', 1],
    ]);
  });
});
