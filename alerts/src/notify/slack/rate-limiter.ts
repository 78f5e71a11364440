// A token bucket per key (a Slack channel), as a generic cell rate algorithm: `ratePerSecond` messages a
// second on average, `burst` at once after a quiet period. Every send to a channel goes through the same
// limiter instance, whichever receiver or row it comes from, and a 429's Retry-After blocks the whole
// channel (`block`), not only the message that got it. Slack allows chat.postMessage about 1 message per
// second per channel with short bursts, and Incoming Webhooks 1/s (alerting-anchors.md §7).

export interface RateLimiterOptions {
  ratePerSecond?: number;
  burst?: number;
  now?: () => number;
}

interface Cell {
  /** Theoretical arrival time of the next message at the steady rate. */
  tat: number;
  blockedUntil: number;
}

export class RateLimiter {
  readonly #intervalMs: number;
  readonly #toleranceMs: number;
  readonly #now: () => number;
  readonly #cells = new Map<string, Cell>();

  constructor(options: RateLimiterOptions = {}) {
    const rate = options.ratePerSecond ?? 1;
    const burst = Math.max(1, Math.floor(options.burst ?? 2));
    this.#intervalMs = 1000 / rate;
    this.#toleranceMs = (burst - 1) * this.#intervalMs;
    this.#now = options.now ?? Date.now;
  }

  /** Reserves the next slot for `key` and returns how long to wait for it (0: now). */
  reserve(key: string): number {
    const now = this.#now();
    let cell = this.#cells.get(key);
    if (!cell) {
      cell = { tat: now, blockedUntil: 0 };
      this.#cells.set(key, cell);
    }
    const start = Math.max(cell.tat, now, cell.blockedUntil);
    // Past a block, the bucket starts empty again: one message, then the steady rate.
    const earliest = cell.blockedUntil > now ? start : start - this.#toleranceMs;
    const at = Math.max(now, earliest);
    cell.tat = Math.max(start, at) + this.#intervalMs;
    if (this.#cells.size > 10_000) this.#gc(now);
    return at - now;
  }

  /** Waits for the next slot of `key`. */
  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.reserve(key);
      if (wait > 0) await sleep(wait, signal);
      // A 429 seen by another sender while this one waited: wait for the block too.
      if ((this.#cells.get(key)?.blockedUntil ?? 0) <= this.#now()) return;
    }
  }

  /** After a 429: nothing goes to `key` for `ms`. */
  block(key: string, ms: number): void {
    const now = this.#now();
    const cell = this.#cells.get(key) ?? { tat: now, blockedUntil: 0 };
    cell.blockedUntil = Math.max(cell.blockedUntil, now + ms);
    cell.tat = Math.max(cell.tat, cell.blockedUntil);
    this.#cells.set(key, cell);
  }

  #gc(now: number): void {
    for (const [k, c] of this.#cells) if (c.tat < now && c.blockedUntil < now) this.#cells.delete(k);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
