// Posting to a Slack Incoming Webhook: 429 waits Retry-After (seconds; capped), 5xx and network errors back
// off exponentially, other 4xx fail at once with Slack's answer (`invalid_payload`, `no_service`…). The
// webhook URL is a secret: it is never part of an error or a log line.

export interface PostOptions {
  maxRetries?: number;
  /** First backoff for 5xx and network errors, doubled each time. Default 1 s. */
  backoffMs?: number;
  /** The longest Retry-After honoured. Default 5 minutes. */
  maxRetryAfterMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class SlackError extends Error {}

export interface PostResult {
  attempts: number;
  waitedMs: number;
}

export async function postToSlack(
  webhookUrl: string,
  payload: object,
  o: PostOptions = {},
): Promise<PostResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxRetries = o.maxRetries ?? 5;
  const body = JSON.stringify(payload);
  let waitedMs = 0;
  for (let attempt = 0; ; attempt++) {
    let status: number;
    let text = '';
    let retryAfter: string | null = null;
    try {
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = (await res.text().catch(() => '')).slice(0, 200);
    } catch (error) {
      // The message of a fetch error may carry the URL: only its kind is kept.
      const kind =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.name) : 'error';
      if (attempt >= maxRetries)
        throw new SlackError(
          `Slack webhook unreachable after ${attempt + 1} attempts (${kind.replace(webhookUrl, '<webhook>')})`,
        );
      const wait = (o.backoffMs ?? 1000) * 2 ** attempt;
      waitedMs += wait;
      await sleep(wait);
      continue;
    }
    if (status >= 200 && status < 300) return { attempts: attempt + 1, waitedMs };
    const retryable = status === 429 || status >= 500;
    if (!retryable) throw new SlackError(`Slack refused the digest (${status}): ${text || 'no answer'}`);
    if (attempt >= maxRetries)
      throw new SlackError(`Slack webhook failed after ${attempt + 1} attempts (last ${status}: ${text})`);
    let wait = (o.backoffMs ?? 1000) * 2 ** attempt;
    if (status === 429) {
      const seconds = Number(retryAfter);
      const date = retryAfter ? Date.parse(retryAfter) : Number.NaN;
      wait =
        Number.isFinite(seconds) && retryAfter !== null && retryAfter !== ''
          ? seconds * 1000
          : Number.isNaN(date)
            ? 1000
            : Math.max(0, date - Date.now());
      wait = Math.min(wait, o.maxRetryAfterMs ?? 300_000);
    }
    waitedMs += wait;
    await sleep(wait);
  }
}
