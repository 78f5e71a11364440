// Collects what validation rejected, and turns it into the partial-success error message.

const MAX_LISTED = 10;

export class ValidationProblems {
  rejected = 0;
  total = 0;
  private readonly listed: string[] = [];
  private unlisted = 0;

  /** `count` records at `where` cannot be stored because of `problem`. */
  reject(where: string, problem: string, count = 1): void {
    this.rejected += count;
    this.note(`${where}: ${problem}`);
  }

  /** Something worth telling the sender that rejected nothing. */
  warn(where: string, problem: string): void {
    this.note(`${where}: ${problem}`);
  }

  get isEmpty(): boolean {
    return this.listed.length === 0;
  }

  /** "rejected 2 of 10 spans: resource_spans[0].scope_spans[0].spans[3]: trace_id ...; ...", or '' when all is well. */
  message(recordName: string): string {
    if (this.isEmpty) return '';
    const more = this.unlisted > 0 ? ` (and ${this.unlisted} more)` : '';
    return `rejected ${this.rejected} of ${this.total} ${recordName}: ${this.listed.join('; ')}${more}`;
  }

  private note(text: string): void {
    if (this.listed.length < MAX_LISTED) this.listed.push(text);
    else this.unlisted++;
  }
}

const ALL_ZEROES = /^0*$/;

/**
 * What is wrong with a hex id that must be `bytes` long (ids of any other length, or all zeroes, are
 * invalid per the OTLP spec), or undefined when it is fine. `optional` ids may also be ''.
 */
export function idProblem(name: string, hex: string, bytes: number, optional = false): string | undefined {
  if (hex === '') return optional ? undefined : `${name} is missing`;
  if (hex.length !== bytes * 2) return `${name} must be ${bytes} bytes, got ${hex.length / 2}`;
  if (ALL_ZEROES.test(hex)) return `${name} is all zeroes`;
  return undefined;
}

export function isAllZeroes(hex: string): boolean {
  return hex !== '' && ALL_ZEROES.test(hex);
}

/** Keeps the items `problemOf` finds nothing wrong with; copies the array only when something goes. */
export function keepValid<T>(
  items: T[],
  problemOf: (item: T) => string | undefined,
  where: (index: number) => string,
  problems: ValidationProblems,
): T[] {
  problems.total += items.length;
  let kept: T[] | undefined;
  items.forEach((item, i) => {
    const problem = problemOf(item);
    if (problem !== undefined) {
      problems.reject(where(i), problem);
      kept ??= items.slice(0, i);
    } else if (kept !== undefined) {
      kept.push(item);
    }
  });
  return kept ?? items;
}
