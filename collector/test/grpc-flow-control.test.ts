// The OTLP/gRPC receiver's HTTP/2 receive windows, as a plain HTTP/2 client sees them: the stream window in
// the server's SETTINGS, the connection window after its first WINDOW_UPDATE. If this fails after a grpc-js
// upgrade, the private field grpc-flow-control.ts goes through is gone: check whether grpc-js now reads
// `grpc-node.flow_control_window` on servers itself (grpc/grpc-node#3058).
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_WINDOW_BYTES, STREAM_WINDOW_BYTES } from '../src/receiver/grpc-flow-control.ts';
import { InMemorySink, type RunningReceiver, startOtlpGrpcReceiver } from '../src/receiver/index.ts';

describe('the OTLP/gRPC receiver', () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startOtlpGrpcReceiver({ host: '127.0.0.1', port: 0, sink: new InMemorySink() });
  });
  afterAll(() => receiver.close());

  it('lets a client send a whole batch before waiting for flow control', async () => {
    const client = http2.connect(`http://127.0.0.1:${receiver.port}`);
    try {
      let streamWindow = 0;
      client.on('remoteSettings', (settings) => {
        streamWindow = settings.initialWindowSize ?? streamWindow;
      });
      const deadline = Date.now() + 5_000;
      while (
        (streamWindow !== STREAM_WINDOW_BYTES ||
          (client.state.remoteWindowSize ?? 0) < CONNECTION_WINDOW_BYTES) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(streamWindow).toBe(STREAM_WINDOW_BYTES);
      expect(client.state.remoteWindowSize).toBeGreaterThanOrEqual(CONNECTION_WINDOW_BYTES);
    } finally {
      client.close();
    }
  });
});
