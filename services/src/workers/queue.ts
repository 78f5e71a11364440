// The job queue of one client: at most `concurrency` runs at a time; a job already queued or running
// is not queued again (the caller counts that as skipped); a job waits while a job it depends on is
// queued or running (optimization after forecast).
import type { JobName, JobTrigger } from './store.ts';

export interface QueuedRun {
  id: string;
  job: JobName;
  trigger: JobTrigger;
  /** The scheduler's slot, Unix ms (scheduled runs). */
  scheduledAt?: number | undefined;
  /** The trace context of whoever queued it (W3C headers, from propagation.inject). */
  carrier: Record<string, string>;
}

export type EnqueueResult = { status: 'queued'; runId: string } | { status: 'skipped'; runId: string };

export interface JobQueueOptions {
  concurrency: number;
  execute: (run: QueuedRun) => Promise<void>;
  /** Jobs that wait for others: `{ optimization: ['forecast'] }`. */
  dependsOn?: Partial<Record<JobName, readonly JobName[]>>;
  onChange?: (queued: number, running: number) => void;
}

export class JobQueue {
  readonly #options: JobQueueOptions;
  readonly #queued: QueuedRun[] = [];
  readonly #running = new Map<string, { run: QueuedRun; done: Promise<void> }>();
  #closed = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: JobQueueOptions) {
    this.#options = options;
  }

  /** The run of this job queued or running, if any. */
  active(job: JobName): QueuedRun | undefined {
    return (
      this.#queued.find((r) => r.job === job) ??
      [...this.#running.values()].find((r) => r.run.job === job)?.run
    );
  }

  enqueue(run: QueuedRun): EnqueueResult {
    if (this.#closed) throw new Error('the workers are stopping');
    const existing = this.active(run.job);
    if (existing) return { status: 'skipped', runId: existing.id };
    this.#queued.push(run);
    this.#changed();
    this.#pump();
    return { status: 'queued', runId: run.id };
  }

  get queued(): number {
    return this.#queued.length;
  }

  get running(): number {
    return this.#running.size;
  }

  runningIds(): string[] {
    return [...this.#running.keys()];
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.#queued.length === 0 && this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Takes no more runs; returns those still queued (not started). */
  close(): QueuedRun[] {
    this.#closed = true;
    const dropped = this.#queued.splice(0);
    this.#changed();
    this.#settle();
    return dropped;
  }

  /** Waits for the running runs, at most `timeoutMs`; true when they all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    const all = Promise.all([...this.#running.values()].map((r) => r.done)).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #blocked(run: QueuedRun): boolean {
    const deps = this.#options.dependsOn?.[run.job] ?? [];
    return deps.some((dep) => this.active(dep) !== undefined);
  }

  #pump(): void {
    while (this.#running.size < this.#options.concurrency) {
      const index = this.#queued.findIndex((r) => !this.#blocked(r));
      if (index < 0) break;
      const [run] = this.#queued.splice(index, 1) as [QueuedRun];
      const done = this.#options
        .execute(run)
        .catch(() => {})
        .finally(() => {
          this.#running.delete(run.id);
          this.#changed();
          this.#pump();
          this.#settle();
        });
      this.#running.set(run.id, { run, done });
      this.#changed();
    }
  }

  #changed(): void {
    this.#options.onChange?.(this.#queued.length, this.#running.size);
  }

  #settle(): void {
    if (this.#queued.length === 0 && this.#running.size === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }
}
