import * as assert from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repositoryRoot } from './fakeIo';

const ROOT = repositoryRoot();
const BUNDLE = path.join(ROOT, 'dist', 'cli.js');

/**
 * What a hostile (or unlucky) user can hand the CLI instead of a schedule file. Each case runs
 * the built tool as a user would, with a hard time and memory limit: a hang or unbounded growth
 * fails the test instead of the machine.
 */
describe('bwdc-schedule given input that is not a schedule file', function () {
  this.timeout(120_000);
  let folder: string;

  before(() => {
    if (!fs.existsSync(BUNDLE)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-hostile-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  function cli(args: readonly string[]): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
    // 64 MB of heap is far more than a schedule file needs and far less than /dev/zero would take.
    const result = spawnSync(process.execPath, ['--max-old-space-size=64', BUNDLE, ...args], {
      encoding: 'utf8',
      cwd: folder,
      timeout: 20_000,
      env: { ...process.env, BWDC_SCHEDULE_DEBUG: '' },
    });
    return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
  }

  function assertOneLineRefusal(result: ReturnType<typeof cli>, words: RegExp): void {
    assert.strictEqual(result.signal, null, `killed by ${String(result.signal)} (a hang or a crash): ${result.stderr.slice(0, 300)}`);
    assert.strictEqual(result.status, 2, result.stderr.slice(0, 500));
    assert.strictEqual(result.stdout, '');
    assert.match(result.stderr, /^bwdc-schedule: [^\n]+\n$/, `one line expected: ${JSON.stringify(result.stderr.slice(0, 500))}`);
    assert.match(result.stderr, words);
  }

  for (const command of [['check'], ['next'], ['script'], ['history']]) {
    it(`${command[0]} refuses /dev/zero in one line without reading it`, () => {
      assertOneLineRefusal(cli([...command, '/dev/zero']), /\/dev\/zero: is not a regular file/);
    });

    it(`${command[0]} refuses a FIFO without waiting for a writer`, () => {
      const fifo = path.join(folder, `${command[0]}.bwdc-schedule`);
      execFileSync('mkfifo', [fifo]);
      try {
        assertOneLineRefusal(cli([...command, fifo]), /is not a regular file/);
      } finally {
        fs.rmSync(fifo, { force: true });
      }
    });

    it(`${command[0]} says "not a text file" for 100 KB of binary data, in one line`, () => {
      const file = path.join(folder, `binary-${command[0]}.bwdc-schedule`);
      // Random bytes with NUL bytes and line breaks: unrefused, each line would be a diagnostic.
      fs.writeFileSync(file, crypto.randomBytes(100 * 1024));
      assertOneLineRefusal(cli([...command, file]), /is not a text file/);
    });

    it(`${command[0]} refuses a schedule file over the size limit without reading all of it`, () => {
      const file = path.join(folder, `huge-${command[0]}.bwdc-schedule`);
      fs.writeFileSync(file, `# ${'x'.repeat(1024)}\n`.repeat(2 * 1024));
      assertOneLineRefusal(cli([...command, file]), /is larger than 1024 KB/);
    });
  }

  it('check says "not a text file" for valid UTF-8 that is mostly control characters', () => {
    const file = path.join(folder, 'controls.bwdc-schedule');
    fs.writeFileSync(file, '\u0001\u0002\u0003\u0000\n'.repeat(20_000));
    assertOneLineRefusal(cli(['check', file]), /is not a text file \(it is full of control characters\)/);
  });

  it('check says "not UTF-8" for Latin-1 text instead of guessing at it', () => {
    const file = path.join(folder, 'latin1.bwdc-schedule');
    fs.writeFileSync(file, Buffer.from('# Zeitplan f\xfcr Montag\nschedule 0 12 * * 1\n', 'latin1'));
    assertOneLineRefusal(cli(['check', file]), /is not a text file \(it is not UTF-8\)/);
  });

  it('check refuses a data.json that is a device, and one over 16 MB, in one line each', () => {
    const big = path.join(folder, 'data.json');
    fs.writeFileSync(big, `{"a":"${'x'.repeat(17 * 1024 * 1024)}"}`);
    const result = cli(['check', big, '/dev/zero/data.json']);
    assert.strictEqual(result.status, 2);
    assert.strictEqual(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.strictEqual(lines.length, 2, result.stderr);
    assert.match(lines[0]!, /data\.json: is larger than 16384 KB/);
  });

  for (const log of ['/dev/zero', 'fifo']) {
    it(`history refuses a log that is ${log === 'fifo' ? 'a FIFO' : log} (the schedule file's check already does), without reading or waiting`, () => {
      const target = log === 'fifo' ? path.join(folder, 'history.fifo') : log;
      if (log === 'fifo') execFileSync('mkfifo', [target]);
      const file = path.join(folder, 'history.bwdc-schedule');
      fs.writeFileSync(
        file,
        [
          'schedule 0 12 * * 1',
          'platform linux',
          'bwdc /usr/local/bin/bwdc',
          'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
          'secret file:/home/bwdc/client_secret',
          `log ${target}`,
          '',
        ].join('\n'),
      );
      try {
        const result = cli(['history', file]);
        assert.deepStrictEqual([result.signal, result.status, result.stdout], [null, 1, ''], result.stderr);
        assert.match(result.stderr, /^.*history\.bwdc-schedule:6:5: error path-not-ours: .* not a file the log can be written to\.\n/);
      } finally {
        fs.rmSync(path.join(folder, 'history.fifo'), { force: true });
      }
    });
  }

  it('check ends promptly on a FIFO that a writer keeps open and fills with zeros', async () => {
    const fifo = path.join(folder, 'fed.bwdc-schedule');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `exec cat /dev/zero > '${fifo}'`], { stdio: 'ignore' });
    try {
      assertOneLineRefusal(cli(['check', fifo]), /is not a regular file/);
    } finally {
      writer.kill('SIGKILL');
      fs.rmSync(fifo, { force: true });
    }
  });
});
