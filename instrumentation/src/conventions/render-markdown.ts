// Renders the conventions as Markdown: docs/conventions.md, for the services not written in
// TypeScript. Generated, never edited by hand (a test fails when it is stale).
import { ATTRIBUTES } from './attributes.ts';
import { METRICS } from './metrics.ts';

const cell = (text: string | undefined) => (text ?? '').replaceAll('|', '\\|');

export function renderConventionsMarkdown(): string {
  const lines = [
    '# DSS telemetry conventions',
    '',
    '<!-- Generated from instrumentation/src/conventions by `npm run conventions:doc`. Do not edit. -->',
    '',
    'Every DSS service, whatever its language, names its telemetry as below, so that one dashboard and one',
    'alert rule serve them all. TypeScript services get these names from `@dss/instrumentation`; others',
    '(the Python workers) copy them from this page. Metric names are given as code records them (OTel) and',
    'as queries see them once translated to Prometheus (unit and `_total` suffixes added).',
    '',
    '## Resource and span attributes',
    '',
    '| Attribute | Type | Where | Description | Example |',
    '| --- | --- | --- | --- | --- |',
    ...ATTRIBUTES.map(
      (a) =>
        `| \`${a.name}\` | ${cell(a.type)} | ${cell(a.where)} | ${cell(a.description)} | \`${cell(a.example)}\` |`,
    ),
    '',
    '## Metrics',
    '',
    '| OTel name | Instrument | Unit | Prometheus name | Attributes | Description |',
    '| --- | --- | --- | --- | --- | --- |',
    ...METRICS.map(
      (m) =>
        `| \`${m.name}\` | ${m.instrument} | \`${m.unit}\` | \`${m.prometheusName}\` | ${m.attributes
          .map((a) => `\`${a}\``)
          .join(', ')} | ${cell(m.description)} |`,
    ),
    '',
    '## Histogram bucket boundaries',
    '',
    ...METRICS.filter((m) => m.buckets).map((m) => `- \`${m.name}\` (${m.unit}): ${m.buckets?.join(', ')}`),
    '',
    '## Rules',
    '',
    '- `dss.client` goes on the resource, never on individual records: it is the tenant key of every query.',
    '- Metric attributes must have few values: never a run ID, a request ID, a raw URL or a user ID.',
    '- Durations are in seconds; sizes in bytes; levels in metres.',
    '',
  ];
  return lines.join('\n');
}
