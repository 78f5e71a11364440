// Runs a log pipeline over one entry: the stages in order, stopping at the first that filters it out.
import type { DropLabel, PipelineStage } from './ast.ts';
import { applyJsonParser } from './json-parser.ts';
import { applyLabelFilter } from './label-filter.ts';
import { matchesLineFilter } from './line-filter.ts';
import { renderLineFormat } from './line-format.ts';
import type { LogEntry } from './log-entry.ts';
import { applyLogfmtParser } from './logfmt-parser.ts';
import { matchesValue } from './stream-selector.ts';

/** The entry after every stage, or null when a stage filters it out. */
export function runPipeline(stages: readonly PipelineStage[], entry: LogEntry): LogEntry | null {
  let current: LogEntry | null = entry;
  for (const stage of stages) {
    if (current === null) return null;
    current = applyStage(stage, current);
  }
  return current;
}

export function applyStage(stage: PipelineStage, entry: LogEntry): LogEntry | null {
  switch (stage.type) {
    case 'lineFilter':
      return matchesLineFilter(stage, entry.line) ? entry : null;
    case 'json':
      return applyJsonParser(entry);
    case 'logfmt':
      return applyLogfmtParser(entry, stage);
    case 'labelFilter':
      return applyLabelFilter(stage.filter, entry);
    case 'lineFormat':
      return { line: renderLineFormat(stage.template, entry.labels), labels: entry.labels };
    case 'drop':
      return { line: entry.line, labels: dropLabels(stage.labels, entry.labels) };
  }
}

/** `drop a, b="c"`: a label named alone is always dropped; one with a matcher only when its value matches. */
function dropLabels(
  drops: readonly DropLabel[],
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = { ...labels };
  for (const drop of drops) {
    if ('op' in drop && !matchesValue(drop.op, drop.value, out[drop.name] ?? '')) continue;
    delete out[drop.name];
  }
  return out;
}
