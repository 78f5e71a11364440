// `dss-obs alerts silence add|list|expire`: silences through the Alertmanager API v2, so the same commands
// work against `dss-obs alerts serve` / `dss-obs up` (default http://127.0.0.1:3400) and a real Alertmanager
// (as amtool's `silence add|query|expire`).
import { userInfo } from 'node:os';
import { parseMatcher } from '../dispatch/matchers.ts';
import { parseModelDuration } from '../rules/durations.ts';
import { fromMatcher, type GettableSilence } from '../silence/silence.ts';
import { type CommandOutput, processOutput } from './output.ts';

export interface SilenceClientArgs {
  /** Base URL of the alerts API or an Alertmanager. */
  url: string;
  /** Bearer token (from $DSS_ALERTS_API_TOKEN). */
  token?: string;
}

export interface SilenceAddArgs extends SilenceClientArgs {
  matchers: string[];
  duration?: string;
  start?: string;
  end?: string;
  author?: string;
  comment?: string;
}

async function call(args: SilenceClientArgs, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = `${args.url.replace(/\/+$/, '')}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(args.token ? { authorization: `Bearer ${args.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new Error(
      `cannot reach the alerts API at ${args.url}: ${(error as Error).cause ?? (error as Error).message}`,
    );
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? '' : JSON.parse(text);
  } catch {
    // Keep the text as it is.
  }
  if (!res.ok)
    throw new Error(
      `${method} ${path}: HTTP ${res.status}: ${typeof parsed === 'string' ? parsed : text}`.trim(),
    );
  return parsed;
}

/** Creates a silence; prints its id. */
export async function silenceAddCommand(
  a: SilenceAddArgs,
  out: CommandOutput = processOutput,
): Promise<number> {
  if (a.matchers.length === 0) {
    out.stderr(
      'silence add: give at least one matcher, e.g. alertname=DSSTankLevelBelowMinimum dss_client=north\n',
    );
    return 2;
  }
  let matchers: ReturnType<typeof fromMatcher>[];
  try {
    matchers = a.matchers.map((m) => fromMatcher(parseMatcher(m)));
  } catch (error) {
    out.stderr(`silence add: ${(error as Error).message}\n`);
    return 2;
  }
  const start = a.start ? Date.parse(a.start) : Date.now();
  if (Number.isNaN(start)) {
    out.stderr(`silence add: --start: not an RFC 3339 time: ${a.start}\n`);
    return 2;
  }
  let end: number;
  if (a.end) {
    end = Date.parse(a.end);
    if (Number.isNaN(end)) {
      out.stderr(`silence add: --end: not an RFC 3339 time: ${a.end}\n`);
      return 2;
    }
  } else {
    const ms = parseModelDuration(a.duration ?? '1h');
    if (typeof ms === 'string' || ms === 0) {
      out.stderr(`silence add: --duration: ${typeof ms === 'string' ? ms : 'must not be 0'}\n`);
      return 2;
    }
    end = start + ms;
  }
  try {
    const res = (await call(a, 'POST', '/api/v2/silences', {
      matchers,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      createdBy: a.author ?? userInfo().username,
      comment: a.comment ?? '',
    })) as { silenceID: string };
    out.stdout(`${res.silenceID}\n`);
    return 0;
  } catch (error) {
    out.stderr(`silence add: ${(error as Error).message}\n`);
    return 1;
  }
}

function formatMatchers(s: GettableSilence): string {
  return s.matchers
    .map(
      (m) =>
        `${m.name}${m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!='}${JSON.stringify(m.value)}`,
    )
    .join(' ');
}

/** Lists silences (active and pending; with `expired`, the expired ones too) as a table. */
export async function silenceListCommand(
  a: SilenceClientArgs & { filter: string[]; expired?: boolean; json?: boolean },
  out: CommandOutput = processOutput,
): Promise<number> {
  try {
    const query = a.filter.map((f) => `filter=${encodeURIComponent(f)}`).join('&');
    const all = (await call(a, 'GET', `/api/v2/silences${query ? `?${query}` : ''}`)) as GettableSilence[];
    const shown = all.filter((s) => a.expired || s.status.state !== 'expired');
    if (a.json) {
      out.stdout(`${JSON.stringify(shown, null, 2)}\n`);
      return 0;
    }
    const rows = [
      ['ID', 'State', 'Matchers', 'Ends At', 'Created By', 'Comment'],
      ...shown.map((s) => [s.id, s.status.state, formatMatchers(s), s.endsAt, s.createdBy, s.comment]),
    ];
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    for (const r of rows)
      out.stdout(
        `${r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
      );
    return 0;
  } catch (error) {
    out.stderr(`silence list: ${(error as Error).message}\n`);
    return 1;
  }
}

/** Expires silences by id. */
export async function silenceExpireCommand(
  a: SilenceClientArgs & { ids: string[] },
  out: CommandOutput = processOutput,
): Promise<number> {
  let failed = 0;
  for (const id of a.ids) {
    try {
      await call(a, 'DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
      out.stdout(`expired ${id}\n`);
    } catch (error) {
      out.stderr(`silence expire: ${(error as Error).message}\n`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}
