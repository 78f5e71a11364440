// SIGTERM or SIGINT stops a service process once: its own stop, then the telemetry flush, then exit 0. One
// place for what every service main does last (a second signal while stopping is ignored).
export function stopOnSignals(stop: () => Promise<unknown>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stop().then(() => process.exit(0));
    });
}
