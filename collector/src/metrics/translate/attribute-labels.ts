// Attribute lists to label maps: names sanitised, values as text, and keys that sanitise to the same name
// merged, their values joined with ';' in the order of the original keys (OTel specification, "Metric
// Attributes").
import { anyValueToString } from '../../receiver/attributes.ts';
import type { KeyValue } from '../../receiver/decoded-types.ts';
import { prometheusLabelName } from './label-name.ts';

/** Label name → value, in insertion order. Values may be '' (absent) until the label set is finished. */
export type LabelMap = Map<string, string>;

const byKey = (a: KeyValue, b: KeyValue) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The attributes as labels. Keys with nothing valid in them ('', '..') are dropped. */
export function attributeLabels(attributes: readonly KeyValue[], skip?: ReadonlySet<string>): LabelMap {
  const labels: LabelMap = new Map();
  const sorted = attributes.length > 1 ? [...attributes].sort(byKey) : attributes;
  for (const { key, value } of sorted) {
    if (skip?.has(key)) continue;
    const name = prometheusLabelName(key);
    if (name === undefined) continue;
    const text = anyValueToString(value);
    const existing = labels.get(name);
    labels.set(name, existing === undefined ? text : `${existing};${text}`);
  }
  return labels;
}
