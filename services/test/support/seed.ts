// Fills an intake database with simulated readings, as the intake would have stored them (one
// `files` entry per simulated day, the same rows): weeks of history in a few seconds.
import { createHash } from 'node:crypto';
import { IntakeStore } from '../../src/intake/store.ts';
import type { Reading } from '../../src/intake/validate.ts';
import { parseTag } from '../../src/scada-csv/format.ts';
import { type SimulationOptions, simulate } from '../../src/simulator/index.ts';

export interface SeedOptions extends SimulationOptions {
  from: string;
  to: string;
}

/** Returns the number of readings stored per client. */
export function seedIntakeDb(path: string, options: SeedOptions): Record<string, number> {
  const store = new IntakeStore(path);
  const counts: Record<string, number> = {};
  const pending = new Map<string, Reading[]>();
  let day = '';
  const flush = () => {
    for (const [client, readings] of pending) {
      if (readings.length === 0) continue;
      const name = `${client}_${day}.seed`;
      store.recordFile({
        name,
        size: readings.length,
        sha256: createHash('sha256').update(name).digest('hex'),
        client,
        status: 'processed',
        rows: readings.length,
        destination: name,
        readings,
        quarantined: [],
      });
      counts[client] = (counts[client] ?? 0) + readings.length;
    }
    pending.clear();
  };
  for (const sample of simulate(options.from, options.to, options)) {
    const sampleDay = new Date(sample.timeMs).toISOString().slice(0, 10);
    if (sampleDay !== day) {
      flush();
      day = sampleDay;
    }
    for (const [client, { readings }] of Object.entries(sample.clients)) {
      let list = pending.get(client);
      if (!list) {
        list = [];
        pending.set(client, list);
      }
      for (const r of readings) {
        const tag = parseTag(r.tag);
        if (!tag) continue;
        list.push({
          line: 0,
          tag: r.tag,
          kind: tag.kind,
          asset: tag.asset,
          timestampMs: r.timestampMs,
          value: r.value,
          quality: r.quality,
        });
      }
    }
  }
  flush();
  store.close();
  return counts;
}
