// The chunk format: a run of samples (timestamp ms, float64 value, stale flag) of one series, in time
// order, compressed.
//
//   byte 0      encoding: 1 XOR, 2 decimal (the format can grow new encodings without touching old ones)
//   bytes 1..   sample count, unsigned LEB128 varint
//   then bits   (most significant first, the last byte zero-padded)
//     timestamps  the first as a 6-bit length and that many bits, then the delta-of-deltas (the first
//                 delta counts as a delta-of-delta from 0) as an integer stream (int-stream.ts)
//     XOR         the values as xor-values.ts writes them; a staleness marker is its NaN pattern
//     decimal     1 bit "has staleness markers", then if set one bit per sample (1 = marker), then the
//                 other samples' values as decimal-values.ts writes them
//
// encodeChunk picks, per chunk, the smaller of XOR and (when every value is a short decimal) decimal.
// Timestamps must be integers, strictly increasing, within ±2^50 ms (±35,000 years) so that every delta
// and delta-of-delta stays an exact double.
import { BitReader, BitWriter, ChunkFormatError } from './bits.ts';
import { readDecimalValues, toDecimal, writeDecimalValues } from './decimal-values.ts';
import { readIntStream, readVarSigned, writeIntStream, writeVarSigned } from './int-stream.ts';
import { readXorValues, writeXorValues } from './xor-values.ts';

export const CHUNK_ENCODING_XOR = 1;
export const CHUNK_ENCODING_DECIMAL = 2;
export type ChunkEncodingName = 'xor' | 'decimal';

/** Most samples one chunk may hold (the decoder refuses more: corrupt data must not allocate gigabytes). */
export const MAX_CHUNK_SAMPLES = 65_536;
const MAX_TIMESTAMP = 2 ** 50;

/** Samples to encode: `stale[i]` non-zero marks a staleness marker (its `v[i]` is ignored). */
export interface ChunkSamples {
  t: ArrayLike<number>;
  v: ArrayLike<number>;
  stale?: ArrayLike<number>;
}

/** Decoded samples: `stale` is present only when some sample is a staleness marker (then its v is NaN). */
export interface DecodedChunk {
  t: Float64Array;
  v: Float64Array;
  stale?: Uint8Array;
}

export interface EncodeOptions {
  /** Force an encoding (tests); by default the smaller one. 'decimal' falls back to XOR when it cannot apply. */
  encoding?: ChunkEncodingName;
}

function writeHeader(writer: BitWriter, encoding: number, count: number): void {
  writer.writeBits(encoding, 8);
  let rest = count;
  while (rest >= 0x80) {
    writer.writeBits((rest & 0x7f) | 0x80, 8);
    rest >>>= 7;
  }
  writer.writeBits(rest, 8);
}

function checkTimestamps(t: ArrayLike<number>): void {
  for (let i = 0; i < t.length; i++) {
    const time = t[i] as number;
    if (!Number.isInteger(time) || time > MAX_TIMESTAMP || time < -MAX_TIMESTAMP) {
      throw new RangeError(`chunk timestamp ${time} is not an integer within ±2^50`);
    }
    if (i > 0 && time <= (t[i - 1] as number)) {
      throw new RangeError(`chunk timestamps must increase: ${time} after ${t[i - 1]}`);
    }
  }
}

function writeTimestamps(writer: BitWriter, t: ArrayLike<number>): void {
  if (t.length === 0) return;
  writeVarSigned(writer, t[0] as number);
  if (t.length === 1) return;
  const dods = new Float64Array(t.length - 1);
  let previousDelta = 0;
  for (let i = 1; i < t.length; i++) {
    const delta = (t[i] as number) - (t[i - 1] as number);
    dods[i - 1] = delta - previousDelta;
    previousDelta = delta;
  }
  writeIntStream(writer, dods);
}

