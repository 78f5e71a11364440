/** The ordering comparisons TraceQL and LogQL share (their equality operators are spelled differently). */
export type OrderOperator = '>' | '>=' | '<' | '<=';

export function isOrderOperator(op: string): op is OrderOperator {
  return op === '>' || op === '>=' || op === '<' || op === '<=';
}

export function compareOrdered<T extends number | string | boolean>(
  actual: T,
  op: OrderOperator,
  expected: T,
): boolean {
  switch (op) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
  }
}
