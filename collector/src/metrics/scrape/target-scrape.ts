// One target's scrapes: GET the URL, parse it, and turn it into the batch Prometheus would append: the
// exposed samples with the target's labels at the scrape's start time, staleness markers for the series
// that were in the previous scrape and are gone (all of them when the scrape fails), and the report series
// up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling and
// scrape_series_added.
import type { AppendBatch, AppendSample, Labels, MetricKind, MetricMetadata } from '../model.ts';
import {
  ExpositionParseError,
  type ParsedExposition,
  type ParsedFamily,
  parseExposition,
} from './exposition-parser.ts';
import { reportLabels, scrapedSeriesLabels, seriesKey, type TargetLabels } from './target-labels.ts';

export interface ScrapeTarget {
  /** The metrics URL, e.g. http://127.0.0.1:9464/metrics. */
  url: string;
  /** The `job` label of every series of the target. */
  job: string;
  /** More labels for every series (override job and instance when they name them). */
  labels?: Readonly<Record<string, string>>;
  /** The tenant the samples go to ('' by default). */
  tenant?: string;
}

export interface ScrapeResult {
  batch: AppendBatch;
  /** Why the scrape failed (then `up` is 0). */
  error?: Error;
  /** Identifies the metadata in the batch: the caller confirms delivery with metadataDelivered(). */
  metadataKey?: string;
}

export interface ScrapeSettings {
  timeoutMs: number;
  now: () => number;
  fetch: typeof fetch;
}

export const ACCEPT_HEADER = 'text/plain;version=0.0.4';

function metadataType(type: ParsedFamily['type']): MetricKind {
  return type === undefined || type === 'untyped' ? 'unknown' : type;
}

/** A fetch failure as one readable message (`fetch failed: connect ECONNREFUSED 127.0.0.1:9`). */
function describe(error: unknown, timeoutMs: number): Error {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return new Error(`scrape timed out after ${timeoutMs} ms`);
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new Error(`${error.message}${cause}`, { cause: error });
  }
  return new Error(String(error));
}

export class TargetScrape {
  readonly target: ScrapeTarget;
  readonly instance: string;
  readonly labels: TargetLabels;
  /** Series of the last scrape that had no explicit timestamp, by key: staleness markers for those gone. */
  #previous = new Map<string, Labels>();
  /** Keys of every series of the last scrape (for scrape_series_added). */
  #previousKeys = new Set<string>();
  #deliveredMetadata: string | undefined;

  constructor(target: ScrapeTarget) {
    this.target = target;
    this.instance = new URL(target.url).host;
    const labels = new Map<string, string>([
      ['job', target.job],
      ['instance', this.instance],
    ]);
    for (const [name, value] of Object.entries(target.labels ?? {})) {
      if (!name.startsWith('__')) labels.set(name, value);
    }
    this.labels = [...labels];
  }

  /** The metadata with this key reached the store: later scrapes send it again only when it changes. */
  metadataDelivered(key: string): void {
    this.#deliveredMetadata = key;
  }

  async scrape(settings: ScrapeSettings): Promise<ScrapeResult> {
    const timestampMs = settings.now();
    const started = performance.now();
    let exposition: ParsedExposition | undefined;
    let error: Error | undefined;
    try {
      exposition = await this.#fetch(settings);
    } catch (caught) {
      error = caught instanceof ExpositionParseError ? caught : describe(caught, settings.timeoutMs);
    }
    const durationSeconds = (performance.now() - started) / 1000;

    const samples: AppendSample[] = [];
    const current = new Map<string, Labels>();
    const seen = new Set<string>();
    let added = 0;
    if (exposition !== undefined) {
      for (const sample of exposition.samples) {
        const labels = scrapedSeriesLabels(sample, this.labels);
        const key = seriesKey(labels);
        // A series twice in one exposition: Prometheus keeps the first.
        if (seen.has(key)) continue;
        seen.add(key);
        if (!this.#previousKeys.has(key)) added++;
        // Series with their own timestamps get no staleness markers (Prometheus neither).
        if (sample.timestampMs === undefined) current.set(key, labels);
        samples.push({ labels, timestampMs: sample.timestampMs ?? timestampMs, value: sample.value });
      }
    }
    for (const [key, labels] of this.#previous) {
      if (!current.has(key)) samples.push({ labels, timestampMs, value: Number.NaN, stale: true });
    }
    this.#previous = current;
    this.#previousKeys = seen;

    const report = (name: string, value: number) =>
      samples.push({ labels: reportLabels(name, this.labels), timestampMs, value });
    report('up', exposition === undefined ? 0 : 1);
    report('scrape_duration_seconds', durationSeconds);
    report('scrape_samples_scraped', seen.size);
    report('scrape_samples_post_metric_relabeling', seen.size);
    report('scrape_series_added', added);

    const batch: AppendBatch = { tenant: this.target.tenant ?? '', samples };
    const result: ScrapeResult = { batch };
    if (error !== undefined) result.error = error;
    if (exposition !== undefined) {
      const metadata: MetricMetadata[] = exposition.families.map((family) => ({
        metric: family.name,
        type: metadataType(family.type),
        help: family.help ?? '',
        unit: family.unit ?? '',
      }));
      const key = JSON.stringify(metadata);
      if (metadata.length > 0 && key !== this.#deliveredMetadata) {
        batch.metadata = metadata;
        result.metadataKey = key;
      }
    }
    return result;
  }

  async #fetch(settings: ScrapeSettings): Promise<ParsedExposition> {
    const response = await settings.fetch(this.target.url, {
      headers: { accept: ACCEPT_HEADER },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`server returned HTTP status ${response.status} ${response.statusText}`.trimEnd());
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('protobuf')) {
      await response.body?.cancel();
      throw new Error(`unsupported content type ${contentType} (only the text formats are read)`);
    }
    const text = await response.text();
    return parseExposition(text, { openMetrics: contentType.includes('application/openmetrics-text') });
  }
}
