// /loki/api/v1/labels, /loki/api/v1/label/<name>/values and /loki/api/v1/series (Loki's API docs):
//   {"status":"success","data":["foo","bar"]}
//   {"status":"success","data":[{"container_name":"loki","app":"loki"}, ...]}
import { sortedLabels } from './streams-response.ts';

export function lokiLabelsJson(names: readonly string[]): { status: 'success'; data: string[] } {
  return { status: 'success', data: [...new Set(names)].sort() };
}

export function lokiSeriesJson(labelSets: readonly Readonly<Record<string, string>>[]): {
  status: 'success';
  data: Record<string, string>[];
} {
  const unique = new Map<string, Record<string, string>>();
  for (const labels of labelSets) {
    const sorted = sortedLabels(labels);
    unique.set(JSON.stringify(sorted), sorted);
  }
  return { status: 'success', data: [...unique.values()] };
}
