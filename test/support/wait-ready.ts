// Waits for a server a test started as a child process (Prometheus, Alertmanager) to answer `GET <url>/-/ready`;
// fails at once when the process exits, or after the timeout (killing it), with what it printed.
import type { ChildProcess } from 'node:child_process';

export async function waitReady(options: {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
  timeoutMs: number;
}): Promise<void> {
  const { name, url, child, output, timeoutMs } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${output()}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready in ${timeoutMs / 1000} s: ${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
