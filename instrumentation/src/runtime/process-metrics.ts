// Process metrics that instrumentation-runtime-node (event loop delay and utilization, GC, heap)
// does not give: CPU time and the libuv handles that keep the process busy (sockets, timers,
// files), whose growth is the usual sign of a leak.
import type { Meter } from '@opentelemetry/api';
import { METRIC_PROCESS_CPU_TIME, METRIC_PROCESS_OPEN_HANDLES } from '../conventions/metrics.ts';

export function registerProcessMetrics(meter: Meter): void {
  const cpu = meter.createObservableCounter(METRIC_PROCESS_CPU_TIME.name, {
    unit: METRIC_PROCESS_CPU_TIME.unit,
    description: METRIC_PROCESS_CPU_TIME.description,
  });
  cpu.addCallback((result) => {
    const usage = process.cpuUsage();
    result.observe(usage.user / 1e6, { 'cpu.mode': 'user' });
    result.observe(usage.system / 1e6, { 'cpu.mode': 'system' });
  });

  const handles = meter.createObservableUpDownCounter(METRIC_PROCESS_OPEN_HANDLES.name, {
    unit: METRIC_PROCESS_OPEN_HANDLES.unit,
    description: METRIC_PROCESS_OPEN_HANDLES.description,
  });
  handles.addCallback((result) => {
    const counts = new Map<string, number>();
    for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const [type, count] of counts) result.observe(count, { 'resource.type': type });
  });
}
