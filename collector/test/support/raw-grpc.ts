// A bare grpc-js client for the OTLP trace service: bytes in, status out, as the OTel exporters do.
import * as grpc from '@grpc/grpc-js';

const identity = (buffer: Buffer) => buffer;

export interface RawTraceClient {
  /** Resolves with null on success, the ServiceError otherwise (never rejects). */
  export(body: Uint8Array): Promise<grpc.ServiceError | null>;
  close(): void;
}

/** `ownConnection`: do not share grpc-js' process-wide subchannel (TCP connection) with other clients. */
export function rawTraceClient(port: number, { ownConnection = false } = {}): RawTraceClient {
  const Client = grpc.makeGenericClientConstructor(
    {
      Export: {
        path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    'RawTraceClient',
  );
  const options = ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {};
  const client = new Client(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
    options,
  ) as unknown as grpc.Client & {
    Export(body: Buffer, callback: (error: grpc.ServiceError | null) => void): void;
  };
  return {
    export: (body) => new Promise((resolve) => client.Export(Buffer.from(body), (error) => resolve(error))),
    close: () => client.close(),
  };
}
