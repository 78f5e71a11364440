import { describe, expect, it } from 'vitest';
import { channelKey, parseSlackConfig, redact, SlackConfigError } from '../src/notify/slack/config.ts';
import { classifyWebApiError, classifyWebhookStatus, retryAfterMs } from '../src/notify/slack/errors.ts';

const HOOK = 'https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/abcdefSECRETxyz123';

function err(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SlackConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('parseSlackConfig', () => {
  it('webhook mode from api_url, api_url_file or $SLACK_WEBHOOK_URL; send_resolved defaults to false', () => {
    expect(parseSlackConfig({ api_url: HOOK }, 0, { env: {} })).toMatchObject({
      mode: 'webhook',
      url: HOOK,
      sendResolved: false,
      integration: 'slack/0',
      timeoutMs: 10_000,
    });
    expect(
      parseSlackConfig({ api_url_file: '/secret/hook', send_resolved: true, timeout: '5s' }, 2, {
        env: {},
        readFile: () => `${HOOK}\n`,
      }),
    ).toMatchObject({
      mode: 'webhook',
      url: HOOK,
      sendResolved: true,
      integration: 'slack/2',
      timeoutMs: 5000,
    });
    expect(parseSlackConfig({ channel: '#alerts' }, 0, { env: { SLACK_WEBHOOK_URL: HOOK } })).toMatchObject({
      mode: 'webhook',
      url: HOOK,
      channel: '#alerts',
    });
  });

  it('bot mode from http_config.authorization.credentials(_file) or app_token; API base from api_url', () => {
    expect(
      parseSlackConfig(
        { channel: 'C1', http_config: { authorization: { credentials: 'xoxb-1-2-abc' } } },
        0,
        { env: {} },
      ),
    ).toMatchObject({ mode: 'bot', token: 'xoxb-1-2-abc', channel: 'C1', apiBase: 'https://slack.com/api' });
    expect(
      parseSlackConfig(
        {
          channel: 'C1',
          api_url: 'http://127.0.0.1:9/api/chat.postMessage',
          http_config: { authorization: { type: 'Bearer', credentials_file: '/t' } },
        },
        0,
        { env: { SLACK_WEBHOOK_URL: HOOK }, readFile: () => 'xoxb-from-file\n' },
      ),
    ).toMatchObject({ mode: 'bot', token: 'xoxb-from-file', apiBase: 'http://127.0.0.1:9/api' });
    expect(parseSlackConfig({ channel: 'C1', app_token: 'xoxb-app' }, 0, { env: {} })).toMatchObject({
      mode: 'bot',
      token: 'xoxb-app',
    });
  });

  it('names the key in errors and never shows a secret', () => {
    const where = { env: {}, where: 'receivers[north].slack_configs[0]' };
    expect(err(() => parseSlackConfig({}, 0, where))).toMatch(
      /^receivers\[north\]\.slack_configs\[0\]\.api_url: one of/,
    );
    expect(
      err(() =>
        parseSlackConfig({ http_config: { authorization: { credentials: 'xoxb-s3cret' } } }, 0, where),
      ),
    ).toBe('receivers[north].slack_configs[0].channel: required with a bot token (chat.postMessage)');
    expect(() =>
      parseSlackConfig(
        { channel: '#alerts', http_config: { authorization: { credentials: 'xoxb-s3cret' } } },
        0,
        {
          env: {},
        },
      ),
    ).toThrow('"#alerts" looks like a channel name; with a bot token give the channel ID');
    const bad = err(() =>
      parseSlackConfig(
        { channel: 'C1', api_url: HOOK, http_config: { authorization: { credentials: 'xoxb-s3cret' } } },
        0,
        where,
      ),
    );
    expect(bad).toMatch(/slack_configs\[0\]\.api_url: with a bot token it must be/);
    expect(err(() => parseSlackConfig({ api_url: HOOK, colour: 'x' }, 0, where))).toBe(
      'receivers[north].slack_configs[0].colour: unknown key',
    );
    expect(err(() => parseSlackConfig({ api_url: HOOK, send_resolved: 'yes' }, 0, where))).toMatch(
      /send_resolved: must be/,
    );
    expect(err(() => parseSlackConfig({ api_url: HOOK, timeout: '5x' }, 0, where))).toMatch(
      /\.timeout: not a valid/,
    );
    const notUrl = err(() =>
      parseSlackConfig({ api_url: 'hooks.slack.com/services/T1/B2/SECRET' }, 0, where),
    );
    expect(notUrl).not.toContain('SECRET');
    expect(
      err(() =>
        parseSlackConfig(
          { channel: 'C', http_config: { authorization: { type: 'Basic', credentials: 'x' } } },
          0,
          where,
        ),
      ),
    ).toMatch(/authorization\.type: Slack needs Bearer/);
    expect(
      err(() =>
        parseSlackConfig(
          { channel: 'C', api_url_file: '/x', http_config: { authorization: { credentials: 'xoxb-s' } } },
          0,
          {
            ...where,
            readFile: () => HOOK,
          },
        ),
      ),
    ).toMatch(/api_url_file: not supported with a bot token/);
  });

  it('redacts webhook URLs, tokens and bearer headers', () => {
    expect(redact(`POST ${HOOK} failed`)).toBe('POST https://hooks.slack.com/services/T…/… failed');
    expect(redact('token xoxb-123-456-abcdef and xapp-1-A-2')).toBe('token xoxb-… and xapp-…');
    expect(redact('authorization: Bearer abc.def')).toBe('authorization: Bearer …');
    expect(channelKey(parseSlackConfig({ api_url: HOOK }, 0, { env: {} }))).not.toContain('SECRET');
  });
});

describe('error classification', () => {
  it('classifies Web API and webhook errors', () => {
    for (const code of [
      'channel_not_found',
      'not_in_channel',
      'is_archived',
      'msg_too_long',
      'invalid_blocks',
      'invalid_auth',
      'token_revoked',
      'missing_scope',
      'no_text',
      'too_many_attachments',
    ])
      expect(classifyWebApiError(code)).toBe('permanent');
    expect(classifyWebApiError('internal_error')).toBe('ambiguous');
    expect(classifyWebApiError('fatal_error')).toBe('ambiguous');
    expect(classifyWebApiError('ratelimited')).toBe('rate_limited');
    expect(classifyWebApiError('service_unavailable')).toBe('transient');
    expect(classifyWebhookStatus(400, 'invalid_payload')).toBe('permanent');
    expect(classifyWebhookStatus(403, 'action_prohibited')).toBe('permanent');
    expect(classifyWebhookStatus(404, 'channel_not_found')).toBe('permanent');
    expect(classifyWebhookStatus(410, 'channel_is_archived')).toBe('permanent');
    expect(classifyWebhookStatus(403, 'invalid_token')).toBe('permanent');
    expect(classifyWebhookStatus(429, '')).toBe('rate_limited');
    expect(classifyWebhookStatus(500, 'rollup_error')).toBe('transient');
    expect(classifyWebhookStatus(503, '')).toBe('transient');
  });

  it('reads Retry-After and the body retry_after (the larger wins)', () => {
    expect(retryAfterMs('2', undefined)).toBe(2000);
    expect(retryAfterMs(null, { retry_after: 3 })).toBe(3000);
    expect(retryAfterMs('1', { ok: false, retry_after: 4 })).toBe(4000);
    expect(retryAfterMs('Mon, 23 Nov 2026 12:00:05 GMT', undefined, Date.parse('2026-11-23T12:00:00Z'))).toBe(
      5000,
    );
    expect(retryAfterMs(null, {})).toBeUndefined();
  });
});
