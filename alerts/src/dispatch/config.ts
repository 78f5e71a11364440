// Alertmanager's configuration file, the subset the DSS uses, and our own side of it (dss-alerts.yml).
//
// Alertmanager file: `global` (kept, resolve_timeout read), `route` (receiver, group_by incl. ['...'],
// group_wait, group_interval, repeat_interval, matchers, match, match_re, continue, routes),
// `receivers` (name, webhook_configs, slack_configs), `inhibit_rules` (source_matchers/target_matchers or
// source_match(_re)/target_match(_re), equal), `time_intervals` (and the older `mute_time_intervals`) with a
// route's `mute_time_intervals`/`active_time_intervals`, `templates`. Unknown keys are
// refused, as Alertmanager does, so a file that loads here is one amtool accepts.
//
// dss-alerts.yml (ours, so that the Alertmanager file stays valid for a real Alertmanager):
//   receivers:
//     north: { client: north, file: /path/notifications.jsonl, console: true }
//     on-call: { client: '*' }
// Every receiver of the Alertmanager file must be listed with its client (`*`: the on-call team, any client).
//
// Errors are `file:line: key: message`.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { type AlarmManagementSettings, DEFAULT_ALARM_MANAGEMENT } from '../alarm-management/settings.ts';
import { parseModelDuration } from '../rules/durations.ts';
import {
  parseTimeIntervalSpec,
  TimeIntervalError,
  type TimeIntervalSpec,
} from '../timeinterval/time-interval.ts';
import { formatMatcher, type Matcher, newMatcher, parseMatcher } from './matchers.ts';

export class ConfigError extends Error {}

export interface Route {
  /** Path in the file, as `route.routes[1]`. */
  path: string;
  line: number;
  receiver: string;
  /** undefined: inherit; `['...']` is `all: true`. */
  groupBy: string[];
  groupByAll: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  matchers: Matcher[];
  continue: boolean;
  /** Names of time intervals (not inherited): no notifications while in a mute interval or outside every active one. */
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: Route[];
  /** Alertmanager's route key: the matchers from the root, `{}/{dss_client="north"}`. */
  key: string;
}

export interface Receiver {
  name: string;
  line: number;
  webhookConfigs: Array<{ url: string; sendResolved: boolean }>;
  slackConfigs: Array<Record<string, unknown>>;
}

export interface InhibitRule {
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
}

export interface AlertmanagerConfig {
  file: string;
  route: Route;
  receivers: Map<string, Receiver>;
  inhibitRules: InhibitRule[];
  resolveTimeoutMs: number;
  timeIntervals: Map<string, TimeIntervalSpec[]>;
}

export interface SinkConfig {
  /** The client the receiver belongs to, or `*` (the on-call team: every client). */
  client: string;
  /** Where notifications are appended as JSON lines. */
  file?: string;
  /** Print a short line per notification. Default true. */
  console: boolean;
}

export interface DssAlertsConfig {
  file: string;
  receivers: Map<string, SinkConfig>;
  alarmManagement: AlarmManagementSettings;
}

/** Errors in file order. */
function sorted(errors: string[]): string {
  const line = (e: string) => Number(/^[^:]*:(\d+):/.exec(e)?.[1] ?? 0);
  return errors
    .map((e, i) => [e, i] as const)
    .sort((a, b) => line(a[0]) - line(b[0]) || a[1] - b[1])
    .map(([e]) => e)
    .join('\n');
}

