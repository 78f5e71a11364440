// The compressed chunk codec of the metrics store: Gorilla-style XOR chunks, and decimal chunks for
// values with few decimal digits.
export { ChunkFormatError } from './bits.ts';
export {
  CHUNK_ENCODING_DECIMAL,
  CHUNK_ENCODING_XOR,
  type ChunkEncodingName,
  type ChunkSamples,
  chunkEncoding,
  chunkSampleCount,
  type DecodedChunk,
  decodeChunk,
  type EncodeOptions,
  encodeChunk,
  MAX_CHUNK_SAMPLES,
} from './chunk.ts';
export { STALE_NAN_HI, STALE_NAN_LO } from './float-bits.ts';
