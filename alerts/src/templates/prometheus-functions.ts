// The template functions Prometheus gives alert labels and annotations (prometheus/template/template.go, as
// in Prometheus 2.42 whose promtool cross-checks this code): query, first, label, value, strvalue, args,
// reReplaceAll, safeHtml, match, title, toUpper, toLower, graphLink, tableLink, sortByLabel, stripPort,
// stripDomain, humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp, toTime,
// pathPrefix, externalURL, parseDuration.
import { isIP } from 'node:net';
import { parseModelDuration } from '../rules/durations.ts';
import { queryEscape } from './builtins.ts';
import type { TemplateFunction } from './exec.ts';
import { formatFloatV } from './go-float.ts';
import { sprintf } from './go-printf.ts';
import { goMatch, goReplaceAll } from './go-regexp.ts';
import { parseGoFloat } from './go-strconv.ts';
import {
  formatGoTime,
  GoHTML,
  GoMap,
  GoQueryResult,
  GoSample,
  GoTime,
  type GoValue,
  goTypeName,
  NIL_SAMPLE,
} from './go-values.ts';

/** One sample of a `query` result. */
export interface QuerySample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** Runs a PromQL instant query at the evaluation time (an error's message becomes the template error). */
export type TemplateQueryFunction = (query: string) => QuerySample[];

export interface PrometheusFunctionContext {
  query?: TemplateQueryFunction;
  externalURL?: string;
}

function toFloat(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseGoFloat(v);
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`can't convert ${goTypeName(v)} to float`);
}

const g4 = (v: number) => sprintf('%.4g', [v]);

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  let x = v;
  if (Math.abs(x) >= 1) {
    let prefix = '';
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(x) < 1000) break;
      prefix = p;
      x /= 1000;
    }
    return g4(x) + prefix;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return g4(x) + prefix;
}

export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  let x = v;
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(x) < 1024) break;
    prefix = p;
    x /= 1024;
  }
  return g4(x) + prefix;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return `${g4(v)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const x = Math.abs(v);
    const duration = BigInt(Math.trunc(x));
    const seconds = duration % 60n;
    const minutes = (duration / 60n) % 60n;
    const hours = (duration / 3600n) % 24n;
    const days = duration / 86400n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(x)}s`;
  }
  let x = v;
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return `${g4(x)}${prefix}s`;
}

export function humanizePercentage(v: number): string {
  return `${g4(v * 100)}%`;
}

class NaNOrInfError extends Error {}

/** Prometheus's floatToTime: seconds to a time at millisecond resolution (model.Time). */
function floatToTime(v: number): GoTime {
  if (!Number.isFinite(v)) throw new NaNOrInfError('value is NaN or Inf');
  const nanos = v * 1e9;
  if (nanos > 2 ** 63 || nanos < -(2 ** 63)) {
    throw new Error(
      `${formatFloatV(v)} cannot be represented as a nanoseconds timestamp since it overflows int64`,
    );
  }
  return new GoTime(Number(BigInt(Math.trunc(nanos)) / 1_000_000n));
}

function splitHostPort(hostPort: string): [string, string] | undefined {
  const i = hostPort.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end < 0 || end + 1 !== i) return undefined;
    host = hostPort.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostPort.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hostPort.slice(j).includes('[') || hostPort.slice(k).includes(']')) return undefined;
  return [host, hostPort.slice(i + 1)];
}

function stripDomain(hostPort: string): string {
  const split = splitHostPort(hostPort);
  const host = split ? split[0] : hostPort;
  const port = split ? split[1] : '';
  if (isIP(host) !== 0) return hostPort;
  const short = host.split('.')[0] as string;
  if (port === '') return short;
  return short.includes(':') ? `[${short}]:${port}` : `${short}:${port}`;
}

/** Go's strings.Title: the first letter of each word in title case. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isSeparator(prev) ? mapRune(c, 'upper') : c;
    prev = c;
  }
  return out;
}

function isSeparator(c: string): boolean {
  const code = c.codePointAt(0) as number;
  if (code <= 0x7f) return !/[0-9a-zA-Z_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return /\s/u.test(c);
}

/** unicode.ToUpper/ToLower per rune: a rune whose mapping is not one rune stays as it is. */
function mapRune(c: string, to: 'upper' | 'lower'): string {
  const mapped = to === 'upper' ? c.toUpperCase() : c.toLowerCase();
  return [...mapped].length === 1 ? mapped : c;
}

const mapString = (s: string, to: 'upper' | 'lower') => [...s].map((c) => mapRune(c, to)).join('');

const sampleOf = (s: GoValue): GoSample => {
  if (s === NIL_SAMPLE || !(s instanceof GoSample)) {
    throw new Error('runtime error: invalid memory address or nil pointer dereference');
  }
  return s;
};

