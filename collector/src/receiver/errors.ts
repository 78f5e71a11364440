/** The request body cannot be decoded as the OTLP message it claims to be (HTTP 400, gRPC INVALID_ARGUMENT). */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}
