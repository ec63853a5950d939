import * as fs from 'fs';
import * as path from 'path';
import type { TextEdit } from '../../../src/core/diagnostic';
import { range, type Position, type Range } from '../../../src/core/text';

/** test/fixtures/schedules, found from the compiled file (out/test/unit/schedule) or the source. */
export const SCHEDULE_FIXTURES = findFixtures();

function findFixtures(): string {
  for (const up of ['../../../../test/fixtures/schedules', '../../fixtures/schedules']) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(process.cwd(), 'test/fixtures/schedules');
}

export function fixturePath(...parts: string[]): string {
  return path.join(SCHEDULE_FIXTURES, ...parts);
}

export function readFixture(name: string): string {
  return fs.readFileSync(fixturePath(name), 'utf8');
}

/** What `check --json` reports for a fixture, with words its message must contain. */
export interface ExpectedJsonDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: string;
  readonly code: string;
  readonly words: readonly string[];
}

export function readExpected(name: string): ExpectedJsonDiagnostic[] {
  return JSON.parse(readFixture(name)) as ExpectedJsonDiagnostic[];
}

/** A fake API secret: 30 letters and digits, like an organization client_secret. */
export const FAKE_SECRET = 'Zq8vR2mW5tY1pL9xK3nB7cD4fG6hJ0';

/** A one-line range, written as the tables write it. */
export function r(line: number, start: number, end: number): Range {
  return range(line, start, end);
}

/**
 * Applies edits the way VS Code does: positions past the end of a line or of the document are
 * clamped to it, and edits are applied against the original text.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  const lineEnd = (line: number): number => {
    if (line + 1 >= starts.length) return text.length;
    const next = starts[line + 1]!;
    return text.slice(next - 2, next) === '\r\n' ? next - 2 : next - 1;
  };
  const offset = (position: Position): number => {
    if (position.line >= starts.length) return text.length;
    const start = starts[position.line]!;
    return Math.min(start + position.character, lineEnd(position.line));
  };
  const ordered = edits.map((edit) => ({ from: offset(edit.range.start), to: offset(edit.range.end), text: edit.newText })).sort((a, b) => b.from - a.from);
  let result = text;
  for (const edit of ordered) result = result.slice(0, edit.from) + edit.text + result.slice(edit.to);
  return result;
}

/** Intl in newer ICU puts a narrow no-break space before AM/PM; compare with plain spaces. */
export function plainSpaces(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, ' ');
}
