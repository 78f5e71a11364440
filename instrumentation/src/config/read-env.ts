// Reads and validates the OTEL_* settings this package interprets itself. Anything invalid is
// reported once and replaced by the safe default, so a typo in a deployment never crashes the
// service it was meant to observe.
import type { OtlpProtocol } from './options.ts';
import { warnOnce } from './warnings.ts';

export type Signal = 'traces' | 'metrics' | 'logs';
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];
const EXPORTERS: Record<Signal, readonly string[]> = {
  traces: ['otlp', 'console', 'none'],
  metrics: ['otlp', 'console', 'prometheus', 'none'],
  logs: ['otlp', 'console', 'none'],
};

type Env = Record<string, string | undefined>;

function get(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/** The exporters named by OTEL_{TRACES,METRICS,LOGS}_EXPORTER (default `otlp`), unknown names dropped. */
export function readExporters(env: Env, signal: Signal): string[] {
  const name = `OTEL_${signal.toUpperCase()}_EXPORTER`;
  const raw = get(env, name);
  if (raw === undefined) return ['otlp'];
  const wanted = raw.split(',').map((s) => s.trim().toLowerCase());
  const known = wanted.filter((w) => EXPORTERS[signal].includes(w));
  for (const w of wanted) {
    if (!EXPORTERS[signal].includes(w)) {
      warnOnce(`${name}="${raw}": "${w}" is not one of ${EXPORTERS[signal].join(', ')}; ignored.`);
    }
  }
  if (known.includes('none')) return [];
  return known.length > 0 ? [...new Set(known)] : ['otlp'];
}

/** OTEL_EXPORTER_OTLP_{SIGNAL_}PROTOCOL, validated; `grpc` by default (the DSS choice, not the SDK's). */
export function readProtocol(env: Env, signal: Signal, fromCode?: OtlpProtocol): OtlpProtocol {
  if (fromCode !== undefined) {
    if (PROTOCOLS.includes(fromCode)) return fromCode;
    warnOnce(`protocol "${fromCode}" is not one of ${PROTOCOLS.join(', ')}; using grpc.`);
    return 'grpc';
  }
  for (const name of [`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`, 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const raw = get(env, name);
    if (raw === undefined) continue;
    if ((PROTOCOLS as readonly string[]).includes(raw)) return raw as OtlpProtocol;
    warnOnce(`${name}="${raw}" is not one of ${PROTOCOLS.join(', ')}; using grpc.`);
    return 'grpc';
  }
  return 'grpc';
}

/** Whether a string is an endpoint an OTLP exporter can use: an absolute http(s) URL with a host. */
export function isValidEndpoint(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The endpoint settings that are present but unusable, per signal. The exporters read the valid
 * ones from the environment themselves; for an invalid one the caller passes the default URL.
 */
export function invalidEndpointFor(env: Env, signal: Signal): string | undefined {
  for (const name of [`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`, 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    const raw = get(env, name);
    if (raw === undefined) continue;
    if (isValidEndpoint(raw)) return undefined;
    return `${name}="${raw}"`;
  }
  return undefined;
}

export interface SamplerSetting {
  name: SamplerName;
  ratio: number;
}

/** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG, validated; default parentbased_always_on. */
export function readSampler(env: Env): SamplerSetting {
  const fallback: SamplerSetting = { name: 'parentbased_always_on', ratio: 1 };
  const raw = get(env, 'OTEL_TRACES_SAMPLER');
  if (raw === undefined) return fallback;
  const name = raw.toLowerCase();
  if (!(SAMPLERS as readonly string[]).includes(name)) {
    warnOnce(
      `OTEL_TRACES_SAMPLER="${raw}" is not a supported sampler (${SAMPLERS.join(', ')}); using parentbased_always_on.`,
    );
    return fallback;
  }
  let ratio = 1;
  if (name.endsWith('traceidratio')) {
    const arg = get(env, 'OTEL_TRACES_SAMPLER_ARG');
    const parsed = arg === undefined ? Number.NaN : Number(arg);
    if (arg === undefined) {
      ratio = 1;
    } else if (Number.isFinite(parsed) && parsed >= 0 && parsed <= 1) {
      ratio = parsed;
    } else {
      warnOnce(`OTEL_TRACES_SAMPLER_ARG="${arg}" is not a ratio between 0 and 1; sampling everything (1).`);
    }
  }
  return { name: name as SamplerName, ratio };
}

/** A non-negative integer setting, or undefined (with a warning when present but invalid). */
export function readMillis(env: Env, name: string): number | undefined {
  const raw = get(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 0) return value;
  warnOnce(`${name}="${raw}" is not a non-negative whole number; using the default.`);
  return undefined;
}

export function readBoolean(env: Env, name: string): boolean | undefined {
  const raw = get(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  warnOnce(`${name}="${raw}" is neither true nor false; ignored.`);
  return undefined;
}
