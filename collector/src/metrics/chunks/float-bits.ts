// Float64 values as their two 32-bit halves, through a DataView: the only way to write a NaN with a
// chosen payload (Prometheus's staleness marker) and be sure of it. A JS number may lose a NaN's payload
// in any operation, so a staleness marker is never a number here, only a pair of words.

/** Prometheus's staleness marker, 0x7ff0000000000002 (value.StaleNaN). */
export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;
/** The NaN every non-stale NaN is written as (Go's math.NaN(), 0x7ff8000000000001, would do too). */
const CANONICAL_NAN_HI = 0x7ff80000;

const scratch = new DataView(new ArrayBuffer(8));

/** The bit pattern of `value` into `out` [hi, lo]; any NaN becomes the canonical quiet NaN. */
export function floatBits(value: number, out: Uint32Array): void {
  if (Number.isNaN(value)) {
    out[0] = CANONICAL_NAN_HI;
    out[1] = 0;
    return;
  }
  scratch.setFloat64(0, value);
  out[0] = scratch.getUint32(0);
  out[1] = scratch.getUint32(4);
}

export function bitsToFloat(hi: number, lo: number): number {
  scratch.setUint32(0, hi);
  scratch.setUint32(4, lo);
  return scratch.getFloat64(0);
}

export function isStaleBits(hi: number, lo: number): boolean {
  return hi === STALE_NAN_HI && lo === STALE_NAN_LO;
}
