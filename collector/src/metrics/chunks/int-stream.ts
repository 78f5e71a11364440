// Signed integers with a bit width chosen per chunk: timestamps' delta-of-deltas and the decimal
// encoding's integer deltas. Gorilla (and Prometheus's XOR chunks) spend a fixed ladder of bucket sizes
// on every chunk; here each stream picks the one width `w` that makes it smallest, from the histogram of
// the bits its values need, and writes:
//   zero code on:  0 -> '0'     fits w bits -> '10' + w bits     else '11' + 6-bit length + value
//   zero code off:                fits w bits -> '0' + w bits      else '1' + 6-bit length + value
// (w = 0 with the zero code off codes only 0, as a single '0'). Regular scrapes give a delta-of-delta of 0
// (one bit a sample); a few milliseconds of jitter, 3-4 bits; a sensor's noise, its own width.
// Values must be integers with |x| < 2^53; the 6-bit length says how many bits (1..64) follow, two's
// complement.
import { type BitReader, type BitWriter, ChunkFormatError } from './bits.ts';

const TWO_32 = 2 ** 32;
const MAX_WIDTH = 54;

/** Bits a two's complement representation of x needs (0 for 0). */
export function bitsNeeded(x: number): number {
  if (x === 0) return 0;
  const m = x < 0 ? -x - 1 : x;
  if (m === 0) return 1; // x = -1
  const length = m < TWO_32 ? 32 - Math.clz32(m) : 64 - Math.clz32(Math.floor(m / TWO_32));
  return length + 1;
}

/** Writes x in exactly n bits (1..64), two's complement. */
function writeSignedBits(writer: BitWriter, x: number, n: number): void {
  const hi = Math.floor(x / TWO_32);
  const lo = x - hi * TWO_32;
  writer.writeBits64(hi >>> 0, lo >>> 0, n);
}

/** Sign-extends the low n bits (1..32) of u. */
const signExtend = (u: number, n: number): number => (u << (32 - n)) >> (32 - n);

function readSignedBits(reader: BitReader, n: number): number {
  if (n <= 32) return signExtend(reader.readBits(n), n);
  const hi = signExtend(reader.readBits(n - 32), n - 32);
  return hi * TWO_32 + reader.readBits(32);
}

/** A lone integer: a 6-bit length, then the value. */
export function writeVarSigned(writer: BitWriter, x: number): void {
  const n = Math.max(1, bitsNeeded(x));
  writer.writeBits(n - 1, 6);
  writeSignedBits(writer, x, n);
}

export function readVarSigned(reader: BitReader): number {
  return readSignedBits(reader, reader.readBits(6) + 1);
}

interface StreamLayout {
  zeroCode: boolean;
  width: number;
  bits: number;
}

/** The smallest layout for `values`, and its size in bits (header included). */
export function chooseLayout(values: ArrayLike<number>): StreamLayout {
  const histogram = new Array<number>(MAX_WIDTH + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const need = bitsNeeded(values[i] as number);
    histogram[need] = (histogram[need] as number) + 1;
  }
  const zeros = histogram[0] as number;
  let best: StreamLayout = { zeroCode: false, width: 0, bits: Number.POSITIVE_INFINITY };
  for (let width = 0; width <= MAX_WIDTH; width++) {
    // Values that do not fit `width` cost their own length plus the 6-bit length field.
    let fitting = 0;
    let escaped = 0;
    for (let need = 0; need <= MAX_WIDTH; need++) {
      const count = histogram[need] as number;
      if (need <= width) fitting += count;
      else escaped += count * (need + 6);
    }
    const plain = fitting * (1 + width) + (values.length - fitting) + escaped;
    if (plain < best.bits) best = { zeroCode: false, width, bits: plain };
    if (width > 0) {
      const withZero = zeros + (fitting - zeros) * (2 + width) + (values.length - fitting) * 2 + escaped;
      if (withZero < best.bits) best = { zeroCode: true, width, bits: withZero };
    }
  }
  best.bits += 7;
  return best;
}

/** Writes the layout header (7 bits) and every value. */
export function writeIntStream(
  writer: BitWriter,
  values: ArrayLike<number>,
  layout = chooseLayout(values),
): void {
  const { zeroCode, width } = layout;
  writer.writeBit(zeroCode ? 1 : 0);
  writer.writeBits(width, 6);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const need = bitsNeeded(x);
    if (zeroCode) {
      if (need === 0) {
        writer.writeBit(0);
        continue;
      }
      writer.writeBit(1);
    }
    if (need <= width) {
      writer.writeBit(0);
      if (width > 0) writeSignedBits(writer, x, width);
    } else {
      writer.writeBit(1);
      writer.writeBits(need - 1, 6);
      writeSignedBits(writer, x, need);
    }
  }
}

/** Reads `count` values written by writeIntStream into `out` from `offset` on. */
export function readIntStream(reader: BitReader, count: number, out: Float64Array, offset = 0): void {
  const zeroCode = reader.readBit() === 1;
  const width = reader.readBits(6);
  if (width > MAX_WIDTH) throw new ChunkFormatError(`integer stream width ${width} out of range`);
  for (let i = 0; i < count; i++) {
    if (zeroCode && reader.readBit() === 0) {
      out[offset + i] = 0;
    } else if (reader.readBit() === 0) {
      out[offset + i] = width > 0 ? readSignedBits(reader, width) : 0;
    } else {
      out[offset + i] = readSignedBits(reader, reader.readBits(6) + 1);
    }
  }
}