/** The Prometheus template functions, bound to one expansion's query function and external URL. */
export function prometheusFunctions(context: PrometheusFunctionContext): Map<string, TemplateFunction> {
  const str = (v: GoValue | undefined) => v as string;
  const humanizer = (f: (v: number) => string): TemplateFunction => ({
    params: ['any'],
    call: ([v]) => f(toFloat(v ?? null)),
  });
  // promtool gives the functions no external URL: Go then dereferences a nil *url.URL.
  const externalURL = () => {
    if (context.externalURL === undefined)
      throw new Error('runtime error: invalid memory address or nil pointer dereference');
    return context.externalURL;
  };
  return new Map<string, TemplateFunction>([
    [
      'query',
      {
        params: ['string'],
        call: ([q]) => {
          if (!context.query) throw new Error('query not supported in this context');
          return new GoQueryResult(
            context.query(str(q)).map((s) => new GoSample(GoMap.ofStrings(s.labels), s.value)),
          );
        },
      },
    ],
    [
      'first',
      {
        params: ['queryResult'],
        call: ([v]) => {
          const first = (v as GoQueryResult).samples[0];
          if (!first) throw new Error('first() called on vector with no elements');
          return first;
        },
      },
    ],
    [
      'label',
      {
        params: ['string', 'sample'],
        call: ([l, s]) => sampleOf(s ?? null).labels.entries.get(str(l)) ?? '',
      },
    ],
    ['value', { params: ['sample'], call: ([s]) => sampleOf(s ?? null).value }],
    [
      'strvalue',
      { params: ['sample'], call: ([s]) => sampleOf(s ?? null).labels.entries.get('__value__') ?? '' },
    ],
    [
      'args',
      {
        params: ['any'],
        variadic: true,
        call: (args) => new GoMap('interface {}', new Map(args.map((a, i) => [`arg${i}`, a]))),
      },
    ],
    [
      'reReplaceAll',
      { params: ['string', 'string', 'string'], call: ([p, r, t]) => goReplaceAll(str(p), str(r), str(t)) },
    ],
    ['safeHtml', { params: ['string'], call: ([t]) => new GoHTML(str(t)) }],
    ['match', { params: ['string', 'string'], call: ([p, s]) => goMatch(str(p), str(s)) }],
    ['title', { params: ['string'], call: ([s]) => title(str(s)) }],
    ['toUpper', { params: ['string'], call: ([s]) => mapString(str(s), 'upper') }],
    ['toLower', { params: ['string'], call: ([s]) => mapString(str(s), 'lower') }],
    ['graphLink', { params: ['string'], call: ([e]) => `/graph?g0.expr=${queryEscape(str(e))}&g0.tab=0` }],
    ['tableLink', { params: ['string'], call: ([e]) => `/graph?g0.expr=${queryEscape(str(e))}&g0.tab=1` }],
    [
      'sortByLabel',
      {
        params: ['string', 'queryResult'],
        call: ([l, v]) => {
          const label = str(l);
          const key = (s: GoSample) => Buffer.from((s.labels.entries.get(label) as string) ?? '');
          return new GoQueryResult(
            [...(v as GoQueryResult).samples].sort((a, b) => Buffer.compare(key(a), key(b))),
          );
        },
      },
    ],
    ['stripPort', { params: ['string'], call: ([h]) => splitHostPort(str(h))?.[0] ?? str(h) }],
    ['stripDomain', { params: ['string'], call: ([h]) => stripDomain(str(h)) }],
    ['humanize', humanizer(humanize)],
    ['humanize1024', humanizer(humanize1024)],
    ['humanizeDuration', humanizer(humanizeDuration)],
    ['humanizePercentage', humanizer(humanizePercentage)],
    [
      'humanizeTimestamp',
      humanizer((v) => {
        try {
          return formatGoTime(floatToTime(v).ms);
        } catch (error) {
          if (error instanceof NaNOrInfError) return g4(v);
          throw error;
        }
      }),
    ],
    ['toTime', { params: ['any'], call: ([v]) => floatToTime(toFloat(v ?? null)) }],
    ['pathPrefix', { params: [], call: () => pathOf(externalURL()) }],
    ['externalURL', { params: [], call: () => externalURL() }],
    [
      'parseDuration',
      {
        params: ['string'],
        call: ([d]) => {
          const parsed = parseModelDuration(str(d));
          if (typeof parsed === 'string') throw new Error(parsed);
          return parsed / 1000;
        },
      },
    ],
  ]);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname === '/' && !/^[a-z]+:\/\/[^/]+\/$/i.test(url) ? '' : new URL(url).pathname;
  } catch {
    return '';
  }
}
