// A failed delivery to a receiver's integration (Slack, a webhook), and how the outbox treats it:
// - permanent: retrying cannot help (bad channel, bad token, a 4xx from a webhook): dead-letter;
// - rate_limited: HTTP 429 (or Slack's ok:false "ratelimited"): wait Retry-After, then again;
// - transient: 5xx, network errors before the request went out: back off and retry;
// - ambiguous: the message may have been delivered (a timeout after sending): the integration decides
//   whether it can look before sending again.

export type DeliveryErrorKind = 'permanent' | 'rate_limited' | 'transient' | 'ambiguous';

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly kind: DeliveryErrorKind;
  /** The integration's error code (Slack's `channel_not_found`), or `http_503`, `timeout`, `network`. */
  readonly code: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: DeliveryErrorKind,
    code: string,
    message: string,
    extra: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
  }
}
