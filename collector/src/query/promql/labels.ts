// Label-set helpers of the engine. Label sets are plain frozen objects that the engine never mutates; their
// canonical string (sorted names and values) is memoised, since grouping, matching and deduplication all
// key on it.
import { type Labels, METRIC_NAME_LABEL } from '../../metrics/model.ts';

const keys = new WeakMap<Labels, string>();
const SEP = '\u00ff';

/** A string that two label sets share exactly when they are equal. */
export function labelsKey(labels: Labels): string {
  let key = keys.get(labels);
  if (key === undefined) {
    const names = Object.keys(labels).sort();
    key = names.map((name) => `${name}${SEP}${labels[name]}`).join(SEP);
    keys.set(labels, key);
  }
  return key;
}

/** Builds a label set, leaving out empty values (Prometheus: an empty label is an absent label). */
export function makeLabels(entries: Iterable<[string, string]>): Labels {
  const out: Record<string, string> = {};
  for (const [name, value] of entries) if (value !== '') out[name] = value;
  return Object.freeze(out);
}

export function dropMetricName(labels: Labels): Labels {
  if (!(METRIC_NAME_LABEL in labels)) return labels;
  const { [METRIC_NAME_LABEL]: _name, ...rest } = labels;
  return Object.freeze(rest);
}

/** Only the named labels. */
export function keepLabels(labels: Labels, names: readonly string[]): Labels {
  return makeLabels(names.map((name) => [name, labels[name] ?? '']));
}

/** Every label but the named ones. */
export function withoutLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  return makeLabels(Object.entries(labels).filter(([name]) => !names.has(name)));
}

/** Labels sorted by name, for output and for ordering series as Prometheus does. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    const x = an[i] as string;
    const y = bn[i] as string;
    if (x !== y) return x < y ? -1 : 1;
    const xv = a[x] as string;
    const yv = b[y] as string;
    if (xv !== yv) return xv < yv ? -1 : 1;
  }
  return an.length - bn.length;
}

export function formatLabels(labels: Labels): string {
  const name = labels[METRIC_NAME_LABEL] ?? '';
  const rest = Object.keys(labels)
    .filter((key) => key !== METRIC_NAME_LABEL)
    .sort()
    .map((key) => `${key}=${JSON.stringify(labels[key])}`);
  return `${name}{${rest.join(', ')}}`;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}
