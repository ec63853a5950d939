import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { version } from '../../../package.json';
import { systemdUnits } from '../../../src/core/systemd/units';
import { run } from '../cli/fakeIo';
import { readFixture } from '../schedule/support';
import { jobOf, useSandboxes } from '../script/support';

/** The linux fixture (weekly-sync, Mondays 12:00, Europe/Berlin) with `scheduler systemd` and extra lines, in a fresh folder. */
function scheduleIn(folder: string, extra = 'scheduler  systemd\n', name = 'weekly.bwdc-schedule'): { file: string; text: string } {
  const text = `${readFixture('linux.bwdc-schedule')}${extra}`;
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return { file, text };
}

describe('bwdc-schedule systemd', () => {
  const sandbox = useSandboxes();

  it('prints its usage for systemd --help, and the main help lists it', () => {
    const result = run(['systemd', '--help']);
    assert.strictEqual(result.code, 0);
    assert.ok(result.stdout.startsWith('Usage: bwdc-schedule systemd units FILE [--output DIR|-]'), result.stdout);
    assert.match(result.stdout, /bwdc-schedule systemd install\|remove FILE \[--dry-run\] \[--yes\] \[--root DIR\]/);
    assert.match(result.stdout, /Exit status/);
    assert.match(run(['--help']).stdout, /systemd units FILE/);
  });

  it('writes bwdc-<name>.service and .timer beside the schedule file, exactly the generated units', () => {
    const { file, text } = scheduleIn(sandbox(), 'scheduler  systemd\ncatch-up   no\nrandom-delay 10m\n');
    const result = run(['systemd', 'units', file]);
    const folder = path.dirname(file);
    const service = path.join(folder, 'bwdc-weekly-sync.service');
    const timer = path.join(folder, 'bwdc-weekly-sync.timer');
    assert.deepStrictEqual(result, { code: 0, stdout: `wrote ${service}\nwrote ${timer}\n`, stderr: '' });
    const expected = systemdUnits(jobOf(text, file), { version, currentUser: 'tester' });
    assert.strictEqual(fs.readFileSync(service, 'utf8'), expected.service.text);
    assert.strictEqual(fs.readFileSync(timer, 'utf8'), expected.timer.text);
    assert.match(expected.timer.text, /^OnCalendar=Mon \*-\*-\* 12:00:00 Europe\/Berlin$/m);
    assert.match(expected.timer.text, /^Persistent=false$/m);
    assert.match(expected.timer.text, /^RandomizedDelaySec=10min$/m);
    assert.match(expected.service.text, /^User=bwdc$/m);
    assert.strictEqual(fs.statSync(service).mode & 0o777, 0o644);
    // Twice is once: its own files are replaced.
    assert.strictEqual(run(['systemd', 'units', file]).code, 0);
  });

  it('prints both for --output -, and writes nothing', () => {
    const folder = sandbox();
    const { file, text } = scheduleIn(folder);
    const result = run(['systemd', 'units', file, '--output', '-']);
    const expected = systemdUnits(jobOf(text, file), { version, currentUser: 'tester' });
    assert.deepStrictEqual(result, {
      code: 0,
      stdout: `# bwdc-weekly-sync.service\n${expected.service.text}\n# bwdc-weekly-sync.timer\n${expected.timer.text}`,
      stderr: '',
    });
    assert.deepStrictEqual(fs.readdirSync(folder), ['weekly.bwdc-schedule']);
  });

  it('writes to --output DIR relative to the working folder, making it', () => {
    const root = sandbox();
    const { file } = scheduleIn(root);
    const result = run(['systemd', 'units', file, '--output', 'units dir'], { cwd: root });
    assert.strictEqual(result.code, 0, result.stderr);
    assert.deepStrictEqual(fs.readdirSync(path.join(root, 'units dir')).sort(), ['bwdc-weekly-sync.service', 'bwdc-weekly-sync.timer']);
  });

  it('exits 1 with the reason when a schedule line has no exact OnCalendar= form', () => {
    // With scheduler systemd the diagnostics already refuse it ...
    const { file } = scheduleIn(sandbox(), 'scheduler  systemd\nschedule   @reboot\n');
    const result = run(['systemd', 'units', file]);
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /weekly\.bwdc-schedule:16:12: error timer-inexact: cron runs this: .*@reboot is not a calendar time/);
    // ... and without it (cron by default) the generator does.
    const other = scheduleIn(sandbox(), 'schedule   @reboot\n');
    const plain = run(['systemd', 'units', other.file]);
    assert.strictEqual(plain.code, 1);
    assert.match(plain.stderr, /note: .* says scheduler cron/);
    assert.match(plain.stderr, /weekly\.bwdc-schedule:15: error timer-inexact: schedule '@reboot' \(line 15\): @reboot is not a calendar time/);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(other.file)), ['weekly.bwdc-schedule']);
  });

  it('never replaces a unit file it did not write', () => {
    const { file } = scheduleIn(sandbox());
    const foreign = path.join(path.dirname(file), 'bwdc-weekly-sync.service');
    fs.writeFileSync(foreign, '[Service]\nExecStart=/usr/local/bin/mine\n');
    const result = run(['systemd', 'units', file]);
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /is not a unit file written by bwdc Schedule/);
    assert.strictEqual(fs.readFileSync(foreign, 'utf8'), '[Service]\nExecStart=/usr/local/bin/mine\n');
  });

  it('refuses a file for another platform', () => {
    const { file } = scheduleIn(sandbox(), '');
    const windows = file.replace(/weekly/, 'win');
    fs.writeFileSync(windows, fs.readFileSync(file, 'utf8').replace('platform   linux', 'platform   macos'));
    const result = run(['systemd', 'units', windows]);
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /systemd timers are for linux, and this file says platform macos/);
  });

  it('exits 2 for an unknown action, a missing file and options of another action', () => {
    assert.strictEqual(run(['systemd', 'frobnicate', 'x']).code, 2);
    assert.strictEqual(run(['systemd', 'units', 'x', '--root', '/']).code, 2);
    assert.strictEqual(run(['systemd', 'units', 'x', '--yes']).code, 2);
    assert.strictEqual(run(['systemd', 'units']).code, 2);
  });
});
