// The schema migrates in order from any earlier version, and the configuration is checked before use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';
import { openStore, SCHEMA_VERSION } from '../src/store/db.ts';

const dir = mkdtempSync(join(tmpdir(), 'dora-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the DORA store', () => {
  it('creates the schema at the last version and upgrades an older database in place', () => {
    const file = join(dir, 'a.sqlite');
    openStore(file).close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // back to version 1 (before the jobs and reports tables), with data
    db.exec(
      'DROP TABLE jobs; DROP TABLE reports; DROP INDEX incidents_created; DROP INDEX incidents_closed; PRAGMA user_version = 1;',
    );
    db.prepare("INSERT INTO sync_cursors VALUES (1, 'merge_requests', 42)").run();
    db.close();
    const again = openStore(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(again.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 0 });
    expect(again.prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 0 });
    expect(again.prepare('SELECT updated_after FROM sync_cursors').get()).toEqual({ updated_after: 42 });
    again.close();
  });
});

describe('the DORA configuration', () => {
  const ok = {
    gitlab: { url: 'https://gitlab.example.com' },
    clients: [{ name: 'a', group: 'dss/a', projects: {} }],
  };
  it('accepts a valid one and names what is wrong in an invalid one', () => {
    expect(parseConfig(ok).clients[0]?.group).toBe('dss/a');
    const bad: [unknown, RegExp][] = [
      [{ ...ok, gitlab: {} }, /gitlab\.url is required/],
      [{ ...ok, gitlab: { url: 'not a url' } }, /not a URL/],
      [{ ...ok, clients: [] }, /at least one client/],
      [{ ...ok, since: 'yesterday' }, /since is not an ISO date/],
      [
        { ...ok, clients: [{ name: 'a', group: 'g', projects: { dbs: { deploy: { type: 'tags' } } } }] },
        /a\/dbs: deploy.type must be/,
      ],
      [
        {
          ...ok,
          clients: [
            { name: 'a', group: 'g', projects: { dbs: { deploy: { type: 'pipeline', tagPattern: '(' } } } },
          ],
        },
        /a\/dbs: deploy.tagPattern is not a regular expression/,
      ],
      [
        { ...ok, clients: [{ name: 'a', group: 'g', projects: { dbs: { deploy: { type: 'job' } } } }] },
        /deploy.stage is required/,
      ],
    ];
    for (const [config, message] of bad) {
      expect(() => parseConfig(config)).toThrow(ConfigError);
      expect(() => parseConfig(config)).toThrow(message);
    }
  });
});
