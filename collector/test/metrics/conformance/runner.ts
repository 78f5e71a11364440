// Runs the corpus against two Prometheus-compatible query URLs and compares the answers (compare.ts).
import { compareAnswers } from './compare.ts';
import type { CorpusEntry } from './corpus.ts';
import { DATA_START_MS } from './dataset.ts';

// Query times are 7 s past the minute: subquery steps are aligned to multiples of the step, so at a whole
// minute a subquery's first inner step would fall exactly on its window's left edge, which Prometheus 2.42
// includes and Prometheus 3 excludes. The corpus has entries at aligned times (with `@`) for that case.
const OFFSET_S = 7;

/** Instant query times (s): early, inside sensor_value's gap, late (after a target went down). */
export const INSTANT_TIMES_S = [3600, 2 * 3600 + 10 * 60, 5 * 3600 + 30 * 60].map(
  (offset) => DATA_START_MS / 1000 + offset + OFFSET_S,
);
export const RANGE = {
  start: DATA_START_MS / 1000 + 1800 + OFFSET_S,
  end: DATA_START_MS / 1000 + 5 * 3600 + 50 * 60 + OFFSET_S,
  step: 60,
};

export interface CaseResult {
  entry: CorpusEntry;
  /** "instant@<t>" or "range". */
  mode: string;
  difference: string | null;
}

async function ask(
  baseUrl: string,
  path: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return (await response.json()) as Record<string, unknown>;
}

function isOrdered(query: string): boolean {
  return /^\s*(sort|sort_desc)\s*\(/.test(query);
}

export async function runCorpus(
  prometheusUrl: string,
  collectorUrl: string,
  entries: CorpusEntry[],
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const entry of entries) {
    for (const time of INSTANT_TIMES_S) {
      const params = { query: entry.query, time: String(time) };
      const [expected, actual] = await Promise.all([
        ask(prometheusUrl, '/api/v1/query', params),
        ask(collectorUrl, '/api/v1/query', params),
      ]);
      results.push({
        entry,
        mode: `instant@${time}`,
        difference: compareAnswers(expected as never, actual as never, isOrdered(entry.query)),
      });
    }
    if (entry.instantOnly) continue;
    const params = {
      query: entry.query,
      start: String(RANGE.start),
      end: String(RANGE.end),
      step: String(RANGE.step),
    };
    const [expected, actual] = await Promise.all([
      ask(prometheusUrl, '/api/v1/query_range', params),
      ask(collectorUrl, '/api/v1/query_range', params),
    ]);
    results.push({
      entry,
      mode: 'range',
      difference: compareAnswers(expected as never, actual as never, false),
    });
  }
  return results;
}

export interface Summary {
  queries: number;
  cases: number;
  passed: number;
  expectedDifferences: number;
  /** Failures of entries not marked as expected differences. */
  unexpected: CaseResult[];
}

export function summarize(results: CaseResult[]): Summary {
  const unexpected = results.filter((r) => r.difference !== null && !r.entry.expectedDifference);
  return {
    queries: new Set(results.map((r) => r.entry.query)).size,
    cases: results.length,
    passed: results.filter((r) => r.difference === null).length,
    expectedDifferences: results.filter((r) => r.difference !== null && r.entry.expectedDifference).length,
    unexpected,
  };
}
