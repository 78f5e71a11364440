// Scraping Prometheus targets: the text-format parser, one target's scrapes, the scheduling Scraper.
export {
  ExpositionParseError,
  type FamilyType,
  type ParsedExposition,
  type ParsedFamily,
  type ParsedSample,
  type ParseOptions,
  parseExposition,
} from './exposition-parser.ts';
export {
  DEFAULT_SCRAPE_INTERVAL_MS,
  DEFAULT_SCRAPE_TIMEOUT_MS,
  nextScrapeMs,
  Scraper,
  type ScraperConfig,
  type ScraperOptions,
  scrapeOffsetMs,
} from './scraper.ts';
export { ACCEPT_HEADER, type ScrapeResult, type ScrapeTarget, TargetScrape } from './target-scrape.ts';
