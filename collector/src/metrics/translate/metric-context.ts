// What the translation of one metric's data points needs: the Prometheus name, the resource and scope
// labels, the delta state, and where samples and rejections go.
import { DATA_POINT_FLAG_NO_RECORDED_VALUE } from '../../receiver/decoded-types.ts';
import type { Labels } from '../model.ts';
import type { LabelMap } from './attribute-labels.ts';
import type { ResourceLabels } from './resource-labels.ts';
import { labelsKey } from './series-labels.ts';
import type { TranslationState } from './translation-state.ts';

export interface MetricContext {
  /** The family name: unit and `_total` suffixes included, `_bucket`/`_sum`/`_count` not. */
  readonly name: string;
  readonly tenant: string;
  readonly resource: ResourceLabels;
  readonly scope: LabelMap;
  readonly state: TranslationState;
  readonly maxExponentialBuckets: number;
  /** Appends a sample (a staleness marker when `stale`) to the tenant's batch. */
  write(labels: Labels, timestampMs: number, value: number, stale: boolean): void;
  /** Counts data points that are not translated, with the reason. */
  reject(count: number, reason: string): void;
}

/** Nanoseconds to milliseconds (floor), or undefined for 0: a point without a time is rejected. */
export function pointTimeMs(timeUnixNano: bigint): number | undefined {
  return timeUnixNano === 0n ? undefined : Number(timeUnixNano / 1_000_000n);
}

export const noRecordedValue = (flags: number): boolean => (flags & DATA_POINT_FLAG_NO_RECORDED_VALUE) !== 0;

/** The identity of a series for the delta state: tenant, family name and the point's labels. */
export function stateKey(context: MetricContext, base: Labels): string {
  return `${context.tenant}\u0003${context.name}\u0003${labelsKey(base)}`;
}

export const REJECT_NO_TIME = 'time_unix_nano is 0';
export const REJECT_NOT_LATER =
  'delta point not later than the previous point of its series (out of order or repeated)';
