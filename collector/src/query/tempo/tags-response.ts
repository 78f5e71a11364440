// Tag names and values, as grafana/tempo docs/sources/tempo/api_docs/_index.md shows them:
//   GET /api/search/tags                     {"tagNames": ["host.name", ...]}
//   GET /api/v2/search/tags                  {"scopes": [{"name": "span", "tags": [...]},
//                                                        {"name": "resource", "tags": [...]},
//                                                        {"name": "intrinsic", "tags": [...]}]}
//   GET /api/search/tag/<tag>/values         {"tagValues": ["adservice", ...]}
//   GET /api/v2/search/tag/<tag>/values      {"tagValues": [{"type": "string", "value": "customer"}, ...]}
// Grafana decides from the `intrinsic` scope which tags its query builder writes without a scope prefix,
// so that scope lists exactly the intrinsics our TraceQL supports. Tags are sorted and deduplicated.
import type { AnyValue } from '../../receiver/decoded-types.ts';
import { KIND_VALUES, STATUS_VALUES, SUPPORTED_INTRINSICS } from '../traceql/intrinsics.ts';

export interface TagScopes {
  span?: readonly string[];
  resource?: readonly string[];
  /** Defaults to the intrinsics our TraceQL supports. */
  intrinsic?: readonly string[];
}

export type TagScopeName = 'span' | 'resource' | 'intrinsic';

/** /api/v2/search/tags; `only` restricts the answer to one scope, as Tempo's `?scope=` does. */
export function searchTagsV2Json(
  scopes: TagScopes,
  only?: TagScopeName,
): { scopes: { name: string; tags: string[] }[] } {
  const all: [TagScopeName, readonly string[]][] = [
    ['span', scopes.span ?? []],
    ['resource', scopes.resource ?? []],
    ['intrinsic', scopes.intrinsic ?? SUPPORTED_INTRINSICS],
  ];
  return {
    scopes: all
      .filter(([name]) => only === undefined || name === only)
      .map(([name, tags]) => ({ name, tags: sortedUnique(tags) })),
  };
}

/** /api/search/tags: span and resource tags together (and intrinsics when asked for with ?scope=intrinsic). */
export function searchTagsV1Json(scopes: TagScopes, only?: TagScopeName): { tagNames: string[] } {
  const names =
    only === undefined
      ? [...(scopes.span ?? []), ...(scopes.resource ?? [])]
      : only === 'intrinsic'
        ? [...(scopes.intrinsic ?? SUPPORTED_INTRINSICS)]
        : [...(scopes[only] ?? [])];
  return { tagNames: sortedUnique(names) };
}

export function searchTagValuesV1Json(values: readonly string[]): { tagValues: string[] } {
  return { tagValues: sortedUnique(values) };
}

export interface TagValue {
  /** TraceQL static type: string, int, float, bool, duration; keyword for status and kind values. */
  type: string;
  value: string;
}

export function searchTagValuesV2Json(values: readonly TagValue[]): { tagValues: TagValue[] } {
  const seen = new Map<string, TagValue>();
  for (const value of values)
    seen.set(`${value.type}\u0000${value.value}`, { type: value.type, value: value.value });
  return {
    tagValues: [...seen.values()].sort((a, b) => compare(a.value, b.value) || compare(a.type, b.type)),
  };
}

/** The TagValue of a stored attribute value; null for types TraceQL cannot compare (arrays, maps, bytes). */
export function tagValueOf(value: AnyValue): TagValue | null {
  switch (value.type) {
    case 'string':
      return { type: 'string', value: value.value };
    case 'int':
      return { type: 'int', value: value.value.toString() };
    case 'double':
      return { type: 'float', value: String(value.value) };
    case 'bool':
      return { type: 'bool', value: String(value.value) };
    default:
      return null;
  }
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The values of the status and kind intrinsics, as Tempo lists them (type keyword); null for others. */
export function intrinsicTagValues(name: string): TagValue[] | null {
  const values = name === 'status' ? STATUS_VALUES : name === 'kind' ? KIND_VALUES : null;
  return values ? values.map((value) => ({ type: 'keyword', value })) : null;
}
