import * as fs from 'fs';
import * as path from 'path';

/** test/fixtures/crontab, found from the compiled file (out/test/unit/crontab) or the source. */
export const CRONTAB_FIXTURES = findFixtures();

function findFixtures(): string {
  for (const up of ['../../../../test/fixtures/crontab', '../../fixtures/crontab']) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(process.cwd(), 'test/fixtures/crontab');
}

export function readCrontabFixture(name: string): string {
  return fs.readFileSync(path.join(CRONTAB_FIXTURES, name), 'utf8');
}

export function readJsonFixture<T>(name: string): T {
  return JSON.parse(readCrontabFixture(name)) as T;
}

export type ExpectedBlock =
  'absent' | { readonly beginLine: number; readonly endLine: number } | { readonly damaged: { readonly reason: string; readonly lines: readonly number[] } };

export interface CorpusCase {
  readonly name: string;
  readonly text: string;
  readonly block: ExpectedBlock;
}

/** The hostile crontabs of corpus.json; each is about the job 'nightly'. */
export function readCorpus(): readonly CorpusCase[] {
  return readJsonFixture<{ cases: CorpusCase[] }>('corpus.json').cases;
}

/** Lines with their terminators ("\n" or "\r\n"; the last one may have none). */
export function splitKeepingEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * What Debian's cron daemon makes of a crontab command before the shell sees it (do_command.c,
 * cron 3.0pl1-162): `\%` becomes `%` and `\\` becomes `\`; the first other `%` ends the command
 * and the rest becomes the job's stdin. A line-by-line port of that loop.
 */
export function debianCommandSplit(command: string): { readonly command: string; readonly stdin?: string } {
  let out = '';
  let escaped = false;
  for (let index = 0; index < command.length; index++) {
    const ch = command[index]!;
    if (escaped) {
      out = ch === '%' || ch === '\\' ? `${out.slice(0, -1)}${ch}` : `${out}${ch}`;
      escaped = false;
      continue;
    }
    if (ch === '\\') {
      out += ch;
      escaped = true;
      continue;
    }
    if (ch === '%') return { command: out, stdin: command.slice(index + 1) };
    out += ch;
  }
  return { command: out };
}

/**
 * The words /bin/sh makes of a command that uses only single quotes, backslashes outside
 * quotes and unquoted blanks, which is all cronCommand may produce; throws on anything else
 * (an unterminated quote, `$`, `` ` ``, `"`, `;`, ...), which the shell would treat specially.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let index = 0; index < command.length; index++) {
    const ch = command[index]!;
    if (ch === "'") {
      const close = command.indexOf("'", index + 1);
      if (close < 0) throw new Error(`unterminated single quote in ${JSON.stringify(command)}`);
      word = (word ?? '') + command.slice(index + 1, close);
      index = close;
    } else if (ch === '\\') {
      if (index + 1 >= command.length) throw new Error(`a backslash ends ${JSON.stringify(command)}`);
      word = (word ?? '') + command[index + 1];
      index++;
    } else if (ch === ' ' || ch === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[A-Za-z0-9/._-]/.test(ch)) {
      word = (word ?? '') + ch;
    } else {
      throw new Error(`the shell would treat ${JSON.stringify(ch)} specially in ${JSON.stringify(command)}`);
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

export { seededRandom as random } from '../random';
