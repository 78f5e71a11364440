// The simulator: deterministic, physically bounded, with a daily pattern, tariff-aware control,
// visible faults and well-formed, atomically written CSV files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvFile } from '../src/intake/validate.ts';
import { CSV_COLUMNS, csvFileName, parseTag, UNIT_OF_KIND } from '../src/scada-csv/format.ts';
import {
  DEFAULT_NETWORK,
  type Fault,
  parseFault,
  type SimulationSample,
  simulate,
  simulateFiles,
  startSimulator,
  tariffPeriod,
  writeFileAtomic,
} from '../src/simulator/index.ts';
import { csvRows, removeTempDirs, tempDir, waitFor } from './support/helpers.ts';

afterAll(removeTempDirs);

const MONDAY = '2026-01-05T00:00:00Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string, plusMs = 0) => Date.parse(iso) + plusMs;

function collect(
  from: string | number,
  to: string | number,
  faults: Fault[] = [],
  seed: string | number = 7,
) {
  return [...simulate(from, to, { seed, faults })];
}

const truthOf = (s: SimulationSample, client: string) =>
  s.clients[client]?.truth as NonNullable<SimulationSample['clients'][string]>['truth'];
const tankOf = (s: SimulationSample, client: string, tank: string) =>
  truthOf(s, client).tanks.find((t) => t.id === tank) as ReturnType<typeof truthOf>['tanks'][number];
const pumpOf = (s: SimulationSample, client: string, pump: string) =>
  truthOf(s, client).pumps.find((p) => p.id === pump) as ReturnType<typeof truthOf>['pumps'][number];
const readingOf = (s: SimulationSample, client: string, tag: string) =>
  s.clients[client]?.readings.find((r) => r.tag === tag)?.value;

