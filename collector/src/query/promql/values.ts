// What the evaluator computes. Every expression is evaluated at all the steps of a query at once, series by
// series: an instant vector over the steps is a list of series, each with a value and a presence flag per
// step (a series is in the vector at the steps where it is present). Label sets stay fixed per series, so
// grouping and matching work is done once per series rather than once per step.
import type { Labels, SampleBlock } from '../../metrics/model.ts';
import { executionError } from './errors.ts';
import { formatLabels, labelsKey } from './labels.ts';

export interface StepSeries {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
  /** Sample timestamps (ms) per step, kept by vector selectors for timestamp(). */
  sampleTimes?: Float64Array;
}

export interface ScalarValue {
  type: 'scalar';
  values: Float64Array;
}

export interface VectorValue {
  type: 'vector';
  series: StepSeries[];
}

export interface StringValue {
  type: 'string';
  value: string;
}

export type StepValue = ScalarValue | VectorValue | StringValue;

/** A range vector: raw samples (no staleness markers) per series, and the window of each step. */
export interface MatrixValue {
  series: { labels: Labels; block: SampleBlock }[];
  /** The right end of each step's window (ms, inclusive); the window is (end - rangeMs, end]. */
  windowEnds: Float64Array;
  rangeMs: number;
}

export function newSeries(labels: Labels, steps: number): StepSeries {
  return { labels, values: new Float64Array(steps), present: new Uint8Array(steps) };
}

/**
 * Merges series with equal label sets (a function dropped the metric name, label_replace wrote the same
 * value). Prometheus allows that as long as no two are present at the same step; otherwise the query
 * fails with `message` (default: "vector cannot contain metrics with the same labelset").
 */
export function mergeSameLabels(series: StepSeries[], message?: string): StepSeries[] {
  const byKey = new Map<string, StepSeries>();
  const copied = new Set<string>();
  for (const s of series) {
    const key = labelsKey(s.labels);
    let target = byKey.get(key);
    if (!target) {
      byKey.set(key, s);
      continue;
    }
    if (!copied.has(key)) {
      // Never write into an input series: it may be shared with another part of the expression.
      target = {
        labels: target.labels,
        values: Float64Array.from(target.values),
        present: Uint8Array.from(target.present),
      };
      byKey.set(key, target);
      copied.add(key);
    }
    for (let i = 0; i < s.present.length; i++) {
      if (!s.present[i]) continue;
      if (target.present[i]) {
        throw executionError(
          message ?? `vector cannot contain metrics with the same labelset (${formatLabels(s.labels)})`,
        );
      }
      target.present[i] = 1;
      target.values[i] = s.values[i] as number;
    }
  }
  return copied.size > 0 ? [...byKey.values()] : series;
}

/** Drops series that are present at no step. */
export function nonEmpty(series: StepSeries[]): StepSeries[] {
  return series.filter((s) => s.present.includes(1));
}
