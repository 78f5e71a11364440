// The in-memory sink other packages use as an in-process OTLP endpoint.
import { describe, expect, it } from 'vitest';
import { decodeLogs, decodeTraces, InMemorySink, type SinkContext } from '../src/receiver/index.ts';

const context: SinkContext = { transport: 'http', headers: {} };
const traces = (name: string) =>
  decodeTraces(
    JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name }] },
          ],
        },
      ],
    }),
    'json',
  );
const logs = decodeLogs('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{},{}]}]}]}', 'json');

describe('InMemorySink', () => {
  it('keeps requests by signal and in arrival order', async () => {
    const sink = new InMemorySink();
    await sink.consume(traces('a'), context);
    await sink.consume(logs, context);
    expect(sink.requests().map((r) => r.signal)).toEqual(['traces', 'logs']);
    expect(sink.traces).toHaveLength(1);
    expect(sink.logs).toHaveLength(1);
    expect(sink.allSpans().map((s) => s.span.name)).toEqual(['a']);
    expect(sink.allLogRecords()).toHaveLength(2);
    expect(sink.counts()).toEqual({ requests: 2, spans: 1, dataPoints: 0, logRecords: 2 });
    sink.clear();
    expect(sink.requests()).toEqual([]);
    expect(sink.counts().requests).toBe(0);
  });

  it('only counts when told not to keep', async () => {
    const sink = new InMemorySink({ keep: false });
    await sink.consume(traces('a'), context);
    expect(sink.requests()).toEqual([]);
    expect(sink.counts().spans).toBe(1);
  });

  it('waitFor resolves with the first truthy value, now or after a later request', async () => {
    const sink = new InMemorySink();
    await sink.consume(traces('early'), context);
    expect(await sink.waitFor((s) => s.allSpans().find((x) => x.span.name === 'early'))).toBeDefined();

    const waiting = sink.waitFor((s) => s.allSpans().find((x) => x.span.name === 'late')?.span.name);
    setTimeout(() => void sink.consume(traces('late'), context), 20);
    expect(await waiting).toBe('late');
  });

  it('waitFor rejects after the timeout, or when the predicate throws', async () => {
    const sink = new InMemorySink();
    await expect(sink.waitFor((s) => s.logs.length > 0, 50)).rejects.toThrow(/not met within 50 ms/);
    const throwing = sink.waitFor(() => {
      throw new Error('bad predicate');
    });
    await expect(throwing).rejects.toThrow('bad predicate');
  });
});