describe('simulate()', () => {
  it('is deterministic: a seed gives the same files, another seed other files', () => {
    const run = (seed: number) =>
      [...simulateFiles(MONDAY, at(MONDAY, 6 * HOUR), { seed })].map((f) => `${f.name}\n${f.content}`);
    const first = run(1);
    expect(first).toHaveLength(2 * 72);
    expect(run(1)).toEqual(first);
    expect(run(2)).not.toEqual(first);
  });

  it('runs a week of two networks fast enough for backfill', () => {
    const started = performance.now();
    const samples = collect(MONDAY, at(MONDAY, 7 * DAY));
    expect(samples).toHaveLength(7 * 24 * 60);
    expect(performance.now() - started).toBeLessThan(3_000); // ~0.1 s warm; room for a busy CI
  });

  it('keeps every tank within its operating band, and the physics within the tank', () => {
    const samples = collect(MONDAY, at(MONDAY, 14 * DAY));
    for (const network of DEFAULT_NETWORK) {
      for (const tank of network.tanks) {
        const levels = samples.map((s) => tankOf(s, network.client, tank.id).levelM);
        expect(Math.min(...levels), `${network.client}/${tank.id}`).toBeGreaterThanOrEqual(tank.minLevelM);
        expect(Math.max(...levels), `${network.client}/${tank.id}`).toBeLessThanOrEqual(tank.maxLevelM);
      }
    }
    // With faults that drain and that blind the policy, the level still stays within the tank.
    const faulty = collect(MONDAY, at(MONDAY, 4 * DAY), [
      { kind: 'leak', client: 'north', tank: 'T1', rateM3h: 400 },
      { kind: 'pump-fail', client: 'north', pump: 'P3' },
      { kind: 'stuck-sensor', client: 'south', tank: 'T2', from: at(MONDAY, 3 * HOUR) },
    ]);
    for (const network of DEFAULT_NETWORK) {
      for (const tank of network.tanks) {
        for (const s of faulty) {
          const level = tankOf(s, network.client, tank.id).levelM;
          expect(level).toBeGreaterThanOrEqual(0);
          expect(level).toBeLessThanOrEqual(tank.heightM);
        }
      }
    }
    expect(Math.min(...faulty.map((s) => tankOf(s, 'north', 'T2').levelM))).toBe(0); // drained dry
  });

  it('has a daily demand pattern: low at night, peaks morning and evening, another shape on weekends', () => {
    const samples = collect(MONDAY, at(MONDAY, 28 * DAY));
    const mean = (pick: (s: SimulationSample) => boolean) => {
      const chosen = samples.filter(pick).map((s) => tankOf(s, 'north', 'T1').demandM3h);
      return chosen.reduce((a, b) => a + b, 0) / chosen.length;
    };
    const hour = (s: SimulationSample) => new Date(s.timeMs).getUTCHours();
    const weekend = (s: SimulationSample) => [0, 6].includes(new Date(s.timeMs).getUTCDay());
    const night = mean((s) => !weekend(s) && hour(s) >= 1 && hour(s) < 5);
    const morning = mean((s) => !weekend(s) && hour(s) >= 7 && hour(s) < 9);
    const evening = mean((s) => !weekend(s) && hour(s) >= 18 && hour(s) < 21);
    const midday = mean((s) => !weekend(s) && hour(s) >= 13 && hour(s) < 16);
    expect(morning).toBeGreaterThan(2.5 * night);
    expect(evening).toBeGreaterThan(2.5 * night);
    expect(morning).toBeGreaterThan(midday);
    expect(mean((s) => !weekend(s) && hour(s) >= 7 && hour(s) < 19)).toBeGreaterThan(
      mean((s) => !weekend(s) && (hour(s) < 7 || hour(s) >= 19)),
    );
    // Weekends: the morning peak comes later, and the day uses less water.
    const weekendEarly = mean((s) => weekend(s) && hour(s) >= 7 && hour(s) < 9);
    const weekendLate = mean((s) => weekend(s) && hour(s) >= 10 && hour(s) < 12);
    expect(weekendEarly).toBeLessThan(0.8 * morning);
    expect(weekendLate).toBeGreaterThan(weekendEarly);
    expect(mean(weekend)).toBeLessThan(mean((s) => !weekend(s)));
  });

  it('pumps preferably in off-peak hours', () => {
    const samples = collect(MONDAY, at(MONDAY, 7 * DAY));
    const tariff = DEFAULT_NETWORK[0]?.tariff as NonNullable<(typeof DEFAULT_NETWORK)[0]>['tariff'];
    let offPeakEnergy = 0;
    let allEnergy = 0;
    let offPeakSamples = 0;
    for (const s of samples) {
      const power = truthOf(s, 'north').pumps.reduce((a, p) => a + p.powerKw, 0);
      const offPeak = tariffPeriod(tariff, s.timeMs) === 'off-peak';
      allEnergy += power;
      if (offPeak) {
        offPeakEnergy += power;
        offPeakSamples++;
      }
    }
    // Off-peak is ~55 % of the week's hours; the policy puts clearly more than that share of energy there.
    expect(offPeakEnergy / allEnergy).toBeGreaterThan((offPeakSamples / samples.length) * 1.1);
    const last = samples.at(-1) as SimulationSample;
    const north = truthOf(last, 'north');
    expect(north.costEur / north.energyKwh).toBeLessThan(tariff.prices.mid);
  });
});

