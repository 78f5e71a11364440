import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTES, METRICS } from '../../src/conventions/index.ts';
import { renderConventionsMarkdown } from '../../src/conventions/render-markdown.ts';
import { CONVENTION_DOC_PATH } from '../support/paths.ts';

// The OTel-to-Prometheus unit suffixes for the units the DSS uses (OpenTelemetry specification,
// compatibility/prometheus_and_openmetrics.md; the collector's translator applies the same table).
const UNIT_SUFFIX: Record<string, string> = {
  m: 'meters',
  s: 'seconds',
  Hz: 'hertz',
  W: 'watts',
  By: 'bytes',
};

function prometheusName(name: string, unit: string, instrument: string): string {
  let out = name.replaceAll('.', '_');
  const unitWithoutAnnotations = unit.replace(/\{[^}]*\}/g, '');
  const suffix =
    unitWithoutAnnotations === '1'
      ? instrument === 'gauge'
        ? 'ratio'
        : ''
      : UNIT_SUFFIX[unitWithoutAnnotations];
  if (unitWithoutAnnotations !== '' && suffix === undefined)
    throw new Error(`no Prometheus suffix known for unit ${unit}`);
  if (suffix && !out.endsWith(`_${suffix}`)) out += `_${suffix}`;
  if (instrument === 'counter' && !out.endsWith('_total')) out += '_total';
  return out;
}

describe('DSS conventions', () => {
  it('docs/conventions.md is generated from the conventions module and up to date', () => {
    const onDisk = readFileSync(CONVENTION_DOC_PATH, 'utf8');
    expect(onDisk, 'docs/conventions.md is stale: run `npm run conventions:doc`').toBe(
      renderConventionsMarkdown(),
    );
  });

  it('every metric documents a Prometheus name that follows the OTel translation rules', () => {
    for (const metric of METRICS) {
      expect(metric.prometheusName, metric.name).toBe(
        prometheusName(metric.name, metric.unit, metric.instrument),
      );
    }
  });

  it('names are unique and every metric attribute is bounded (no run IDs on metrics)', () => {
    const names = [...ATTRIBUTES.map((a) => a.name), ...METRICS.map((m) => m.name)];
    expect(new Set(METRICS.map((m) => m.name)).size).toBe(METRICS.length);
    expect(new Set(ATTRIBUTES.map((a) => a.name)).size).toBe(ATTRIBUTES.length);
    expect(names).toContain('dss.client');
    for (const metric of METRICS) expect(metric.attributes).not.toContain('dss.job.run_id');
  });

  it('job duration buckets go from seconds to hours', () => {
    const job = METRICS.find((m) => m.name === 'dss.job.duration');
    expect(job?.buckets?.[0]).toBeLessThanOrEqual(1);
    expect(job?.buckets?.at(-1)).toBeGreaterThanOrEqual(3 * 3600);
    expect([...(job?.buckets ?? [])].sort((a, b) => a - b)).toEqual(job?.buckets);
  });
});
