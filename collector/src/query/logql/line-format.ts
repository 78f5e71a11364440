// `| line_format "..."`: Loki runs a Go text/template with the labels as data. We accept templates whose
// only actions are label references, `{{.label}}` (with optional `{{-` / `-}}` whitespace trimming); the
// parser rejects anything else so that a template is never half-rendered.

const ACTION = /\{\{(-?)\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*(-?)\}\}/g;

/** The first action that is not a plain label reference, with its offset in the template; null if none. */
export function unsupportedTemplateAction(template: string): { action: string; offset: number } | null {
  const withoutReferences = template.replaceAll(ACTION, (match) => ' '.repeat(match.length));
  const offset = withoutReferences.indexOf('{{');
  if (offset < 0) return null;
  const end = withoutReferences.indexOf('}}', offset);
  return { action: template.slice(offset, end < 0 ? undefined : end + 2), offset };
}

/** Renders a template accepted by the parser; a missing label renders as '' (Loki's missingkey=zero). */
export function renderLineFormat(template: string, labels: Readonly<Record<string, string>>): string {
  let out = '';
  let last = 0;
  for (const match of template.matchAll(ACTION)) {
    let before = template.slice(last, match.index);
    if (match[1] === '-') before = before.trimEnd();
    out += before + (labels[match[2] ?? ''] ?? '');
    last = match.index + match[0].length;
    if (match[3] === '-') while (last < template.length && /\s/.test(template.charAt(last))) last++;
  }
  return out + template.slice(last);
}
