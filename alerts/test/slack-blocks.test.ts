import { describe, expect, it } from 'vitest';
import { clip, renderNotification, SLACK_LIMITS, silenceCommand } from '../src/notify/slack/blocks.ts';
import { notification } from './support/slack-fake/fixtures.ts';
import { validBlocks } from './support/slack-fake/server.ts';

type B = {
  type: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<{ text: string }>;
};

function checkBudgets(msg: { text: string; blocks: unknown[] }): void {
  const blocks = msg.blocks as B[];
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(msg.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
  for (const b of blocks) {
    if (b.type === 'header') expect(b.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section') {
      expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(b.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    for (const e of b.elements ?? []) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  }
  expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(SLACK_LIMITS.blocksChars);
  expect(validBlocks(blocks)).toBe(true);
}

const NOW = Date.parse('2026-11-23T12:00:00Z');

describe('renderNotification', () => {
  it('renders a firing alert: header, what and where, value, threshold, since, runbook, Grafana, silence', () => {
    const n = notification({ startsAt: '2026-11-23T11:48:00Z' });
    const msg = renderNotification(n, {
      now: NOW,
      grafanaUrl: 'http://grafana:3000/',
      runbookBaseUrl: 'https://git.example/dss/blob/main',
      silenceApiUrl: 'http://localhost:9093/api/v2/silences',
    });
    checkBudgets(msg);
    const blocks = msg.blocks as B[];
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(blocks[0]?.text?.text).toBe('🔴 [FIRING:1] DSSTankLevelBelowMinimum · north');
    const all = JSON.stringify(blocks);
    expect(all).toContain('*Tank*\\nT-1');
    expect(all).toContain('*Value*\\n0.20 m');
    expect(all).toContain('*Threshold*\\n0.50 m');
    expect(all).toContain('(12 min ago)');
    expect(all).toContain('<!date^1795434480^');
    expect(all).toContain(
      '<https://git.example/dss/blob/main/docs/alerts-rules.md#dsstanklevelbelowminimum|📖 Runbook>',
    );
    // Grafana Explore over startsAt − 1 h … now, with the rule's expression.
    const grafana = /<(http:\/\/grafana:3000\/explore\?[^|]+)\|📈 Grafana>/.exec(all)?.[1];
    expect(grafana).toBeDefined();
    const panes = JSON.parse(decodeURIComponent(new URL(grafana ?? '').searchParams.get('panes') ?? ''));
    expect(panes.a.range).toEqual({
      from: String(Date.parse('2026-11-23T10:48:00Z')),
      to: String(NOW),
    });
    expect(panes.a.queries[0].expr).toBe('dss_tank:level_meters:max < 0.5');
    expect(all).toContain(
      '`dss-obs alerts silence add alertname=DSSTankLevelBelowMinimum dss_client=north dss_tank_id=T-1 --duration 2h`',
    );
    expect(all).toContain('http://localhost:9093/api/v2/silences');
    expect(msg.text.startsWith('🔴 [FIRING:1] DSSTankLevelBelowMinimum · north\n• T-1: Tank T-1')).toBe(true);
  });

  it('links a dashboard over the resolved alert range when a dashboard path is set', () => {
    const n = notification({
      status: 'resolved',
      startsAt: '2026-11-23T10:00:00Z',
      endsAt: '2026-11-23T11:30:00Z',
    });
    const msg = renderNotification(n, {
      now: NOW,
      grafanaUrl: 'http://g',
      grafanaDashboardPath: '/d/tanks/tanks',
    });
    checkBudgets(msg);
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain(
      `http://g/d/tanks/tanks?from=${Date.parse('2026-11-23T09:00:00Z')}&to=${Date.parse('2026-11-23T11:30:00Z')}&var-dss_client=north&var-dss_tank_id=T-1`,
    );
    expect((msg.blocks[0] as B).text?.text).toBe('✅ [RESOLVED] DSSTankLevelBelowMinimum · north');
    expect(all).toContain('(lasted 1 h 30 min)');
    expect(all).not.toContain('silence add');
  });

  it('keeps the header within 150 characters', () => {
    const n = notification({ alertname: `A${'x'.repeat(400)}` });
    const msg = renderNotification(n, { now: NOW });
    checkBudgets(msg);
    expect((msg.blocks[0] as B).text?.text.length).toBe(150);
    expect((msg.blocks[0] as B).text?.text.endsWith('…')).toBe(true);
  });

  it('keeps section text within 3,000 characters and fields within 10 × 2,000', () => {
    const n = notification({ description: 'd'.repeat(10_000) });
    const a = n.alerts[0];
    if (!a) throw new Error('no alert');
    a.labels.dss_job_name = 'j'.repeat(5000);
    a.annotations.value = 'v'.repeat(5000);
    a.annotations.threshold = '1';
    const msg = renderNotification(n, { now: NOW, maxBlocksChars: 40_000 });
    checkBudgets({ ...msg, blocks: msg.blocks });
    const section = (msg.blocks as B[]).find((b) => b.type === 'section' && b.fields);
    expect(section?.text?.text.length).toBe(3000);
    expect(section?.fields?.some((f) => f.text.length === 2000)).toBe(true);
  });

  it('collapses a large group into "N more…" with a link, within 50 blocks and the blocks budget', () => {
    for (const [count, maxAlerts] of [
      [200, 100],
      [60, 10],
      [11, 10],
    ] as const) {
      const n = notification({ alerts: count });
      const msg = renderNotification(n, { now: NOW, maxAlerts, grafanaUrl: 'http://g' });
      checkBudgets(msg);
      const sections = (msg.blocks as B[]).filter((b) => b.type === 'section' && b.fields);
      const more = (msg.blocks as B[]).find((b) => b.text?.text.includes('more alert'));
      expect(more?.text?.text).toBe(
        `➕ ${count - sections.length} more alert${count - sections.length === 1 ? '' : 's'}… <http://localhost:9093|see all>`,
      );
      expect(sections.length).toBeLessThanOrEqual(maxAlerts);
      expect(sections.length).toBeGreaterThan(0);
    }
  });

  it('counts truncatedAlerts in "N more…" and keeps text within 40,000 characters', () => {
    const n = notification({ alerts: 3000, description: 'x' });
    n.truncatedAlerts = 5;
    for (const a of n.alerts) a.annotations.summary = 's'.repeat(100);
    const msg = renderNotification(n, { now: NOW });
    checkBudgets(msg);
    expect(msg.text.length).toBe(SLACK_LIMITS.text);
    expect(JSON.stringify(msg.blocks)).toContain(`➕ ${3005 - 10} more alerts…`);
  });

  it('escapes mrkdwn and quotes odd silence matcher values', () => {
    const n = notification({ client: 'a b' });
    const a = n.alerts[0];
    if (!a) throw new Error('no alert');
    a.annotations.summary = '<!channel> & co';
    const msg = renderNotification(n, { now: NOW });
    expect(JSON.stringify(msg.blocks)).toContain('&lt;!channel&gt; &amp; co');
    expect(silenceCommand(n)).toBe(
      `dss-obs alerts silence add alertname=DSSTankLevelBelowMinimum 'dss_client="a b"' dss_tank_id=T-1 --duration 2h`,
    );
  });

  it('clip keeps surrogate pairs whole', () => {
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('abc', 3)).toBe('abc');
  });
});
