import * as assert from 'assert';
import { blockText, installBlock, removeBlock } from '../../../src/core/crontab/block';
import { unifiedDiff } from '../../../src/core/diff';
import { random, readCorpus } from './support';

const NO_NEWLINE = '\\ No newline at end of file';
const CRLF_NOTE = '  ⏎ (CRLF)';

/**
 * The diff with each run of changed lines in the order diff -u and git print it: removals, then
 * additions. Lets the tests below state exact output without depending on that order, which
 * one test of its own pins down.
 */
function conventional(diff: string): string {
  const lines = diff.split('\n');
  const out: string[] = [];
  let run: string[][] = [];
  const flush = (): void => {
    out.push(...run.filter((unit) => unit[0]!.startsWith('-')).flat(), ...run.filter((unit) => unit[0]!.startsWith('+')).flat());
    run = [];
  };
  lines.forEach((line, index) => {
    const change = index >= 2 && (line.startsWith('-') || line.startsWith('+'));
    if (change) run.push([line]);
    else if (line === NO_NEWLINE && run.length > 0 && index > 0 && lines[index - 1] === run[run.length - 1]![0]) run[run.length - 1]!.push(line);
    else {
      flush();
      out.push(line);
    }
  });
  flush();
  return out.join('\n');
}

interface Hunk {
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newStart: number;
  readonly newCount: number;
  readonly lines: { readonly kind: ' ' | '-' | '+'; readonly text: string }[];
}

/** Reads unifiedDiff's output back: the CRLF note and the no-newline marker give the exact line ends. */
function parse(diff: string): { readonly from: string; readonly to: string; readonly hunks: Hunk[] } {
  assert.ok(diff.endsWith('\n'), 'the diff ends with a newline');
  const lines = diff.slice(0, -1).split('\n');
  assert.match(lines[0]!, /^--- /);
  assert.match(lines[1]!, /^\+\+\+ /);
  const hunks: Hunk[] = [];
  for (let index = 2; index < lines.length; index++) {
    const line = lines[index]!;
    const header = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(line);
    if (header) {
      hunks.push({ oldStart: Number(header[1]), oldCount: Number(header[2]), newStart: Number(header[3]), newCount: Number(header[4]), lines: [] });
      continue;
    }
    const hunk = hunks[hunks.length - 1];
    assert.ok(hunk, `a line before the first hunk: ${JSON.stringify(line)}`);
    if (line === NO_NEWLINE) {
      const last = hunk.lines[hunk.lines.length - 1]!;
      assert.ok(last.text.endsWith('\n'), 'one marker per line');
      hunk.lines[hunk.lines.length - 1] = { ...last, text: last.text.slice(0, -1) };
      continue;
    }
    const kind = line[0] as ' ' | '-' | '+';
    assert.ok(kind === ' ' || kind === '-' || kind === '+', `an unknown line: ${JSON.stringify(line)}`);
    const text = line.slice(1);
    hunk.lines.push({ kind, text: text.endsWith(CRLF_NOTE) ? `${text.slice(0, -CRLF_NOTE.length)}\r\n` : `${text}\n` });
  }
  return { from: lines[0]!.slice(4), to: lines[1]!.slice(4), hunks };
}

/** Applies the diff to `before` strictly: every context and removed line must be where the hunk says. */
function apply(before: string, diff: string): string {
  const old = before.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const result: string[] = [];
  let at = 0;
  for (const hunk of parse(diff).hunks) {
    const start = hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1;
    assert.ok(start >= at, 'hunks are in order and do not overlap');
    result.push(...old.slice(at, start));
    assert.strictEqual(hunk.newCount === 0 ? hunk.newStart : hunk.newStart - 1, result.length, 'the new start matches the lines so far');
    at = start;
    for (const line of hunk.lines) {
      if (line.kind !== '+') {
        assert.strictEqual(old[at], line.text, `line ${at + 1} of the old text`);
        at++;
      }
      if (line.kind !== '-') result.push(line.text);
    }
    assert.strictEqual(hunk.lines.filter((l) => l.kind !== '+').length, hunk.oldCount, 'the old count');
    assert.strictEqual(hunk.lines.filter((l) => l.kind !== '-').length, hunk.newCount, 'the new count');
  }
  result.push(...old.slice(at));
  return result.join('');
}

const numbers = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, index) => `${from + index}\n`).join('');

