// The tag named in /api/v2/search/tag/<tag>/values: `resource.x`, `span.x`, `.x` or an intrinsic
// (`name`, `span:name`, `trace:rootService`...). Some Grafana versions URI-encode the tag twice and the
// router decodes it once, so a name still holding %XX escapes is decoded again when that is valid.
import { INTRINSIC_SPELLINGS, type Intrinsic } from '../../query/traceql/index.ts';
import type { TagScope } from './tag-queries.ts';

export type ScopedTag =
  | { type: 'intrinsic'; intrinsic: Intrinsic }
  | { type: 'attribute'; scope: TagScope; name: string };

export function decodeTagName(raw: string): string {
  if (!/%[0-9a-fA-F]{2}/.test(raw)) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function parseScopedTag(name: string): ScopedTag {
  const intrinsic = Object.hasOwn(INTRINSIC_SPELLINGS, name) ? INTRINSIC_SPELLINGS[name] : undefined;
  if (intrinsic) return { type: 'intrinsic', intrinsic };
  if (name.startsWith('resource.')) return { type: 'attribute', scope: 'resource', name: name.slice(9) };
  if (name.startsWith('span.')) return { type: 'attribute', scope: 'span', name: name.slice(5) };
  if (name.startsWith('.')) return { type: 'attribute', scope: 'unscoped', name: name.slice(1) };
  return { type: 'attribute', scope: 'unscoped', name };
}
