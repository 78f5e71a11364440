// Go's regexp.Expand, as label_replace uses it: `$1`, `${1}`, `$name`, `${name}`, `$$` for a dollar. A
// reference takes the longest run of letters, digits and underscores (`$1x` is the group named "1x", which
// does not exist, so it expands to nothing); a reference to a missing group expands to nothing.

export function goExpand(template: string, match: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar === -1) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template.charAt(i) === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    if (template.charAt(i) === '{') {
      const close = template.indexOf('}', i);
      const inner = close === -1 ? '' : template.slice(i + 1, close);
      if (close !== -1 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        i = close + 1;
      }
    } else {
      const word = /^[A-Za-z0-9_]+/.exec(template.slice(i));
      if (word) {
        name = word[0];
        i += name.length;
      }
    }
    if (name === undefined) {
      out += '$'; // not a reference: the dollar stays as written
      continue;
    }
    out += group(match, name);
  }
  return out;
}

function group(match: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) {
    const index = Number(name);
    return index < match.length ? (match[index] ?? '') : '';
  }
  return match.groups?.[name] ?? '';
}
