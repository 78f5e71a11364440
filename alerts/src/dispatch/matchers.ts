// Alertmanager label matchers: the new syntax (`name="value"`, `=~`, `!=`, `!~`, values quoted or not,
// `{a="1", b=~"x"}` lists) and the legacy `match` / `match_re` maps. Regexes are anchored, as Alertmanager's.
import { compileGoRegexp } from '../templates/go-regexp.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  type: MatchType;
  value: string;
  regex?: RegExp;
}

export function newMatcher(name: string, type: MatchType, value: string): Matcher {
  const m: Matcher = { name, type, value };
  if (type === '=~' || type === '!~') {
    // compileGoRegexp's regexes are global (for scanning), which makes test() stateful: use a non-global copy.
    const scanning = compileGoRegexp(`^(?:${value})$`);
    m.regex = new RegExp(scanning.source, scanning.flags.replace('g', ''));
  }
  return m;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^"{},]*?)\s*$/;

/** One matcher in the new syntax; throws with Alertmanager's kind of message. */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text.replace(/^\s*\{/, '').replace(/\}\s*$/, ''));
  if (!m) throw new Error(`bad matcher format: ${text}`);
  const [, name, type, raw] = m as unknown as [string, string, MatchType, string];
  const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  try {
    return newMatcher(name, type, value);
  } catch (error) {
    throw new Error(`invalid regular expression in ${text}: ${(error as Error).message}`);
  }
}

export function matches(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => {
    const v = labels[m.name] ?? '';
    switch (m.type) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return m.regex?.test(v) ?? false;
      default:
        return !(m.regex?.test(v) ?? false);
    }
  });
}

export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}
