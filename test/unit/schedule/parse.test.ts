import * as assert from 'assert';
import { parseLine, parseSchedule, type CommentLine, type Directive } from '../../../src/core/schedule/parse';
import { r, readFixture } from './support';

describe('parseSchedule', () => {
  const directiveLines: {
    readonly text: string;
    readonly key: string;
    readonly value: string;
    readonly keyRange: [number, number];
    readonly valueRange: [number, number];
    readonly comment?: { readonly text: string; readonly range: [number, number] };
  }[] = [
    { text: 'schedule 0 12 * * 1', key: 'schedule', value: '0 12 * * 1', keyRange: [0, 8], valueRange: [9, 19] },
    {
      text: 'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
      key: 'client-id',
      value: 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
      keyRange: [0, 9],
      valueRange: [11, 60],
    },
    { text: '  schedule\t0 12 * * 1  ', key: 'schedule', value: '0 12 * * 1', keyRange: [2, 10], valueRange: [11, 21] },
    { text: 'log /var/log/bwdc#2.log', key: 'log', value: '/var/log/bwdc#2.log', keyRange: [0, 3], valueRange: [4, 23] },
    {
      text: 'log /var/log/bwdc.log # rotated weekly',
      key: 'log',
      value: '/var/log/bwdc.log',
      keyRange: [0, 3],
      valueRange: [4, 21],
      comment: { text: '# rotated weekly', range: [22, 38] },
    },
    {
      text: 'log /var/log/bwdc.log\t#tab before',
      key: 'log',
      value: '/var/log/bwdc.log',
      keyRange: [0, 3],
      valueRange: [4, 21],
      comment: { text: '#tab before', range: [22, 33] },
    },
    { text: 'schedule', key: 'schedule', value: '', keyRange: [0, 8], valueRange: [8, 8] },
    { text: 'secret    ', key: 'secret', value: '', keyRange: [0, 6], valueRange: [6, 6] },
    { text: 'secret # nothing yet', key: 'secret', value: '', keyRange: [0, 6], valueRange: [6, 6], comment: { text: '# nothing yet', range: [7, 20] } },
    { text: 'Schedule 0 12 * * 1', key: 'Schedule', value: '0 12 * * 1', keyRange: [0, 8], valueRange: [9, 19] },
  ];
  for (const expected of directiveLines) {
    it(`reads ${JSON.stringify(expected.text)} as key '${expected.key}' with value '${expected.value}'`, () => {
      const parsed = parseLine(expected.text, 4) as Directive;
      assert.ok(parsed && 'key' in parsed, 'a directive');
      assert.strictEqual(parsed.line, 4);
      assert.strictEqual(parsed.key, expected.key);
      assert.strictEqual(parsed.value, expected.value);
      assert.deepStrictEqual(parsed.keyRange, r(4, ...expected.keyRange));
      assert.deepStrictEqual(parsed.valueRange, r(4, ...expected.valueRange));
      if (expected.comment) assert.deepStrictEqual(parsed.comment, { text: expected.comment.text, range: r(4, ...expected.comment.range) });
      else assert.strictEqual(parsed.comment, undefined);
    });
  }

  const commentLines: { readonly text: string; readonly comment: string; readonly range: [number, number] }[] = [
    { text: '# a comment', comment: '# a comment', range: [0, 11] },
    { text: '   ## Section ##', comment: '## Section ##', range: [3, 16] },
    { text: '\t#schedule 0 12 * * 1', comment: '#schedule 0 12 * * 1', range: [1, 21] },
  ];
  for (const expected of commentLines) {
    it(`reads ${JSON.stringify(expected.text)} as a comment`, () => {
      const parsed = parseLine(expected.text, 2) as CommentLine;
      assert.ok(parsed && !('key' in parsed), 'a comment');
      assert.strictEqual(parsed.text, expected.comment);
      assert.deepStrictEqual(parsed.range, r(2, ...expected.range));
    });
  }

  for (const blank of ['', '   ', '\t \t']) {
    it(`skips the blank line ${JSON.stringify(blank)}`, () => {
      assert.strictEqual(parseLine(blank, 0), undefined);
    });
  }

  it('splits lines at CRLF, LF and a lone CR, as VS Code does', () => {
    const document = parseSchedule('name a\r\nschedule @daily\nlog /x\rscript /y');
    assert.strictEqual(document.lineCount, 4);
    assert.deepStrictEqual(document.lines, ['name a', 'schedule @daily', 'log /x', 'script /y']);
    assert.deepStrictEqual(
      document.directives.map((d) => [d.line, d.key, d.value]),
      [
        [0, 'name', 'a'],
        [1, 'schedule', '@daily'],
        [2, 'log', '/x'],
        [3, 'script', '/y'],
      ],
    );
  });

  it('counts the empty line after a final line break', () => {
    const document = parseSchedule('name a\n');
    assert.strictEqual(document.lineCount, 2);
    assert.deepStrictEqual(document.lines, ['name a', '']);
  });

  it('keeps directives and comment lines apart, in file order', () => {
    const document = parseSchedule(readFixture('linux.bwdc-schedule'));
    assert.deepStrictEqual(
      document.directives.map((d) => d.key),
      ['name', 'schedule', 'timezone', 'platform', 'run-as', 'bwdc', 'client-id', 'secret', 'instance', 'env', 'env', 'log', 'script'],
    );
    assert.deepStrictEqual(
      document.comments.map((c) => c.line),
      [0],
    );
    const instance = document.directives.find((d) => d.key === 'instance')!;
    assert.strictEqual(instance.value, './instances/with-data-json');
    assert.strictEqual(instance.comment?.text, '# the only configured one');
  });

  it('reads a CRLF file with the same values as an LF one', () => {
    const crlf = parseSchedule(readFixture('windows.bwdc-schedule'));
    const lf = parseSchedule(readFixture('windows.bwdc-schedule').replace(/\r\n/g, '\n'));
    assert.deepStrictEqual(crlf.directives, lf.directives);
    assert.ok(
      crlf.directives.every((d) => !d.value.includes('\r')),
      'no CR left in a value',
    );
    assert.strictEqual(crlf.directives.find((d) => d.key === 'instance')?.value, 'C:\\ProgramData\\Bitwarden Directory Connector');
  });
});
