// Test failures worded and laid out as `promtool test rules` prints them (cmd/promtool/unittest.go), so that
// a failure reads the same from either tool: labels as {a="b", c="d"}, values as Go's %E, times as Go
// durations.
import type { Labels } from '@dss/collector/metrics';
import { formatGoDuration, formatModelDuration } from '../rules/durations.ts';
import { formatFloat } from '../templates/go-float.ts';
import { goQuote } from '../templates/go-values.ts';

/** Prometheus's labels.Labels.String(). */
export function formatLabels(labels: Labels): string {
  const names = Object.keys(labels).sort(compareStrings);
  return `{${names.map((n) => `${n}=${goQuote(labels[n] as string)}`).join(', ')}}`;
}

/** Go's byte-wise string order. */
export function compareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Prometheus's labels.Compare. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort(compareStrings);
  const bn = Object.keys(b).sort(compareStrings);
  for (let i = 0; i < Math.min(an.length, bn.length); i++) {
    const byName = compareStrings(an[i] as string, bn[i] as string);
    if (byName !== 0) return byName;
    const byValue = compareStrings(a[an[i] as string] as string, b[bn[i] as string] as string);
    if (byValue !== 0) return byValue;
  }
  return an.length - bn.length;
}

export function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line, i) => (i > 0 ? indent + line : line))
    .join('\n');
}

export interface LabelsAndAnnotations {
  labels: Labels;
  annotations: Labels;
}

function formatAlerts(list: readonly LabelsAndAnnotations[]): string {
  if (list.length === 0) return '[]';
  const items = list.map(
    (a, i) =>
      `${i}:${indentLines(`\nLabels:${formatLabels(a.labels)}\nAnnotations:${formatLabels(a.annotations)}`, '  ')}`,
  );
  return `[\n${items.join(',\n')}\n]`;
}

export function alertMismatch(
  testName: string,
  alertname: string,
  evalTimeMs: number,
  expected: readonly LabelsAndAnnotations[],
  got: readonly LabelsAndAnnotations[],
): string {
  const name = testName ? `    name: ${testName},\n` : '';
  const exp = indentLines(formatAlerts(expected), '            ');
  const gotText = indentLines(formatAlerts(got), '            ');
  return `${name}    alertname: ${alertname}, time: ${formatModelDuration(evalTimeMs)}, \n        exp:${exp}, \n        got:${gotText}`;
}

export interface ParsedSample {
  labels: Labels;
  value: number;
}

function formatSamples(samples: readonly ParsedSample[]): string {
  if (samples.length === 0) return 'nil';
  return samples.map((s) => `${formatLabels(s.labels)} ${formatFloat(s.value, 'E', -1)}`).join(', ');
}

export function exprMismatch(
  expr: string,
  evalTimeMs: number,
  expected: readonly ParsedSample[],
  got: readonly ParsedSample[],
): string {
  return `    expr: ${goQuote(expr)}, time: ${formatModelDuration(evalTimeMs)},\n        exp: ${formatSamples(expected)}\n        got: ${formatSamples(got)}`;
}

export function exprError(expr: string, evalTimeMs: number, message: string): string {
  return `    expr: ${goQuote(expr)}, time: ${formatModelDuration(evalTimeMs)}, err: ${message}`;
}

export function ruleError(rule: string, timeMs: number, message: string): string {
  return `    rule: ${rule}, time: ${formatGoDuration(timeMs)}, err: ${message}`;
}
