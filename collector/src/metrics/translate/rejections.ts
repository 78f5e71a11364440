// Data points the translation refuses, counted, with a short message for OTLP's partial success.

const MAX_REASONS = 5;

export class Rejections {
  #count = 0;
  /** "reason (metric "name")" → data points, in order of first occurrence. */
  readonly #reasons = new Map<string, number>();

  get count(): number {
    return this.#count;
  }

  add(count: number, reason: string, metric: string): void {
    if (count <= 0) return;
    this.#count += count;
    const key = `${reason} (metric ${JSON.stringify(metric)})`;
    this.#reasons.set(key, (this.#reasons.get(key) ?? 0) + count);
  }

  /** E.g. `3 data points rejected: time_unix_nano is 0 (metric "a"): 2; ...`; undefined when none. */
  message(): string | undefined {
    if (this.#count === 0) return undefined;
    const reasons = [...this.#reasons].slice(0, MAX_REASONS).map(([reason, count]) => `${reason}: ${count}`);
    const more = this.#reasons.size > MAX_REASONS ? `; and ${this.#reasons.size - MAX_REASONS} more` : '';
    const noun = this.#count === 1 ? 'data point' : 'data points';
    return `${this.#count} ${noun} rejected: ${reasons.join('; ')}${more}`;
  }
}
