// A collector in a process of its own, for the tests that need one: the kill -9 test (the process dies
// without warning) and the overload test (senders must run while the collector is busy); the ingest
// benchmark (bench/collector) runs it too.
//   node collector-process.ts <db file> [queue limit bytes]
// Prints `READY {"grpcPort":…,"httpPort":…}` once listening. On SIGTERM it closes cleanly and prints
// `STOPPED {"peakQueuedBytes":…,"maxRssBytes":…}`.
import { startCollector } from '../../src/collector/index.ts';

const [dbPath, queueLimit] = process.argv.slice(2);
if (!dbPath) {
  process.stderr.write('usage: collector-process.ts <db file> [queue limit bytes]\n');
  process.exit(2);
}
const collector = await startCollector({
  dbPath,
  grpcPort: 0,
  httpPort: 0,
  ...(queueLimit ? { queueLimitBytes: Number(queueLimit) } : {}),
  // Refusals under overload are expected; anything else is worth seeing in the test output.
  onError: (error) => process.stderr.write(`collector error: ${String(error)}\n`),
});
process.once('SIGTERM', () => {
  void collector.close().then(() => {
    const stats = {
      peakQueuedBytes: collector.sink.peakQueuedBytes,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    process.stdout.write(`STOPPED ${JSON.stringify(stats)}\n`);
    process.exit(0);
  });
});
// After the handler: until a listener exists, SIGTERM's default action kills the process outright.
process.stdout.write(
  `READY ${JSON.stringify({ grpcPort: collector.grpcPort, httpPort: collector.httpPort })}\n`,
);
