// Which library instrumentations run, and with what defaults. The env variables
// OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS keep working: our
// defaults only switch off what the environment did not ask for.
import {
  getNodeAutoInstrumentations,
  type InstrumentationConfigMap,
} from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';

// fs, dns and net produce a span per syscall-level operation: noise, memory and CPU with no
// insight for our services. Pino is bridged by our own logger (createLogger), which also works
// under ESM where the pino instrumentation does not (opentelemetry-js-contrib#2838).
// The router instrumentation doubles every Express 5 layer (Express 5 routes through the `router`
// package, which the Express instrumentation already covers).
const OFF_BY_DEFAULT = ['dns', 'net', 'fs', 'pino', 'router'];

// Scrapes, probes and browser noise are not requests worth a trace.
const IGNORED_PATHS = /^\/(metrics|health|healthz|livez|readyz|ready|favicon\.ico)(\/|\?|$)/;

export function isIgnoredPath(url: string | undefined): boolean {
  return url !== undefined && IGNORED_PATHS.test(url);
}

export function createInstrumentations(
  overrides: InstrumentationConfigMap = {},
  env: Record<string, string | undefined> = process.env,
): Instrumentation[] {
  const defaults: InstrumentationConfigMap = {
    '@opentelemetry/instrumentation-http': {
      ignoreIncomingRequestHook: (request) => isIgnoredPath(request.url),
    },
    // A span per middleware (body parsers, CORS, our own) is noise, and a route handler's span
    // repeats the server span that encloses it: both off, which halves the spans per request. The
    // instrumentation still names the server span and its metric by route template.
    '@opentelemetry/instrumentation-express': {
      ignoreLayersType: ['middleware', 'request_handler'] as never[],
    },
  };
  // An explicit enabled-list in the environment decides alone, as upstream documents.
  if (!env.OTEL_NODE_ENABLED_INSTRUMENTATIONS?.trim()) {
    for (const short of OFF_BY_DEFAULT) {
      const name = `@opentelemetry/instrumentation-${short}` as keyof InstrumentationConfigMap;
      defaults[name] = { ...defaults[name], enabled: false } as never;
    }
  }
  const merged: InstrumentationConfigMap = { ...defaults };
  for (const [name, config] of Object.entries(overrides)) {
    const key = name as keyof InstrumentationConfigMap;
    merged[key] = { ...merged[key], ...config } as never;
  }
  return getNodeAutoInstrumentations(merged);
}

/** The module names the instrumentations patch: what the ESM loader hook needs to intercept. */
export function instrumentedModuleNames(instrumentations: Instrumentation[]): string[] {
  const names = new Set<string>();
  for (const instrumentation of instrumentations) {
    const withModules = instrumentation as Instrumentation & {
      getModuleDefinitions?: () => Array<{ name: string }>;
    };
    for (const definition of withModules.getModuleDefinitions?.() ?? []) names.add(definition.name);
  }
  return [...names];
}