class Reader {
  readonly file: string;
  readonly #lines: LineCounter;
  readonly errors: string[] = [];
  constructor(file: string, lines: LineCounter) {
    this.file = file;
    this.#lines = lines;
  }
  line(node: Node | null | undefined): number {
    const offset = node?.range?.[0];
    return offset === undefined ? 1 : this.#lines.linePos(offset).line;
  }
  error(node: Node | null | undefined, key: string, message: string): void {
    this.errors.push(`${this.file}:${this.line(node)}: ${key}: ${message}`);
  }
  /** The entries of a mapping, unknown keys reported. */
  entries(node: Node | null | undefined, key: string, allowed: readonly string[]): Map<string, Node | null> {
    const out = new Map<string, Node | null>();
    if (node == null) return out;
    if (!isMap(node)) {
      this.error(node, key, 'expected a mapping');
      return out;
    }
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(name)) this.error(pair.key, `${key}.${name}`, `field ${name} not found`);
      else if (out.has(name)) this.error(pair.key, `${key}.${name}`, 'duplicate key');
      else out.set(name, pair.value);
    }
    return out;
  }
  string(node: Node | null | undefined, key: string): string | undefined {
    if (node == null) return undefined;
    if (!isScalar(node) || typeof node.value === 'object') {
      this.error(node, key, 'expected a string');
      return undefined;
    }
    return String(node.value);
  }
  bool(node: Node | null | undefined, key: string): boolean | undefined {
    if (node == null) return undefined;
    if (!isScalar(node) || typeof node.value !== 'boolean') {
      this.error(node, key, 'expected true or false');
      return undefined;
    }
    return node.value;
  }
  duration(node: Node | null | undefined, key: string): number | undefined {
    const text = this.string(node, key);
    if (text === undefined) return undefined;
    const ms = parseModelDuration(text);
    if (typeof ms === 'string') {
      this.error(node, key, ms);
      return undefined;
    }
    return ms;
  }
  strings(node: Node | null | undefined, key: string): string[] | undefined {
    if (node == null) return undefined;
    if (!isSeq(node)) {
      this.error(node, key, 'expected a list');
      return undefined;
    }
    return node.items.flatMap((item, i) => this.string(item as Node, `${key}[${i}]`) ?? []);
  }
  map(node: Node | null | undefined, key: string): Array<[string, string, Node]> {
    if (node == null) return [];
    if (!isMap(node)) {
      this.error(node, key, 'expected a mapping');
      return [];
    }
    return (node as YAMLMap<Node, Node>).items.flatMap((p) => {
      const v = this.string(p.value, `${key}.${String(isScalar(p.key) ? p.key.value : '')}`);
      return v === undefined || !isScalar(p.key)
        ? []
        : [[String(p.key.value), v, p.key as Node] as [string, string, Node]];
    });
  }
  matchers(node: Node | null | undefined, key: string): Matcher[] {
    const out: Matcher[] = [];
    for (const [i, text] of (this.strings(node, key) ?? []).entries()) {
      try {
        out.push(parseMatcher(text));
      } catch (error) {
        this.error(isSeq(node) ? (node.items[i] as Node) : node, `${key}[${i}]`, (error as Error).message);
      }
    }
    return out;
  }
  legacy(node: Node | null | undefined, key: string, regex: boolean): Matcher[] {
    const out: Matcher[] = [];
    for (const [name, value, at] of this.map(node, key)) {
      try {
        out.push(newMatcher(name, regex ? '=~' : '=', value));
      } catch (error) {
        this.error(at, `${key}.${name}`, (error as Error).message);
      }
    }
    return out;
  }
}

function open(text: string, file: string): { root: Node | null; reader: Reader } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const reader = new Reader(file, lines);
  for (const e of doc.errors)
    reader.errors.push(`${file}:${e.linePos?.[0].line ?? 1}: ${e.message.split('\n')[0]}`);
  return { root: doc.contents as Node | null, reader };
}

const ROUTE_KEYS = [
  'receiver',
  'group_by',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'matchers',
  'match',
  'match_re',
  'continue',
  'routes',
  'mute_time_intervals',
  'active_time_intervals',
];

