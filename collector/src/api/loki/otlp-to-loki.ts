// OTLP log records in Loki's model, as Loki's OTLP ingest maps them: resource attributes become the stream
// labels with their names made valid (`service.name` → `service_name`, `dss.client` → `dss_client`), the
// severity becomes the `level` label, and the record's attributes, trace_id and span_id become structured
// metadata. The line is the body (a string as it is, a structure as JSON).
import { extractedName, sanitizeLabelName } from '../../query/logql/label-names.ts';
import { anyValueToString } from '../../receiver/attributes.ts';
import type { KeyValue } from '../../receiver/decoded-types.ts';

export type Labels = Record<string, string>;

/** Stream labels of a resource (without `level`, which comes from each record). */
export function resourceStreamLabels(attributes: readonly KeyValue[]): Labels {
  const labels: Labels = {};
  for (const { key, value } of attributes) {
    const name = sanitizeLabelName(key);
    const text = anyValueToString(value);
    if (name !== '' && text !== '') labels[name] = text;
  }
  return labels;
}

// OTLP SeverityNumber ranges (1-4 TRACE ... 21-24 FATAL) to the level words Grafana colours.
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** `level`: from the severity number, else the severity text in lower case, else "unknown" (as Loki). */
export function severityLevel(severityNumber: number, severityText: string): string {
  if (severityNumber >= 1 && severityNumber <= 24)
    return LEVELS[Math.floor((severityNumber - 1) / 4)] ?? 'unknown';
  return severityText !== '' ? severityText.toLowerCase() : 'unknown';
}

/**
 * Structured metadata of a record. An attribute whose label name is already a stream label (a `level`
 * attribute, say) is kept under `<name>_extracted`, Loki's convention for such clashes, so that neither
 * hides the other.
 */
export function structuredMetadata(
  attributes: readonly KeyValue[],
  traceId: string,
  spanId: string,
  streamLabels: Readonly<Labels>,
): Labels {
  const metadata: Labels = {};
  for (const { key, value } of attributes) {
    const name = sanitizeLabelName(key);
    if (name !== '') metadata[extractedName(name, streamLabels)] = anyValueToString(value);
  }
  if (traceId !== '') metadata[extractedName('trace_id', streamLabels)] = traceId;
  if (spanId !== '') metadata[extractedName('span_id', streamLabels)] = spanId;
  return metadata;
}
