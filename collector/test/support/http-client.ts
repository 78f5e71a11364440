// A bare node:http client for requests the SDK exporters never send (wrong types, oversized or
// malformed bodies, chunked uploads).
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: http.OutgoingHttpHeaders;
  /** A Buffer is sent with Content-Length; an array of chunks is sent chunked, without it. */
  body?: Buffer | string | Buffer[];
}

export function request(
  port: number,
  { method = 'POST', path, headers = {}, body }: RawRequest,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is written: that is not a failure
    // of the request as long as a response arrived.
    req.on('error', (error) => {
      if (!req.writableFinished && (error as NodeJS.ErrnoException).code === 'EPIPE') return;
      reject(error);
    });
    if (Array.isArray(body)) {
      const writeNext = (i: number): void => {
        if (i === body.length || req.destroyed) {
          req.end();
          return;
        }
        if (req.write(body[i])) setImmediate(() => writeNext(i + 1));
        else req.once('drain', () => writeNext(i + 1));
      };
      writeNext(0);
    } else {
      req.end(body);
    }
  });
}

/**
 * POSTs every body at once, so that they arrive together: each request is sent but for its last byte,
 * and once all of them have been handed to the sockets, the last bytes follow. A server then finds every
 * body complete at about the same moment, whatever the scheduling of this process (the overload test
 * needs its exports to be in the collector's queue together, not one after the other).
 */
export async function postTogether(
  port: number,
  path: string,
  headers: http.OutgoingHttpHeaders,
  bodies: Buffer[],
): Promise<RawResponse[]> {
  const requests = bodies.map((body) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: { ...headers, 'content-length': body.length },
      agent: false,
    });
    const response = new Promise<RawResponse>((resolve, reject) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    const written = new Promise<void>((resolve) =>
      req.write(body.subarray(0, body.length - 1), () => resolve()),
    );
    return { req, body, response, written };
  });
  await Promise.all(requests.map((r) => r.written));
  for (const { req, body } of requests) req.end(body.subarray(body.length - 1));
  return Promise.all(requests.map((r) => r.response));
}
