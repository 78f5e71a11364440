// OTel metric names and units to Prometheus metric names, as Prometheus's OTLP receiver does with its
// default translation strategy (UnderscoreEscapingWithSuffixes: prometheus/otlptranslator MetricNamer and
// UnitNamer) and as the OTel specification describes (compatibility/prometheus_and_openmetrics.md,
// "Metric Metadata"): invalid characters become `_` with runs collapsed, the unit becomes a suffix unless
// the name already holds it, counters end in `_total` and gauges of unit "1" in `_ratio`.

/** OTel (UCUM) units to Prometheus unit words; "1" has none (gauges get `_ratio` instead). */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  // time
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  // bytes
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  // SI
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  // misc
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** The unit after a `/`, singular: `By/s` is bytes_per_second. */
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** What decides the type suffixes: counters get `_total`, gauges of unit "1" get `_ratio`. */
export type NamingKind = 'gauge' | 'counter' | 'updowncounter' | 'histogram' | 'summary';

const own = (table: Readonly<Record<string, string>>, key: string): string | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

/** Runs of characters outside [a-zA-Z0-9:] (code points, so that an emoji is one `_`, as in Go). */
const NAME_SEPARATORS = /[^a-zA-Z0-9:]+/u;

/** A unit word cleaned to metric-name characters: invalid runs to one `_`, no `_` at either end. */
function cleanUnitWord(word: string): string {
  return word
    .replace(/[^a-zA-Z0-9:]+/gu, '_')
    .replace(/^_+/, '')
    .replace(/_+$/, '');
}

/**
 * The main and the per unit words of an OTel unit (`By/s` → bytes, second). Parts in braces are
 * annotations (`{request}`, `{packet}/s`): dropped. Units missing from the table are kept as they are,
 * cleaned (`mmHg` → mmHg).
 */
function unitWords(unit: string): { main: string; per: string } {
  const slash = unit.indexOf('/');
  const mainPart = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perPart = slash < 0 ? '' : unit.slice(slash + 1).trim();
  const annotation = (part: string) => part.includes('{') || part.includes('}');
  const main = mainPart === '' || annotation(mainPart) ? '' : (own(UNIT_WORDS, mainPart) ?? mainPart);
  const per = perPart === '' || annotation(perPart) ? '' : (own(PER_UNIT_WORDS, perPart) ?? perPart);
  return { main: cleanUnitWord(main), per: cleanUnitWord(per) };
}

/**
 * The unit as Prometheus metadata gives it (UnitNamer): `s` → seconds, `By/s` → bytes_per_second, `1` and
 * `{request}` → ''.
 */
export function prometheusUnit(unit: string): string {
  const { main, per } = unitWords(unit);
  if (main !== '' && per !== '') return `${main}_per_${per}`;
  if (per !== '') return `per_${per}`;
  return main;
}

/**
 * The Prometheus name of an OTel metric, or undefined when nothing valid is left of it (the metric is then
 * rejected, as Prometheus does). Examples: `dss.tank.level` (m, gauge) → dss_tank_level_meters;
 * `process.cpu.time` (s, counter) → process_cpu_time_seconds_total; `dss.tank.fill_ratio` (1, gauge) →
 * dss_tank_fill_ratio; `http.server.request.duration` (s, histogram) → http_server_request_duration_seconds
 * (the `_bucket`, `_sum` and `_count` series suffixes are added by the caller).
 *
 * A unit word is not added when the name already has it as one of its `_`-separated words (Prometheus's
 * rule), so `dss.job.seconds_late` (s) stays dss_job_seconds_late. For the per unit, Prometheus
 * (otlptranslator) looks for `per_second` among the words, which never matches, and would write
 * `bytes.per.second` (By/s) as bytes_per_second_per_second; this looks for `second`, as the OTel
 * Collector's translator did, and gives bytes_per_second.
 */
export function prometheusMetricName(name: string, unit: string, kind: NamingKind): string | undefined {
  let words = name.split(NAME_SEPARATORS).filter((word) => word !== '');
  const { main, per } = unitWords(unit);
  if (main !== '' && !words.includes(main)) words.push(main);
  if (per !== '' && !words.includes(per)) words.push('per', per);
  if (kind === 'counter') words = [...words.filter((word) => word !== 'total'), 'total'];
  if (kind === 'gauge' && unit === '1') words = [...words.filter((word) => word !== 'ratio'), 'ratio'];
  const joined = words.join('_');
  if (joined === '') return undefined;
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}
