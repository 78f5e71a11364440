// The DSS conventions: the single source of truth for attribute keys, metric names, units and
// histogram boundaries. `npm run conventions:doc` writes docs/conventions.md from this module.
export * from './attributes.ts';
export * from './buckets.ts';
export type { ConventionEntry, MetricConvention } from './entry.ts';
export * from './metrics.ts';
export { renderConventionsMarkdown } from './render-markdown.ts';
