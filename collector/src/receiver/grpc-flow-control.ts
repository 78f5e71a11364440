// HTTP/2 receive windows of the OTLP/gRPC receiver. Node's default is 64 KiB for a connection and for each
// stream: a client exporting a 200 KB batch sends 64 KiB, then waits for the server's WINDOW_UPDATE, and
// the server sends it only when its event loop comes round between commits. One connection then carried
// 9,700 spans/s where HTTP/1.1 carried 18,600 (`npm run bench -- ingest`, same run); with the windows
// below, 16,900.
//
// grpc-js reads `grpc-node.flow_control_window` on the client only; grpc/grpc-node#3058 makes its server
// read it too. Until a release has that, the windows are set here on each new HTTP/2 session, through the
// grpc-js server's http2 servers (a private field). When a grpc-js version no longer has that field,
// nothing is changed and the receiver works with the default windows, only slower; the receiver's test
// says so.
import type http2 from 'node:http2';
import type * as grpc from '@grpc/grpc-js';

/** What a connection may have in flight: about 40 batches of 512 spans. */
export const CONNECTION_WINDOW_BYTES = 8 * 1024 * 1024;
/** What one export call may have in flight: a batch of 512 spans whole. */
export const STREAM_WINDOW_BYTES = 1024 * 1024;

/** Sets the windows on every connection `server` accepts from now on, when its http2 servers can be reached. */
export function widenReceiveWindows(server: grpc.Server): void {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) return;
  for (const http2Server of servers.keys() as Iterable<http2.Http2Server>) {
    if (typeof http2Server?.on !== 'function') return;
    http2Server.on('session', (session: http2.ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
        session.settings({ initialWindowSize: STREAM_WINDOW_BYTES });
      } catch {
        // The session closed already: nothing to widen.
      }
    });
  }
}