describe('faults', () => {
  const from = at(MONDAY, DAY);

  it('leak: the tank drains faster than its metered flows explain', () => {
    const faults: Fault[] = [{ kind: 'leak', client: 'north', tank: 'T1', from, rateM3h: 60 }];
    const samples = collect(MONDAY, at(MONDAY, 3 * DAY), faults);
    const area = 400;
    // Residual of the mass balance, from the readings (what the DSS sees), in m³/h.
    const residual = (tag: string, pick: (s: SimulationSample) => boolean) => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i + 1 < samples.length; i++) {
        const s = samples[i] as SimulationSample;
        const next = samples[i + 1] as SimulationSample;
        if (!pick(s)) continue;
        const inflow = readingOf(s, 'north', `FLOW.${tag}.IN`) as number;
        const outflow = readingOf(s, 'north', `FLOW.${tag}.OUT`) as number;
        const change =
          (readingOf(next, 'north', `${tag}.LEVEL`) as number) -
          (readingOf(s, 'north', `${tag}.LEVEL`) as number);
        sum += change * area * 60 - (inflow - outflow);
        n++;
      }
      return sum / n;
    };
    expect(Math.abs(residual('T1', (s) => s.timeMs < from))).toBeLessThan(6);
    expect(residual('T1', (s) => s.timeMs >= from)).toBeCloseTo(-60, -1);
    // The truth says so too.
    const during = samples.filter((s) => s.timeMs >= from);
    expect(during.every((s) => tankOf(s, 'north', 'T1').leakM3h === 60)).toBe(true);
    const before = collect(MONDAY, at(MONDAY, 3 * DAY));
    const energy = (run: SimulationSample[]) => truthOf(run.at(-1) as SimulationSample, 'north').energyKwh;
    expect(energy(samples)).toBeGreaterThan(energy(before)); // more pumping to make up for it
  });

  it('stuck-sensor: the level tag repeats one value while the tank moves', () => {
    const samples = collect(MONDAY, at(MONDAY, 2 * DAY), [
      { kind: 'stuck-sensor', client: 'north', tank: 'T2', from },
    ]);
    const during = samples.filter((s) => s.timeMs >= from);
    const reported = new Set(during.map((s) => readingOf(s, 'north', 'T2.LEVEL')));
    expect(reported.size).toBe(1);
    const truth = during.map((s) => tankOf(s, 'north', 'T2').levelM);
    expect(Math.max(...truth) - Math.min(...truth)).toBeGreaterThan(0.5);
    const beforeValues = new Set(
      samples.filter((s) => s.timeMs < from).map((s) => readingOf(s, 'north', 'T2.LEVEL')),
    );
    expect(beforeValues.size).toBeGreaterThan(100);
  });

  it('missing-feed: no file for the client while it lasts, or one tag missing', () => {
    const until = at(MONDAY, DAY + 2 * HOUR);
    const files = [
      ...simulateFiles(at(MONDAY, 22 * HOUR), at(MONDAY, DAY + 4 * HOUR), {
        seed: 1,
        faults: [
          { kind: 'missing-feed', client: 'south', from, until },
          { kind: 'missing-feed', client: 'north', tag: 'T3.LEVEL', from },
        ],
      }),
    ];
    const south = files.filter((f) => f.client === 'south');
    expect(south.some((f) => f.periodStartMs >= from && f.periodStartMs < until)).toBe(false);
    expect(south.filter((f) => f.periodStartMs < from)).toHaveLength(24);
    expect(south.filter((f) => f.periodStartMs >= until)).toHaveLength(24);
    const north = files.filter((f) => f.client === 'north');
    expect(north).toHaveLength(72);
    for (const file of north) {
      const tags = new Set(csvRows(file.content).map((r) => r.tag));
      expect(tags.has('T3.LEVEL')).toBe(file.periodStartMs < from);
      expect(tags.has('T1.LEVEL')).toBe(true);
    }
  });

  it('pump-fail: the pump never runs although commanded, and its tank goes dry without a standby', () => {
    const samples = collect(MONDAY, at(MONDAY, 3 * DAY), [
      { kind: 'pump-fail', client: 'north', pump: 'P3', from },
    ]);
    const during = samples.filter((s) => s.timeMs >= from);
    expect(during.every((s) => readingOf(s, 'north', 'P3.RUN') === 0)).toBe(true);
    expect(during.every((s) => readingOf(s, 'north', 'P3.POWER') === 0)).toBe(true);
    expect(during.some((s) => pumpOf(s, 'north', 'P3').commanded)).toBe(true);
    expect(samples.some((s) => s.timeMs < from && readingOf(s, 'north', 'P3.RUN') === 1)).toBe(true);
    expect(tankOf(samples.at(-1) as SimulationSample, 'north', 'T2').levelM).toBe(0);
  });

  it('pump-fail with a standby pump: the policy switches to the other pump and the tank stays supplied', () => {
    const samples = collect(MONDAY, at(MONDAY, 4 * DAY), [
      { kind: 'pump-fail', client: 'north', pump: 'P1', from },
    ]);
    const during = samples.filter((s) => s.timeMs >= from);
    expect(during.every((s) => readingOf(s, 'north', 'P1.RUN') === 0)).toBe(true);
    expect(during.filter((s) => readingOf(s, 'north', 'P2.RUN') === 1).length).toBeGreaterThan(
      during.length / 5,
    );
    expect(Math.min(...during.map((s) => tankOf(s, 'north', 'T1').levelM))).toBeGreaterThan(0.5);
  });

  it('bad-rows: each file carries the malformed rows asked for, which the intake quarantines', () => {
    const files = [
      ...simulateFiles(MONDAY, at(MONDAY, 2 * HOUR), {
        seed: 3,
        clients: ['north'],
        faults: [{ kind: 'bad-rows', client: 'north', count: 4, from: at(MONDAY, HOUR) }],
      }),
    ];
    const reasons = new Set<string>();
    for (const file of files) {
      const parsed = parseCsvFile(Buffer.from(file.content), 'north');
      if (!parsed.ok) throw new Error(parsed.message);
      const expected = file.periodStartMs >= at(MONDAY, HOUR) ? 4 : 0;
      expect(parsed.quarantined, file.name).toHaveLength(expected);
      expect(parsed.readings).toHaveLength(105);
      for (const q of parsed.quarantined) reasons.add(q.reason);
    }
    expect(reasons.size).toBeGreaterThanOrEqual(5);
  });

  it('parses the command-line form and refuses typos', () => {
    expect(parseFault('leak,client=north,tank=T1,from=2026-01-05T06:00:00Z,rate=30')).toEqual({
      kind: 'leak',
      client: 'north',
      tank: 'T1',
      from: '2026-01-05T06:00:00Z',
      rateM3h: 30,
    });
    expect(parseFault('missing-feed,client=south')).toEqual({ kind: 'missing-feed', client: 'south' });
    expect(parseFault('bad-rows,client=south,count=5')).toMatchObject({ count: 5 });
    expect(() => parseFault('flood,client=north')).toThrow(/unknown fault/);
    expect(() => parseFault('leak,client=north')).toThrow(/tank= is required/);
    expect(() => parseFault('pump-fail,client=north,pump=P1,colour=red')).toThrow(/unknown key/);
    expect(() => parseFault('leak,client=north,tank=T1,from=yesterday')).toThrow(/bad fault time/);
    expect(() => [
      ...simulate(MONDAY, at(MONDAY, HOUR), { faults: [{ kind: 'leak', client: 'north', tank: 'T9' }] }),
    ]).toThrow(/unknown tank north\/T9/);
  });
});

