// What a rule makes of its query result at one evaluation, as Prometheus's rules package does: a recording
// rule renames the series and applies its labels (checking for duplicates and the group limit); an alerting
// rule turns each series into an alert instance (labels without __name__, the rule's labels templated and
// `alertname`; annotations templated with $labels/$value/$externalLabels); active alerts are written back as
// the ALERTS and ALERTS_FOR_STATE series.
import type { Labels } from '@dss/collector/metrics';
import { PromQLError, type QueryData } from '@dss/collector/promql';
import type { AlertingRule, RecordingRule } from '../rules/types.ts';
import {
  expandAlertTemplate,
  type TemplateFunction,
  type TemplateQueryFunction,
  templateFunctions,
} from '../templates/index.ts';
import { type Alert, type AlertInstance, labelsKey } from './alert-state.ts';

export interface VectorSample {
  labels: Labels;
  value: number;
}

/** A sample to write back into the store. */
export interface OutputSample {
  labels: Labels;
  timestampMs: number;
  value: number;
  stale?: boolean;
}

/** Prometheus API float text ("1.5", "NaN", "+Inf") to a number. */
export function parseSampleValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  return Number(text);
}

/** A query answer as the vector a rule works on: a scalar is one sample without labels (EngineQueryFunc). */
export function toVector(data: QueryData): VectorSample[] {
  if (data.resultType === 'vector') {
    return data.result.map((s) => ({ labels: s.metric, value: parseSampleValue(s.value[1]) }));
  }
  if (data.resultType === 'scalar') return [{ labels: {}, value: parseSampleValue(data.result[1]) }];
  throw new PromQLError('execution', 'rule result is not a vector or scalar');
}

/** Rule labels over group labels (the rule's win), as Prometheus 3 merges them. */
export function effectiveLabels(groupLabels: Labels, ruleLabels: Labels): Labels {
  return { ...groupLabels, ...ruleLabels };
}

function withLabel(labels: Record<string, string>, name: string, value: string): void {
  if (value === '') delete labels[name];
  else labels[name] = value;
}

/** The series a recording rule writes; throws Error with Prometheus's message on duplicates or the limit. */
export function recordingSamples(
  rule: RecordingRule,
  groupLabels: Labels,
  vector: readonly VectorSample[],
  limit: number,
): VectorSample[] {
  const ruleLabels = effectiveLabels(groupLabels, rule.labels);
  const seen = new Set<string>();
  const out = vector.map((sample) => {
    const labels: Record<string, string> = { ...sample.labels, __name__: rule.name };
    for (const [name, value] of Object.entries(ruleLabels)) withLabel(labels, name, value);
    const key = labelsKey(labels);
    if (seen.has(key))
      throw new Error('vector contains metrics with the same labelset after applying rule labels');
    seen.add(key);
    return { labels, value: sample.value };
  });
  if (limit > 0 && out.length > limit)
    throw new Error(`exceeded limit of ${limit} with ${out.length} series`);
  return out;
}

export interface TemplateEnvironment {
  externalLabels: Labels;
  /** `$externalURL` / `.ExternalURL`. */
  externalURL: string;
  /** The URL behind the pathPrefix/externalURL functions; undefined makes them fail as in promtool. */
  externalURLFunctions?: string;
  /** Runs `query` in templates at the evaluation time. */
  query?: TemplateQueryFunction;
}

/** The alert instances of one evaluation of an alerting rule. */
export function alertInstances(
  rule: AlertingRule,
  groupLabels: Labels,
  vector: readonly VectorSample[],
  env: TemplateEnvironment,
): AlertInstance[] {
  if (vector.length === 0) return [];
  const functions: ReadonlyMap<string, TemplateFunction> = templateFunctions({
    query: env.query,
    externalURL: env.externalURLFunctions,
  });
  const ruleLabels = effectiveLabels(groupLabels, rule.labels);
  return vector.map((sample) => {
    const data = {
      labels: sample.labels,
      externalLabels: env.externalLabels,
      externalURL: env.externalURL,
      value: sample.value,
    };
    const expand = (name: string, text: string, templates: ReadonlyMap<string, unknown>) => {
      const template = templates.get(name) as Parameters<typeof expandAlertTemplate>[0] | undefined;
      return template ? expandAlertTemplate(template, data, {}, functions) : text;
    };
    const labels: Record<string, string> = { ...sample.labels };
    delete labels.__name__;
    for (const [name, text] of Object.entries(ruleLabels))
      withLabel(labels, name, expand(name, text, rule.labelTemplates));
    labels.alertname = rule.name;
    const annotations: Record<string, string> = {};
    for (const [name, text] of Object.entries(rule.annotations))
      annotations[name] = expand(name, text, rule.annotationTemplates);
    return { labels, annotations, value: sample.value };
  });
}

/** The ALERTS and ALERTS_FOR_STATE samples of a rule's active alerts. */
export function alertSeries(alerts: readonly Alert[]): VectorSample[] {
  const out: VectorSample[] = [];
  for (const alert of alerts) {
    if (alert.resolvedAtMs !== undefined) continue;
    out.push({ labels: { ...alert.labels, __name__: 'ALERTS', alertstate: alert.state }, value: 1 });
    out.push({
      labels: { ...alert.labels, __name__: 'ALERTS_FOR_STATE' },
      value: Math.floor(alert.activeAtMs / 1000),
    });
  }
  return out;
}
