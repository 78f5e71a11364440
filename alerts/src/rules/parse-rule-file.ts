// Reads and validates one Prometheus rule file the way `promtool check rules` does (model/rulefmt): the
// YAML shape with unknown keys refused, then per group a unique non-empty name, valid interval/query_offset,
// and per rule exactly one of `alert`/`record`, an `expr` that parses, a valid recording-rule metric name
// with no annotations/for/keep_firing_for, valid label and annotation names, and label/annotation templates
// of alerting rules that parse. All errors are collected, each with file:line:column and the key's path.
import { type Expr, PromQLError, parsePromQL } from '@dss/collector/promql';
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { type CompiledTemplate, compileAlertTemplate, TemplateError } from '../templates/index.ts';
import { isValidLabelName, isValidLabelValue, isValidMetricName } from './names.ts';
import {
  type AlertingRule,
  DEFAULT_GROUP_INTERVAL_MS,
  type RecordingRule,
  type Rule,
  type RuleGroup,
} from './types.ts';
import { type SourceError, scalarText, YamlSource } from './yaml-source.ts';

const GROUP_KEYS = ['name', 'interval', 'query_offset', 'limit', 'labels', 'rules'] as const;
const RULE_KEYS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'] as const;

export interface ParsedRuleFile {
  groups: RuleGroup[];
  errors: SourceError[];
}

/** Parses and validates rule-file text; `file` names it in errors. Groups are only complete without errors. */
export function parseRuleFile(text: string, file: string): ParsedRuleFile {
  const source = new YamlSource(file, text);
  const groups: RuleGroup[] = [];
  if (source.root !== null) {
    const top = source.mapping(source.root, '', ['groups'], 'rulefmt.RuleGroups');
    const groupsEntry = top.find((e) => e.key === 'groups');
    const seen = new Set<string>();
    for (const item of source.sequence(groupsEntry?.value ?? null, 'groups', '[]rulefmt.RuleGroup')) {
      const group = parseGroup(source, item.node, item.path, seen);
      if (group) groups.push(group);
    }
  }
  return { groups, errors: source.errors };
}

function parseGroup(
  source: YamlSource,
  node: Node | null,
  path: string,
  seen: Set<string>,
): RuleGroup | undefined {
  const entries = source.mapping(node, path, GROUP_KEYS, 'rulefmt.RuleGroup');
  const get = (key: string) => entries.find((e) => e.key === key);
  const nameEntry = get('name');
  const name = nameEntry ? source.string(nameEntry.value, nameEntry.path) : '';
  if (name === '') source.error(nameEntry?.value ?? node, `${path}.name`, 'Groupname must not be empty');
  else if (name !== undefined && seen.has(name)) {
    source.error(
      nameEntry?.value ?? node,
      `${path}.name`,
      `groupname: ${JSON.stringify(name)} is repeated in the same file`,
    );
  }
  if (name) seen.add(name);

  const intervalEntry = get('interval');
  const intervalMs = intervalEntry ? source.duration(intervalEntry.value, intervalEntry.path) : 0;
  const offsetEntry = get('query_offset');
  const queryOffsetMs = offsetEntry ? source.duration(offsetEntry.value, offsetEntry.path) : 0;
  const limitEntry = get('limit');
  const limit = limitEntry ? source.integer(limitEntry.value, limitEntry.path) : 0;
  const labelsEntry = get('labels');
  const labels = labelsEntry ? source.stringMap(labelsEntry.value, labelsEntry.path) : {};
  if (labelsEntry) checkLabels(source, labelsEntry.value, labelsEntry.path, labels);

  const rulesEntry = get('rules');
  const rules: Rule[] = [];
  for (const [index, item] of source
    .sequence(rulesEntry?.value ?? null, `${path}.rules`, '[]rulefmt.Rule')
    .entries()) {
    const inherited = {
      labels,
      node: labelsEntry?.value ?? null,
      path: labelsEntry?.path ?? `${path}.labels`,
    };
    const rule = parseRule(source, item.node, item.path, index, inherited);
    if (rule) rules.push(rule);
  }
  if (name === undefined || intervalMs === undefined || queryOffsetMs === undefined || limit === undefined) {
    return undefined;
  }
  return {
    name,
    file: source.file,
    intervalMs: intervalMs || DEFAULT_GROUP_INTERVAL_MS,
    intervalSet: intervalEntry !== undefined && intervalMs > 0,
    queryOffsetMs,
    limit,
    labels,
    rules,
    position: source.position(node),
  };
}

function checkLabels(
  source: YamlSource,
  node: Node | null,
  path: string,
  labels: Record<string, string>,
): void {
  for (const [name, value] of Object.entries(labels)) {
    if (!isValidLabelName(name) || name === '__name__') {
      source.error(findKeyNode(node, name), `${path}.${name}`, `invalid label name: ${name}`);
    }
    if (!isValidLabelValue(value))
      source.error(findValueNode(node, name), `${path}.${name}`, `invalid label value: ${value}`);
  }
}

/** The group's labels, which alerting rules template as their own (Prometheus 3). */
interface GroupLabels {
  labels: Record<string, string>;
  node: Node | null;
  path: string;
}