export function parseAlertmanagerConfig(text: string, file: string): AlertmanagerConfig {
  const { root, reader: r } = open(text, file);
  const top = r.entries(root, '', [
    'global',
    'route',
    'receivers',
    'inhibit_rules',
    'templates',
    'time_intervals',
    'mute_time_intervals',
  ]);
  const global = r.entries(top.get('global'), 'global', [
    'resolve_timeout',
    'slack_api_url',
    'slack_api_url_file',
    'http_config',
    'smtp_smarthost',
    'smtp_from',
  ]);
  const resolveTimeoutMs = r.duration(global.get('resolve_timeout'), 'global.resolve_timeout') ?? 5 * 60_000;

  const parseRoute = (node: Node | null | undefined, path: string, parent: Route | undefined): Route => {
    const e = r.entries(node, path, ROUTE_KEYS);
    const groupBy = r.strings(e.get('group_by'), `${path}.group_by`);
    const matchers = [
      ...r.legacy(e.get('match'), `${path}.match`, false),
      ...r.legacy(e.get('match_re'), `${path}.match_re`, true),
      ...r.matchers(e.get('matchers'), `${path}.matchers`),
    ];
    const receiver = r.string(e.get('receiver'), `${path}.receiver`) ?? parent?.receiver;
    if (receiver === undefined) r.error(node, path, 'root route must specify a default receiver');
    if (!parent && matchers.length > 0) r.error(node, path, 'root route must not have any matchers');
    const all = groupBy?.includes('...') ?? false;
    if (all && groupBy && groupBy.length > 1)
      r.error(
        e.get('group_by'),
        `${path}.group_by`,
        'cannot have wildcard group_by (`...`) and other labels at the same time',
      );
    const route: Route = {
      path,
      line: r.line(node),
      receiver: receiver ?? '',
      groupBy: groupBy && !all ? groupBy : (parent?.groupBy ?? []),
      groupByAll: groupBy ? all : (parent?.groupByAll ?? false),
      groupWaitMs: r.duration(e.get('group_wait'), `${path}.group_wait`) ?? parent?.groupWaitMs ?? 30_000,
      groupIntervalMs:
        r.duration(e.get('group_interval'), `${path}.group_interval`) ?? parent?.groupIntervalMs ?? 300_000,
      repeatIntervalMs:
        r.duration(e.get('repeat_interval'), `${path}.repeat_interval`) ??
        parent?.repeatIntervalMs ??
        4 * 3_600_000,
      matchers,
      continue: r.bool(e.get('continue'), `${path}.continue`) ?? false,
      muteTimeIntervals: r.strings(e.get('mute_time_intervals'), `${path}.mute_time_intervals`) ?? [],
      activeTimeIntervals: r.strings(e.get('active_time_intervals'), `${path}.active_time_intervals`) ?? [],
      routes: [],
      key: parent ? `${parent.key}/{${matchers.map(formatMatcher).join(',')}}` : '{}',
    };
    if (!parent && route.muteTimeIntervals.length > 0)
      r.error(node, path, 'root route must not have any mute time intervals');
    if (!parent && route.activeTimeIntervals.length > 0)
      r.error(node, path, 'root route must not have any active time intervals');
    if (route.groupIntervalMs === 0)
      r.error(e.get('group_interval'), `${path}.group_interval`, 'group_interval cannot be zero');
    if (route.repeatIntervalMs === 0)
      r.error(e.get('repeat_interval'), `${path}.repeat_interval`, 'repeat_interval cannot be zero');
    const children = e.get('routes');
    if (children != null) {
      if (!isSeq(children)) r.error(children, `${path}.routes`, 'expected a list');
      else
        route.routes = children.items.map((child, i) => {
          const sub = parseRoute(child as Node, `${path}.routes[${i}]`, route);
          sub.key = `${route.key}/{${sub.matchers.map(formatMatcher).join(',')}}`;
          return sub;
        });
    }
    return route;
  };
  if (!top.has('route')) r.error(root, 'route', 'no route provided in config');
  const route = parseRoute(top.get('route'), 'route', undefined);

  const receivers = new Map<string, Receiver>();
  const recNode = top.get('receivers');
  if (recNode != null && !isSeq(recNode)) r.error(recNode, 'receivers', 'expected a list');
  if (isSeq(recNode))
    for (const [i, item] of recNode.items.entries()) {
      const key = `receivers[${i}]`;
      const e = r.entries(item as Node, key, [
        'name',
        'webhook_configs',
        'slack_configs',
        'email_configs',
        'pagerduty_configs',
      ]);
      const name = r.string(e.get('name'), `${key}.name`);
      if (name === undefined) {
        r.error(item as Node, `${key}.name`, 'missing name on receiver');
        continue;
      }
      if (receivers.has(name))
        r.error(item as Node, `${key}.name`, `notification config name "${name}" is not unique`);
      const webhookConfigs: Receiver['webhookConfigs'] = [];
      const hooks = e.get('webhook_configs');
      if (isSeq(hooks))
        for (const [j, hook] of hooks.items.entries()) {
          const hk = `${key}.webhook_configs[${j}]`;
          const h = r.entries(hook as Node, hk, [
            'url',
            'url_file',
            'send_resolved',
            'http_config',
            'max_alerts',
            'timeout',
          ]);
          const url = r.string(h.get('url'), `${hk}.url`);
          if (url === undefined && !h.has('url_file'))
            r.error(hook as Node, hk, 'one of url or url_file must be configured');
          if (url !== undefined && !/^https?:\/\//.test(url))
            r.error(h.get('url'), `${hk}.url`, 'unsupported scheme for URL');
          webhookConfigs.push({
            url: url ?? '',
            sendResolved: r.bool(h.get('send_resolved'), `${hk}.send_resolved`) ?? true,
          });
        }
      const slack = e.get('slack_configs');
      const slackConfigs = isSeq(slack)
        ? slack.items.map((s) => ((s as Node).toJSON() ?? {}) as Record<string, unknown>)
        : [];
      receivers.set(name, { name, line: r.line(item as Node), webhookConfigs, slackConfigs });
    }

  const timeIntervals = new Map<string, TimeIntervalSpec[]>();
  for (const section of ['time_intervals', 'mute_time_intervals']) {
    const list = top.get(section);
    if (list == null) continue;
    if (!isSeq(list)) {
      r.error(list, section, 'expected a list');
      continue;
    }
    for (const [i, item] of list.items.entries()) {
      const key = `${section}[${i}]`;
      const e = r.entries(item as Node, key, ['name', 'time_intervals']);
      const name = r.string(e.get('name'), `${key}.name`);
      if (!name) {
        r.error(item as Node, `${key}.name`, 'missing name in time interval');
        continue;
      }
      if (timeIntervals.has(name))
        r.error(item as Node, `${key}.name`, `time interval "${name}" is not unique`);
      const specsNode = e.get('time_intervals');
      const specs: TimeIntervalSpec[] = [];
      if (isSeq(specsNode))
        for (const [j, spec] of specsNode.items.entries())
          try {
            specs.push(parseTimeIntervalSpec((spec as Node).toJSON(), `${key}.time_intervals[${j}]`));
          } catch (error) {
            if (!(error instanceof TimeIntervalError)) throw error;
            r.error(spec as Node, error.key, error.reason);
          }
      else if (specsNode != null) r.error(specsNode, `${key}.time_intervals`, 'expected a list');
      timeIntervals.set(name, specs);
    }
  }

  const checkReceiver = (rt: Route): void => {
    if (rt.receiver && !receivers.has(rt.receiver))
      r.errors.push(
        `${file}:${rt.line}: ${rt.path}.receiver: undefined receiver "${rt.receiver}" used in route`,
      );
    for (const name of [...rt.muteTimeIntervals, ...rt.activeTimeIntervals])
      if (!timeIntervals.has(name))
        r.errors.push(`${file}:${rt.line}: ${rt.path}: undefined time interval "${name}" used in route`);
    for (const c of rt.routes) checkReceiver(c);
  };
  checkReceiver(route);

  const inhibitRules: InhibitRule[] = [];
  const inhNode = top.get('inhibit_rules');
  if (isSeq(inhNode))
    for (const [i, item] of inhNode.items.entries()) {
      const key = `inhibit_rules[${i}]`;
      const e = r.entries(item as Node, key, [
        'source_matchers',
        'target_matchers',
        'source_match',
        'source_match_re',
        'target_match',
        'target_match_re',
        'equal',
      ]);
      inhibitRules.push({
        sourceMatchers: [
          ...r.legacy(e.get('source_match'), `${key}.source_match`, false),
          ...r.legacy(e.get('source_match_re'), `${key}.source_match_re`, true),
          ...r.matchers(e.get('source_matchers'), `${key}.source_matchers`),
        ],
        targetMatchers: [
          ...r.legacy(e.get('target_match'), `${key}.target_match`, false),
          ...r.legacy(e.get('target_match_re'), `${key}.target_match_re`, true),
          ...r.matchers(e.get('target_matchers'), `${key}.target_matchers`),
        ],
        equal: r.strings(e.get('equal'), `${key}.equal`) ?? [],
      });
    }
  if (r.errors.length > 0) throw new ConfigError(sorted(r.errors));
  return { file, route, receivers, inhibitRules, resolveTimeoutMs, timeIntervals };
}

export function parseDssAlertsConfig(text: string, file: string): DssAlertsConfig {
  const { root, reader: r } = open(text, file);
  const top = r.entries(root, '', ['receivers', 'alarm_management']);
  const receivers = new Map<string, SinkConfig>();
  const node = top.get('receivers');
  if (node != null && !isMap(node)) r.error(node, 'receivers', 'expected a mapping');
  if (isMap(node))
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const key = `receivers.${name}`;
      const e = r.entries(pair.value, key, ['client', 'file', 'console']);
      const client = r.string(e.get('client'), `${key}.client`);
      if (client === undefined)
        r.error(pair.value ?? pair.key, `${key}.client`, 'every receiver needs a client (or "*")');
      const sink: SinkConfig = {
        client: client ?? '',
        console: r.bool(e.get('console'), `${key}.console`) ?? true,
      };
      const f = r.string(e.get('file'), `${key}.file`);
      if (f !== undefined) sink.file = resolve(dirname(file), f);
      receivers.set(name, sink);
    }
  const alarmManagement = parseAlarmManagement(r, top.get('alarm_management'));
  if (r.errors.length > 0) throw new ConfigError(sorted(r.errors));
  return { file, receivers, alarmManagement };
}

