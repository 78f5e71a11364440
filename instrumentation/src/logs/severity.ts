import { SeverityNumber } from '@opentelemetry/api';

/** Pino's numeric levels mapped to OTel severity numbers (the log data model's ranges). */
export function severityOfPinoLevel(level: number): { number: SeverityNumber; text: string } {
  if (level >= 60) return { number: SeverityNumber.FATAL, text: 'FATAL' };
  if (level >= 50) return { number: SeverityNumber.ERROR, text: 'ERROR' };
  if (level >= 40) return { number: SeverityNumber.WARN, text: 'WARN' };
  if (level >= 30) return { number: SeverityNumber.INFO, text: 'INFO' };
  if (level >= 20) return { number: SeverityNumber.DEBUG, text: 'DEBUG' };
  return { number: SeverityNumber.TRACE, text: 'TRACE' };
}