describe('unifiedDiff', () => {
  it('is empty for identical texts', () => {
    for (const text of ['', 'a\n', 'a', 'a\r\nb\r\n', numbers(1, 100)]) assert.strictEqual(unifiedDiff(text, text, 'a', 'b'), '', JSON.stringify(text));
  });

  it('names both sides in the header', () => {
    assert.strictEqual(
      unifiedDiff('', 'x\n', 'crontab of bwdc (now)', 'crontab of bwdc (after install)'),
      '--- crontab of bwdc (now)\n+++ crontab of bwdc (after install)\n@@ -0,0 +1,1 @@\n+x\n',
    );
  });

  it("lists a replaced line's removal before its addition, as diff -u and git do", () => {
    assert.strictEqual(unifiedDiff('x\nold\ny\n', 'x\nnew\ny\n', 'a', 'b'), '--- a\n+++ b\n@@ -1,3 +1,3 @@\n x\n-old\n+new\n y\n');
  });

  const cases: readonly { readonly what: string; readonly before: string; readonly after: string; readonly context?: number; readonly diff: string }[] = [
    { what: 'adding to an empty text', before: '', after: 'a\nb\n', diff: '@@ -0,0 +1,2 @@\n+a\n+b\n' },
    { what: 'removing everything', before: 'a\nb\n', after: '', diff: '@@ -1,2 +0,0 @@\n-a\n-b\n' },
    {
      what: 'an addition in the middle, with three lines of context',
      before: numbers(1, 10),
      after: numbers(1, 5) + 'X\n' + numbers(6, 10),
      diff: '@@ -3,6 +3,7 @@\n 3\n 4\n 5\n+X\n 6\n 7\n 8\n',
    },
    { what: 'a deletion of the first line', before: numbers(1, 10), after: numbers(2, 10), diff: '@@ -1,4 +1,3 @@\n-1\n 2\n 3\n 4\n' },
    { what: 'a deletion of the last line', before: numbers(1, 10), after: numbers(1, 9), diff: '@@ -7,4 +7,3 @@\n 7\n 8\n 9\n-10\n' },
    { what: 'an addition at the end', before: numbers(1, 10), after: numbers(1, 10) + 'X\n', diff: '@@ -8,3 +8,4 @@\n 8\n 9\n 10\n+X\n' },
    { what: 'an addition at the start', before: numbers(1, 10), after: 'X\n' + numbers(1, 10), diff: '@@ -1,3 +1,4 @@\n+X\n 1\n 2\n 3\n' },
    {
      what: 'two changes six lines apart, merged into one hunk',
      before: numbers(1, 16),
      after: numbers(1, 2) + 'X\n' + numbers(4, 9) + 'Y\n' + numbers(11, 16),
      diff: '@@ -1,13 +1,13 @@\n 1\n 2\n-3\n+X\n 4\n 5\n 6\n 7\n 8\n 9\n-10\n+Y\n 11\n 12\n 13\n',
    },
    {
      what: 'two changes seven lines apart, in two hunks',
      before: numbers(1, 16),
      after: numbers(1, 2) + 'X\n' + numbers(4, 10) + 'Y\n' + numbers(12, 16),
      diff: '@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+X\n 4\n 5\n 6\n@@ -8,7 +8,7 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n 13\n 14\n',
    },
    {
      what: 'a change with no context',
      before: numbers(1, 10),
      after: numbers(1, 4) + 'five\n' + numbers(6, 10),
      context: 0,
      diff: '@@ -5,1 +5,1 @@\n-5\n+five\n',
    },
    { what: 'an addition with no context', before: numbers(1, 10), after: numbers(1, 5) + 'X\n' + numbers(6, 10), context: 0, diff: '@@ -5,0 +6,1 @@\n+X\n' },
    { what: 'a deletion with no context', before: numbers(1, 10), after: numbers(1, 4) + numbers(6, 10), context: 0, diff: '@@ -5,1 +4,0 @@\n-5\n' },
    {
      what: 'two changes three lines apart with one line of context, in two hunks',
      before: numbers(1, 10),
      after: numbers(1, 2) + 'X\n' + numbers(4, 6) + 'Y\n' + numbers(8, 10),
      context: 1,
      diff: '@@ -2,3 +2,3 @@\n 2\n-3\n+X\n 4\n@@ -6,3 +6,3 @@\n 6\n-7\n+Y\n 8\n',
    },
    {
      what: 'two changes two lines apart with one line of context, merged',
      before: numbers(1, 10),
      after: numbers(1, 2) + 'X\n' + numbers(4, 5) + 'Y\n' + numbers(7, 10),
      context: 1,
      diff: '@@ -2,6 +2,6 @@\n 2\n-3\n+X\n 4\n 5\n-6\n+Y\n 7\n',
    },
    { what: 'a last line losing its newline', before: 'a\nb\n', after: 'a\nb', diff: `@@ -1,2 +1,2 @@\n a\n-b\n+b\n${NO_NEWLINE}\n` },
    { what: 'a last line gaining its newline', before: 'a\nb', after: 'a\nb\n', diff: `@@ -1,2 +1,2 @@\n a\n-b\n${NO_NEWLINE}\n+b\n` },
    { what: 'a line added after an unterminated last line', before: 'a', after: 'a\nb\n', diff: `@@ -1,1 +1,2 @@\n-a\n${NO_NEWLINE}\n+a\n+b\n` },
    { what: 'both last lines unterminated and different', before: 'x\na', after: 'x\nb', diff: `@@ -1,2 +1,2 @@\n x\n-a\n${NO_NEWLINE}\n+b\n${NO_NEWLINE}\n` },
    { what: 'CRLF lines becoming LF lines', before: 'a\r\nb\r\n', after: 'a\nb\n', diff: `@@ -1,2 +1,2 @@\n-a${CRLF_NOTE}\n-b${CRLF_NOTE}\n+a\n+b\n` },
    {
      what: 'an addition between CRLF lines, shown as context with its line end',
      before: 'a\r\nb\r\n',
      after: 'a\r\nX\nb\r\n',
      diff: `@@ -1,2 +1,3 @@\n a${CRLF_NOTE}\n+X\n b${CRLF_NOTE}\n`,
    },
    {
      what: 'lines that look like diff syntax',
      before: '--- a\n+++ b\n@@ -1 +1 @@\n',
      after: '--- a\n-x\n+++ b\n@@ -1 +1 @@\n',
      diff: '@@ -1,3 +1,4 @@\n --- a\n+-x\n +++ b\n @@ -1 +1 @@\n',
    },
  ];
  for (const { what, before, after, context, diff } of cases) {
    it(`shows ${what}`, () => {
      const actual = unifiedDiff(before, after, 'a', 'b', ...(context === undefined ? [] : [context]));
      assert.strictEqual(conventional(actual), `--- a\n+++ b\n${diff}`);
      assert.strictEqual(apply(before, actual), after);
    });
  }

  it('previews installing into a crontab as added lines only', () => {
    const spec = { name: 'nightly', scheduleFile: '/srv/n.bwdc-schedule', lines: ["0 3 * * * '/srv/s.sh'"] };
    const before = 'MAILTO=""\n0 1 * * * /usr/bin/a\n';
    const diff = unifiedDiff(before, installBlock(before, spec).after, 'now', 'after');
    assert.strictEqual(
      diff,
      [
        '--- now',
        '+++ after',
        '@@ -1,2 +1,5 @@',
        ' MAILTO=""',
        ' 0 1 * * * /usr/bin/a',
        ...blockText(spec)
          .split('\n')
          .slice(0, -1)
          .map((line) => `+${line}`),
        '',
      ].join('\n'),
    );
  });

  it('previews installing into a crontab without a final newline as the newline it gains, then the block', () => {
    const spec = { name: 'nightly', scheduleFile: '/srv/n.bwdc-schedule', lines: [] };
    const before = '# x\n0 1 * * * a';
    assert.strictEqual(
      conventional(unifiedDiff(before, installBlock(before, spec).after, 'now', 'after')),
      `--- now\n+++ after\n@@ -1,2 +1,4 @@\n # x\n-0 1 * * * a\n${NO_NEWLINE}\n+0 1 * * * a\n+# BEGIN bwdc-schedule nightly (from /srv/n.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n+# END bwdc-schedule nightly\n`,
    );
  });

  it('turns each install and remove over the hostile crontab corpus into a diff that rebuilds the result', () => {
    const spec = { name: 'nightly', scheduleFile: '/srv/n.bwdc-schedule', lines: ["0 3 * * * '/srv/s.sh'"] };
    let checked = 0;
    for (const c of readCorpus()) {
      if (c.block !== 'absent' && 'damaged' in c.block) continue;
      for (const change of [installBlock(c.text, spec), removeBlock(c.text, 'nightly')]) {
        const diff = unifiedDiff(change.before, change.after, 'a', 'b');
        assert.strictEqual(diff === '', !change.changed, c.name);
        if (diff !== '') assert.strictEqual(apply(change.before, diff), change.after, c.name);
        checked++;
      }
    }
    assert.ok(checked >= 40, `${checked} changes`);
  });

  it('produces, for 500 random pairs of texts, hunks whose counts, positions and lines rebuild the new text', () => {
    const next = random(20261123);
    const pool = ['a\n', 'b\n', 'c\n', 'd\n', 'a\r\n', 'b\r\n', '\n', 'e', 'f'];
    const text = (): string => {
      const lines: string[] = [];
      const length = Math.floor(next() * 25);
      for (let index = 0; index < length; index++) {
        const line = pool[Math.floor(next() * pool.length)]!;
        lines.push(index === length - 1 || line.endsWith('\n') ? line : `${line}\n`);
      }
      return lines.join('');
    };
    for (let round = 0; round < 500; round++) {
      const before = text();
      const after = next() < 0.3 ? before.replace(/b/g, 'B') : text();
      const context = Math.floor(next() * 4);
      const diff = unifiedDiff(before, after, 'a', 'b', context);
      if (before === after) {
        assert.strictEqual(diff, '');
        continue;
      }
      assert.strictEqual(apply(before, diff), after, JSON.stringify({ before, after, context }));
      for (const hunk of parse(diff).hunks) {
        const firstChange = hunk.lines.findIndex((l) => l.kind !== ' ');
        const lastChange = hunk.lines.length - 1 - [...hunk.lines].reverse().findIndex((l) => l.kind !== ' ');
        assert.ok(firstChange >= 0 && firstChange <= context, `at most ${context} lines of context before: ${diff}`);
        assert.ok(hunk.lines.length - 1 - lastChange <= context, `at most ${context} lines of context after: ${diff}`);
      }
    }
  });
});
