// Bit-level writing and reading for the chunk codec. Bits go most significant first. JavaScript's bit
// operators work on 32 bits, so one call writes or reads at most 32 bits; 64-bit quantities (float64
// patterns, large integers) go as a high and a low 32-bit half. Both sides work on up to 25 bits at a
// time (a 32-bit window, whatever the bit offset within the first byte), not bit by bit.

/** Thrown when a chunk ends before its samples do: the data is corrupt or truncated. */
export class ChunkFormatError extends Error {
  override name = 'ChunkFormatError';
}

export class BitWriter {
  private buffer: Uint8Array;
  /** Whole bytes written. */
  private bytes = 0;
  /** Pending bits (fewer than 8 between calls), in the low `pending` bits of `acc`. */
  private acc = 0;
  private pending = 0;

  constructor(initialBytes = 256) {
    this.buffer = new Uint8Array(Math.max(16, initialBytes));
  }

  /** Bits written so far. */
  get length(): number {
    return this.bytes * 8 + this.pending;
  }

  writeBit(bit: number): void {
    this.acc = (this.acc << 1) | (bit & 1);
    if (++this.pending === 8) this.flush();
  }

  /** Writes the low `n` bits of `value` (0 <= n <= 32). */
  writeBits(value: number, n: number): void {
    if (n > 24) {
      this.writeBits(value >>> 16, n - 16);
      this.writeBits(value & 0xffff, 16);
      return;
    }
    if (n === 0) return;
    // acc holds < 8 bits: with n <= 24 it stays within 31 bits.
    this.acc = (this.acc << n) | (value & ((1 << n) - 1));
    this.pending += n;
    if (this.pending >= 8) this.flush();
  }

  /** Writes the low `n` bits (0 <= n <= 64) of the 64-bit quantity hi:lo. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  /** The bytes written (the last one padded with zero bits), as a copy. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.bytes + (this.pending > 0 ? 1 : 0));
    out.set(this.buffer.subarray(0, this.bytes));
    if (this.pending > 0) out[this.bytes] = (this.acc << (8 - this.pending)) & 0xff;
    return out;
  }

  private flush(): void {
    if (this.bytes + 4 > this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    while (this.pending >= 8) {
      this.pending -= 8;
      this.buffer[this.bytes++] = (this.acc >>> this.pending) & 0xff;
    }
    this.acc &= (1 << this.pending) - 1;
  }
}

export class BitReader {
  private readonly bytes: Uint8Array;
  private readonly end: number;
  private bits: number;

  /** Reads `bytes` from bit `startBit` on. */
  constructor(bytes: Uint8Array, startBit = 0) {
    this.bytes = bytes;
    this.end = bytes.length * 8;
    this.bits = startBit;
  }

  readBit(): number {
    const at = this.bits;
    if (at >= this.end) throw new ChunkFormatError('chunk data ends early');
    this.bits = at + 1;
    return ((this.bytes[at >>> 3] as number) >>> (7 - (at & 7))) & 1;
  }

  /** Reads `n` bits (0 <= n <= 32) as an unsigned number. */
  readBits(n: number): number {
    if (n > 25) {
      const high = this.readBits(n - 16);
      return high * 65536 + this.readBits(16);
    }
    if (n === 0) return 0;
    const at = this.bits;
    if (at + n > this.end) throw new ChunkFormatError('chunk data ends early');
    const bytes = this.bytes;
    const i = at >>> 3;
    const length = bytes.length;
    // Four bytes from i (zeros past the end: never read, the check above guarantees it).
    const word =
      ((bytes[i] as number) << 24) |
      (i + 1 < length ? (bytes[i + 1] as number) << 16 : 0) |
      (i + 2 < length ? (bytes[i + 2] as number) << 8 : 0) |
      (i + 3 < length ? (bytes[i + 3] as number) : 0);
    this.bits = at + n;
    return (word << (at & 7)) >>> (32 - n);
  }
}
