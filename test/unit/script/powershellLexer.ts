import * as assert from 'assert';

/**
 * Just enough of PowerShell's tokenizer to see where strings and comments begin and end, the
 * way powershell.exe does (tokenizer.cs): ' and its look-alikes U+2018, U+2019, U+201A, U+201B
 * all open and close a verbatim string, and two of them in a row (of any kind) stand for the
 * second one; " and U+201C, U+201D, U+201E do the same for expandable strings, where a backtick
 * escapes the next character. Everything else is code. Tree-sitter's PowerShell grammar knows
 * only the ASCII quotes, which is why the tests need this too.
 */

export type TokenKind = 'code' | 'comment' | 'verbatim' | 'expandable';

export interface Token {
  readonly kind: TokenKind;
  /** The text as written. */
  readonly raw: string;
  /** For strings, what PowerShell reads (quotes undoubled, for verbatim strings). */
  readonly value: string;
  readonly start: number;
}

const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);
const DOUBLE_QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);

export function lexPowerShell(text: string): Token[] {
  const tokens: Token[] = [];
  let code = '';
  let codeStart = 0;
  const flush = (at: number): void => {
    if (code) tokens.push({ kind: 'code', raw: code, value: code, start: codeStart });
    code = '';
    codeStart = at;
  };
  let at = 0;
  while (at < text.length) {
    const c = text[at]!;
    if (c === '@' && (SINGLE_QUOTES.has(text[at + 1] ?? '') || DOUBLE_QUOTES.has(text[at + 1] ?? ''))) {
      assert.fail(`a here-string at ${at}: this lexer does not read them, and the generator does not write them`);
    }
    if (text.startsWith('<#', at)) {
      flush(at);
      const end = text.indexOf('#>', at + 2);
      assert.ok(end >= 0, 'an unterminated block comment');
      tokens.push({ kind: 'comment', raw: text.slice(at, end + 2), value: '', start: at });
      at = end + 2;
      codeStart = at;
    } else if (c === '#') {
      flush(at);
      let end = at;
      while (end < text.length && text[end] !== '\r' && text[end] !== '\n') end++;
      tokens.push({ kind: 'comment', raw: text.slice(at, end), value: text.slice(at + 1, end), start: at });
      at = end;
      codeStart = at;
    } else if (SINGLE_QUOTES.has(c)) {
      flush(at);
      let value = '';
      let end = at + 1;
      for (;;) {
        assert.ok(end < text.length, `an unterminated verbatim string at ${at}`);
        const d = text[end]!;
        if (SINGLE_QUOTES.has(d)) {
          if (SINGLE_QUOTES.has(text[end + 1] ?? '')) {
            value += text[end + 1];
            end += 2;
            continue;
          }
          break;
        }
        value += d;
        end++;
      }
      tokens.push({ kind: 'verbatim', raw: text.slice(at, end + 1), value, start: at });
      at = end + 1;
      codeStart = at;
    } else if (DOUBLE_QUOTES.has(c)) {
      flush(at);
      let value = '';
      let end = at + 1;
      for (;;) {
        assert.ok(end < text.length, `an unterminated expandable string at ${at}`);
        const d = text[end]!;
        if (d === '`') {
          value += d + (text[end + 1] ?? '');
          end += 2;
          continue;
        }
        assert.ok(!(d === '$' && text[end + 1] === '('), 'a $( ) inside an expandable string: this lexer does not read them');
        if (DOUBLE_QUOTES.has(d)) {
          if (DOUBLE_QUOTES.has(text[end + 1] ?? '')) {
            value += text[end + 1];
            end += 2;
            continue;
          }
          break;
        }
        value += d;
        end++;
      }
      tokens.push({ kind: 'expandable', raw: text.slice(at, end + 1), value, start: at });
      at = end + 1;
      codeStart = at;
    } else if (c === '`') {
      // An escape in code (line continuation, or a literal character).
      code += text.slice(at, at + 2);
      at += 2;
    } else {
      code += c;
      at++;
    }
  }
  flush(at);
  return tokens;
}

/** Whether ( ) [ ] { } pair up in the code between strings and comments; the problem if not. */
export function bracketProblem(tokens: readonly Token[]): string | undefined {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: { readonly bracket: string; readonly at: number }[] = [];
  for (const token of tokens) {
    if (token.kind !== 'code') continue;
    for (let index = 0; index < token.raw.length; index++) {
      const c = token.raw[index]!;
      if (c === '`') {
        index++;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') stack.push({ bracket: c, at: token.start + index });
      else if (c in pairs) {
        const open = stack.pop();
        if (!open || open.bracket !== pairs[c]) return `'${c}' at ${token.start + index} closes ${open ? `'${open.bracket}' from ${open.at}` : 'nothing'}`;
      }
    }
  }
  return stack.length > 0 ? `'${stack.at(-1)!.bracket}' at ${stack.at(-1)!.at} is never closed` : undefined;
}

/** The token kinds in order, with the code itself: two scripts with the same shape give the same list. */
export function shape(tokens: readonly Token[]): string[] {
  return tokens.map((token) => (token.kind === 'code' ? `code ${token.raw}` : token.kind));
}