function parseRule(
  source: YamlSource,
  node: Node | null,
  path: string,
  index: number,
  group: GroupLabels,
): Rule | undefined {
  const errorsBefore = source.errors.length;
  const entries = source.mapping(node, path, RULE_KEYS, 'rulefmt.Rule');
  const get = (key: string) => entries.find((e) => e.key === key);
  const text = (key: string) => {
    const entry = get(key);
    return entry ? source.string(entry.value, entry.path) : '';
  };
  const record = text('record') ?? '';
  const alert = text('alert') ?? '';
  const expr = text('expr') ?? '';
  const forEntry = get('for');
  const forMs = forEntry ? source.duration(forEntry.value, forEntry.path) : 0;
  const keepEntry = get('keep_firing_for');
  const keepFiringForMs = keepEntry ? source.duration(keepEntry.value, keepEntry.path) : 0;
  const labelsEntry = get('labels');
  const labels = labelsEntry ? source.stringMap(labelsEntry.value, labelsEntry.path) : {};
  const annotationsEntry = get('annotations');
  const annotations = annotationsEntry ? source.stringMap(annotationsEntry.value, annotationsEntry.path) : {};
  const recordNode = get('record')?.value ?? node;

  if (record !== '' && alert !== '')
    source.error(recordNode, path, "only one of 'record' and 'alert' must be set");
  if (record === '' && alert === '') source.error(node, path, "one of 'record' or 'alert' must be set");
  if (!isValidLabelValue(alert))
    source.error(get('alert')?.value ?? node, `${path}.alert`, `invalid alert name: ${alert}`);

  let expression: Expr | undefined;
  const exprEntry = get('expr');
  if (expr === '') source.error(exprEntry?.value ?? node, `${path}.expr`, "field 'expr' must be set in rule");
  else {
    try {
      expression = parsePromQL(expr);
    } catch (error) {
      if (!(error instanceof PromQLError)) throw error;
      reportExprError(source, exprEntry?.value ?? null, `${path}.expr`, expr, error.message);
    }
  }

  if (record !== '') {
    if (Object.keys(annotations).length > 0) {
      source.error(
        annotationsEntry?.keyNode ?? recordNode,
        `${path}.annotations`,
        "invalid field 'annotations' in recording rule",
      );
    }
    if (forMs)
      source.error(forEntry?.keyNode ?? recordNode, `${path}.for`, "invalid field 'for' in recording rule");
    if (keepFiringForMs) {
      source.error(
        keepEntry?.keyNode ?? recordNode,
        `${path}.keep_firing_for`,
        "invalid field 'keep_firing_for' in recording rule",
      );
    }
    if (!isValidMetricName(record))
      source.error(recordNode, `${path}.record`, `invalid recording rule name: ${record}`);
  }
  if (labelsEntry) checkLabels(source, labelsEntry.value, labelsEntry.path, labels);
  for (const name of Object.keys(annotations)) {
    if (!isValidLabelName(name)) {
      const at = findKeyNode(annotationsEntry?.value ?? null, name) ?? node;
      source.error(at, `${path}.annotations.${name}`, `invalid annotation name: ${name}`);
    }
  }

  let labelTemplates = new Map<string, CompiledTemplate>();
  let annotationTemplates = new Map<string, CompiledTemplate>();
  if (alert !== '') {
    const fromGroup = Object.fromEntries(Object.entries(group.labels).filter(([name]) => !(name in labels)));
    labelTemplates = new Map([
      ...compileTemplates(source, group.node, group.path, fromGroup, alert),
      ...compileTemplates(source, labelsEntry?.value ?? null, `${path}.labels`, labels, alert),
    ]);
    annotationTemplates = compileTemplates(
      source,
      annotationsEntry?.value ?? null,
      `${path}.annotations`,
      annotations,
      alert,
    );
  }

  if (
    source.errors.length > errorsBefore ||
    !expression ||
    forMs === undefined ||
    keepFiringForMs === undefined
  ) {
    return undefined;
  }
  const position = source.position(node);
  if (alert !== '') {
    const rule: AlertingRule = {
      kind: 'alert',
      name: alert,
      expr,
      expression,
      forMs,
      keepFiringForMs,
      labels,
      annotations,
      labelTemplates,
      annotationTemplates,
      index,
      position,
    };
    return rule;
  }
  const rule: RecordingRule = { kind: 'record', name: record, expr, expression, labels, index, position };
  return rule;
}

/** A PromQL error ("2:5: parse error: ...") placed at that character of the expr value in the file. */
function reportExprError(
  source: YamlSource,
  node: Node | null,
  path: string,
  expr: string,
  message: string,
): void {
  const match = /^(\d+):(\d+): (.*)$/s.exec(message);
  if (!match) {
    source.error(node, path, message);
    return;
  }
  const line = Number(match[1]);
  const column = Number(match[2]);
  const lines = expr.split('\n');
  let offset = column - 1;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
  const at = source.positionInScalar(node, Math.min(offset, expr.length));
  source.errors.push({
    file: source.file,
    line: at.line,
    column: at.column,
    path,
    message: match[3] ?? message,
  });
}

function compileTemplates(
  source: YamlSource,
  mapNode: Node | null,
  path: string,
  texts: Record<string, string>,
  alert: string,
): Map<string, CompiledTemplate> {
  const out = new Map<string, CompiledTemplate>();
  for (const [name, text] of Object.entries(texts)) {
    try {
      out.set(name, compileAlertTemplate(text, alert));
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const valueNode = findValueNode(mapNode, name);
      const at = source.positionInScalar(valueNode, error.offset);
      source.errors.push({
        file: source.file,
        line: at.line,
        column: at.column,
        path: `${path}.${name}`,
        message: `template: ${error.detail}`,
      });
    }
  }
  return out;
}

function findPair(mapNode: Node | null, key: string): Pair | undefined {
  if (!mapNode || !isMap(mapNode)) return undefined;
  return mapNode.items.find((pair) => isScalar(pair.key) && scalarText(pair.key) === key);
}

function findValueNode(mapNode: Node | null, key: string): Node | null {
  return (findPair(mapNode, key)?.value as Node | null | undefined) ?? mapNode;
}

function findKeyNode(mapNode: Node | null, key: string): Node | null {
  return (findPair(mapNode, key)?.key as Node | null | undefined) ?? mapNode;
}
