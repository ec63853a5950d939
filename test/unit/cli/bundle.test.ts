import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fixturePath } from '../schedule/support';
import { repositoryRoot } from './fakeIo';

const ROOT = repositoryRoot();
const BUNDLE = path.join(ROOT, 'dist', 'cli.js');

/** The newest modification time among the sources the bundle is built from. */
function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function node(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BUNDLE, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', BWDC_SCHEDULE_DEBUG: '' },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built bwdc-schedule bundle', function () {
  this.timeout(120_000);

  before(() => {
    const missing = !fs.existsSync(BUNDLE);
    if (missing || fs.statSync(BUNDLE).mtimeMs < newestSource(path.join(ROOT, 'src'))) {
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    }
  });

  it('exits with real status codes and keeps results on stdout and reasons on stderr', () => {
    const odd = node(['next', '0 0 */2 * sun', '--from', '2025-01-01T00:00:00Z', '--json']);
    assert.deepStrictEqual(odd, {
      status: 0,
      stdout: '["2025-01-05T00:00:00.000Z","2025-01-19T00:00:00.000Z","2025-02-09T00:00:00.000Z","2025-02-23T00:00:00.000Z","2025-03-09T00:00:00.000Z"]\n',
      stderr: '',
    });

    const never = node(['next', '0 0 31 2 *', '--json']);
    assert.deepStrictEqual(never, { status: 0, stdout: '[]\n', stderr: 'bwdc-schedule: 0 0 31 2 *: Never runs: February never has day 31.\n' });

    const errors = node(['check', fixturePath('every-error.bwdc-schedule')]);
    assert.strictEqual(errors.status, 1);
    assert.strictEqual(errors.stderr, '');
    assert.match(errors.stdout, /every-error\.bwdc-schedule:2:1: error unknown-directive: Unknown directive 'shedule'/);

    const usage = node(['next', '* * * * *', '--count', '0']);
    assert.deepStrictEqual(usage, { status: 2, stdout: '', stderr: "bwdc-schedule: next: --count must be a whole number from 1 to 1000, not '0'.\n" });

    const invalid = node(['explain', '0 24 * * *']);
    assert.deepStrictEqual(invalid, { status: 1, stdout: '', stderr: 'bwdc-schedule: 0 24 * * *: hour: 24 is out of range 0–23.\n' });
  });
});
