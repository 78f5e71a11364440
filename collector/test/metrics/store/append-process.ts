// A process that appends scrapes to a metrics store until it is killed, for the kill -9 test.
//   node append-process.ts <db file>
// Appends one batch of 100 series per loop turn (values: the scrape number) and compacts every 50
// scrapes; prints `ACK <n>` after the commit of scrape n.
import { MetricsStore } from '../../../src/store/metrics-store.ts';
import { openDatabase } from '../../../src/store/open-database.ts';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: append-process.ts <db file>');
const store = new MetricsStore(openDatabase(file).db, { compaction: { chunkSamples: 40, settleMs: 0 } });
const T0 = 1_760_000_000_000;
let n = 0;
const labels = Array.from({ length: 100 }, (_, i) => ({ __name__: 'kill_test', i: String(i) }));
const tick = () => {
  store.appendSync({
    tenant: '',
    samples: labels.map((l) => ({ labels: l, timestampMs: T0 + n * 1000, value: n })),
  });
  process.stdout.write(`ACK ${n}\n`);
  n++;
  if (n % 50 === 0) store.compactSync({ now: T0 + n * 1000 });
  setImmediate(tick);
};
tick();
