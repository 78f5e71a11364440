// OTel attribute keys to Prometheus label names, as Prometheus's OTLP receiver does (otlptranslator
// LabelNamer, legacy escaping): every character outside [a-zA-Z0-9_] becomes `_`, a leading digit gets a
// `key_` prefix, a single leading `_` a `key` prefix, and names starting `__` (reserved) are kept.
//
// Unlike metric names, runs of `_` are not collapsed: the specification says they should be, but neither
// Prometheus nor the OTel Collector does it, and matching their label names is what makes queries portable.

const INVALID_LABEL_CHARACTERS = /[^a-zA-Z0-9_]/gu;

/** Names already worked out: attribute keys repeat on every point. Emptied when it grows past its limit. */
const known = new Map<string, string | undefined>();
const KNOWN_LIMIT = 10_000;

/** The label name for an attribute key, or undefined when nothing valid is left (`.` → `_`, empty). */
export function prometheusLabelName(key: string): string | undefined {
  if (known.has(key)) return known.get(key);
  const name = labelName(key);
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(key, name);
  return name;
}

function labelName(key: string): string | undefined {
  if (key === '') return undefined;
  let name = key.replace(INVALID_LABEL_CHARACTERS, '_');
  if (/^[0-9]/.test(name)) name = `key_${name}`;
  else if (name.startsWith('_') && !name.startsWith('__')) name = `key${name}`;
  // A key made only of invalid characters ('..') would become a reserved-looking '__'.
  if (name !== key && /^_+$/.test(name)) return undefined;
  return name;
}
