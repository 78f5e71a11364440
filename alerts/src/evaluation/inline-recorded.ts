// Recording rules over a remote query API. Prometheus writes a recording rule's output into its TSDB so that
// later rules of the group read it; over the HTTP API nothing can be written back, so before querying, every
// selector of a name recorded earlier in the group is replaced by the recording rule's own expression,
// wrapped so that it carries the same labels as the recorded series would (`__name__` and the rule's labels,
// set with label_replace), and filtered by the selector's matchers:
//   name                      → label_replace(label_replace((E), "__name__", "name", "", ""), …rule labels)
//   name{l="v"}               → (that) and on (l) label_replace(vector(1), "l", "v", "", "")
//   name{l!="v"}              → (that) unless on (l) label_replace(vector(1), "l", "v", "", "")
//   name[5m]                  → (that)[5m:<group interval>]   (a subquery: the series the rule would have
//                                recorded, at every group interval, aligned as Prometheus aligns both)
// Regex matchers, `offset` and `@` on a recorded name are refused when the rules load.
import type { Expr } from '@dss/collector/promql';
import type { RuleGroup } from '../rules/types.ts';

type VectorSelector = Extract<Expr, { kind: 'vectorSelector' }>;

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(n);
}

function formatDuration(ms: number): string {
  return `${ms}ms`;
}

function str(s: string): string {
  return JSON.stringify(s);
}

function modifiers(offsetMs: number, at: VectorSelector['at']): string {
  let out = '';
  if (at) out += at.kind === 'time' ? ` @ ${formatNumber(at.ms / 1000)}` : ` @ ${at.kind}()`;
  if (offsetMs !== 0) out += ` offset ${offsetMs < 0 ? '-' : ''}${formatDuration(Math.abs(offsetMs))}`;
  return out;
}

function selector(s: VectorSelector): string {
  const matchers = s.matchers.filter(
    (m) => !(s.name !== undefined && m.name === '__name__' && m.type === '='),
  );
  const inner = matchers.map((m) => `${m.name}${m.type}${str(m.value)}`).join(', ');
  return `${s.name ?? ''}{${inner}}`;
}

/** PromQL text for a syntax tree (fully parenthesised where precedence could matter). */
export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return formatNumber(e.value);
    case 'string':
      return str(e.value);
    case 'vectorSelector':
      return selector(e) + modifiers(e.offsetMs, e.at);
    case 'matrixSelector':
      return `${selector(e.selector)}[${formatDuration(e.rangeMs)}]${modifiers(e.selector.offsetMs, e.selector.at)}`;
    case 'subquery':
      return `(${formatExpr(e.expr)})[${formatDuration(e.rangeMs)}:${e.stepMs ? formatDuration(e.stepMs) : ''}]${modifiers(e.offsetMs, e.at)}`;
    case 'call':
      return `${e.name}(${e.args.map(formatExpr).join(', ')})`;
    case 'aggregate': {
      const grouping = `${e.without ? 'without' : 'by'} (${e.grouping.join(', ')})`;
      const args = e.param ? `${formatExpr(e.param)}, ${formatExpr(e.expr)}` : formatExpr(e.expr);
      return `${e.op} ${grouping} (${args})`;
    }
    case 'binary': {
      let op = e.op as string;
      if (e.returnBool) op += ' bool';
      const m = e.matching;
      if (m) {
        if (m.on || m.labels.length > 0) op += ` ${m.on ? 'on' : 'ignoring'} (${m.labels.join(', ')})`;
        if (m.card === 'many-to-one') op += ` group_left (${m.include.join(', ')})`;
        if (m.card === 'one-to-many') op += ` group_right (${m.include.join(', ')})`;
      }
      return `(${formatExpr(e.lhs)}) ${op} (${formatExpr(e.rhs)})`;
    }
    case 'unary':
      return `${e.op}(${formatExpr(e.expr)})`;
    case 'paren':
      return `(${formatExpr(e.expr)})`;
  }
}

/** What a recorded name stands for: the recording expression (already inlined), its labels, its interval. */
export interface RecordedDefinition {
  expr: string;
  labels: Readonly<Record<string, string>>;
  /** The recording group's interval: the step of the subquery standing for a range over the name. */
  stepMs: number;
}

/** Definitions by recorded name (a name may be recorded by several rules: their outputs are or-ed). */
export type RecordedNames = ReadonlyMap<string, readonly RecordedDefinition[]>;

function recordedName(s: VectorSelector): string | undefined {
  if (s.name !== undefined) return s.name;
  const m = s.matchers.find((x) => x.name === '__name__' && x.type === '=');
  return m?.value;
}

function wrapped(name: string, defs: readonly RecordedDefinition[], s: VectorSelector): string {
  if (s.offsetMs !== 0 || s.at)
    throw new Error(`offset and @ on the recorded series ${name} are not supported`);
  const each = defs.map((def) => {
    let out = `label_replace((${def.expr}), "__name__", ${str(name)}, "", "")`;
    for (const [label, value] of Object.entries(def.labels))
      out = `label_replace(${out}, ${str(label)}, ${str(value)}, "", "")`;
    return out;
  });
  let out = each.length === 1 ? (each[0] ?? '') : each.map((e) => `(${e})`).join(' or ');
  for (const m of s.matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=~' || m.type === '!~')
      throw new Error(`regex matcher on ${m.name} of the recorded series ${name} is not supported`);
    const one = `label_replace(vector(1), ${str(m.name)}, ${str(m.value)}, "", "")`;
    out = `(${out}) ${m.type === '=' ? 'and' : 'unless'} on (${m.name}) ${one}`;
  }
  return out;
}

