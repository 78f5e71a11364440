// Times in notification payloads as Alertmanager's JSON writes them: Go's time.Time marshals as RFC 3339 with
// nanoseconds and the trailing zeros of the fraction dropped (`…41.59Z`, `…41Z`), not JavaScript's fixed three
// digits (`…41.590Z`). An unset time (a firing alert's endsAt) is Go's zero time.
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export function payloadTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}
