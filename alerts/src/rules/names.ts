// Metric and label name rules of Prometheus's legacy validation scheme (the one promtool 2.x applies, and
// the only one the collector's store has): metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
// [a-zA-Z_][a-zA-Z0-9_]*; label values any valid UTF-8.

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** Valid UTF-8: a JavaScript string is, unless it holds a lone surrogate. */
export function isValidLabelValue(value: string): boolean {
  return value.isWellFormed();
}
