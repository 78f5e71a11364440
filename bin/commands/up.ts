// `dss-obs up` (what `npm start` runs): the platform on one machine. For now that is the collector's
// OTLP receiver with a summary of what arrives; the store, the query APIs, the services, alerts and
// DORA join it as their issues land.

import { SummarySink } from '@dss/collector/debug-sink';
import { startOtlpGrpcReceiver, startOtlpHttpReceiver } from '@dss/collector/receiver';
import type { Command } from 'commander';

interface UpOptions {
  host: string;
  grpcPort: string;
  httpPort: string;
  summaryInterval: string;
}

function port(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description(
      'run the platform on this machine (today: the OTLP receiver, printing what each service sends)',
    )
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--grpc-port <port>', 'OTLP/gRPC port', '4317')
    .option('--http-port <port>', 'OTLP/HTTP port', '4318')
    .option('--summary-interval <seconds>', 'how often to print what arrived', '10')
    .action(async (options: UpOptions) => {
      const sink = new SummarySink();
      const grpc = await startOtlpGrpcReceiver({
        host: options.host,
        port: port(options.grpcPort, '--grpc-port'),
        sink,
      });
      const http = await startOtlpHttpReceiver({
        host: options.host,
        port: port(options.httpPort, '--http-port'),
        sink,
      });
      console.log('dss-obs up: the DSS Observability Platform is running');
      console.log(
        `  OTLP/gRPC  http://${options.host}:${grpc.port}   (OTEL_EXPORTER_OTLP_ENDPOINT for gRPC)`,
      );
      console.log(`  OTLP/HTTP  http://${options.host}:${http.port}   (/v1/traces, /v1/metrics, /v1/logs)`);
      console.log(
        '  Storage and the Grafana query APIs (Tempo, Prometheus, Loki on :3200) are not built yet.',
      );
      console.log('  Ctrl-C to stop.');

      const seconds = Number(options.summaryInterval);
      const timer = setInterval(
        () => {
          for (const [service, t] of sink.drain()) {
            console.log(`  ${service}: ${t.spans} spans, ${t.points} metric points, ${t.logs} log records`);
          }
        },
        (Number.isFinite(seconds) && seconds > 0 ? seconds : 10) * 1000,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      clearInterval(timer);
      console.log('dss-obs up: stopping');
      await Promise.all([grpc.close(), http.close()]);
    });
}
