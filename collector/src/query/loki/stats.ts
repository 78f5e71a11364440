// The `stats` object Loki adds to every query answer. Grafana shows it in the query inspector and does not
// need it; we give the summary part, with our own figures where we have them.

export interface LokiStats {
  summary: {
    bytesProcessedPerSecond: number;
    linesProcessedPerSecond: number;
    totalBytesProcessed: number;
    totalLinesProcessed: number;
    execTime: number;
    queueTime: number;
    totalEntriesReturned: number;
  };
}

export function emptyLokiStats(summary: Partial<LokiStats['summary']> = {}): LokiStats {
  return {
    summary: {
      bytesProcessedPerSecond: 0,
      linesProcessedPerSecond: 0,
      totalBytesProcessed: 0,
      totalLinesProcessed: 0,
      execTime: 0,
      queueTime: 0,
      totalEntriesReturned: 0,
      ...summary,
    },
  };
}
