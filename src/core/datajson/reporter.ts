import type { QuickFix, Severity } from '../diagnostic';
import { t } from '../l10n';
import type { Position, Range } from '../text';
import type { DataJsonDiagnostic } from './api';
import { member, type JsonNode } from './json';
import { kindOf } from './values';

/** A stretch of the text: a node, or a bracket. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** The summary while the checks fill it in; handed out read-only. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The diagnostics found in one data.json text. Checks keep offsets: a line and character are
 * computed only for what is reported, since most of a large file never is.
 */
export class Reporter {
  private readonly diagnostics: DataJsonDiagnostic[] = [];
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  report(range: Range, severity: Severity, code: string, message: string, fixes?: QuickFix[]): void {
    this.diagnostics.push({ range, severity, code, message, ...(fixes ? { fixes } : {}) });
  }

  fieldType(value: JsonNode, key: string, expected: string, consequence: string): void {
    this.report(this.nodeRange(value), 'error', 'data-field-type', t("'{0}' must be {1}, not {2}: {3}", key, expected, kindOf(value), consequence));
  }

  /** Reports each of `keys` that holds something other than `type`; null is bwdc's "not set". */
  fieldTypes(object: JsonNode, keys: readonly string[], type: 'string' | 'boolean'): void {
    for (const key of keys) {
      const value = member(object, key);
      if (!value || value.type === type || value.type === 'null') continue;
      if (type === 'string') this.fieldType(value, key, t('a string'), t('bwdc expects text here; write the value in double quotes.'));
      else
        this.fieldType(
          value,
          key,
          t('true or false'),
          t('bwdc only tests whether the value is truthy, so a string such as "false" counts as true. Write true or false without quotes.'),
        );
    }
  }

  /** In the order of the text, which is how the editor and the CLI list them. */
  sorted(): DataJsonDiagnostic[] {
    return this.diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  /** The node as written, e.g. a number with its exponent, for quoting. */
  source(node: Span): string {
    return this.text.slice(node.offset, node.offset + node.length);
  }

  nodeRange(node: Span): Range {
    return this.span(node.offset, node.length);
  }

  span(offset: number, length: number): Range {
    return { start: this.position(offset), end: this.position(offset + length) };
  }

  /** Zero-based line and UTF-16 character; lines end at \n, \r\n or \r, as in VS Code. */
  private position(offset: number): Position {
    const starts = (this.lineStarts ??= lineStarts(this.text));
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - starts[low]! };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
    return starts;
  }
  const lineBreak = /\r\n?|\n/g;
  for (let match = lineBreak.exec(text); match; match = lineBreak.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}
