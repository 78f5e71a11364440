// An OTLP metrics export as a queued write: translated to Prometheus samples (one batch per tenant), with
// the rough memory it holds while it waits for its commit.

import type { AppendBatch } from '../metrics/model.ts';
import type { TranslateOptions, TranslationState } from '../metrics/translate/index.ts';
import { translateMetrics } from '../metrics/translate/index.ts';
import type { DecodedMetrics } from '../receiver/decoded-types.ts';
import type { Preparation, PreparedWrite } from '../store/rows.ts';

// A sample's label object is shared by the samples of one series in a request; the per-sample cost is the
// sample object and its share of the label strings.
const SAMPLE_OVERHEAD_BYTES = 64;

export function prepareMetrics(
  request: DecodedMetrics,
  state: TranslationState,
  options: TranslateOptions = {},
): Preparation {
  const result = translateMetrics(request, state, options);
  const write = metricsWrite(result.batches);
  const preparation: Preparation = { rejected: result.rejected, message: result.message ?? '' };
  if (write) preparation.write = write;
  return preparation;
}

/** The queued write of some sample batches; undefined when they hold no sample. */
export function metricsWrite(batches: AppendBatch[]): PreparedWrite | undefined {
  let records = 0;
  let bytes = 0;
  for (const batch of batches) {
    records += batch.samples.length;
    for (const sample of batch.samples) {
      bytes += SAMPLE_OVERHEAD_BYTES;
      for (const name in sample.labels) bytes += (name.length + (sample.labels[name]?.length ?? 0)) / 4;
    }
  }
  if (records === 0 && !batches.some((batch) => batch.metadata?.length)) return undefined;
  return { signal: 'metrics', batches, records, bytes: Math.ceil(bytes) };
}
