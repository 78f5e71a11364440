// Label names extracted by the json and logfmt parsers, made valid the way Loki does (sanitizeLabelKey):
// surrounding spaces trimmed, every character outside [a-zA-Z0-9_] replaced by `_`, a leading digit
// prefixed with `_`; a name the entry already has gets the suffix `_extracted`.

export function sanitizeLabelName(key: string): string {
  const trimmed = key.trim();
  if (trimmed === '') return '';
  const safe = trimmed.replaceAll(/[^a-zA-Z0-9_]/gu, '_');
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

export function extractedName(name: string, existing: Readonly<Record<string, string>>): string {
  return Object.hasOwn(existing, name) ? `${name}_extracted` : name;
}
