// The label set of one series: point attributes, then the promoted resource attributes where the point has
// no such label, then the scope labels, job and instance, and last the metric name and `le`/`quantile`,
// each overriding what came before (the order of Prometheus's createAttributes).
import type { KeyValue } from '../../receiver/decoded-types.ts';
import { type Labels, METRIC_NAME_LABEL } from '../model.ts';
import { attributeLabels, type LabelMap } from './attribute-labels.ts';
import type { ResourceLabels } from './resource-labels.ts';

/** The labels every series of a data point shares (no `__name__` yet, no empty values). */
export function pointLabels(
  attributes: readonly KeyValue[],
  resource: ResourceLabels,
  scope: LabelMap,
): Labels {
  const labels = attributeLabels(attributes);
  for (const [name, value] of resource.promoted) if (!labels.has(name)) labels.set(name, value);
  for (const [name, value] of scope) labels.set(name, value);
  for (const [name, value] of resource.identity) labels.set(name, value);
  return finishedLabels(labels);
}

/** A label map as a label set: empty values (absent labels) left out. */
export function finishedLabels(labels: LabelMap): Labels {
  const record: Record<string, string> = {};
  for (const [name, value] of labels) {
    if (value === '') continue;
    // Plain assignment of '__proto__' would replace the prototype.
    if (name === '__proto__')
      Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
    else record[name] = value;
  }
  return record;
}

/** One series' labels: the point's, the name, and `le` or `quantile` when given. */
export function seriesLabels(base: Labels, name: string, extraName?: string, extraValue?: string): Labels {
  // Spread and computed keys define properties: '__proto__' is safe here.
  if (extraName === undefined || extraValue === undefined) return { ...base, [METRIC_NAME_LABEL]: name };
  return { ...base, [extraName]: extraValue, [METRIC_NAME_LABEL]: name };
}

/** A canonical text of a label set (sorted), to key per-series state by. */
export function labelsKey(labels: Labels): string {
  let key = '';
  for (const name of Object.keys(labels).sort()) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}
