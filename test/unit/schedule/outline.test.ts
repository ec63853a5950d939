import * as assert from 'assert';
import { foldingSpans, outline, type FoldingSpan, type OutlineSymbol } from '../../../src/core/schedule/outline';
import { r, readFixture } from './support';

/** A symbol tree as `name [detail] startLine-endLine` lines, children indented. */
function shape(symbols: readonly OutlineSymbol[], indent = ''): string[] {
  return symbols.flatMap((symbol) => [
    `${indent}${symbol.kind} ${symbol.name}${symbol.detail ? ` [${symbol.detail}]` : ''} ${symbol.range.start.line}-${symbol.range.end.line}`,
    ...shape(symbol.children, `${indent}  `),
  ]);
}

function spans(list: readonly FoldingSpan[]): string[] {
  return list.map((span) => `${span.kind} ${span.startLine}-${span.endLine}`);
}

/**
 * Whether VS Code keeps every range: sorted by start, each must nest inside or follow the
 * ones before it (it drops a range that overlaps another without nesting).
 */
function properlyNested(list: readonly FoldingSpan[]): boolean {
  const open: FoldingSpan[] = [];
  for (const span of [...list].sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine)) {
    while (open.length > 0 && open[open.length - 1]!.endLine < span.startLine) open.pop();
    const parent = open[open.length - 1];
    if (parent && (span.startLine === parent.startLine || span.endLine > parent.endLine || span.startLine === parent.endLine)) return false;
    open.push(span);
  }
  return true;
}

describe('outline', () => {
  it('groups directives under their ## sections, with the ones before the first section at the top', () => {
    assert.deepStrictEqual(shape(outline(readFixture('sections.bwdc-schedule'))), [
      'directive name [nightly] 2-2',
      'section When 4-8',
      '  directive schedule [0 2 * * *] 5-5',
      '  directive schedule [30 14 * * 1-5] 6-6',
      '  directive timezone [Europe/Berlin] 7-7',
      'section Who 9-16',
      '  directive run-as [bwdc] 10-10',
      `  directive client-id [organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11] 11-11`,
      '  directive secret [file:/home/bwdc/.config/bwdc/client_secret] 13-13',
      'section Where 17-18',
      '  directive instance [./instances/with-data-json] 18-18',
    ]);
  });

  it('selects the section header and the directive key', () => {
    const [, when] = outline(readFixture('sections.bwdc-schedule'));
    assert.ok(when);
    assert.deepStrictEqual(when.selectionRange, r(4, 0, 10));
    assert.deepStrictEqual(when.range, { start: { line: 4, character: 0 }, end: { line: 8, character: 0 } });
    assert.deepStrictEqual(when.children[1]!.selectionRange, r(6, 0, 8));
    assert.deepStrictEqual(when.children[1]!.range, r(6, 0, 53));
    assert.strictEqual(when.children[1]!.key, 'schedule');
  });

  it('ends the last section at the last line with text, not at trailing blank lines', () => {
    const last = outline(readFixture('sections.bwdc-schedule')).at(-1)!;
    assert.deepStrictEqual(last.range, { start: { line: 17, character: 0 }, end: { line: 18, character: 37 } });
  });

  it('lists a file without sections flat, in file order', () => {
    assert.deepStrictEqual(
      outline(readFixture('linux.bwdc-schedule')).map((symbol) => `${symbol.kind} ${symbol.name}`),
      ['name', 'schedule', 'timezone', 'platform', 'run-as', 'bwdc', 'client-id', 'secret', 'instance', 'env', 'env', 'log', 'script'].map(
        (key) => `directive ${key}`,
      ),
    );
  });

  it('names sections by their text, ignoring closing hashes, and skips a bare ##', () => {
    const names = outline('## One ##\nname a\n###   Two   ###\nlog /x\n##\nscript /y\n## \t\n')
      .filter((s) => s.kind === 'section')
      .map((s) => s.name);
    assert.deepStrictEqual(names, ['One', 'Two']);
  });

  it('does not take an ordinary comment for a section', () => {
    assert.deepStrictEqual(shape(outline('# When\nschedule @daily')), ['directive schedule [@daily] 1-1']);
  });

  it('outlines an empty file as nothing', () => {
    assert.deepStrictEqual(outline(''), []);
  });
});

describe('foldingSpans', () => {
  it('folds sections, regions and runs of comments', () => {
    assert.deepStrictEqual(spans(foldingSpans(readFixture('sections.bwdc-schedule'))), [
      'comment 0-1',
      'section 4-8',
      'section 9-16',
      'region 12-14',
      'section 17-18',
    ]);
  });

  it('folds only ranges the editor keeps: nested or apart, never overlapping', () => {
    const texts = [
      readFixture('sections.bwdc-schedule'),
      '# about this job\n## When\nschedule @daily\n## Who\nrun-as bwdc',
      '# a\n# b\n## When\n# why daily\n# really\nschedule @daily',
      '## A\n# region x\nname a\n# endregion\n## B\nlog /x',
    ];
    for (const text of texts) {
      const list = foldingSpans(text);
      assert.ok(properlyNested(list), `${JSON.stringify(text)} → ${spans(list).join(', ')}`);
    }
  });

  it('keeps the section fold when ordinary comments lead up to its header', () => {
    assert.deepStrictEqual(spans(foldingSpans('# about this job\n# reviewed\n## When\nschedule @daily\ntimezone UTC')), ['comment 0-1', 'section 2-4']);
  });

  it('folds a comment run inside a section', () => {
    assert.deepStrictEqual(spans(foldingSpans('## When\n# why daily\n# really\nschedule @daily')), ['section 0-3', 'comment 1-2']);
  });

  it('folds nested regions and ignores an unmatched end', () => {
    const text = '# region outer\n# region inner\nname a\n# endregion\nlog /x\n# endregion\n# endregion';
    assert.deepStrictEqual(spans(foldingSpans(text)), ['region 0-5', 'region 1-3']);
  });

  it('does not fold a single comment line or a section of one line', () => {
    assert.deepStrictEqual(foldingSpans('# one\nname a\n## A\n## B\nlog /x'), [{ startLine: 3, endLine: 4, kind: 'section' }]);
  });
});
