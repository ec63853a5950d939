import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findOnPath, writeFileAtomic } from '../../../src/host/files';
import { isRoot, useTemporaryFolders } from './support';

describe('writing files and finding programs', () => {
  const folder = useTemporaryFolders();

  describe('writeFileAtomic', () => {
    const contents: readonly { readonly name: string; readonly content: string | Buffer }[] = [
      { name: 'UTF-8 text', content: 'ünïcödé 日本 🦀\r\nsecond line\n' },
      { name: 'bytes', content: Buffer.from([0, 255, 10, 13, 0xef, 0xbb, 0xbf]) },
      { name: 'nothing', content: '' },
    ];
    for (const { name, content } of contents) {
      it(`writes ${name} exactly`, () => {
        const file = path.join(folder(), 'out');
        writeFileAtomic(file, content, { mode: 0o600 });
        assert.deepStrictEqual(fs.readFileSync(file), Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
      });
    }

    for (const mode of [0o600, 0o700, 0o755, 0o400]) {
      it(`gives the file mode ${mode.toString(8)} whatever the umask`, () => {
        const file = path.join(folder(), 'out');
        const previous = process.umask(0o077);
        try {
          writeFileAtomic(file, 'x', { mode });
        } finally {
          process.umask(previous);
        }
        assert.strictEqual(fs.statSync(file).mode & 0o7777, mode);
      });
    }

    it('replaces a file by renaming a new one over it, leaving no temporary file', () => {
      const dir = folder();
      const file = path.join(dir, 'out');
      fs.writeFileSync(file, 'the old content, longer than the new one\n', { mode: 0o644 });
      const reader = fs.openSync(file, 'r');
      const inode = fs.fstatSync(reader).ino;
      writeFileAtomic(file, 'new\n', { mode: 0o600 });

      assert.notStrictEqual(fs.statSync(file).ino, inode);
      assert.strictEqual(fs.readFileSync(reader, 'utf8'), 'the old content, longer than the new one\n', 'an open reader keeps the whole old file');
      fs.closeSync(reader);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), 'new\n');
      assert.deepStrictEqual(fs.readdirSync(dir), ['out']);
    });

    it('creates missing folders with mode 700', () => {
      const root = folder();
      const file = path.join(root, 'a', 'b', 'out');
      writeFileAtomic(file, 'x', { mode: 0o600 });
      for (const made of [path.join(root, 'a'), path.join(root, 'a', 'b')]) assert.strictEqual(fs.statSync(made).mode & 0o777, 0o700, made);
    });

    it('throws and leaves the target and the folder as they were when the rename fails', () => {
      const dir = folder();
      const target = path.join(dir, 'a folder');
      fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
      assert.throws(
        () => writeFileAtomic(target, 'x', { mode: 0o600 }),
        (error: NodeJS.ErrnoException) => error.code === 'EISDIR',
      );
      assert.deepStrictEqual(fs.readdirSync(dir), ['a folder']);
      assert.deepStrictEqual(fs.readdirSync(target), ['inside']);
    });

    it('gives the file and the folders it creates to another owner when asked (root only)', function () {
      if (!isRoot()) this.skip();
      const root = folder();
      const file = path.join(root, 'made', 'out');
      writeFileAtomic(file, 'x', { mode: 0o600, owner: { uid: 65534, gid: 65534 } });
      for (const made of [file, path.dirname(file)]) assert.deepStrictEqual([fs.statSync(made).uid, fs.statSync(made).gid], [65534, 65534], made);
    });
  });

  describe('findOnPath', () => {
    function tree(): { a: string; b: string; c: string } {
      const root = folder();
      const [a, b, c] = ['first', 'second dir', 'third'].map((name) => path.join(root, name));
      for (const dir of [a!, b!, c!]) fs.mkdirSync(dir);
      fs.writeFileSync(path.join(a!, 'bwdc'), 'not executable', { mode: 0o644 });
      fs.mkdirSync(path.join(b!, 'bwdc'), { mode: 0o755 });
      fs.writeFileSync(path.join(c!, 'bwdc'), '#!/bin/sh\n', { mode: 0o755 });
      return { a: a!, b: b!, c: c! };
    }

    it('returns the first executable file on PATH, skipping files that are not executable and folders', () => {
      const { a, b, c } = tree();
      assert.strictEqual(findOnPath('bwdc', { PATH: [a, b, c].join(path.delimiter) }), path.join(c, 'bwdc'));
    });

    it('returns undefined when no PATH entry has it, and ignores empty entries', () => {
      const { a, b } = tree();
      assert.strictEqual(findOnPath('bwdc', { PATH: ['', a, '', b].join(path.delimiter) }), undefined);
      assert.strictEqual(findOnPath('bwdc', {}), undefined);
    });
  });
});
