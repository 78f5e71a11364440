/** One documented name of the DSS conventions (an attribute or a metric). */
export interface ConventionEntry {
  name: string;
  description: string;
  type?: string;
  where?: string;
  example?: string;
}

/** A metric of the DSS conventions: its OTel name, instrument, unit and attributes. */
export interface MetricConvention {
  /** OTel name, as code records it. */
  name: string;
  instrument: 'gauge' | 'counter' | 'updowncounter' | 'histogram';
  /** UCUM unit, as OTel wants it. */
  unit: string;
  description: string;
  attributes: readonly string[];
  /** The name once translated to Prometheus (unit and `_total` suffixes), as queries use it. */
  prometheusName: string;
  /** Explicit histogram bucket boundaries, in the metric's unit. */
  buckets?: readonly number[];
}