/**
 * `alarm_management: { flood: {...} | false, chattering: {...} | false }`; absent parts take the defaults
 * (alarm-management/settings.ts), `false` turns a part off.
 */
function parseAlarmManagement(r: Reader, node: Node | null | undefined): AlarmManagementSettings {
  const key = 'alarm_management';
  const e = r.entries(node, key, ['flood', 'chattering']);
  const d = DEFAULT_ALARM_MANAGEMENT;
  const off = (n: Node | null | undefined) => isScalar(n) && n.value === false;
  const count = (n: Node | null | undefined, k: string): number | undefined => {
    if (n == null) return undefined;
    if (!isScalar(n) || !Number.isInteger(n.value) || (n.value as number) < 1) {
      r.error(n, k, 'expected a positive whole number');
      return undefined;
    }
    return n.value as number;
  };
  let flood = d.flood;
  const f = e.get('flood');
  if (off(f)) flood = undefined;
  else if (f != null && d.flood) {
    const fe = r.entries(f, `${key}.flood`, ['alerts', 'window', 'end_below', 'summary_interval']);
    flood = {
      alerts: count(fe.get('alerts'), `${key}.flood.alerts`) ?? d.flood.alerts,
      windowMs: r.duration(fe.get('window'), `${key}.flood.window`) ?? d.flood.windowMs,
      endBelow: count(fe.get('end_below'), `${key}.flood.end_below`) ?? d.flood.endBelow,
      summaryIntervalMs:
        r.duration(fe.get('summary_interval'), `${key}.flood.summary_interval`) ?? d.flood.summaryIntervalMs,
    };
    if (flood.endBelow >= flood.alerts)
      r.error(
        f,
        `${key}.flood.end_below`,
        'must be below alerts (the flood must end under its start threshold)',
      );
  }
  let chattering = d.chattering;
  const c = e.get('chattering');
  if (off(c)) chattering = undefined;
  else if (c != null && d.chattering) {
    const ce = r.entries(c, `${key}.chattering`, ['cycles', 'window', 'shelve_for']);
    chattering = {
      cycles: count(ce.get('cycles'), `${key}.chattering.cycles`) ?? d.chattering.cycles,
      windowMs: r.duration(ce.get('window'), `${key}.chattering.window`) ?? d.chattering.windowMs,
      shelveForMs:
        r.duration(ce.get('shelve_for'), `${key}.chattering.shelve_for`) ?? d.chattering.shelveForMs,
    };
  }
  return { flood, chattering };
}

