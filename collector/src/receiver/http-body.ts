// Reads an HTTP request body into memory without ever holding more than the limit: the raw bytes are
// counted as they stream in, and gzip output is capped by zlib itself (maxOutputLength stops the
// inflater as soon as it passes the limit, so a gzip bomb costs at most `maxBytes`).
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(maxBytes: number, what = 'request body') {
    super(`${what} exceeds the limit of ${maxBytes} bytes`);
  }
}

/** The body could not be decompressed (HTTP 400). */
export class BodyEncodingError extends Error {
  override name = 'BodyEncodingError';
}

/** The client went away before the body ended: nobody is left to answer. */
export class ClientGoneError extends Error {
  override name = 'ClientGoneError';
}

export type ContentCoding = 'identity' | 'gzip';

export async function readRequestBody(
  request: IncomingMessage,
  coding: ContentCoding,
  maxBytes: number,
): Promise<Buffer> {
  const raw = await readLimited(request, maxBytes);
  if (coding === 'identity') return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyTooLargeError(maxBytes, 'decompressed request body');
    }
    throw new BodyEncodingError(`cannot gunzip the request body: ${(error as Error).message}`);
  }
}

function readLimited(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      // Without a 'data' listener the stream keeps flowing and whatever still arrives after an
      // error is discarded rather than buffered.
      request.off('data', onData);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) settle(new BodyTooLargeError(maxBytes));
      else chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => settle(undefined));
    const gone = () => settle(new ClientGoneError('the client closed the connection mid-body'));
    request.once('error', gone);
    request.once('close', gone);
  });
}
