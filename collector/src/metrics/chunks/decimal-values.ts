// Values that are decimals with few digits (a tank level of 3.142 m, a count of 1,204, a ratio of
// 0.25): each is m / 10^k for an integer m and the chunk's scale k, so the chunk stores k once and the
// integers m, as deltas or delta-of-deltas (whichever is smaller) in an integer stream
// (int-stream.ts). XOR does badly on such values: 3.142 and 3.145 differ in most mantissa bits.
//
// Exactness: with 10^k (k <= 9) and |m| < 2^50 both exact doubles, m / 10^k is the correctly rounded
// quotient, the same on every machine. The encoder keeps a value only when that quotient is the value
// bit for bit (checked for every value with the chunk's final k), so decoding gives back exactly what was
// encoded. -0, NaN and ±Inf are not decimals: a chunk holding one is left to XOR. Staleness markers are
// outside the value stream (a bitmap in the chunk).
import { type BitReader, type BitWriter, ChunkFormatError } from './bits.ts';
import { chooseLayout, readIntStream, readVarSigned, writeIntStream, writeVarSigned } from './int-stream.ts';

export const MAX_DECIMAL_SCALE = 9;
/** Integers beyond this are not rounded exactly from m / 10^k * 10^k: see the header. */
const MAX_MANTISSA = 2 ** 50;
const POW10 = Array.from({ length: MAX_DECIMAL_SCALE + 1 }, (_, k) => 10 ** k);

/** m at scale k, when value is exactly m / 10^k; undefined otherwise. */
function mantissaAt(value: number, k: number): number | undefined {
  const scale = POW10[k] as number;
  const m = Math.round(value * scale);
  if (m >= MAX_MANTISSA || m <= -MAX_MANTISSA || m / scale !== value) return undefined;
  return m;
}

export interface DecimalValues {
  scale: number;
  /** m of each non-stale value, in order. */
  mantissas: Float64Array;
}

/** The scale and integers of the non-stale values, or undefined when they are not all short decimals. */
export function toDecimal(
  values: ArrayLike<number>,
  stale: ArrayLike<number> | undefined,
): DecimalValues | undefined {
  let scale = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (stale?.[i]) continue;
    const value = values[i] as number;
    if (!Number.isFinite(value) || Object.is(value, -0)) return undefined;
    while (mantissaAt(value, scale) === undefined) {
      if (++scale > MAX_DECIMAL_SCALE) return undefined;
    }
    count++;
  }
  // Each value was checked at the scale reached when it was seen; check them all at the final one.
  const mantissas = new Float64Array(count);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    if (stale?.[i]) continue;
    const m = mantissaAt(values[i] as number, scale);
    if (m === undefined) return undefined;
    mantissas[j++] = m;
  }
  return { scale, mantissas };
}

/** Deltas (order 1) or delta-of-deltas (order 2) of the mantissas after the first. */
function differences(mantissas: Float64Array, order: 1 | 2): Float64Array {
  const out = new Float64Array(Math.max(0, mantissas.length - 1));
  let previousDelta = 0;
  for (let i = 1; i < mantissas.length; i++) {
    const delta = (mantissas[i] as number) - (mantissas[i - 1] as number);
    out[i - 1] = order === 1 ? delta : delta - previousDelta;
    previousDelta = delta;
  }
  return out;
}

/** Scale (4 bits), order (1 bit), first mantissa, then the integer stream. Stale flags are written apart. */
export function writeDecimalValues(writer: BitWriter, decimal: DecimalValues): void {
  const { scale, mantissas } = decimal;
  writer.writeBits(scale, 4);
  if (mantissas.length === 0) return;
  const deltas = differences(mantissas, 1);
  const dods = differences(mantissas, 2);
  const deltaLayout = chooseLayout(deltas);
  const dodLayout = chooseLayout(dods);
  const order2 = dodLayout.bits < deltaLayout.bits;
  writer.writeBit(order2 ? 1 : 0);
  writeVarSigned(writer, mantissas[0] as number);
  if (mantissas.length > 1) writeIntStream(writer, order2 ? dods : deltas, order2 ? dodLayout : deltaLayout);
}

/** Reads the values into `out` at the positions where `stale` is 0, NaN elsewhere. */
export function readDecimalValues(reader: BitReader, out: Float64Array, stale: Uint8Array): void {
  const scale = reader.readBits(4);
  if (scale > MAX_DECIMAL_SCALE) throw new ChunkFormatError(`decimal scale ${scale} out of range`);
  const divisor = POW10[scale] as number;
  let count = 0;
  for (let i = 0; i < out.length; i++) if (!stale[i]) count++;
  if (count === 0) {
    out.fill(Number.NaN);
    return;
  }
  const order2 = reader.readBit() === 1;
  const mantissas = new Float64Array(count);
  mantissas[0] = readVarSigned(reader);
  if (count > 1) readIntStream(reader, count - 1, mantissas, 1);
  let delta = 0;
  for (let i = 1; i < count; i++) {
    delta = order2 ? delta + (mantissas[i] as number) : (mantissas[i] as number);
    mantissas[i] = (mantissas[i - 1] as number) + delta;
  }
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    if (stale[i]) out[i] = Number.NaN;
    else out[i] = (mantissas[j++] as number) / divisor;
  }
}
