// The collector with its query server, in a process of its own, on an existing store (query.bench.ts, and
// alerts.bench.ts for the evaluator's load on the query server apart from the evaluator's own).
//   node query-server-process.ts <db file>
// Prints `READY {"queryPort":…}` once listening; on SIGUSR2 prints `CPU {"user":µs,"system":µs}`
// (process.cpuUsage()); on SIGTERM closes and prints `STOPPED {"maxRssBytes":…}`.
import { startCollector } from '../../collector/src/collector/index.ts';

const [dbPath] = process.argv.slice(2);
if (!dbPath) {
  process.stderr.write('usage: query-server-process.ts <db file>\n');
  process.exit(2);
}
const collector = await startCollector({
  dbPath,
  grpcPort: 0,
  httpPort: 0,
  queryPort: 0,
  onError: (error) => process.stderr.write(`collector error: ${String(error)}\n`),
});
process.on('SIGUSR2', () => {
  process.stdout.write(`CPU ${JSON.stringify(process.cpuUsage())}\n`);
});
process.once('SIGTERM', () => {
  void collector.close().then(() => {
    process.stdout.write(
      `STOPPED ${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
    );
    process.exit(0);
  });
});
process.stdout.write(`READY ${JSON.stringify({ queryPort: collector.queryPort })}\n`);
