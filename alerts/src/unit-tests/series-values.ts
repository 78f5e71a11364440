// The input series of a rule unit test, in promtool's notation: `metric{label="value"}` and a values string
// of space-separated items, one value per test interval starting at time 0:
//   1 2.5 -Inf NaN 1e3   single values
//   _                     no sample at that step;   _x3  three steps without samples
//   stale                 a staleness marker
//   5x3                   4 values (5 repeated: the initial one and 3 more)
//   1+2x3  10-1x4         4 values 1 3 5 7; 5 values 10 9 8 7 6 (added one after the other, as Go does)

import type { Labels } from '@dss/collector/metrics';
import { parsePromQL } from '@dss/collector/promql';

export type SeriesValue = { kind: 'value'; value: number } | { kind: 'stale' } | { kind: 'omitted' };

const NUMBER = String.raw`(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF]|[nN][aA][nN])`;
const ITEM = new RegExp(
  String.raw`^(?:(?<blank>_)(?:x(?<blankTimes>\d+))?|(?<stale>stale)(?:x(?<staleTimes>\d+))?|(?<value>[+-]?${NUMBER})(?:(?<step>[+-]${NUMBER})?x(?<times>\d+))?)$`,
);

function parseNumber(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '').toLowerCase();
  if (body === 'inf') return sign * Number.POSITIVE_INFINITY;
  if (body === 'nan') return Number.NaN;
  return sign * Number(body);
}

/** The values of a series, one per step; throws Error naming the bad item. */
export function parseSeriesValues(text: string): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const item of text
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')) {
    const match = ITEM.exec(item);
    const groups = match?.groups;
    if (!groups)
      throw new Error(
        `bad item ${JSON.stringify(item)} in series values: expected a number, _, stale, AxN or A+BxN`,
      );
    if (groups.blank) {
      const times = groups.blankTimes === undefined ? 1 : Number(groups.blankTimes);
      for (let i = 0; i < times; i++) out.push({ kind: 'omitted' });
    } else if (groups.stale) {
      const times = groups.staleTimes === undefined ? 1 : Number(groups.staleTimes) + 1;
      for (let i = 0; i < times; i++) out.push({ kind: 'stale' });
    } else {
      let value = parseNumber(groups.value as string);
      if (groups.times === undefined) {
        out.push({ kind: 'value', value });
        continue;
      }
      const step = groups.step === undefined ? 0 : parseNumber(groups.step);
      const times = Number(groups.times);
      for (let i = 0; i <= times; i++) {
        out.push({ kind: 'value', value });
        value += step;
      }
    }
  }
  return out;
}

/** The labels of `metric{a="b", ...}` (or `{__name__="metric", ...}`); throws an Error when it is not one. */
export function parseSeriesLabels(text: string): Labels {
  let expr: ReturnType<typeof parsePromQL>;
  try {
    expr = parsePromQL(text);
  } catch (error) {
    throw new Error(`invalid series ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
  if (expr.kind !== 'vectorSelector' || expr.offsetMs !== 0 || expr.at !== undefined) {
    throw new Error(`invalid series ${JSON.stringify(text)}: expected metric{label="value", ...}`);
  }
  const labels: Record<string, string> = {};
  for (const m of expr.matchers) {
    if (m.type !== '=')
      throw new Error(`invalid series ${JSON.stringify(text)}: only = is allowed in a series`);
    if (m.name in labels)
      throw new Error(`invalid series ${JSON.stringify(text)}: label ${m.name} is repeated`);
    if (m.value !== '') labels[m.name] = m.value;
  }
  return labels;
}

/** The labels of an expected sample (`metric{a="b"}`, `{a="b"}`, or '' for none). */
export function parseExpectedLabels(text: string): Labels {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '{}') return {};
  return parseSeriesLabels(trimmed);
}
