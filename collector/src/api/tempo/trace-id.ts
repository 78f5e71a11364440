// Trace ids in Tempo's URLs: hex of up to 32 digits, left-padded with zeros as Tempo does
// (util.HexStringToTraceID), so a 64-bit id from an older tracer finds its trace.
import { BadRequestError } from '../bad-request.ts';

export function normalizeTraceId(text: string): string {
  if (!/^[0-9a-fA-F]{1,32}$/.test(text) || /^0+$/.test(text)) {
    throw new BadRequestError(
      `invalid trace id "${text}": expected up to 32 hexadecimal digits, not all zero`,
    );
  }
  return text.toLowerCase().padStart(32, '0');
}
