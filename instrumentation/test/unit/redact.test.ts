import { describe, expect, it } from 'vitest';
import {
  attributeRedactions,
  isSecretKey,
  REDACTED,
  redactText,
  redactValue,
} from '../../src/redaction/redact.ts';

describe('redaction', () => {
  it('replaces values under secret keys, at any depth and in dotted keys', () => {
    expect(
      redactValue({
        authorization: 'Bearer abc.def',
        headers: { Cookie: 'sid=1', 'x-api-key': 'k' },
        gitlab: { private_token: 'glpat-xxxxxxxxxxxxxxxx' },
        tank: 'T1',
      }),
    ).toEqual({
      authorization: REDACTED,
      headers: { Cookie: REDACTED, 'x-api-key': REDACTED },
      gitlab: { private_token: REDACTED },
      tank: 'T1',
    });
    expect(isSecretKey('http.request.header.authorization')).toBe(true);
    expect(isSecretKey('slack.webhook_url')).toBe(true);
    expect(isSecretKey('dss.tank.id')).toBe(false);
    expect(isSecretKey('tokenizer')).toBe(false);
  });

  it('cuts secrets out of free text', () => {
    expect(redactText('postgres://dss:s3cret@db:5432/x')).toBe(`postgres://dss:${REDACTED}@db:5432/x`);
    expect(redactText('post to https://hooks.slack.com/services/T0/B0/abcdef now')).toBe(
      `post to https://hooks.slack.com/services/${REDACTED} now`,
    );
    expect(redactText('Authorization: Bearer eyJhbGciOi.payload.sig')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(redactText('GET /api/v4/projects?private_token=glpat-abc123def456&page=2')).toBe(
      `GET /api/v4/projects?private_token=${REDACTED}&page=2`,
    );
    expect(redactText('token=abc&page=2')).toBe(`token=${REDACTED}&page=2`);
    expect(redactText('monkey=1')).toBe('monkey=1');
    expect(redactText('token glpat-abcdefghij1234567890 leaked')).toBe(`token ${REDACTED} leaked`);
    expect(redactText('tank T1 at 3.2 m')).toBe('tank T1 at 3.2 m');
  });

  it('lists only the attributes that change', () => {
    expect(
      attributeRedactions({ 'url.full': 'https://a/b?token=x', 'dss.tank.id': 'T1', password: 'p' }),
    ).toEqual([
      ['url.full', `https://a/b?token=${REDACTED}`],
      ['password', REDACTED],
    ]);
  });

  it('bounds the work on deep structures', () => {
    type Deep = { next?: Deep; password?: string };
    const root: Deep = {};
    let node = root;
    for (let i = 0; i < 50; i++) {
      node.next = { password: 'p' };
      node = node.next;
    }
    expect(() => redactValue(root)).not.toThrow();
  });
});