/**
 * The clients whose alerts can reach a route: the values its path (root to it) allows for `dss_client`.
 * `undefined` is "any client". An `=` matcher allows one value; an `=~` matcher whose regex is a plain
 * alternation of literal values (`north|south`) allows those; several constraints intersect. `!=`, `!~` and
 * other regexes do not narrow.
 */
export function routeClients(path: readonly Route[]): Set<string> | undefined {
  let allowed: Set<string> | undefined;
  for (const route of path)
    for (const m of route.matchers) {
      if (m.name !== 'dss_client') continue;
      let values: string[] | undefined;
      if (m.type === '=') values = [m.value];
      else if (m.type === '=~' && /^[a-zA-Z0-9_.\- ]*(\|[a-zA-Z0-9_.\- ]*)*$/.test(m.value))
        values = m.value.split('|');
      if (!values) continue;
      allowed = new Set(allowed ? values.filter((v) => allowed?.has(v)) : values);
    }
  return allowed;
}

/**
 * Tenant isolation: a route whose receiver belongs to client C (not `*`) must only let through alerts of
 * client C: routeClients(path) must be exactly {C} (or empty: nothing can reach it). Every receiver must be
 * listed in dss-alerts.yml, and every inhibit rule must have dss_client among its `equal` labels. Returns
 * the problems, each naming the route (or inhibit rule).
 */
