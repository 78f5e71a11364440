// A sink whose next answers a test can script (throw, delay, report rejections) before it stores
// into an InMemorySink like the default one.
import {
  type DecodedExport,
  InMemorySink,
  type OtlpSink,
  type SinkContext,
  type SinkResult,
} from '../../src/receiver/index.ts';

type Step = () => Promise<SinkResult | undefined> | SinkResult | undefined;

export class ScriptedSink implements OtlpSink {
  readonly memory = new InMemorySink();
  calls = 0;
  private readonly steps: Step[] = [];

  /** Queues behaviours for the next calls; each may throw (nothing stored) or return a result. */
  queue(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  async consume(request: DecodedExport, context: SinkContext): Promise<SinkResult | undefined> {
    this.calls++;
    const step = this.steps.shift();
    const result = step ? await step() : undefined;
    await this.memory.consume(request, context);
    return result;
  }
}
