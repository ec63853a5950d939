import { range, type Range } from '../text';

/**
 * The line structure of a bwdc schedule file (format v1, ../shared/SCHEDULE-FORMAT.md):
 * blank lines, `#` comment lines, and `key value` directives whose value may be followed by
 * ` # comment`. Values are literal; nothing is unquoted or unescaped.
 */

export interface TrailingComment {
  readonly text: string;
  readonly range: Range;
}

export interface Directive {
  readonly line: number;
  readonly key: string;
  readonly keyRange: Range;
  /** Trimmed, without the trailing comment. */
  readonly value: string;
  /** Where the value is; an empty range just after the key when there is none. */
  readonly valueRange: Range;
  readonly comment?: TrailingComment;
}

export interface CommentLine {
  readonly line: number;
  readonly text: string;
  readonly range: Range;
}

export interface ScheduleDocument {
  readonly lineCount: number;
  /** Each line's text, without its terminator (lines split as VS Code does: CRLF, LF, CR). */
  readonly lines: readonly string[];
  readonly directives: readonly Directive[];
  readonly comments: readonly CommentLine[];
}

const LINE_BREAK = /\r\n|\r|\n/;

export function parseSchedule(text: string): ScheduleDocument {
  const lines = text.split(LINE_BREAK);
  const directives: Directive[] = [];
  const comments: CommentLine[] = [];
  for (let line = 0; line < lines.length; line++) {
    const parsed = parseLine(lines[line]!, line);
    if (!parsed) continue;
    if ('key' in parsed) directives.push(parsed);
    else comments.push(parsed);
  }
  return { lineCount: lines.length, lines, directives, comments };
}

export function parseLine(text: string, line: number): Directive | CommentLine | undefined {
  let start = 0;
  while (start < text.length && isBlank(text.charCodeAt(start))) start++;
  if (start === text.length) return undefined;
  if (text[start] === '#') return { line, text: text.slice(start), range: range(line, start, text.length) };

  let keyEnd = start;
  while (keyEnd < text.length && !isBlank(text.charCodeAt(keyEnd))) keyEnd++;
  const key = text.slice(start, keyEnd);
  const keyRange = range(line, start, keyEnd);

  // The value runs to the end of the line, except that a `#` after a blank starts a comment.
  let commentStart = -1;
  for (let index = keyEnd; index < text.length; index++) {
    if (text[index] === '#' && isBlank(text.charCodeAt(index - 1))) {
      commentStart = index;
      break;
    }
  }
  const valueEndRaw = commentStart < 0 ? text.length : commentStart;
  let valueStart = keyEnd;
  while (valueStart < valueEndRaw && isBlank(text.charCodeAt(valueStart))) valueStart++;
  let valueEnd = valueEndRaw;
  while (valueEnd > valueStart && isBlank(text.charCodeAt(valueEnd - 1))) valueEnd--;
  const directive: Directive = {
    line,
    key,
    keyRange,
    value: text.slice(valueStart, valueEnd),
    valueRange: valueEnd > valueStart ? range(line, valueStart, valueEnd) : range(line, keyEnd, keyEnd),
    ...(commentStart >= 0 ? { comment: { text: text.slice(commentStart), range: range(line, commentStart, text.length) } } : {}),
  };
  return directive;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}
