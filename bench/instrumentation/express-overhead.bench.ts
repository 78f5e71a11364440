// What instrumentation costs a realistic Express service: the same app uninstrumented, with
// 100 % sampling and with a 10 % ratio sampler, all exporting over OTLP/gRPC to a local receiver,
// loaded in turn by autocannon, in several interleaved rounds so that drifts in machine speed hit
// every variant alike. Prints requests/s and p50/p99 latency per variant, and the ratios.

import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startService } from '../../instrumentation/test/support/spawn-service.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CONNECTIONS = 10;
const PATH = '/tanks/T-north/readings';

const receiver = await startService({
  style: 'none',
  env: {},
  script: fileURLToPath(new URL('./receiver-process.ts', import.meta.url)),
});
const endpoint = `http://127.0.0.1:${receiver.port}`;
const common = {
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_SERVICE_NAME: 'bench-api',
  DSS_CLIENT: 'bench',
  OTEL_BSP_SCHEDULE_DELAY: '1000',
  OTEL_METRIC_EXPORT_INTERVAL: '5000',
};
const variants = [
  { name: 'uninstrumented', service: await startService({ style: 'none', env: {} }) },
  {
    name: 'instrumented, 100% sampling',
    service: await startService({
      style: 'register',
      env: { ...common, OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
    }),
  },
  {
    name: 'instrumented, 10% sampling',
    service: await startService({
      style: 'register',
      env: { ...common, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    }),
  },
  {
    // Diagnostic: where the cost sits. The upstream HTTP instrumentation binds every request and
    // response emitter to the context; this variant runs everything else.
    name: '10%, http instrumentation off',
    service: await startService({
      style: 'register',
      env: {
        ...common,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http',
      },
    }),
  },
];

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}
const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));

async function load(port: number, seconds: number): Promise<Sample> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${PATH}`,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`errors under load: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

console.log(
  `express overhead: ${ROUNDS} rounds x ${SECONDS} s per variant, ${CONNECTIONS} connections, GET ${PATH}`,
);
for (const variant of variants) await load(variant.service.port, 2); // warm-up: JIT, connection pools
for (let round = 1; round <= ROUNDS; round++) {
  for (const variant of variants) {
    const sample = await load(variant.service.port, SECONDS);
    samples.get(variant.name)?.push(sample);
    process.stdout.write(
      `  round ${round} ${variant.name.padEnd(28)} ${sample.rps.toFixed(0).padStart(6)} req/s  p50 ${sample.p50} ms  p99 ${sample.p99} ms\n`,
    );
  }
}

const summary = variants.map((v) => {
  const s = samples.get(v.name) ?? [];
  return {
    name: v.name,
    rps: median(s.map((x) => x.rps)),
    p50: median(s.map((x) => x.p50)),
    p99: median(s.map((x) => x.p99)),
  };
});
const base = summary[0] as (typeof summary)[number];
console.log('\nmedian of rounds:');
console.log('variant                        req/s    p50 ms  p99 ms  throughput ratio  p99 added ms');
for (const s of summary) {
  console.log(
    `${s.name.padEnd(30)} ${s.rps.toFixed(0).padStart(6)}  ${s.p50.toFixed(2).padStart(6)}  ${s.p99.toFixed(2).padStart(6)}  ${(s.rps / base.rps).toFixed(3).padStart(16)}  ${(s.p99 - base.p99).toFixed(2).padStart(12)}`,
  );
}
const full = summary[1] as (typeof summary)[number];
const tenth = summary[2] as (typeof summary)[number];
console.log(
  `\ntargets: 100% sampling ratio >= 0.90: ${(full.rps / base.rps).toFixed(3)} ${full.rps / base.rps >= 0.9 ? 'met' : 'NOT met'}; ` +
    `10% sampling ratio >= 0.97: ${(tenth.rps / base.rps).toFixed(3)} ${tenth.rps / base.rps >= 0.97 ? 'met' : 'NOT met'}; ` +
    `p99 added < 1 ms: ${(full.p99 - base.p99).toFixed(2)} ms ${full.p99 - base.p99 < 1 ? 'met' : 'NOT met'}`,
);
for (const variant of variants) await variant.service.stop();
await receiver.stop();
console.log(`receiver: ${receiver.stderr().trim()}`);
