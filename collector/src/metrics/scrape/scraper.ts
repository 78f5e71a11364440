// Scrapes Prometheus targets on an interval and appends what they expose. As in Prometheus, each target
// is scraped at a fixed offset within the interval, derived from a hash of the target, so that targets
// spread over the interval instead of being scraped all at once; a target's scrapes never overlap (a scrape
// slower than the interval skips the slots it overran). Nothing escapes the loop: failed scrapes and
// failed appends are counted and given to `onError`.
import type { SampleAppender } from '../model.ts';
import { type ScrapeSettings, type ScrapeTarget, TargetScrape } from './target-scrape.ts';

export interface ScraperConfig {
  targets: readonly ScrapeTarget[];
  /** Time between two scrapes of a target. Default 15 s. */
  intervalMs?: number;
  /** Time a scrape may take, at most the interval. Default 10 s. */
  timeoutMs?: number;
}

export interface ScraperOptions extends ScraperConfig {
  appender: SampleAppender;
  /** Told of each failed scrape or append. Errors it throws are ignored. */
  onError?: (error: Error, target: ScrapeTarget) => void;
  /** The wall clock, in ms: sample timestamps and scrape slots. */
  now?: () => number;
  /** The HTTP client (tests). Default the global fetch. */
  fetch?: typeof fetch;
}

export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;
export const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;

interface TargetRun {
  scrape: TargetScrape;
  offsetMs: number;
  timer?: NodeJS.Timeout;
  /** The last scrape queued; each waits for the one before. */
  queue: Promise<void>;
  pending: number;
}

/** FNV-1a (32 bits) of a string's UTF-16 code units: a stable spread of targets over the interval. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The target's offset within the interval. */
export function scrapeOffsetMs(target: ScrapeTarget, intervalMs: number): number {
  return hash(`${target.job}\u0000${target.url}`) % intervalMs;
}

/** The first time after `nowMs` that is `offsetMs` past a multiple of the interval. */
export function nextScrapeMs(nowMs: number, intervalMs: number, offsetMs: number): number {
  const sinceSlot = (((nowMs - offsetMs) % intervalMs) + intervalMs) % intervalMs;
  return nowMs - sinceSlot + intervalMs;
}

export class Scraper {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly #appender: SampleAppender;
  readonly #onError: (error: Error, target: ScrapeTarget) => void;
  readonly #settings: ScrapeSettings;
  readonly #runs: TargetRun[];
  #started = false;
  #stopped = false;
  #errors = 0;

  constructor(options: ScraperOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
    this.timeoutMs = options.timeoutMs ?? Math.min(DEFAULT_SCRAPE_TIMEOUT_MS, this.intervalMs);
    if (!(this.intervalMs > 0))
      throw new RangeError(`scrape interval must be positive, got ${this.intervalMs} ms`);
    if (!(this.timeoutMs > 0 && this.timeoutMs <= this.intervalMs))
      throw new RangeError(
        `scrape timeout must be positive and at most the interval, got ${this.timeoutMs} ms`,
      );
    this.#appender = options.appender;
    this.#onError = options.onError ?? (() => {});
    this.#settings = {
      timeoutMs: this.timeoutMs,
      now: options.now ?? Date.now,
      fetch: options.fetch ?? fetch,
    };
    this.#runs = options.targets.map((target) => ({
      scrape: new TargetScrape(target),
      offsetMs: scrapeOffsetMs(target, this.intervalMs),
      queue: Promise.resolve(),
      pending: 0,
    }));
  }

  /** Failed scrapes and appends so far. */
  get errors(): number {
    return this.#errors;
  }

  /** Starts scraping every target at its slot of the interval. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    for (const run of this.#runs) this.#schedule(run);
  }

  /** Scrapes every target once, now (each after its scrape in flight, if any). */
  async scrapeNow(): Promise<void> {
    await Promise.all(this.#runs.map((run) => this.#enqueue(run)));
  }

  /** Stops the schedule and waits for the scrapes in flight to be appended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const run of this.#runs) clearTimeout(run.timer);
    await Promise.all(this.#runs.map((run) => run.queue));
  }

  #schedule(run: TargetRun): void {
    if (this.#stopped) return;
    const now = this.#settings.now();
    const delay = nextScrapeMs(now, this.intervalMs, run.offsetMs) - now;
    run.timer = setTimeout(() => {
      if (this.#stopped) return;
      // Still busy (a scrapeNow): this slot is skipped, as Prometheus skips slots a slow scrape overran.
      if (run.pending > 0) this.#schedule(run);
      else void this.#enqueue(run).then(() => this.#schedule(run));
    }, delay);
  }

  #enqueue(run: TargetRun): Promise<void> {
    run.pending++;
    run.queue = run.queue
      .then(() => this.#scrapeOnce(run))
      .finally(() => {
        run.pending--;
      });
    return run.queue;
  }

  async #scrapeOnce(run: TargetRun): Promise<void> {
    const { target } = run.scrape;
    try {
      const result = await run.scrape.scrape(this.#settings);
      if (result.error !== undefined) this.#report(result.error, target);
      try {
        await this.#appender.append(result.batch);
        if (result.metadataKey !== undefined) run.scrape.metadataDelivered(result.metadataKey);
      } catch (error) {
        this.#report(new Error(`append failed: ${errorMessage(error)}`, { cause: error }), target);
      }
    } catch (error) {
      // Not expected (scrape() catches what it can), but the loop must go on.
      this.#report(error instanceof Error ? error : new Error(String(error)), target);
    }
  }

  #report(error: Error, target: ScrapeTarget): void {
    this.#errors++;
    try {
      this.#onError(error, target);
    } catch {
      // A failing error handler must not stop the scrapes.
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
