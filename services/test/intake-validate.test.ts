// Row and file validation of the intake, one rule at a time.
import { describe, expect, it } from 'vitest';
import { parseCsvFile, parseTimestamp } from '../src/intake/validate.ts';

const HEADER = 'timestamp,site,tag,value,unit,quality';
const GOOD = '2026-01-05T06:00:00Z,north,T1.LEVEL,3.25,m,GOOD';
const file = (...lines: string[]) => Buffer.from(`${lines.join('\n')}\n`);

describe('parseTimestamp', () => {
  it.each([
    ['2026-01-05T06:00:00Z', Date.UTC(2026, 0, 5, 6)],
    ['2026-01-05T06:00:00.250Z', Date.UTC(2026, 0, 5, 6, 0, 0, 250)],
    ['2026-01-05 06:00:00Z', Date.UTC(2026, 0, 5, 6)],
    ['2026-01-05T07:00:00+01:00', Date.UTC(2026, 0, 5, 6)],
    ['2026-01-05T01:30:00-0430', Date.UTC(2026, 0, 5, 6)],
    ['2026-01-05T06:00Z', Date.UTC(2026, 0, 5, 6)],
    ['1767592800', Date.UTC(2026, 0, 5, 6)],
    ['1767592800.5', Date.UTC(2026, 0, 5, 6) + 500],
    ['1767592800000', Date.UTC(2026, 0, 5, 6)],
  ])('accepts %s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    '2026-01-05T06:00:00', // no zone: ambiguous
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-05T24:00:00Z',
    '2026-01-05T06:61:00Z',
    '05/01/2026 06:00',
    '',
    'yesterday',
    '12345', // epoch of 1970: garbage
    '4102444800', // 2100
  ])('refuses %j', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('parseCsvFile', () => {
  it('reads good rows, trimming spaces, columns in any order, CRLF and a BOM', () => {
    const content = Buffer.from(
      `\uFEFFquality, tag ,timestamp,site,value,unit\r\nGOOD,T1.LEVEL,2026-01-05T06:00:00Z,north,3.25,m\r\ngood,P2.RUN,1767592800,north,1,bool\r\n`,
    );
    const parsed = parseCsvFile(content, 'north');
    expect(parsed).toMatchObject({
      ok: true,
      rows: 2,
      quarantined: [],
      readings: [
        { line: 2, tag: 'T1.LEVEL', kind: 'level', asset: 'T1', value: 3.25, quality: 'GOOD' },
        {
          line: 3,
          tag: 'P2.RUN',
          kind: 'run',
          asset: 'P2',
          value: 1,
          quality: 'GOOD',
          timestampMs: 1767592800000,
        },
      ],
    });
  });

  it.each([
    ['timestamp', '2026-01-05T06:00:00,north,T1.LEVEL,3.2,m,GOOD'],
    ['site', '2026-01-05T06:00:00Z,south,T1.LEVEL,3.2,m,GOOD'],
    ['tag', '2026-01-05T06:00:00Z,north,T1.LEVL,3.2,m,GOOD'],
    ['tag', '2026-01-05T06:00:00Z,north,FLOW.T1.SIDEWAYS,3.2,m3/h,GOOD'],
    ['value', '2026-01-05T06:00:00Z,north,T1.LEVEL,3.2.1,m,GOOD'],
    ['value', '2026-01-05T06:00:00Z,north,T1.LEVEL,,m,GOOD'],
    ['value', '2026-01-05T06:00:00Z,north,T1.LEVEL,-1,m,GOOD'],
    ['value', '2026-01-05T06:00:00Z,north,P1.RUN,0.5,bool,GOOD'],
    ['unit', '2026-01-05T06:00:00Z,north,T1.LEVEL,3.2,cm,GOOD'],
    ['unit', '2026-01-05T06:00:00Z,north,P1.SPEED,50,kW,GOOD'],
    ['quality', '2026-01-05T06:00:00Z,north,T1.LEVEL,3.2,m,OK'],
    ['columns', '2026-01-05T06:00:00Z,north,T1.LEVEL,3.2,m'],
    ['columns', '2026-01-05T06:00:00Z,north,T1.LEVEL,3.2,m,GOOD,extra'],
    ['csv', '"2026-01-05T06:00:00Z,north,T1.LEVEL,3.2,m,GOOD'],
  ])('quarantines a row with a bad %s, keeping the others', (reason, bad) => {
    const parsed = parseCsvFile(file(HEADER, GOOD, bad, GOOD.replace('06:00', '06:01')), 'north');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.readings.map((r) => r.line)).toEqual([2, 4]);
    expect(parsed.quarantined).toEqual([{ line: 3, reason, message: expect.any(String), raw: bad }]);
    expect(parsed.rows).toBe(3);
  });

  it('accepts m³/h for m3/h and a lowercase quality', () => {
    const parsed = parseCsvFile(
      file(HEADER, '2026-01-05T06:00:00Z,north,FLOW.T1.IN,120,m³/h,uncertain'),
      'north',
    );
    expect(parsed).toMatchObject({ ok: true, readings: [{ kind: 'flow-in', quality: 'UNCERTAIN' }] });
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['empty', Buffer.from('\n \n')],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['binary', Buffer.from([0x74, 0x73, 0xff, 0xfe, 0x0a])],
    ['header', Buffer.from('Dear DSS team,\nplease find attached the readings.\n')],
    ['header', file(GOOD, GOOD)],
    ['header', file('timestamp,site,tag,value,unit,unit', GOOD)],
  ])('refuses a file that is not our CSV at all (%s)', (reason, content) => {
    expect(parseCsvFile(content, 'north')).toMatchObject({ ok: false, reason });
  });
});
