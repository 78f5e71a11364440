// `| logfmt`: Loki's LogfmtParser and its decoder (a port of go-logfmt). Each key=value pair becomes a label;
// a key without a value, or with an empty one, is skipped unless --keep-empty. By default a malformed pair is
// skipped and parsing goes on; with --strict parsing stops there and the entry gets
// __error__="LogfmtParserErr" with Loki's "logfmt syntax error at pos N : ..." details.
import { extractedName, sanitizeLabelName } from './label-names.ts';
import { type LogEntry, withError } from './log-entry.ts';

export const LOGFMT_PARSER_ERROR = 'LogfmtParserErr';

export interface LogfmtOptions {
  strict: boolean;
  keepEmpty: boolean;
}

export function applyLogfmtParser(entry: LogEntry, options: LogfmtOptions): LogEntry {
  const decoder = new LogfmtDecoder(entry.line);
  const labels: Record<string, string> = { ...entry.labels };
  while (!decoder.atEnd()) {
    const pair = decoder.next();
    if (pair === 'error') {
      if (options.strict) break;
      continue;
    }
    if (pair === null) break;
    const name = sanitizeLabelName(pair.key);
    if (name === '') continue;
    if (!options.keepEmpty && pair.value === '') continue;
    labels[extractedName(name, entry.labels)] = pair.value;
  }
  if (options.strict && decoder.error) {
    return { line: entry.line, labels: withError(labels, LOGFMT_PARSER_ERROR, decoder.error) };
  }
  return { line: entry.line, labels };
}

class LogfmtDecoder {
  private readonly line: string;
  private pos = 0;
  error: string | null = null;

  constructor(line: string) {
    this.line = line;
  }

  atEnd(): boolean {
    return this.pos >= this.line.length;
  }

  /** The next pair; null at the end of the line; 'error' for a malformed pair (skipped past). */
  next(): { key: string; value: string } | null | 'error' {
    const line = this.line;
    while (this.pos < line.length && line.charCodeAt(this.pos) <= 32) this.pos++;
    if (this.pos >= line.length) return null;

    const keyStart = this.pos;
    while (this.pos < line.length) {
      const c = line.charAt(this.pos);
      if (c === '=') break;
      if (c === '"') return this.fail(`unexpected '"'`);
      if (line.charCodeAt(this.pos) <= 32) return { key: line.slice(keyStart, this.pos), value: '' };
      this.pos++;
    }
    const key = line.slice(keyStart, this.pos);
    if (this.pos >= line.length) return { key, value: '' };
    if (key === '') return this.fail(`unexpected '='`);

    this.pos++; // '='
    if (this.pos >= line.length || line.charCodeAt(this.pos) <= 32) return { key, value: '' };
    if (line.charAt(this.pos) === '"') return this.quotedValue(key);

    const valueStart = this.pos;
    while (this.pos < line.length && line.charCodeAt(this.pos) > 32) {
      const c = line.charAt(this.pos);
      if (c === '=' || c === '"') return this.fail(`unexpected '${c}'`);
      this.pos++;
    }
    return { key, value: line.slice(valueStart, this.pos) };
  }

  private quotedValue(key: string): { key: string; value: string } | 'error' {
    const start = this.pos;
    for (let i = start + 1, escaped = false; i < this.line.length; i++) {
      const c = this.line.charAt(i);
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        this.pos = i + 1;
        try {
          return { key, value: JSON.parse(this.line.slice(start, this.pos)) as string };
        } catch {
          return this.fail('invalid quoted value');
        }
      }
    }
    this.pos = this.line.length;
    return this.fail('unterminated quoted value');
  }

  // Records the error and moves past the offending character, so that a lenient parse always progresses.
  private fail(message: string): 'error' {
    this.error ??= `logfmt syntax error at pos ${this.pos + 1} : ${message}`;
    this.pos++;
    return 'error';
  }
}