describe('CSV files', () => {
  it('are well formed: header, six columns, known tags with their units, times inside the period', () => {
    const files = [...simulateFiles(MONDAY, at(MONDAY, HOUR), { seed: 5 })];
    expect(files.map((f) => f.name).slice(0, 2)).toEqual([
      'north_20260105T000000Z.csv',
      'south_20260105T000000Z.csv',
    ]);
    for (const file of files) {
      expect(file.name).toBe(csvFileName(file.client, file.periodStartMs));
      const lines = file.content.split('\n');
      expect(lines[0]).toBe(CSV_COLUMNS.join(','));
      expect(file.content.endsWith('\n')).toBe(true);
      const rows = csvRows(file.content);
      const network = DEFAULT_NETWORK.find((n) => n.client === file.client);
      const perSample = (network?.tanks.length ?? 0) * 3 + (network?.pumps.length ?? 0) * 3;
      expect(rows).toHaveLength(perSample * 5);
      for (const row of rows) {
        expect(Object.keys(row)).toEqual([...CSV_COLUMNS]);
        const ts = Date.parse(row.timestamp as string);
        expect(row.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(ts).toBeGreaterThanOrEqual(file.periodStartMs);
        expect(ts).toBeLessThan(file.periodStartMs + 300_000);
        expect(row.site).toBe(file.client);
        const tag = parseTag(row.tag as string);
        expect(tag, row.tag).toBeDefined();
        expect(row.unit).toBe(UNIT_OF_KIND[tag?.kind ?? 'level']);
        expect(Number.isFinite(Number(row.value))).toBe(true);
        expect(row.quality).toBe('GOOD');
      }
    }
  });

  it('writeFileAtomic leaves no .tmp behind', () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, 'a.csv'), 'x\n');
    expect(readdirSync(dir)).toEqual(['a.csv']);
  });

  it('startSimulator writes files atomically, accelerated, and exposes the truth', async () => {
    const dir = tempDir();
    const seen = new Map<string, string>();
    const simulator = startSimulator({
      dir,
      accelerate: 3000, // 5 simulated minutes every 0.1 s
      start: '2026-01-05T06:00:00Z',
      seed: 11,
      clients: ['north'],
    });
    // A reader as eager as the intake: every file it can see must be complete.
    const deadline = Date.now() + 1500;
    while (Date.now() < deadline) {
      let names: string[] = [];
      try {
        names = readdirSync(join(dir, 'north'));
      } catch {
        // not created yet
      }
      for (const name of names) {
        if (name.endsWith('.tmp') || seen.has(name)) continue;
        seen.set(name, readFileSync(join(dir, 'north', name), 'utf8'));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const truth = simulator.truth();
    await simulator.stop();
    expect(seen.size).toBeGreaterThanOrEqual(5);
    for (const [name, content] of seen) {
      expect(content.endsWith('\n'), name).toBe(true);
      expect(csvRows(content), name).toHaveLength(105);
    }
    expect(truth.filesWritten).toBeGreaterThanOrEqual(seen.size);
    expect(truth.time.getTime()).toBeGreaterThan(Date.parse('2026-01-05T06:20:00Z'));
    expect(Object.keys(truth.clients)).toEqual(['north']);
    const t1 = truth.clients.north?.tanks.find((t) => t.id === 'T1');
    expect(t1?.levelM).toBeGreaterThan(1);
    expect(truth.clients.north?.pumps.map((p) => p.id)).toEqual(['P1', 'P2', 'P3', 'P4']);
    // Stopped: the clock no longer moves.
    const stoppedAt = simulator.now().getTime();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(simulator.now().getTime()).toBe(stoppedAt);
    // And the accelerated run wrote exactly what simulateFiles() computes for the same seed.
    const expected = [
      ...simulateFiles('2026-01-05T06:00:00Z', Date.parse('2026-01-05T09:00:00Z'), {
        seed: 11,
        clients: ['north'],
      }),
    ];
    for (const [name, content] of seen) expect(content).toBe(expected.find((f) => f.name === name)?.content);
  });

  it('missing-feed in real time: no file at all for that client', async () => {
    const dir = tempDir();
    const simulator = startSimulator({
      dir,
      accelerate: 6000,
      start: '2026-01-05T06:00:00Z',
      faults: [{ kind: 'missing-feed', client: 'south' }],
    });
    await waitFor(() => simulator.truth().filesWritten >= 4, 5_000, 'north files');
    await simulator.stop();
    expect(readdirSync(join(dir, 'north')).length).toBeGreaterThanOrEqual(4);
    let south: string[] = [];
    try {
      south = readdirSync(join(dir, 'south'));
    } catch {
      // never created: fine
    }
    expect(south).toEqual([]);
  });
});
