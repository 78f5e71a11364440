// The attributes a search answer shows with each span, as Tempo does: the ones the query's conditions and
// select(...) name, when the span (or, for resource and unscoped names, its resource) has them.
import type {
  Field,
  FieldExpression,
  SpansetExpression,
  SpanView,
  TraceQLQuery,
} from '../../query/traceql/index.ts';
import type { KeyValue } from '../../receiver/decoded-types.ts';

type AttributeField = Extract<Field, { type: 'attribute' }>;

export function attributeFieldsOf(query: TraceQLQuery): AttributeField[] {
  const fields: AttributeField[] = [];
  collectSpanset(query.spanset, fields);
  for (const stage of query.pipeline) {
    if (stage.type === 'filter' && stage.expr) collectExpression(stage.expr, fields);
    if (stage.type === 'select')
      for (const field of stage.fields) if (field.type === 'attribute') fields.push(field);
  }
  const unique = new Map(fields.map((field) => [`${field.scope}\u0000${field.name}`, field]));
  return [...unique.values()];
}

export function shownAttributes(fields: readonly AttributeField[], span: SpanView): KeyValue[] {
  const shown: KeyValue[] = [];
  for (const field of fields) {
    const value =
      field.scope === 'span'
        ? span.attributes.get(field.name)
        : field.scope === 'resource'
          ? span.resourceAttributes.get(field.name)
          : (span.attributes.get(field.name) ?? span.resourceAttributes.get(field.name));
    if (value !== undefined && !shown.some((kv) => kv.key === field.name))
      shown.push({ key: field.name, value });
  }
  return shown;
}

function collectSpanset(expr: SpansetExpression, fields: AttributeField[]): void {
  if (expr.type === 'filter') {
    if (expr.expr) collectExpression(expr.expr, fields);
    return;
  }
  collectSpanset(expr.left, fields);
  collectSpanset(expr.right, fields);
}

function collectExpression(expr: FieldExpression, fields: AttributeField[]): void {
  switch (expr.type) {
    case 'and':
    case 'or':
      collectExpression(expr.left, fields);
      collectExpression(expr.right, fields);
      return;
    case 'not':
      collectExpression(expr.expr, fields);
      return;
    case 'comparison':
      if (expr.field.type === 'attribute') fields.push(expr.field);
  }
}
