// A clock for dispatcher tests: timers run in time order as the test advances time, with the promises they
// start settled in between.
import type { Clock } from '../../src/dispatch/dispatcher.ts';

export class FakeClock implements Clock {
  time = 1_700_000_000_000;
  #timers: Array<{ at: number; fn: () => void; id: number }> = [];
  #next = 0;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#next;
    this.#timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }
  /** Moves time forward, running due timers in order (and the promises they start). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
    await new Promise((r) => setImmediate(r));
  }
}