export function checkTenantIsolation(am: AlertmanagerConfig, ours: DssAlertsConfig): string[] {
  const problems: string[] = [];
  for (const name of am.receivers.keys())
    if (!ours.receivers.has(name))
      problems.push(`${ours.file}: receiver "${name}" of ${am.file} has no entry (client) in receivers`);
  for (const name of ours.receivers.keys())
    if (!am.receivers.has(name))
      problems.push(`${ours.file}: receivers.${name}: no such receiver in ${am.file}`);
  const walk = (route: Route, path: Route[]): void => {
    const here = [...path, route];
    const owner = ours.receivers.get(route.receiver)?.client;
    if (owner !== undefined && owner !== '*') {
      const clients = routeClients(here);
      const leak = clients === undefined ? ['any client'] : [...clients].filter((c) => c !== owner);
      if (leak.length > 0)
        problems.push(
          `${am.file}:${route.line}: ${route.path} (${route.key}): receiver "${route.receiver}" belongs to client "${owner}" ` +
            `but the route can deliver alerts of ${leak.map((c) => (c === 'any client' ? c : `dss_client="${c}"`)).join(', ')}`,
        );
    }
    for (const child of route.routes) walk(child, here);
  };
  walk(am.route, []);
  // An alert of one client must not silence another client's alerts.
  for (const [i, rule] of am.inhibitRules.entries())
    if (!rule.equal.includes('dss_client'))
      problems.push(
        `${am.file}: inhibit_rules[${i}]: equal must include dss_client (an alert of one client would inhibit another's)`,
      );
  return problems;
}

export interface LoadedRouting {
  alertmanager: AlertmanagerConfig;
  dss: DssAlertsConfig;
}

/**
 * Reads both files and checks tenant isolation; throws ConfigError listing every problem. `notificationsFile`
 * replaces the file of every receiver's sink.
 */
export function loadRouting(
  alertmanagerFile: string,
  dssFile: string,
  notificationsFile?: string,
): LoadedRouting {
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch (error) {
      throw new ConfigError(`${f}: ${(error as Error).message}`);
    }
  };
  const alertmanager = parseAlertmanagerConfig(read(alertmanagerFile), alertmanagerFile);
  const dss = parseDssAlertsConfig(read(dssFile), dssFile);
  if (notificationsFile !== undefined)
    for (const sink of dss.receivers.values()) sink.file = notificationsFile;
  const problems = checkTenantIsolation(alertmanager, dss);
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return { alertmanager, dss };
}
