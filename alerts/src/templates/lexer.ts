// Go text/template's lexer (text/template/parse/lex.go): text, `{{ }}` actions with trim markers (`{{- `,
// ` -}}`), comments, and inside actions identifiers, keywords, fields, variables, strings, raw strings,
// characters, numbers, `:=`, `=`, `|`, parentheses and spaces. It stops at the first error, as Go's does.

export type ItemType =
  | 'error'
  | 'eof'
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawString'
  | 'charConstant'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'char'
  | 'block'
  | 'break'
  | 'continue'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'range'
  | 'template'
  | 'with';

export interface Item {
  type: ItemType;
  /** Offset of the item in the template text. */
  pos: number;
  val: string;
  /** 1-based line the item starts on. */
  line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};

const LEFT = '{{';
const RIGHT = '}}';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined) =>
  c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));
const hasLeftTrim = (s: string) => s.length >= 2 && s[0] === '-' && isSpace(s[1]);
const hasRightTrim = (s: string) => s.length >= 2 && isSpace(s[0]) && s[1] === '-';

/** The items of a template, ending with an `eof` or an `error` item. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  const lineAt = lineCounter(input);
  let start = 0;
  let pos = 0;
  let parenDepth = 0;

  const push = (type: ItemType, from: number, to: number) => {
    items.push({ type, pos: from, val: input.slice(from, to), line: lineAt(from) });
  };
  const emit = (type: ItemType) => {
    push(type, start, pos);
    start = pos;
  };
  const error = (message: string) => {
    items.push({ type: 'error', pos: start, val: message, line: lineAt(start) });
  };
  const leadingSpace = (from: number) => {
    let n = 0;
    while (isSpace(input[from + n])) n++;
    return n;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrim(input.slice(pos)) && input.startsWith(RIGHT, pos + 2))
      return { delim: true, trim: true };
    return { delim: input.startsWith(RIGHT, pos), trim: false };
  };
  const atTerminator = () => {
    const c = input[pos];
    if (c === undefined || isSpace(c) || '.,|:)('.includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };
  const codePoint = (at: number) => {
    const c = String.fromCodePoint(input.codePointAt(at) as number);
    return `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
  };

  for (;;) {
    // Text up to the next action, without its trailing spaces before a "{{- ".
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit('text');
      emit('eof');
      return items;
    }
    if (x > pos) {
      let end = x;
      if (hasLeftTrim(input.slice(x + LEFT.length))) while (end > start && isSpace(input[end - 1])) end--;
      if (end > start) push('text', start, end);
    }
    pos = x;
    start = x;
    // The left delimiter, maybe a trim marker, maybe a comment.
    pos += LEFT.length;
    const afterMarker = hasLeftTrim(input.slice(pos)) ? 2 : 0;
    if (input.startsWith('/*', pos + afterMarker)) {
      start = pos + afterMarker;
      const end = input.indexOf('*/', start + 2);
      if (end < 0) {
        error('unclosed comment');
        return items;
      }
      pos = end + 2;
      const { delim, trim } = atRightDelim();
      if (!delim) {
        error('comment ends before closing delimiter');
        return items;
      }
      pos += (trim ? 2 : 0) + RIGHT.length;
      if (trim) pos += leadingSpace(pos);
      start = pos;
      continue;
    }
    emit('leftDelim');
    pos += afterMarker;
    start = pos;
    parenDepth = 0;
    if (!lexInsideAction()) return items;
  }

  /** Lexes one action after its "{{"; false after an error. */
  function lexInsideAction(): boolean {
    for (;;) {
      const { delim, trim } = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) {
          error('unclosed left paren');
          return false;
        }
        if (trim) pos += 2;
        start = pos;
        pos += RIGHT.length;
        emit('rightDelim');
        if (trim) pos += leadingSpace(pos);
        start = pos;
        return true;
      }
      const c = input[pos];
      if (c === undefined) {
        error('unclosed action');
        return false;
      }
      if (isSpace(c)) {
        let n = leadingSpace(pos);
        // A space just before "-}}" belongs to the trim marker.
        if (input[pos + n] === '-' && input.startsWith(RIGHT, pos + n + 1)) {
          if (n === 1) {
            continue;
          }
          n--;
        }
        pos += n;
        emit('space');
        continue;
      }
      pos++;
      if (c === '=') emit('assign');
      else if (c === ':') {
        if (input[pos] !== '=') {
          error('expected :=');
          return false;
        }
        pos++;
        emit('declare');
      } else if (c === '|') emit('pipe');
      else if (c === '"' || c === "'") {
        if (!scanQuoted(c)) {
          error(c === '"' ? 'unterminated quoted string' : 'unterminated character constant');
          return false;
        }
        emit(c === '"' ? 'string' : 'charConstant');
      } else if (c === '`') {
        const end = input.indexOf('`', pos);
        if (end < 0) {
          error('unterminated raw quoted string');
          return false;
        }
        pos = end + 1;
        emit('rawString');
      } else if (c === '$' || (c === '.' && !/[0-9]/.test(input[pos] ?? ''))) {
        if (atTerminator()) {
          emit(c === '$' ? 'variable' : 'dot');
          continue;
        }
        while (isAlphaNumeric(input[pos])) pos++;
        if (!atTerminator()) {
          error(`bad character ${codePoint(pos)}`);
          return false;
        }
        emit(c === '$' ? 'variable' : 'field');
      } else if (c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9')) {
        pos--;
        const ok = scanNumber();
        if (!ok || input[pos] === '+' || input[pos] === '-') {
          if (ok) pos++;
          error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
          return false;
        }
        emit('number');
      } else if (isAlphaNumeric(c)) {
        while (isAlphaNumeric(input[pos])) pos++;
        if (!atTerminator()) {
          error(`bad character ${codePoint(pos)}`);
          return false;
        }
        const word = input.slice(start, pos);
        const keyword = KEYWORDS[word];
        if (keyword) emit(keyword);
        else if (word === 'true' || word === 'false') emit('bool');
        else emit('identifier');
      } else if (c === '(') {
        emit('leftParen');
        parenDepth++;
      } else if (c === ')') {
        emit('rightParen');
        parenDepth--;
        if (parenDepth < 0) {
          error(`unexpected right paren ${codePoint(pos - 1)}`);
          return false;
        }
      } else if (c.charCodeAt(0) < 0x7f && c.charCodeAt(0) >= 0x20) emit('char');
      else {
        error(`unrecognized character in action: ${codePoint(pos - 1)}`);
        return false;
      }
    }
  }

  /** After the opening quote: to the closing one, over escapes; false when the line or input ends first. */
  function scanQuoted(quote: string): boolean {
    for (;;) {
      const d = input[pos++];
      if (d === '\\') {
        const e = input[pos++];
        if (e === undefined || e === '\n') return false;
        continue;
      }
      if (d === undefined || d === '\n') return false;
      if (d === quote) return true;
    }
  }

  function scanNumber(): boolean {
    const accept = (set: string) => {
      if (pos < input.length && set.includes(input[pos] as string)) {
        pos++;
        return true;
      }
      return false;
    };
    const acceptRun = (set: string) => {
      while (accept(set));
    };
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(input[pos])) {
      pos++;
      return false;
    }
    return true;
  }
}

/** 1-based line of an offset. */
export function lineCounter(input: string): (offset: number) => number {
  const starts = [0];
  for (let i = input.indexOf('\n'); i >= 0; i = input.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
