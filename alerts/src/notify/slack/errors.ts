// How a failed Slack call is treated (research: alerting-anchors.md §7, §0.7):
// - permanent: retrying cannot help (bad channel, archived, bad token, payload refused): dead-letter;
// - rate_limited: HTTP 429 (or ok:false "ratelimited"): wait Retry-After, then again;
// - transient: 5xx, network errors before the request went out: back off and retry;
// - ambiguous: the message may have been posted (a timeout after sending, internal_error, fatal_error:
//   "it's possible some aspect of the operation succeeded"): in bot mode look for it before re-posting.

import { DeliveryError, type DeliveryErrorKind } from '../delivery-error.ts';

export type SlackErrorKind = DeliveryErrorKind;

/** A failed Slack call (the kinds are DeliveryError's; Slack's classification is below). */
export class SlackDeliveryError extends DeliveryError {
  override name = 'SlackDeliveryError';
}

/** Web API `ok:false` errors that retrying cannot fix. */
export const PERMANENT_WEB_API_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'msg_blocks_too_long',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'no_text',
  'too_many_attachments',
  'invalid_arguments',
  'invalid_arg_name',
  'invalid_charset',
  'invalid_form_data',
  'invalid_post_type',
  'missing_post_type',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'ekm_access_denied',
  'team_access_not_granted',
  'channel_is_archived',
]);

/** May have succeeded. */
export const AMBIGUOUS_WEB_API_ERRORS: ReadonlySet<string> = new Set(['internal_error', 'fatal_error']);

export const TRANSIENT_WEB_API_ERRORS: ReadonlySet<string> = new Set([
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export function classifyWebApiError(code: string): SlackErrorKind {
  if (code === 'ratelimited' || code === 'rate_limited') return 'rate_limited';
  if (AMBIGUOUS_WEB_API_ERRORS.has(code)) return 'ambiguous';
  if (TRANSIENT_WEB_API_ERRORS.has(code)) return 'transient';
  if (PERMANENT_WEB_API_ERRORS.has(code)) return 'permanent';
  // Unknown codes: retried a bounded number of times by the outbox, then dead-lettered.
  return 'transient';
}

/**
 * An Incoming Webhook's answer (text bodies): 400 invalid_payload / user_not_found / no_text, 403
 * action_prohibited / invalid_token, 404 channel_not_found / no_service, 410 channel_is_archived are
 * permanent; 429 is rate limiting; 5xx (500 rollup_error) transient.
 */
export function classifyWebhookStatus(status: number, body: string): SlackErrorKind {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  if (/^\s*invalid_token\b/.test(body)) return 'permanent';
  if (status === 408) return 'transient';
  return 'permanent';
}

/** Retry-After (seconds, or an HTTP date) and the body's `retry_after`, in ms; the larger wins. */
export function retryAfterMs(header: string | null, body: unknown, nowMs = Date.now()): number | undefined {
  let ms: number | undefined;
  if (header) {
    const s = Number(header.trim());
    if (Number.isFinite(s) && s >= 0) ms = s * 1000;
    else {
      const d = Date.parse(header);
      if (Number.isFinite(d)) ms = Math.max(0, d - nowMs);
    }
  }
  if (body && typeof body === 'object' && 'retry_after' in body) {
    const s = Number((body as { retry_after: unknown }).retry_after);
    if (Number.isFinite(s) && s >= 0) ms = Math.max(ms ?? 0, s * 1000);
  }
  return ms;
}
