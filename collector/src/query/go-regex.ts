// Go (RE2) regular expressions as JavaScript RegExps. The two syntaxes agree on what queries use in practice;
// the differences handled here are Go's leading flag group `(?i)` / `(?s)` / `(?is)` (JavaScript only has
// flags on the whole expression, or scoped `(?i:...)` groups) and named groups `(?P<name>...)`. A pattern
// JavaScript still rejects is reported as invalid rather than approximated.

export type RegexMode =
  /** Matches the whole value, as Prometheus label matchers and TraceQL `=~` do: ^(?:re)$. */
  | 'anchored'
  /** Anchored, and `.` also matches newlines: Prometheus/Loki label matchers compile ^(?s:re)$. */
  | 'anchored-dotall'
  /** Matches anywhere in the value, as Go's regexp.MatchString and Loki's `|~` line filter do. */
  | 'search';

const cache = new Map<string, RegExp>();

/** Compiles (and caches) a Go regular expression. Throws an Error with JavaScript's message when invalid. */
export function compileGoRegex(pattern: string, mode: RegexMode): RegExp {
  const key = `${mode}\u0000${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let source = pattern.replaceAll('(?P<', '(?<');
  let flags = mode === 'anchored-dotall' ? 's' : '';
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading?.[1]) {
    if (leading[1].includes('U')) throw new Error('the (?U) flag is not supported');
    for (const flag of leading[1]) if (!flags.includes(flag)) flags += flag;
    source = source.slice(leading[0].length);
  }
  if (mode !== 'search') source = `^(?:${source})$`;
  const regex = compileWithUnicodeIfPossible(source, flags);
  if (cache.size > 1000) cache.clear();
  cache.set(key, regex);
  return regex;
}

// The `u` flag gives code-point semantics like Go's and \p{..} classes, but rejects escapes Go accepts
// (such as `\_`): fall back to the legacy syntax when it refuses.
function compileWithUnicodeIfPossible(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    return new RegExp(source, flags);
  }
}
