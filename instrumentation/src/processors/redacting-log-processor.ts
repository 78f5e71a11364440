// Scrubs secrets from a log record before the batch processor queues it. Runs for every record,
// whichever logger bridge (ours, winston, bunyan) emitted it.
import type { AnyValue, Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { attributeRedactions, redactValue } from '../redaction/redact.ts';

export class RedactingLogRecordProcessor implements LogRecordProcessor {
  onEmit(record: ReadWriteLogRecord, _context?: Context): void {
    if (record.body !== undefined) record.setBody(redactValue(record.body) as AnyValue);
    for (const [key, value] of attributeRedactions(record.attributes))
      record.setAttribute(key, value as AnyValue);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
