import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferedOutput, checkConfigCommand } from '../src/cli/index.ts';
import {
  checkTenantIsolation,
  loadRouting,
  parseAlertmanagerConfig,
  parseDssAlertsConfig,
} from '../src/dispatch/config.ts';
import { matchRoutes } from '../src/dispatch/dispatcher.ts';

const ROUTING = join(import.meta.dirname, '../routing');
const SHIPPED = join(ROUTING, 'dss.alertmanager.yml');
const AMTOOL = '/usr/bin/amtool';
const dir = mkdtempSync(join(tmpdir(), 'dss-alerts-routing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `amtool check-config`; skipped without amtool, except on CI. */
function amtoolCheck(file: string): void {
  if (!existsSync(AMTOOL)) {
    if (process.env.CI) throw new Error(`${AMTOOL} is required on CI`);
    return;
  }
  execFileSync(AMTOOL, ['check-config', file], { stdio: 'pipe' });
}

const LEAKY = `route:
  receiver: on-call
  routes:
    - receiver: north
      matchers: ['dss_client="north"']
    - receiver: north
      matchers: ['dss_client=~"north|south"']
    - receiver: on-call
      matchers: ['severity="critical"']
      routes:
        - receiver: south
          match:
            team: water
receivers:
  - name: on-call
  - name: north
  - name: south
`;
const OURS = `receivers:
  on-call: {client: '*'}
  north: {client: north}
  south: {client: south}
`;

describe('shipped routing', () => {
  it('passes amtool check-config', () => {
    amtoolCheck(SHIPPED);
  });

  it('passes our check, tenant isolation included', () => {
    const out = bufferedOutput();
    expect(checkConfigCommand(SHIPPED, undefined, out)).toBe(0);
    const { alertmanager, dss } = loadRouting(SHIPPED, join(ROUTING, 'dss-alerts.yml'));
    expect(dss.receivers.get('north')?.file).toBe(join(ROUTING, 'notifications.jsonl'));
    const receivers = (labels: Record<string, string>) =>
      matchRoutes(alertmanager.route, labels).map((r) => r.receiver);
    expect(receivers({ alertname: 'A', dss_client: 'north', severity: 'critical' })).toEqual(['north']);
    expect(receivers({ alertname: 'A', dss_client: 'south' })).toEqual(['south']);
    expect(
      receivers({ alertname: 'AlertEvaluationFailing', severity: 'warning', dss_component: 'alerts' }),
    ).toEqual(['on-call']);
    expect(receivers({ alertname: 'A', dss_client: 'west' })).toEqual(['on-call']);
    expect(alertmanager.route.groupBy).toEqual(['alertname', 'dss_client', 'dss_tank_id']);
  });
});

describe('tenant isolation', () => {
  it('refuses routes that can deliver another client’s alerts, naming them', () => {
    const file = join(dir, 'leaky.yml');
    writeFileSync(file, LEAKY);
    amtoolCheck(file); // valid for Alertmanager, refused by us
    const problems = checkTenantIsolation(
      parseAlertmanagerConfig(LEAKY, file),
      parseDssAlertsConfig(OURS, 'ours.yml'),
    );
    expect(problems).toEqual([
      `${file}:6: route.routes[1] ({}/{dss_client=~"north|south"}): receiver "north" belongs to client "north" but the route can deliver alerts of dss_client="south"`,
      `${file}:11: route.routes[2].routes[0] ({}/{severity="critical"}/{team="water"}): receiver "south" belongs to client "south" but the route can deliver alerts of any client`,
    ]);
    const out = bufferedOutput();
    writeFileSync(join(dir, 'dss-alerts.yml'), OURS);
    expect(checkConfigCommand(file, undefined, out)).toBe(1);
    expect(out.err).toContain('route.routes[1]');
  });

  it('refuses inhibit rules that could cross clients', () => {
    const am = parseAlertmanagerConfig(
      'route: {receiver: on-call}\ninhibit_rules:\n  - source_matchers: [a="1"]\n    equal: [dss_tank_id]\nreceivers:\n  - name: on-call\n',
      'am.yml',
    );
    expect(
      checkTenantIsolation(am, parseDssAlertsConfig('receivers:\n  on-call: {client: "*"}\n', 'o.yml')),
    ).toEqual([
      "am.yml: inhibit_rules[0]: equal must include dss_client (an alert of one client would inhibit another's)",
    ]);
  });

  it('requires every receiver to have a client', () => {
    const problems = checkTenantIsolation(
      parseAlertmanagerConfig(LEAKY, 'am.yml'),
      parseDssAlertsConfig('receivers:\n  on-call: {client: "*"}\n  east: {client: east}\n', 'ours.yml'),
    );
    expect(problems).toContain('ours.yml: receiver "north" of am.yml has no entry (client) in receivers');
    expect(problems).toContain('ours.yml: receivers.east: no such receiver in am.yml');
  });
});

describe('Alertmanager config parser', () => {
  it('reads group_by ..., legacy match/match_re, inheritance, continue, slack configs', () => {
    const c = parseAlertmanagerConfig(
      `route:
  receiver: a
  group_by: ['...']
  group_wait: 10s
  routes:
    - receiver: b
      match_re: {dss_client: "no.*"}
      continue: true
      repeat_interval: 2h
    - receiver: a
      match: {dss_client: north}
receivers:
  - name: a
    webhook_configs: [{url: "http://127.0.0.1:1/hook", send_resolved: false}]
  - name: b
    slack_configs: [{channel: "#north", api_url: "https://hooks.slack.example/x"}]
`,
      'am.yml',
    );
    const [b, a] = c.route.routes;
    expect(b).toMatchObject({
      receiver: 'b',
      groupByAll: true,
      groupWaitMs: 10_000,
      repeatIntervalMs: 7_200_000,
      continue: true,
    });
    expect(a?.key).toBe('{}/{dss_client="north"}');
    expect(matchRoutes(c.route, { dss_client: 'north' }).map((r) => r.receiver)).toEqual(['b', 'a']);
    expect(c.receivers.get('a')?.webhookConfigs).toEqual([
      { url: 'http://127.0.0.1:1/hook', sendResolved: false },
    ]);
    expect(c.receivers.get('b')?.slackConfigs).toEqual([
      { channel: '#north', api_url: 'https://hooks.slack.example/x' },
    ]);
  });

  it('names file, line and key in errors', () => {
    expect(() =>
      parseAlertmanagerConfig(
        `route:
  receiver: a
  group_wait: 10x
  routes:
    - receiver: nobody
      matchers: ['dss_client=="x"']
      colour: red
receivers:
  - name: a
`,
        'am.yml',
      ),
    ).toThrow(
      [
        'am.yml:3: route.group_wait: not a valid duration string: "10x"',
        'am.yml:5: route.routes[0].receiver: undefined receiver "nobody" used in route',
        'am.yml:6: route.routes[0].matchers[0]: bad matcher format: dss_client=="x"',
        'am.yml:7: route.routes[0].colour: field colour not found',
      ].join('\n'),
    );
  });
});
