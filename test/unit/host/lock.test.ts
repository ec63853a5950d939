import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FileLocks, LockTimeoutError, withLock } from '../../../src/host/lock';
import { useTemporaryFolders } from './support';

/** A process that takes the lock through the compiled module, says "held", and waits to be killed. */
function holderProcess(folder: string, key: string, locker: 'flock' | 'perl'): Promise<import('child_process').ChildProcess> {
  const module = path.resolve(__dirname, '../../../src/host/lock.js');
  const program = `const { FileLocks } = require(${JSON.stringify(module)});
new FileLocks(${JSON.stringify(folder)}, 30000, [${JSON.stringify(locker)}]).acquire(${JSON.stringify(key)}, 'test').then(() => { process.stdout.write('held\\n'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the holder exited with ${String(code)}`)));
  });
}

describe('change locks across processes (host/lock)', function () {
  this.timeout(30_000);
  const folder = useTemporaryFolders();

  for (const locker of ['flock', 'perl'] as const) {
    describe(`with ${locker}`, () => {
      it('makes a second process wait until the first releases, and never lets both in', async () => {
        const root = folder();
        const locks = new FileLocks(root, 10_000, [locker]);
        const order: string[] = [];
        const first = locks.acquire('crontab-bwdc', 'the crontab of bwdc');
        const held = await first;
        const second = withLock(new FileLocks(root, 10_000, [locker]), 'crontab-bwdc', 'the crontab of bwdc', async () => void order.push('second'));
        await new Promise((resolve) => setTimeout(resolve, 300));
        order.push('first done');
        held.release();
        await second;
        assert.deepStrictEqual(order, ['first done', 'second']);
      });

      it('is free at once when its holder is killed (no stale lock)', async () => {
        const root = folder();
        const holder = await holderProcess(root, 'crontab-bwdc', locker);
        await assert.rejects(new FileLocks(root, 1_000, [locker]).acquire('crontab-bwdc', 'the crontab of bwdc'), LockTimeoutError);
        holder.kill('SIGKILL');
        await new Promise((resolve) => holder.once('exit', resolve));
        const started = Date.now();
        (await new FileLocks(root, 5_000, [locker]).acquire('crontab-bwdc', 'the crontab of bwdc')).release();
        assert.ok(Date.now() - started < 2_000, 'taken without waiting for a timeout');
      });

      it('gives up after its timeout with a message that names what it guards and the lock file', async () => {
        const root = folder();
        const held = await new FileLocks(root, 5_000, [locker]).acquire('crontab-bwdc', 'x');
        try {
          await assert.rejects(new FileLocks(root, 1_000, [locker]).acquire('crontab-bwdc', 'the crontab of bwdc'), (error: Error) => {
            assert.ok(error instanceof LockTimeoutError);
            assert.match(
              error.message,
              /^Another change to the crontab of bwdc has held its lock for 1 seconds \(.*bwdc-schedule-crontab-bwdc\.lock\); nothing was changed/,
            );
            return true;
          });
        } finally {
          held.release();
        }
      });
    });
  }

  it('keeps different keys apart, and no key escapes the folder', async () => {
    const root = folder();
    const locks = new FileLocks(root, 2_000);
    const a = await locks.acquire('crontab-alice', 'a');
    const b = await locks.acquire('crontab-bob', 'b');
    const odd = await locks.acquire('task-\\bwdc\\../../etc', 'c');
    a.release();
    b.release();
    odd.release();
    assert.deepStrictEqual(fs.readdirSync(root).sort(), [
      'bwdc-schedule-crontab-alice.lock',
      'bwdc-schedule-crontab-bob.lock',
      'bwdc-schedule-task-%5cbwdc%5c..%2f..%2fetc.lock',
    ]);
  });

  it('never follows a symlink planted where its lock file goes', async () => {
    const root = folder();
    const target = path.join(root, 'elsewhere');
    fs.symlinkSync(target, path.join(root, 'bwdc-schedule-crontab-bwdc.lock'));
    await assert.rejects(new FileLocks(root, 1_000).acquire('crontab-bwdc', 'x'), /ELOOP/);
    assert.ok(!fs.existsSync(target), 'nothing was created at the target');
  });
});
