// `| json`: Loki's JSONParser. Every string, number and boolean of the line's JSON object becomes a label;
// nested objects are flattened with `_` (`{"a":{"b":1}}` gives a_b="1"); arrays and nulls are skipped.
// Numbers keep their text as written (`1.50` stays "1.50"). A line that is not a JSON object gets
// __error__="JSONParserErr" and __error_details__ (the message differs from Loki's Go parser; and where
// Loki keeps the labels it read before a syntax error, we keep none).
import { extractedName, sanitizeLabelName } from './label-names.ts';
import { type LogEntry, withError } from './log-entry.ts';

export const JSON_PARSER_ERROR = 'JSONParserErr';

/** A number's source text, kept by the reviver (JSON.parse source access, Node 22+). */
class RawNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function applyJsonParser(entry: LogEntry): LogEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.line, (_key, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' ? new RawNumber(context?.source ?? String(value)) : value,
    );
  } catch (error) {
    return { line: entry.line, labels: withError(entry.labels, JSON_PARSER_ERROR, (error as Error).message) };
  }
  if (!isObject(parsed)) {
    const details = `expecting a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`;
    return { line: entry.line, labels: withError(entry.labels, JSON_PARSER_ERROR, details) };
  }
  const labels: Record<string, string> = { ...entry.labels };
  flatten(parsed, '', entry.labels, labels);
  return { line: entry.line, labels };
}

function flatten(
  object: Record<string, unknown>,
  prefix: string,
  existing: Readonly<Record<string, string>>,
  out: Record<string, string>,
): void {
  for (const [key, value] of Object.entries(object)) {
    const name =
      prefix === ''
        ? sanitizeLabelName(key)
        : `${prefix}_${sanitizeLabelName(key).replace(/^_(?=[0-9])/, '')}`;
    if (name === '') continue;
    if (isObject(value)) {
      flatten(value, name, existing, out);
      continue;
    }
    const text =
      typeof value === 'string'
        ? value
        : value instanceof RawNumber
          ? value.text
          : typeof value === 'boolean'
            ? String(value)
            : null;
    if (text !== null) out[extractedName(name, existing)] = text;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawNumber)
  );
}
