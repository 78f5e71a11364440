// The benchmark's OTLP receiver, in a process of its own: decoding the exports must not block
// the load generator's event loop, or it would be counted as the service's latency.
import { InMemorySink, startOtlpGrpcReceiver } from '@dss/collector/receiver';

const sink = new InMemorySink({ keep: false });
const receiver = await startOtlpGrpcReceiver({ host: '127.0.0.1', port: 0, sink });
process.stdout.write(`LISTENING ${receiver.port}\n`);
process.once('SIGTERM', () => {
  const { spans, dataPoints, logRecords } = sink.counts();
  process.stderr.write(`received ${spans} spans, ${dataPoints} metric points, ${logRecords} log records\n`);
  void receiver.close().then(() => process.exit(0));
});
