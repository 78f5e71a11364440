// Configuration problems are reported once, on stderr, with a fixed prefix: a bad setting must
// never crash the service, and must not be silent either.
const PREFIX = '[dss-instrumentation]';
const said = new Set<string>();

export function warnOnce(message: string): void {
  if (said.has(message)) return;
  said.add(message);
  process.stderr.write(`${PREFIX} ${message}\n`);
}

export function info(message: string): void {
  process.stderr.write(`${PREFIX} ${message}\n`);
}
