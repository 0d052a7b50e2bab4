/**
 * Tokenizer for the expression language. It is pulled one token at a time by the parser, so the
 * first error reported is the leftmost one. Only ASCII is accepted: any other character (a Cyrillic
 * `х`, a Unicode minus, a no-break space) is an error at its own column.
 */

export type TokenKind = 'number' | 'name' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token ('' at the end of input). */
  readonly text: string;
  /** The parsed value of a number token (NaN for the other kinds). */
  readonly value: number;
  /** 0-based offset into the source (UTF-16 code units). */
  readonly start: number;
}

/** Reports an error at a source offset; never returns. */
export type Fail = (offset: number, before: string, after?: string) => never;

const TWO_CHAR_PUNCT = new Set(['<=', '>=', '==', '!=', '&&', '||']);
const ONE_CHAR_PUNCT = new Set(['+', '-', '*', '/', '^', '(', ')', '[', ']', ',', '?', ':', '<', '>', '!']);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNamePart = (c: number): boolean => isNameStart(c) || isDigit(c);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

const MAX_QUOTED = 24;

/** Quote client text for a message, shortened so an error never echoes a whole 1,000-character name. */
export function quote(text: string): string {
  const chars = Array.from(text);
  return chars.length > MAX_QUOTED ? `'${chars.slice(0, MAX_QUOTED).join('')}...'` : `'${text}'`;
}

/** Describe one (possibly non-printable or non-ASCII) character for a message. */
export function describeChar(source: string, offset: number): string {
  const cp = source.codePointAt(offset) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp >= 0x21 && cp <= 0x7e) return `'${String.fromCodePoint(cp)}'`;
  const printable = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(cp));
  return printable && !(cp >= 0xd800 && cp <= 0xdfff) ? `'${String.fromCodePoint(cp)}' (${hex})` : hex;
}

export class Lexer {
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly fail: Fail,
  ) {}

  /** Is the next non-space character `ch`? (A look-ahead that never lexes, hence never fails.) */
  nextCharIs(ch: string): boolean {
    let i = this.pos;
    while (i < this.source.length && isSpace(this.source.charCodeAt(i))) i++;
    return this.source[i] === ch;
  }

  next(): Token {
    const s = this.source;
    while (this.pos < s.length && isSpace(s.charCodeAt(this.pos))) this.pos++;
    const start = this.pos;
    if (start >= s.length) return { kind: 'eof', text: '', value: Number.NaN, start };
    const c = s.charCodeAt(start);

    if (isDigit(c) || (c === 46 && isDigit(s.charCodeAt(start + 1)))) return this.number(start);
    if (isNameStart(c)) {
      let i = start + 1;
      while (i < s.length && isNamePart(s.charCodeAt(i))) i++;
      this.pos = i;
      return { kind: 'name', text: s.slice(start, i), value: Number.NaN, start };
    }

    const two = s.slice(start, start + 2);
    if (TWO_CHAR_PUNCT.has(two)) {
      this.pos = start + 2;
      return { kind: 'punct', text: two, value: Number.NaN, start };
    }
    if (two === '=>') this.fail(start, "'=>' is not allowed: write an expression in x, not a function");
    if (two === '**') this.fail(start, "'**' is not supported", "(use '^' for powers)");
    const ch = s[start]!;
    if (ONE_CHAR_PUNCT.has(ch)) {
      this.pos = start + 1;
      return { kind: 'punct', text: ch, value: Number.NaN, start };
    }
    switch (ch) {
      case '.':
        return this.fail(start, "member access with '.' is not allowed");
      case '=':
        return this.fail(start, "assignment '=' is not allowed", "(use '==' to compare)");
      case '&':
        return this.fail(start, "unexpected character '&'", "(use '&&' for and)");
      case '|':
        return this.fail(start, "unexpected character '|'", "(use '||' for or)");
      case '"':
      case "'":
      case '`':
        return this.fail(start, 'strings are not allowed');
      case ';':
        return this.fail(start, "';' is not allowed: write a single expression");
      default:
        return this.fail(start, `unexpected character ${describeChar(s, start)}`);
    }
  }

  /** digits [. digits] [(e|E) [+|-] digits], or . digits [exponent]. */
  private number(start: number): Token {
    const s = this.source;
    let i = start;
    while (isDigit(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === 46) {
      i++;
      if (isNameStart(s.charCodeAt(i))) this.fail(i - 1, "member access with '.' is not allowed");
      if (!isDigit(s.charCodeAt(i))) {
        this.fail(start, `malformed number ${quote(s.slice(start, i))}`, "(expected a digit after '.')");
      }
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      const sign = s.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      if (!isDigit(s.charCodeAt(j))) {
        this.fail(start, `malformed number ${quote(s.slice(start, j))}`, '(expected digits in the exponent)');
      }
      while (isDigit(s.charCodeAt(j))) j++;
      i = j;
    }
    if (s.charCodeAt(i) === 46) this.fail(i, "member access with '.' is not allowed");
    const text = s.slice(start, i);
    const value = Number(text);
    if (!Number.isFinite(value)) {
      this.fail(start, `number ${quote(text)} is too large`, '(it overflows to Infinity)');
    }
    this.pos = i;
    return { kind: 'number', text, value, start };
  }
}
