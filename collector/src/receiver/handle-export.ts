// The receive pipeline both transports share: decode, validate, hand to the sink, merge the counts.
import { type AuthConfig, resolveTenant } from '../auth/tokens.ts';
import { decodeExportRequest, type OtlpEncoding } from './decode.ts';
import type { OtlpSignal } from './decoded-types.ts';
import { enforceTenant } from './enforce-tenant.ts';
import { countRecords } from './flatten.ts';
import type { OtlpSink, SinkContext } from './sink.ts';
import { validateExport } from './validate.ts';

export interface ExportOutcome {
  /** Records not kept, by validation or by the sink. 0 and '' mean full success. */
  rejected: number;
  message: string;
}

/**
 * Throws AuthError for a missing or wrong token (before reading anything), OtlpDecodeError for an
 * undecodable body; lets the sink's errors through. Resolves only after the sink has resolved.
 */
export async function handleExport(
  signal: OtlpSignal,
  body: Uint8Array,
  encoding: OtlpEncoding,
  sink: OtlpSink,
  context: SinkContext,
  auth?: AuthConfig,
): Promise<ExportOutcome> {
  const tenant = resolveTenant(context.headers, auth);
  sink.admit?.(signal);
  const request = decodeExportRequest(signal, body, encoding);
  const validation = validateExport(request);
  let rejected = validation.rejected;
  const messages = validation.message === '' ? [] : [validation.message];
  let accepted = validation.accepted;
  if (tenant !== undefined && accepted > 0) {
    const tenancy = enforceTenant(request, tenant);
    if (tenancy.rejected > 0) {
      rejected += tenancy.rejected;
      messages.push(tenancy.message);
      accepted = countRecords(request);
    }
  }
  // Empty envelopes (nothing left to store) are acknowledged without bothering the sink.
  if (accepted > 0) {
    const result = await sink.consume(request, context);
    if (result?.rejected) rejected += result.rejected;
    if (result?.message) messages.push(result.message);
  }
  return { rejected, message: messages.join('; ') };
}
