import type { DecodedLogs, LogRecord } from './decoded-types.ts';
import { anyValue, idToHex, keyValues, list, resource, scope, toBigInt } from './normalize-common.ts';
import type { WireLogRecord, WireLogsRequest } from './wire-types.ts';

export function normalizeLogs(request: WireLogsRequest): DecodedLogs {
  return {
    signal: 'logs',
    resourceLogs: list(request.resourceLogs).map((rl) => ({
      resource: resource(rl.resource),
      schemaUrl: rl.schemaUrl ?? '',
      scopeLogs: list(rl.scopeLogs).map((sl) => ({
        scope: scope(sl.scope),
        schemaUrl: sl.schemaUrl ?? '',
        logRecords: list(sl.logRecords).map(normalizeLogRecord),
      })),
    })),
  };
}

function normalizeLogRecord(record: WireLogRecord): LogRecord {
  return {
    timeUnixNano: toBigInt(record.timeUnixNano),
    observedTimeUnixNano: toBigInt(record.observedTimeUnixNano),
    severityNumber: record.severityNumber ?? 0,
    severityText: record.severityText ?? '',
    body: anyValue(record.body),
    attributes: keyValues(record.attributes),
    droppedAttributesCount: record.droppedAttributesCount ?? 0,
    flags: record.flags ?? 0,
    traceId: idToHex(record.traceId),
    spanId: idToHex(record.spanId),
    eventName: record.eventName ?? '',
  };
}
