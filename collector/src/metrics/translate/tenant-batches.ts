// Samples and metadata gathered into one AppendBatch per tenant, one metadata entry per metric family (the
// first one seen wins when two metrics of a request translate to the same name).
import type { AppendBatch, AppendSample, Labels, MetricMetadata } from '../model.ts';

interface TenantBatch {
  samples: AppendSample[];
  metadata: Map<string, MetricMetadata>;
}

export class TenantBatches {
  readonly #batches = new Map<string, TenantBatch>();

  #batch(tenant: string): TenantBatch {
    let batch = this.#batches.get(tenant);
    if (batch === undefined) {
      batch = { samples: [], metadata: new Map() };
      this.#batches.set(tenant, batch);
    }
    return batch;
  }

  sample(tenant: string, labels: Labels, timestampMs: number, value: number, stale: boolean): void {
    const sample: AppendSample = stale
      ? { labels, timestampMs, value: Number.NaN, stale }
      : { labels, timestampMs, value };
    this.#batch(tenant).samples.push(sample);
  }

  metadata(tenant: string, metadata: MetricMetadata): void {
    const known = this.#batch(tenant).metadata;
    if (!known.has(metadata.metric)) known.set(metadata.metric, metadata);
  }

  /** The batches that have samples, in the order their tenants first appeared. */
  batches(): AppendBatch[] {
    const batches: AppendBatch[] = [];
    for (const [tenant, { samples, metadata }] of this.#batches) {
      if (samples.length > 0) batches.push({ tenant, samples, metadata: [...metadata.values()] });
    }
    return batches;
  }
}
