import { range, type Range } from '../text';
import { parseSchedule, type ScheduleDocument } from './parse';

/**
 * Outline and folding. A comment line starting with `##` opens a section (named by its text)
 * that lasts until the next one; `# region` / `# endregion` fold explicitly; runs of comment
 * lines fold as comments.
 */

export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: 'section' | 'directive';
  readonly key?: string;
  /** The whole extent (section: to the line before the next section). */
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children: readonly OutlineSymbol[];
}

export interface FoldingSpan {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind: 'comment' | 'region' | 'section';
}

const SECTION = /^\s*##+\s*(.*?)\s*#*\s*$/;
const REGION_START = /^\s*#\s*region\b\s*(.*)$/i;
const REGION_END = /^\s*#\s*endregion\b/i;

export function outline(input: string | ScheduleDocument): OutlineSymbol[] {
  const document = typeof input === 'string' ? parseSchedule(input) : input;
  const roots: OutlineSymbol[] = [];
  const sections = document.comments
    .map((comment) => ({ comment, match: SECTION.exec(document.lines[comment.line]!) }))
    .filter((entry) => entry.match && entry.match[1]);
  const directiveSymbol = (index: number): OutlineSymbol => {
    const directive = document.directives[index]!;
    const lineEnd = document.lines[directive.line]!.length;
    return {
      name: directive.key,
      detail: directive.value,
      kind: 'directive',
      key: directive.key,
      range: range(directive.line, directive.keyRange.start.character, lineEnd),
      selectionRange: directive.keyRange,
      children: [],
    };
  };
  let next = 0;
  const firstSectionLine = sections[0]?.comment.line ?? Number.POSITIVE_INFINITY;
  while (next < document.directives.length && document.directives[next]!.line < firstSectionLine) roots.push(directiveSymbol(next++));
  sections.forEach((section, index) => {
    const startLine = section.comment.line;
    const endLine = index + 1 < sections.length ? sections[index + 1]!.comment.line - 1 : lastContentLine(document);
    const children: OutlineSymbol[] = [];
    while (next < document.directives.length && document.directives[next]!.line <= endLine) children.push(directiveSymbol(next++));
    roots.push({
      name: section.match![1]!,
      detail: '',
      kind: 'section',
      range: { start: { line: startLine, character: 0 }, end: { line: endLine, character: document.lines[endLine]!.length } },
      selectionRange: section.comment.range,
      children,
    });
  });
  return roots;
}

export function foldingSpans(input: string | ScheduleDocument): FoldingSpan[] {
  const document = typeof input === 'string' ? parseSchedule(input) : input;
  const spans: FoldingSpan[] = [];
  const regionStarts: number[] = [];
  let commentRunStart = -1;
  let previousCommentLine = -2;
  const closeCommentRun = (): void => {
    if (commentRunStart >= 0 && previousCommentLine > commentRunStart)
      spans.push({ startLine: commentRunStart, endLine: previousCommentLine, kind: 'comment' });
    commentRunStart = -1;
  };
  for (const comment of document.comments) {
    const text = document.lines[comment.line]!;
    // A section header folds with its section; as part of a comment run the two folds would
    // overlap without nesting, and the editor drops one of them.
    const isSection = SECTION.exec(text)?.[1];
    if (isSection) {
      closeCommentRun();
      previousCommentLine = -2;
      continue;
    }
    if (REGION_START.test(text)) {
      regionStarts.push(comment.line);
      closeCommentRun();
      previousCommentLine = -2;
      continue;
    }
    if (REGION_END.test(text)) {
      const start = regionStarts.pop();
      if (start !== undefined && comment.line > start) spans.push({ startLine: start, endLine: comment.line, kind: 'region' });
      closeCommentRun();
      previousCommentLine = -2;
      continue;
    }
    if (comment.line !== previousCommentLine + 1) {
      closeCommentRun();
      commentRunStart = comment.line;
    }
    previousCommentLine = comment.line;
  }
  closeCommentRun();
  for (const symbol of outline(document)) {
    if (symbol.kind === 'section' && symbol.range.end.line > symbol.range.start.line) {
      spans.push({ startLine: symbol.range.start.line, endLine: symbol.range.end.line, kind: 'section' });
    }
  }
  return spans.sort((a, b) => a.startLine - b.startLine);
}

function lastContentLine(document: ScheduleDocument): number {
  for (let line = document.lines.length - 1; line > 0; line--) if (document.lines[line]!.trim().length > 0) return line;
  return 0;
}
