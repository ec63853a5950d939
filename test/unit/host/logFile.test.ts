import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TextFileError } from '../../../src/host/files';
import { readLogTail } from '../../../src/host/logFile';
import { useTemporaryFolders } from './support';

describe('reading a log for the run history (readLogTail)', () => {
  const folder = useTemporaryFolders();

  it('reads a log within the limit whole', () => {
    const file = path.join(folder(), 'bwdc.log');
    fs.writeFileSync(file, 'first\nsecond\n');
    assert.deepStrictEqual(readLogTail(file, 1024), { text: 'first\nsecond\n', partial: false });
  });

  it('reads only the end of a larger log, from the first whole line after the cut', () => {
    const file = path.join(folder(), 'bwdc.log');
    fs.writeFileSync(file, `${'x'.repeat(100)}\nline two\nline three\n`);
    assert.deepStrictEqual(readLogTail(file, 25), { text: 'line two\nline three\n', partial: true });
    assert.deepStrictEqual(readLogTail(file, 20), { text: 'line two\nline three\n', partial: true }, 'a line that starts right at the cut is whole');
    assert.deepStrictEqual(readLogTail(file, 19), { text: 'line three\n', partial: true });
  });

  it('decodes bytes that are not UTF-8 to U+FFFD instead of refusing the log', () => {
    const file = path.join(folder(), 'bwdc.log');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('bwdc: M'), Buffer.from([0xfc]), Buffer.from('ller\n')]));
    assert.strictEqual(readLogTail(file, 1024).text, 'bwdc: M\uFFFDller\n');
  });

  const refusals: { readonly what: string; readonly make: (dir: string) => string; readonly problem: TextFileError['problem'] }[] = [
    { what: 'a missing file', make: (dir) => path.join(dir, 'none.log'), problem: 'missing' },
    { what: 'a folder', make: (dir) => dir, problem: 'directory' },
    {
      what: 'a FIFO (without waiting for a writer)',
      make: (dir) => {
        const fifo = path.join(dir, 'fifo.log');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
      problem: 'not-regular',
    },
    { what: '/dev/zero (without reading it)', make: () => '/dev/zero', problem: 'not-regular' },
  ];
  for (const { what, make, problem } of refusals) {
    it(`refuses ${what} with a TextFileError`, () => {
      const file = make(folder());
      assert.throws(
        () => readLogTail(file, 1024),
        (error: unknown) => error instanceof TextFileError && error.problem === problem,
      );
    });
  }
});
