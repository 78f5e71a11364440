// A small GitLab REST client for listing: fetch, offset and keyset pagination (following `link: rel="next"`),
// and retries: a 429 waits for Retry-After (or RateLimit-Reset), 5xx and timeouts back off exponentially, up to
// `maxRetries`; `RateLimit-Remaining: 0` pauses until `RateLimit-Reset` before the next request.
//
// Why not @gitbeaker/rest for this: its request handler (v43) retries 429 and 502 only, ten times on a fixed
// 2^i·250 ms schedule that ignores Retry-After and RateLimit-*, does not retry 500/503/504 or timeouts, and
// `.all()` buffers every page in memory before returning, so a page cannot be committed with its cursor as it
// arrives (resumability). The listing below does exactly that; it speaks the same API.

export class GitlabError extends Error {
  readonly status: number | undefined;
  readonly kind: 'url' | 'token' | 'scope' | 'not-found' | 'rate-limit' | 'server' | 'timeout' | 'other';
  constructor(message: string, kind: GitlabError['kind'], status?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

export interface ClientOptions {
  url: string;
  token: string;
  perPage?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Base of the exponential backoff, ms. */
  backoffMs?: number;
  /** Longest wait the client accepts for a Retry-After, ms. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: {
    path: string;
    status: number | 'timeout' | 'network';
    waitMs: number;
    attempt: number;
  }) => void;
}

export type Params = Record<string, string | number | string[] | undefined>;

export interface Page<T> {
  items: T[];
  nextUrl: string | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class GitlabClient {
  readonly base: string;
  readonly perPage: number;
  readonly #token: string;
  readonly #opts: ClientOptions;
  #pauseUntil = 0;
  /** Whether GitLab has answered once: before that, a connection error means a wrong URL (no retries). */
  #reached = false;
  requestCount = 0;

  constructor(options: ClientOptions) {
    this.#opts = options;
    this.#token = options.token;
    this.base = `${options.url.replace(/\/+$/, '')}/api/v4`;
    this.perPage = Math.min(100, options.perPage ?? 100);
  }

  /** The message with the token removed, wherever it appears. */
  redact(text: string): string {
    return this.#token ? text.split(this.#token).join('[REDACTED]') : text;
  }

  url(path: string, params: Params = {}): string {
    const u = new URL(`${this.base}/${path.replace(/^\//, '')}`);
    for (const [k, v] of Object.entries(params)) {
      if (Array.isArray(v)) for (const x of v) u.searchParams.append(k, x);
      else if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    }
    return u.toString();
  }

  async get<T>(path: string, params: Params = {}): Promise<T> {
    return (await this.#request<T>(this.url(path, params))).body;
  }

  /** One page; `nextUrl` from the `link` header (offset or keyset) or `x-next-page`. */
  async page<T>(pathOrUrl: string, params: Params = {}): Promise<Page<T>> {
    const url = pathOrUrl.startsWith('http')
      ? pathOrUrl
      : this.url(pathOrUrl, { per_page: this.perPage, ...params });
    const { body, headers } = await this.#request<T[]>(url);
    const link = headers.get('link') ?? '';
    let nextUrl = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
    const xNext = headers.get('x-next-page');
    if (!nextUrl && xNext) {
      const u = new URL(url);
      u.searchParams.set('page', xNext);
      nextUrl = u.toString();
    }
    if (nextUrl && new URL(nextUrl).origin !== new URL(this.base).origin) {
      // Behind a proxy GitLab may advertise its external URL: keep our origin.
      const n = new URL(nextUrl);
      const b = new URL(this.base);
      n.protocol = b.protocol;
      n.host = b.host;
      nextUrl = n.toString();
    }
    return { items: body, nextUrl };
  }

  /** Every page, one after the other. */
  async *pages<T>(path: string, params: Params = {}): AsyncGenerator<T[]> {
    let next: string | undefined = this.url(path, { per_page: this.perPage, ...params });
    while (next) {
      const page: Page<T> = await this.page<T>(next);
      yield page.items;
      next = page.nextUrl;
    }
  }

  async all<T>(path: string, params: Params = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const items of this.pages<T>(path, params)) out.push(...items);
    return out;
  }

  async #request<T>(url: string): Promise<{ body: T; headers: Headers }> {
    const sleep = this.#opts.sleep ?? defaultSleep;
    const maxRetries = this.#opts.maxRetries ?? 5;
    const backoff = this.#opts.backoffMs ?? 500;
    const maxWait = this.#opts.maxWaitMs ?? 120_000;
    const path = new URL(url).pathname;
    for (let attempt = 0; ; attempt++) {
      const pause = this.#pauseUntil - Date.now();
      if (pause > 0) await sleep(Math.min(pause, maxWait));
      let response: Response;
      try {
        this.requestCount++;
        response = await fetch(url, {
          headers: { 'PRIVATE-TOKEN': this.#token, accept: 'application/json' },
          signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 30_000),
        });
      } catch (error) {
        const timeout = (error as Error).name === 'TimeoutError';
        if (attempt >= maxRetries || (!timeout && !this.#reached)) {
          if (timeout) throw new GitlabError(`GitLab did not answer in time: GET ${path}`, 'timeout');
          const cause = (error as { cause?: { code?: string; message?: string } }).cause;
          throw new GitlabError(
            this.redact(
              `cannot reach GitLab at ${new URL(this.base).origin} (${cause?.code ?? cause?.message ?? (error as Error).message}): check gitlab.url`,
            ),
            'url',
          );
        }
        const waitMs = backoff * 2 ** attempt;
        this.#opts.onRetry?.({ path, status: timeout ? 'timeout' : 'network', waitMs, attempt });
        await sleep(waitMs);
        continue;
      }
      this.#reached = true;
      const remaining = response.headers.get('ratelimit-remaining');
      const reset = Number(response.headers.get('ratelimit-reset'));
      if (remaining === '0' && reset) this.#pauseUntil = reset * 1000;
      if (response.ok) {
        const text = await response.text();
        try {
          return { body: JSON.parse(text) as T, headers: response.headers };
        } catch {
          throw new GitlabError(
            `not a GitLab API answer from GET ${path}: check gitlab.url`,
            'url',
            response.status,
          );
        }
      }
      const status = response.status;
      const retryable = status === 429 || status >= 500;
      if (!retryable || attempt >= maxRetries) {
        const text = this.redact((await response.text().catch(() => '')).slice(0, 200));
        throw this.#error(status, path, text, attempt);
      }
      await response.body?.cancel();
      let waitMs = backoff * 2 ** attempt;
      if (status === 429) {
        const retryAfter = response.headers.get('retry-after');
        if (retryAfter && /^\d+$/.test(retryAfter)) waitMs = Number(retryAfter) * 1000;
        else if (retryAfter && !Number.isNaN(Date.parse(retryAfter)))
          waitMs = Date.parse(retryAfter) - Date.now();
        else if (reset) waitMs = reset * 1000 - Date.now();
        waitMs = Math.min(Math.max(waitMs, 0), maxWait);
      }
      this.#opts.onRetry?.({ path, status, waitMs, attempt });
      await sleep(waitMs);
    }
  }

  #error(status: number, path: string, text: string, attempt: number): GitlabError {
    if (status === 401)
      return new GitlabError(
        'GitLab refused the token (401 Unauthorized): bad or expired token',
        'token',
        401,
      );
    if (status === 403)
      return new GitlabError(
        `the token lacks a scope or the access for GET ${path} (403 Forbidden; needs read_api): ${text}`,
        'scope',
        403,
      );
    if (status === 404) return new GitlabError(`not found (404): GET ${path}`, 'not-found', 404);
    if (status === 429)
      return new GitlabError(`rate limited (429) after ${attempt} retries: GET ${path}`, 'rate-limit', 429);
    if (status >= 500)
      return new GitlabError(
        `GitLab server error ${status} after ${attempt} retries: GET ${path}`,
        'server',
        status,
      );
    return new GitlabError(`GitLab answered ${status} to GET ${path}: ${text}`, 'other', status);
  }
}
