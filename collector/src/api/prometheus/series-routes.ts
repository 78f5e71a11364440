// Series metadata: /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values and /api/v1/metadata, which
// Grafana's query editor and variables use.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LabelMatcher, MetricsReader } from '../../metrics/model.ts';
import {
  badData,
  limitParam,
  MAX_TIME_MS,
  MIN_TIME_MS,
  matcherSets,
  param,
  params,
  timeParam,
} from './params.ts';
import { success } from './respond.ts';

function window(values: Record<string, unknown>): { startMs: number; endMs: number } {
  return { startMs: timeParam(values, 'start', MIN_TIME_MS), endMs: timeParam(values, 'end', MAX_TIME_MS) };
}

function limited<T>(items: T[], limit: number): { items: T[]; warnings: string[] } {
  if (limit === 0 || items.length <= limit) return { items, warnings: [] };
  return { items: items.slice(0, limit), warnings: ['results truncated due to limit'] };
}

export function seriesRoutes(app: FastifyInstance, reader: MetricsReader): void {
  const series = async (request: FastifyRequest) => {
    const values = params(request);
    const sets = matcherSets(values);
    if (sets.length === 0) throw badData('no match[] parameter provided');
    const range = window(values);
    const seen = new Map<number, Record<string, string>>();
    for (const matchers of sets) {
      for (const ref of reader.selectSeries(request.tenant, matchers, range))
        seen.set(ref.id, { ...ref.labels });
    }
    const { items, warnings } = limited([...seen.values()], limitParam(values));
    return success(items, warnings);
  };

  const labels = async (request: FastifyRequest) => {
    const values = params(request);
    const names = reader.labelNames(request.tenant, matcherSets(values), window(values));
    const { items, warnings } = limited(names, limitParam(values));
    return success(items, warnings);
  };

  const labelValues = async (request: FastifyRequest<{ Params: { name: string } }>) => {
    const values = params(request);
    const name = decodeLabelName(request.params.name);
    const sets: LabelMatcher[][] = matcherSets(values);
    const found = reader.labelValues(request.tenant, name, sets, window(values));
    const { items, warnings } = limited(found, limitParam(values));
    return success(items, warnings);
  };

  const metadata = async (request: FastifyRequest) => {
    const values = params(request);
    const metric = param(values, 'metric');
    const limit = limitParam(values);
    const out: Record<string, unknown[]> = {};
    let count = 0;
    for (const [name, entries] of reader.metadata(request.tenant, metric)) {
      if (limit > 0 && count >= limit) break;
      out[name] = entries.map(({ type, help, unit }) => ({ type, help, unit }));
      count++;
    }
    return success(out);
  };

  app.get('/api/v1/series', series);
  app.post('/api/v1/series', series);
  app.get('/api/v1/labels', labels);
  app.post('/api/v1/labels', labels);
  app.get('/api/v1/label/:name/values', labelValues);
  app.get('/api/v1/metadata', metadata);
}

// Prometheus 3 accepts UTF-8 label names in the path as `U__` followed by the escaped name.
function decodeLabelName(raw: string): string {
  if (!raw.startsWith('U__')) return raw;
  return raw
    .slice(3)
    .replace(/_([0-9a-fA-F]+)_|__/g, (_match, hex: string | undefined) =>
      hex === undefined ? '_' : String.fromCodePoint(Number.parseInt(hex, 16)),
    );
}
