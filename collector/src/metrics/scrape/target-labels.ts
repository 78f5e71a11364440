// The labels of a scraped series: what the target exposed plus the target's own labels (job, instance and
// the configured ones). As Prometheus does with honor_labels: false, a target label wins, and the exposed
// label it displaces is kept as exported_<name> (exported_exported_<name> if that is taken too).

import { formatOpenMetricsFloat } from '../float-format.ts';
import { type Labels, METRIC_NAME_LABEL } from '../model.ts';
import { type ParsedSample, parseFloatValue } from './exposition-parser.ts';

export type TargetLabels = readonly (readonly [name: string, value: string])[];

function set(labels: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The value of `le` (histograms) or `quantile` (summaries) as Prometheus 3 ingests it from any scrape
 * format: labels.FormatOpenMetricsFloat, so `le="1"` becomes `le="1.0"`. Other labels, and values that are
 * not numbers, are kept as written.
 */
function normalisedValue(sample: ParsedSample, name: string, value: string): string {
  const type = sample.family?.type;
  if (!((type === 'histogram' && name === 'le') || (type === 'summary' && name === 'quantile'))) return value;
  const parsed = parseFloatValue(value);
  return parsed === undefined ? value : formatOpenMetricsFloat(parsed);
}

export function scrapedSeriesLabels(sample: ParsedSample, target: TargetLabels): Labels {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(sample.labels)) {
    if (value !== '' && name !== METRIC_NAME_LABEL) set(labels, name, normalisedValue(sample, name, value));
  }
  for (const [name, value] of target) {
    const exposed = Object.hasOwn(labels, name) ? labels[name] : undefined;
    if (exposed !== undefined) {
      let exported = `exported_${name}`;
      while (Object.hasOwn(labels, exported)) exported = `exported_${exported}`;
      set(labels, exported, exposed);
    }
    if (value === '') delete labels[name];
    else set(labels, name, value);
  }
  set(labels, METRIC_NAME_LABEL, sample.name);
  return labels;
}

/** The labels of the scrape's own series (up, scrape_duration_seconds, ...). */
export function reportLabels(name: string, target: TargetLabels): Labels {
  const labels: Record<string, string> = {};
  for (const [label, value] of target) if (value !== '') set(labels, label, value);
  set(labels, METRIC_NAME_LABEL, name);
  return labels;
}

/** A canonical text of a label set, to recognise a series from one scrape to the next. */
export function seriesKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}\u0000${labels[name]}`)
    .join('\u0001');
}
