// Values XORed with the previous one, as Gorilla and Prometheus's XOR chunks do: an unchanged value is
// one bit; a changed one writes only the XOR's meaningful bits, inside the previous window of
// leading/trailing zeros when they fit ('10'), else with a new window ('11', 5 bits of leading zeros,
// 6 of length). The first value is its 64 raw bits. Staleness markers are their NaN pattern, like any
// other value; other NaNs are written as the canonical quiet NaN.
import type { BitReader, BitWriter } from './bits.ts';
import { bitsToFloat, floatBits, isStaleBits, STALE_NAN_HI, STALE_NAN_LO } from './float-bits.ts';

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Writes hi:lo shifted right by `shift`, `n` bits of it. */
function writeShifted(writer: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  if (shift === 0) writer.writeBits64(hi, lo, n);
  else if (shift >= 32) writer.writeBits64(0, hi >>> (shift - 32), n);
  else writer.writeBits64(hi >>> shift, ((lo >>> shift) | (hi << (32 - shift))) >>> 0, n);
}

export function writeXorValues(
  writer: BitWriter,
  values: ArrayLike<number>,
  stale: ArrayLike<number> | undefined,
): void {
  const bits = new Uint32Array(2);
  let prevHi = 0;
  let prevLo = 0;
  let leading = -1; // no window yet
  let trailing = 0;
  for (let i = 0; i < values.length; i++) {
    if (stale?.[i]) {
      bits[0] = STALE_NAN_HI;
      bits[1] = STALE_NAN_LO;
    } else {
      floatBits(values[i] as number, bits);
    }
    const hi = bits[0] as number;
    const lo = bits[1] as number;
    if (i === 0) {
      writer.writeBits(hi, 32);
      writer.writeBits(lo, 32);
    } else {
      const xHi = (hi ^ prevHi) >>> 0;
      const xLo = (lo ^ prevLo) >>> 0;
      if (xHi === 0 && xLo === 0) {
        writer.writeBit(0);
      } else {
        writer.writeBit(1);
        let lz = clz64(xHi, xLo);
        const tz = ctz64(xHi, xLo);
        if (lz > 31) lz = 31; // 5 bits
        if (leading >= 0 && lz >= leading && tz >= trailing) {
          writer.writeBit(0);
          writeShifted(writer, xHi, xLo, trailing, 64 - leading - trailing);
        } else {
          const significant = 64 - lz - tz;
          writer.writeBit(1);
          writer.writeBits(lz, 5);
          writer.writeBits(significant & 63, 6); // 64 is written as 0
          writeShifted(writer, xHi, xLo, tz, significant);
          leading = lz;
          trailing = tz;
        }
      }
    }
    prevHi = hi;
    prevLo = lo;
  }
}

/** Reads `count` values into v (NaN where stale) and stale (1 where a staleness marker); returns whether any was. */
export function readXorValues(reader: BitReader, count: number, v: Float64Array, stale: Uint8Array): boolean {
  let hi = 0;
  let lo = 0;
  let leading = 0;
  let trailing = 0;
  let anyStale = false;
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      hi = reader.readBits(32);
      lo = reader.readBits(32);
    } else if (reader.readBit() === 1) {
      if (reader.readBit() === 1) {
        leading = reader.readBits(5);
        let significant = reader.readBits(6);
        if (significant === 0) significant = 64;
        trailing = 64 - leading - significant;
      }
      const n = 64 - leading - trailing;
      let xHi = n > 32 ? reader.readBits(n - 32) : 0;
      let xLo = reader.readBits(n > 32 ? 32 : n);
      // Shift the meaningful bits back into place.
      if (trailing >= 32) {
        xHi = xLo << (trailing - 32);
        xLo = 0;
      } else if (trailing > 0) {
        xHi = (xHi << trailing) | (xLo >>> (32 - trailing));
        xLo = xLo << trailing;
      }
      hi = (hi ^ xHi) >>> 0;
      lo = (lo ^ xLo) >>> 0;
    }
    if (isStaleBits(hi, lo)) {
      stale[i] = 1;
      v[i] = Number.NaN;
      anyStale = true;
    } else {
      v[i] = bitsToFloat(hi, lo);
    }
  }
  return anyStale;
}
