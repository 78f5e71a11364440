import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SilenceError } from '../src/silence/silence.ts';
import { Silences } from '../src/silence/silences.ts';
import { openStateDatabase } from '../src/state/database.ts';

const H = 3_600_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(now: { t: number }, file?: string) {
  const path = file ?? join(mkdtempSync(join(tmpdir(), 'silences-')), 'state.db');
  if (!file) dirs.push(join(path, '..'));
  const db = openStateDatabase(path);
  return { path, db, silences: new Silences(db, { now: () => now.t }) };
}

const north = [
  { name: 'dss_client', value: 'north', isRegex: false },
  { name: 'alertname', value: 'DSSTank.*', isRegex: true },
];

describe('silences', () => {
  it('mutes matching alerts only while active, and says which silence mutes', () => {
    const now = { t: 1_700_000_000_000 };
    const { silences, db } = open(now);
    const id = silences.set({
      matchers: north,
      startsAtMs: now.t + H,
      endsAtMs: now.t + 3 * H,
      createdBy: 'ana',
      comment: 'tank T1 maintenance',
    });
    const alert = { dss_client: 'north', alertname: 'DSSTankLevelBelowMinimum' };
    expect(silences.mutes(alert)).toBe(false); // pending
    now.t += 2 * H;
    expect(silences.mutedBy(alert)).toEqual([id]);
    expect(silences.mutes({ ...alert, dss_client: 'south' })).toBe(false);
    expect(silences.mutes({ ...alert, alertname: 'DSSJobFailed' })).toBe(false);
    now.t += 2 * H;
    expect(silences.mutes(alert)).toBe(false); // expired
    db.close();
  });

  it('refuses invalid silences with Alertmanager messages', () => {
    const now = { t: 1_700_000_000_000 };
    const { silences, db } = open(now);
    const base = { startsAtMs: now.t, endsAtMs: now.t + H, createdBy: 'ana', comment: 'x' };
    const bad = (input: Partial<Parameters<Silences['set']>[0]>) => () =>
      silences.set({ ...base, matchers: north, ...input });
    expect(bad({ matchers: [] })).toThrow('at least one matcher required');
    expect(bad({ matchers: [{ name: 'a', value: '.*', isRegex: true }] })).toThrow(
      'at least one matcher must not match the empty string',
    );
    expect(bad({ matchers: [{ name: '1a', value: 'x', isRegex: false }] })).toThrow('invalid label name');
    expect(bad({ matchers: [{ name: 'a', value: '(', isRegex: true }] })).toThrow(
      'invalid regular expression',
    );
    expect(bad({ endsAtMs: now.t - 1 })).toThrow(SilenceError);
    expect(bad({ startsAtMs: now.t + 2 * H })).toThrow('end time must not be before start time');
    expect(bad({ comment: '' })).toThrow('comment is required');
    expect(bad({ id: 'nope' })).toThrow('silence nope not found');
    expect(silences.list()).toEqual([]);
    db.close();
  });

  it('updates in place when Alertmanager would, else replaces; expire ends it now', () => {
    const now = { t: 1_700_000_000_000 };
    const { silences, db } = open(now);
    const input = { matchers: north, startsAtMs: now.t, endsAtMs: now.t + H, createdBy: 'ana', comment: 'a' };
    const id = silences.set(input);
    now.t += 1000;
    // Active, same matchers and start: extended in place.
    expect(silences.set({ ...input, id, endsAtMs: now.t + 2 * H, comment: 'longer' })).toBe(id);
    expect(silences.get(id)?.comment).toBe('longer');
    // Active, other matchers: the old one is expired and a new one made.
    const other = silences.set({ ...input, id, matchers: [north[0] as (typeof north)[0]] });
    expect(other).not.toBe(id);
    expect(silences.get(id)?.endsAtMs).toBe(now.t);
    expect(() => silences.expire(id)).toThrow('already expired');
    silences.expire(other);
    expect(silences.mutes({ dss_client: 'north' })).toBe(false);
    db.close();
  });

  it('survives a restart and forgets expired silences after the retention', () => {
    const now = { t: 1_700_000_000_000 };
    const first = open(now);
    const id = first.silences.set({
      matchers: north,
      startsAtMs: now.t,
      endsAtMs: now.t + H,
      createdBy: 'a',
      comment: 'b',
    });
    first.db.close();
    const again = open(now, first.path);
    expect(again.silences.mutedBy({ dss_client: 'north', alertname: 'DSSTankX' })).toEqual([id]);
    now.t += 2 * H;
    expect(again.silences.list().map((s) => s.id)).toEqual([id]); // expired, kept
    now.t += 121 * H;
    expect(again.silences.list()).toEqual([]);
    again.db.close();
  });
});
