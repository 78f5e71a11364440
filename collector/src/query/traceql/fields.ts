// TraceQL fields (the grammar's IntrinsicField and AttributeField nodes) to Field.
import { children, type SyntaxNode, text } from '../lezer-tree.ts';
import { unsupported } from '../query-error.ts';
import type { Field } from './ast.ts';
import { INTRINSIC_SPELLINGS } from './intrinsics.ts';

export function intrinsicField(query: string, node: SyntaxNode): Field {
  const spelling = text(query, node);
  const name = INTRINSIC_SPELLINGS[spelling];
  if (!name) throw unsupported('TraceQL', `intrinsic '${spelling}'`, node.from);
  return { type: 'intrinsic', name };
}

export function attributeField(query: string, node: SyntaxNode): Field {
  const parts = children(node);
  const identifier = parts.at(-1);
  if (identifier?.name !== 'Identifier') throw unsupported('TraceQL', 'attribute', node.from);
  const raw = text(query, identifier);
  if (raw.startsWith('$')) {
    throw unsupported(
      'TraceQL',
      `template variable '${raw}' (Grafana should have replaced it)`,
      identifier.from,
    );
  }
  const name = attributeName(raw);
  const scopes = parts.slice(0, -1).map((part) => part.name);
  if (scopes.length === 0) return { type: 'attribute', scope: 'unscoped', name };
  if (scopes.length === 1 && scopes[0] === 'Span') return { type: 'attribute', scope: 'span', name };
  if (scopes.length === 1 && scopes[0] === 'Resource') return { type: 'attribute', scope: 'resource', name };
  const scope = text(query, { from: node.from, to: identifier.from });
  throw unsupported('TraceQL', `attribute scope '${scope}'`, node.from);
}

/**
 * The attribute name of an identifier: dotted segments are kept as they are (`http.status_code`), quoted
 * segments lose their quotes and escapes (`"service.name"`, `attr."with space"`, `"say \"hi\""`).
 */
export function attributeName(raw: string): string {
  let name = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c !== '"') {
      name += c;
      continue;
    }
    for (i++; i < raw.length && raw.charAt(i) !== '"'; i++) {
      if (raw.charAt(i) === '\\') i++;
      name += raw.charAt(i);
    }
  }
  return name;
}
