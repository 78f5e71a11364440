// Go (RE2) regular expressions for the `match` and `reReplaceAll` template functions: unanchored, as Go's
// regexp.MatchString and ReplaceAllString, with Go's `$1`/`${name}` replacement expansion and its handling
// of empty matches. The RE2 syntax differences that matter in practice are translated: `(?P<name>…)` groups
// and a leading flag group `(?i)`/`(?s)`/`(?m)`.

const cache = new Map<string, RegExp>();

/** Compiles a Go regular expression (global, for scanning). Throws an Error naming the pattern. */
export function compileGoRegexp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = pattern.replaceAll('(?P<', '(?<');
  let flags = 'g';
  const leading = /^\(\?([ims]+)\)/.exec(source);
  if (leading?.[1]) {
    for (const flag of leading[1]) if (!flags.includes(flag)) flags += flag;
    source = source.slice(leading[0].length);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source, `${flags}u`);
  } catch {
    try {
      regex = new RegExp(source, flags);
    } catch (error) {
      throw new Error(`error parsing regexp: ${(error as Error).message}: \`${pattern}\``);
    }
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, regex);
  return regex;
}

/** regexp.MatchString(pattern, s). */
export function goMatch(pattern: string, s: string): boolean {
  const regex = compileGoRegexp(pattern);
  regex.lastIndex = 0;
  return regex.test(s);
}

/** Go's Regexp.Expand of a template for one match: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^[A-Za-z0-9_]+$/.test(inner)) {
        out += c;
        continue;
      }
      name = inner;
      end = close;
    } else {
      const word = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1))?.[0];
      if (!word) {
        out += c;
        continue;
      }
      name = word;
      end = i + word.length;
    }
    if (/^\d+$/.test(name)) out += match[Number(name)] ?? '';
    else out += match.groups?.[name] ?? '';
    i = end;
  }
  return out;
}

/** regexp.MustCompile(pattern).ReplaceAllString(text, replacement). */
export function goReplaceAll(pattern: string, replacement: string, text: string): string {
  const regex = compileGoRegexp(pattern);
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= text.length) {
    regex.lastIndex = searchPos;
    const match = regex.exec(text);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    out += text.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += expand(replacement, match);
    lastMatchEnd = end;
    const width = (text.codePointAt(searchPos) ?? 0) > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + text.slice(lastMatchEnd);
}