function encodeWith(
  encoding: number,
  samples: ChunkSamples,
  decimal?: ReturnType<typeof toDecimal>,
): Uint8Array {
  const count = samples.t.length;
  const writer = new BitWriter(16 + count * 2);
  writeHeader(writer, encoding, count);
  writeTimestamps(writer, samples.t);
  if (count > 0) {
    if (encoding === CHUNK_ENCODING_XOR) {
      writeXorValues(writer, samples.v, samples.stale);
    } else if (decimal) {
      const stale = samples.stale;
      let anyStale = false;
      if (stale) for (let i = 0; i < count && !anyStale; i++) anyStale = !!stale[i];
      writer.writeBit(anyStale ? 1 : 0);
      if (anyStale && stale) for (let i = 0; i < count; i++) writer.writeBit(stale[i] ? 1 : 0);
      writeDecimalValues(writer, decimal);
    }
  }
  return writer.finish();
}

/** Encodes samples (strictly increasing integer timestamps) as one chunk. */
export function encodeChunk(samples: ChunkSamples, options: EncodeOptions = {}): Uint8Array {
  const count = samples.t.length;
  if (samples.v.length !== count || (samples.stale && samples.stale.length !== count)) {
    throw new RangeError('chunk samples: t, v and stale must have the same length');
  }
  if (count > MAX_CHUNK_SAMPLES) throw new RangeError(`a chunk holds at most ${MAX_CHUNK_SAMPLES} samples`);
  checkTimestamps(samples.t);
  const decimal = options.encoding === 'xor' ? undefined : toDecimal(samples.v, samples.stale);
  if (options.encoding === 'decimal' && decimal) return encodeWith(CHUNK_ENCODING_DECIMAL, samples, decimal);
  const xor = encodeWith(CHUNK_ENCODING_XOR, samples);
  if (!decimal) return xor;
  const asDecimal = encodeWith(CHUNK_ENCODING_DECIMAL, samples, decimal);
  return asDecimal.length < xor.length ? asDecimal : xor;
}

interface Header {
  encoding: number;
  count: number;
  /** Bit offset of the body. */
  bodyBit: number;
}

function readHeader(data: Uint8Array): Header {
  if (data.length < 2) throw new ChunkFormatError('chunk too short');
  const encoding = data[0] as number;
  if (encoding !== CHUNK_ENCODING_XOR && encoding !== CHUNK_ENCODING_DECIMAL) {
    throw new ChunkFormatError(`unknown chunk encoding ${encoding}`);
  }
  let count = 0;
  let at = 1;
  for (let shift = 0; ; shift += 7) {
    if (at >= data.length || shift > 21) throw new ChunkFormatError('bad chunk sample count');
    const byte = data[at++] as number;
    count += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (count > MAX_CHUNK_SAMPLES) throw new ChunkFormatError(`chunk claims ${count} samples`);
  return { encoding, count, bodyBit: at * 8 };
}

/** The number of samples of a chunk, from its header. */
export function chunkSampleCount(data: Uint8Array): number {
  return readHeader(data).count;
}

export function chunkEncoding(data: Uint8Array): ChunkEncodingName {
  return readHeader(data).encoding === CHUNK_ENCODING_XOR ? 'xor' : 'decimal';
}

/** Decodes a chunk. Throws ChunkFormatError on data that is not a valid chunk. */
export function decodeChunk(data: Uint8Array): DecodedChunk {
  const { encoding, count, bodyBit } = readHeader(data);
  const t = new Float64Array(count);
  const v = new Float64Array(count);
  const stale = new Uint8Array(count);
  if (count === 0) return { t, v };
  const reader = new BitReader(data, bodyBit);
  t[0] = readVarSigned(reader);
  if (count > 1) {
    readIntStream(reader, count - 1, t, 1);
    let delta = 0;
    for (let i = 1; i < count; i++) {
      delta += t[i] as number;
      t[i] = (t[i - 1] as number) + delta;
    }
  }
  let anyStale: boolean;
  if (encoding === CHUNK_ENCODING_XOR) {
    anyStale = readXorValues(reader, count, v, stale);
  } else {
    anyStale = reader.readBit() === 1;
    if (anyStale) for (let i = 0; i < count; i++) stale[i] = reader.readBit();
    readDecimalValues(reader, v, stale);
  }
  return anyStale ? { t, v, stale } : { t, v };
}