/** Rewrites `expr` so that it reads `recorded` names from their definitions instead of stored series. */
export function inlineRecorded(expr: Expr, recorded: RecordedNames): string | undefined {
  let changed = false;
  const lookup = (s: VectorSelector): [string, readonly RecordedDefinition[]] | undefined => {
    const name = recordedName(s);
    const defs = name === undefined ? undefined : recorded.get(name);
    return name !== undefined && defs && defs.length > 0 ? [name, defs] : undefined;
  };
  const visit = (e: Expr): string => {
    if (e.kind === 'vectorSelector') {
      const found = lookup(e);
      if (!found) return formatExpr(e);
      changed = true;
      return wrapped(found[0], found[1], e);
    }
    if (e.kind === 'matrixSelector') {
      const found = lookup(e.selector);
      if (!found) return formatExpr(e);
      changed = true;
      const step = found[1][0]?.stepMs ?? 60_000;
      return `(${wrapped(found[0], found[1], e.selector)})[${formatDuration(e.rangeMs)}:${formatDuration(step)}]`;
    }
    switch (e.kind) {
      case 'subquery':
        return `(${visit(e.expr)})[${formatDuration(e.rangeMs)}:${e.stepMs ? formatDuration(e.stepMs) : ''}]${modifiers(e.offsetMs, e.at)}`;
      case 'call':
        return `${e.name}(${e.args.map(visit).join(', ')})`;
      case 'aggregate': {
        const grouping = `${e.without ? 'without' : 'by'} (${e.grouping.join(', ')})`;
        const args = e.param ? `${visit(e.param)}, ${visit(e.expr)}` : visit(e.expr);
        return `${e.op} ${grouping} (${args})`;
      }
      case 'binary': {
        const text = formatExpr({
          ...e,
          lhs: { kind: 'number', value: 0 },
          rhs: { kind: 'number', value: 0 },
        });
        const op = text.slice(text.indexOf(')') + 2, text.lastIndexOf('(') - 1);
        return `(${visit(e.lhs)}) ${op} (${visit(e.rhs)})`;
      }
      case 'unary':
        return `${e.op}(${visit(e.expr)})`;
      case 'paren':
        return `(${visit(e.expr)})`;
      default:
        return formatExpr(e);
    }
  };
  const out = visit(expr);
  return changed ? out : undefined;
}

export interface GroupQueries {
  /** The query of each rule, recorded names inlined. */
  queries: string[];
  /** What the group's rules (and templates) see: names recorded earlier in the group, else in other groups. */
  recorded: Map<string, RecordedDefinition[]>;
}

function oneGroup(group: RuleGroup, intervalMs: number, external: RecordedNames): GroupQueries {
  const local = new Map<string, RecordedDefinition[]>();
  const visible = () => {
    const out = new Map<string, RecordedDefinition[]>();
    for (const [name, defs] of external) out.set(name, [...defs]);
    for (const [name, defs] of local) out.set(name, [...defs]);
    return out;
  };
  const queries = group.rules.map((rule) => {
    let query: string;
    try {
      query = inlineRecorded(rule.expression, visible()) ?? rule.expr;
    } catch (error) {
      throw new Error(
        `${group.file}:${rule.position.line}: group ${group.name}, rule ${rule.name}: ${(error as Error).message}`,
      );
    }
    if (rule.kind === 'record') {
      const def = { expr: query, labels: { ...group.labels, ...rule.labels }, stepMs: intervalMs };
      local.set(rule.name, [...(local.get(rule.name) ?? []), def]);
    }
    return query;
  });
  return { queries, recorded: visible() };
}

/**
 * The queries of every group. A name recorded earlier in the same group stands for that rule's output (as
 * Prometheus's write-back); a name recorded only in another group stands for that group's rule too (the
 * backend has no such series), evaluated at the reading rule's time. Two passes, so that a group may read
 * names of a later group. `intervalOf` gives each group's effective interval.
 */
export function rulesQueries(
  groups: readonly RuleGroup[],
  intervalOf: (g: RuleGroup) => number,
): GroupQueries[] {
  const global = new Map<string, RecordedDefinition[]>();
  const collect = (results: GroupQueries[]) => {
    global.clear();
    for (const [i, group] of groups.entries()) {
      const result = results[i];
      if (!result) continue;
      for (const [j, rule] of group.rules.entries())
        if (rule.kind === 'record')
          global.set(rule.name, [
            ...(global.get(rule.name) ?? []),
            {
              expr: result.queries[j] ?? rule.expr,
              labels: { ...group.labels, ...rule.labels },
              stepMs: intervalOf(group),
            },
          ]);
    }
  };
  const firstPass = groups.map((g) => oneGroup(g, intervalOf(g), new Map()));
  collect(firstPass);
  return groups.map((g) => {
    const own = new Set(g.rules.filter((r) => r.kind === 'record').map((r) => r.name));
    const external = new Map([...global].filter(([name]) => !own.has(name)));
    return oneGroup(g, intervalOf(g), external);
  });
}

/** The queries of one group on its own (names recorded in other groups are read from the backend). */
export function groupQueries(group: RuleGroup): GroupQueries {
  return oneGroup(group, group.intervalMs, new Map());
}
