// Rule files from disk: read, parse and validate each, errors prefixed with the file name as given.
import { readFileSync } from 'node:fs';
import { type ParsedRuleFile, parseRuleFile } from './parse-rule-file.ts';

/** Reads and validates a rule file; a file that cannot be read is one error at 1:1. */
export function loadRuleFile(path: string): ParsedRuleFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const message =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file or directory'
        : (error as Error).message;
    return { groups: [], errors: [{ file: path, line: 1, column: 1, path: '', message }] };
  }
  return parseRuleFile(text, path);
}
