// Histogram bucket boundaries. Job durations span seconds (KPI jobs) to hours (a large
// optimization), so the SDK's default boundaries (0 to 10 000, meant for milliseconds) would put
// every run in one or two buckets; these are roughly logarithmic from 1 s to 6 h.
export const JOB_DURATION_BUCKETS_SECONDS: readonly number[] = [
  1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
];

// HTTP server durations in seconds, the OTel semantic-convention advice.
export const HTTP_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

// Time to handle one sensor file: milliseconds for a 5-minute file, seconds for a large backfill.
export const INTAKE_FILE_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
