// One log line as the pipeline sees it: its text and its labels (stream labels, structured metadata such as
// trace_id, and whatever parsers have extracted). Stages never mutate an entry; they return a new one.

export interface LogEntry {
  line: string;
  labels: Readonly<Record<string, string>>;
}

/** The label Loki sets when a stage fails (JSONParserErr, LogfmtParserErr, LabelFilterErr). */
export const ERROR_LABEL = '__error__';
export const ERROR_DETAILS_LABEL = '__error_details__';

export function withError(
  labels: Readonly<Record<string, string>>,
  error: string,
  details?: string,
): Record<string, string> {
  const out: Record<string, string> = { ...labels, [ERROR_LABEL]: error };
  if (details !== undefined) out[ERROR_DETAILS_LABEL] = details;
  return out;
}
