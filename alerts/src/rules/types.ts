// The rule file model, as Prometheus's rule files (model/rulefmt) describe it, after parsing and validation:
// groups of recording and alerting rules, with their PromQL already parsed and their label and annotation
// templates compiled, and the source position of each part for messages.
import type { Expr } from '@dss/collector/promql';
import type { CompiledTemplate } from '../templates/index.ts';

/** 1-based line and column in a rule file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Prometheus's default group interval (global evaluation_interval). */
export const DEFAULT_GROUP_INTERVAL_MS = 60_000;

interface RuleBase {
  /** The PromQL text, as written. */
  expr: string;
  /** The parsed expression. */
  expression: Expr;
  /** The rule's own labels (for alerting rules, templates; for recording rules, plain values). */
  labels: Readonly<Record<string, string>>;
  /** Index of the rule in its group. */
  index: number;
  position: SourcePosition;
}

export interface RecordingRule extends RuleBase {
  kind: 'record';
  /** The metric name the rule records. */
  name: string;
}

export interface AlertingRule extends RuleBase {
  kind: 'alert';
  /** The alert name (the `alertname` label). */
  name: string;
  /** How long the expression must hold before the alert fires (0: at once). */
  forMs: number;
  /** How long the alert keeps firing after the expression stops returning it. */
  keepFiringForMs: number;
  annotations: Readonly<Record<string, string>>;
  /** Compiled label templates, by label name. */
  labelTemplates: ReadonlyMap<string, CompiledTemplate>;
  /** Compiled annotation templates, by annotation name. */
  annotationTemplates: ReadonlyMap<string, CompiledTemplate>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  /** The rule file the group comes from. */
  file: string;
  /** Evaluation interval; DEFAULT_GROUP_INTERVAL_MS when not set. */
  intervalMs: number;
  /** Whether `interval` was written in the file. */
  intervalSet: boolean;
  /** Prometheus 3's query_offset: rules query at evaluation time minus this. */
  queryOffsetMs: number;
  /** Most alerts or series a rule may produce; 0 is no limit. */
  limit: number;
  /** Prometheus 3's group labels, added to every rule's labels (the rule's own win). */
  labels: Readonly<Record<string, string>>;
  rules: Rule[];
  position: SourcePosition;
}

export interface RuleFile {
  path: string;
  groups: RuleGroup[];
}
