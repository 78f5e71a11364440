// A sink that keeps nothing and tells what it received: per service and signal, how many spans,
// metric points and log records arrived since the last summary. What `dss-obs up` runs until the
// store exists, and a quick way to check that a service's instrumentation reaches the collector.
import { attributesToObject } from '../receiver/attributes.ts';
import type { DecodedExport } from '../receiver/decoded-types.ts';
import type { OtlpSink } from '../receiver/sink.ts';

export interface Tally {
  spans: number;
  points: number;
  logs: number;
}

function serviceOf(attributes: Parameters<typeof attributesToObject>[0]): string {
  const resource = attributesToObject(attributes);
  const name = String(resource['service.name'] ?? 'unknown_service');
  const client = resource['dss.client'];
  return client === undefined ? name : `${name} (${String(client)})`;
}

export class SummarySink implements OtlpSink {
  private tallies = new Map<string, Tally>();

  private tally(service: string): Tally {
    let tally = this.tallies.get(service);
    if (!tally) {
      tally = { spans: 0, points: 0, logs: 0 };
      this.tallies.set(service, tally);
    }
    return tally;
  }

  async consume(request: DecodedExport): Promise<void> {
    if (request.signal === 'traces') {
      for (const rs of request.resourceSpans) {
        this.tally(serviceOf(rs.resource.attributes)).spans += rs.scopeSpans.reduce(
          (n, s) => n + s.spans.length,
          0,
        );
      }
    } else if (request.signal === 'metrics') {
      for (const rm of request.resourceMetrics) {
        const points = rm.scopeMetrics.reduce(
          (n, s) => n + s.metrics.reduce((m, metric) => m + metric.dataPoints.length, 0),
          0,
        );
        this.tally(serviceOf(rm.resource.attributes)).points += points;
      }
    } else {
      for (const rl of request.resourceLogs) {
        this.tally(serviceOf(rl.resource.attributes)).logs += rl.scopeLogs.reduce(
          (n, s) => n + s.logRecords.length,
          0,
        );
      }
    }
  }

  /** The tallies since the last call, and a fresh start. */
  drain(): Map<string, Tally> {
    const out = this.tallies;
    this.tallies = new Map();
    return out;
  }
}
