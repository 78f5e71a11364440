// Templates ask for one series of a recorded name (`dss_tank:…:deriv30m{dss_client="north",dss_tank_id="T1"}`),
// once per alert. Over HTTP the recorded name is an inlined expression, so each such query would evaluate it
// for every tank and filter afterwards: with many alerts that dominated evaluation (bench/alerts). Instead a
// selector of a recorded name is answered from one evaluation of the whole name per group evaluation,
// filtered here with the same matchers. Anything else (functions, ranges, offsets) is not recognised.
import { type Matcher, matches, parseMatcher } from '../dispatch/matchers.ts';

export interface RecordedSelection {
  name: string;
  matchers: Matcher[];
}

const SELECTOR = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{(.*)\}\s*$/s;

/** Splits `a="x", b=~"y,z"` at the commas outside quotes. */
function splitMatchers(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}

/** The recorded name and matchers of `query`, when it is just a selector of a name in `recorded`. */
export function recordedSelection(
  query: string,
  recorded: ReadonlyMap<string, unknown>,
): RecordedSelection | undefined {
  const m = SELECTOR.exec(query);
  if (!m?.[1] || !recorded.has(m[1])) return undefined;
  try {
    const matchers = splitMatchers(m[2] ?? '').map((part) => parseMatcher(part));
    if (matchers.some((x) => x.name === '__name__')) return undefined;
    return { name: m[1], matchers };
  } catch {
    return undefined;
  }
}

export function selectSamples<T extends { labels: Readonly<Record<string, string>> }>(
  samples: readonly T[],
  selection: RecordedSelection,
): T[] {
  return samples.filter((s) => matches(selection.matchers, s.labels));
}
