import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ProcessResult } from '../../../src/host/process';
import {
  asciiJson,
  POWERSHELL_ARGS,
  reasonForHresult,
  ScheduledTaskError,
  ScheduledTasks,
  splitTaskPath,
  taskScript,
  type ScheduledTaskReason,
  type ScriptAction,
} from '../../../src/host/scheduledTask';
import { bracketProblem, lexPowerShell } from '../script/powershellLexer';
import { FakeRunner, type RecordedRun } from './support';

const FIXTURES = path.join(process.cwd(), 'test/fixtures/task');
const EXPECTED = fs.readFileSync(path.join(FIXTURES, 'sunday-sync.xml'), 'utf8');
/** A hand-made imitation of what Windows exports for EXPECTED (see the comment in the file). */
const EXPORTED = fs.readFileSync(path.join(FIXTURES, 'sunday-sync.exported.xml'), 'utf8');
const TASK = '\\bwdc\\sunday-sync';
const USER = 'CORP\\svc-bwdc';
/** Characters that break naive quoting in PowerShell, JSON or the OEM code page. */
const PASSWORD = `P"a's$w0rd\`;|&<>${'ü'}日本 -Password x`;

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const ok = (...lines: string[]): ProcessResult => ({ code: 0, stdout: [...lines, 'BWDC-OK', ''].join('\r\n'), stderr: '' });
const failed = (hresult: string): ProcessResult => ({
  code: 3,
  stdout: `BWDC-ERROR ${hresult}\r\n`,
  stderr: 'Register-ScheduledTask : (localized text that must not matter)\r\n',
});
const exported = (xml: string, account?: string): ProcessResult => ok(`BWDC-XML ${b64(xml)}`, ...(account ? [`BWDC-ACCOUNT ${b64(account)}`] : []));

/** The action a recorded run performs, and the data line it sent. */
function decode(run: RecordedRun): { script: string; data: Record<string, string>; action: ScriptAction } {
  const lines = run.input!.split('\r\n');
  assert.strictEqual(lines.length, 3, 'script line, data line, and the final line break');
  assert.strictEqual(lines[2], '');
  const action = (['install', 'read', 'remove'] as const).find((a) => taskScript(a) === lines[0]);
  assert.ok(action, 'the first stdin line is one of the fixed scripts');
  return { script: lines[0]!, data: JSON.parse(lines[1]!) as Record<string, string>, action };
}

/** Answers by action: install and remove succeed, read exports `registered` (undefined: not found). */
function windows(registered: string | undefined, options: { account?: string; install?: ProcessResult } = {}): FakeRunner {
  return new FakeRunner((run) => {
    const { action } = decode(run);
    if (action === 'install') return options.install ?? ok();
    if (action === 'read') return registered === undefined ? failed('0x80070002') : exported(registered, options.account);
    return ok();
  });
}

async function rejection(promise: Promise<unknown>): Promise<ScheduledTaskError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ScheduledTaskError, `not a ScheduledTaskError: ${String(error)}`);
    assert.ok(!error.message.includes(PASSWORD), 'the message holds the password');
    return error;
  }
  return assert.fail('did not fail');
}

describe('ScheduledTasks (Windows Task Scheduler through PowerShell, no Windows here)', () => {
  describe('the scripts', () => {
    for (const action of ['install', 'read', 'remove'] as const) {
      it(`${action}: one line (-Command - runs stdin line by line), balanced, reading its data from the next stdin line`, () => {
        const script = taskScript(action);
        assert.ok(!/[\r\n]/.test(script));
        assert.ok(/^[\x20-\x7e]+$/.test(script), 'ASCII only: stdin is decoded with the OEM code page');
        const tokens = lexPowerShell(script);
        assert.strictEqual(bracketProblem(tokens), undefined);
        assert.ok(
          tokens.every((token) => token.kind !== 'comment'),
          'a # would comment out the rest of the line',
        );
        assert.ok(script.startsWith("& { try { $ErrorActionPreference = 'Stop'; $d = [Console]::In.ReadLine() | ConvertFrom-Json; "));
        assert.ok(script.includes("[Console]::Out.WriteLine('BWDC-OK'); exit 0 } catch { "));
        assert.ok(script.endsWith("[Console]::Out.WriteLine('BWDC-ERROR 0x' + ([int64]$h -band 0xFFFFFFFFL).ToString('X8')); exit 3 } }"));
      });
    }

    it('register with -Xml, the split path, -User, -Password and -Force; export and unregister only by name and folder', () => {
      assert.ok(
        taskScript('install').includes(
          'Register-ScheduledTask -Xml $d.xml -TaskName $d.name -TaskPath $d.folder -User $d.user -Password $d.password -Force -ErrorAction Stop',
        ),
      );
      assert.ok(taskScript('read').includes('Export-ScheduledTask -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop'));
      assert.ok(taskScript('remove').includes('Unregister-ScheduledTask -TaskName $d.name -TaskPath $d.folder -Confirm:$false -ErrorAction Stop'));
      assert.ok(!taskScript('read').includes('$d.password') && !taskScript('remove').includes('$d.password'));
    });

    it('send non-ASCII data as JSON escapes that decode back to the same text', () => {
      const data = { xml: '<Description>ü 日本 🦀</Description>\r\n', password: PASSWORD };
      const line = asciiJson(data);
      assert.ok(/^[\x20-\x7e]+$/.test(line));
      assert.deepStrictEqual(JSON.parse(line), data);
    });
  });

  describe('splitTaskPath', () => {
    it('splits \\bwdc\\<name> into TaskPath \\bwdc\\ and TaskName <name>', () => {
      assert.deepStrictEqual(splitTaskPath('\\bwdc\\sunday-sync'), { folder: '\\bwdc\\', name: 'sunday-sync' });
    });
    for (const foreign of [
      '\\Microsoft\\Windows\\Defrag\\ScheduledDefrag',
      '\\sunday-sync',
      'sunday-sync',
      '\\bwdc\\',
      '\\bwdc\\ padded ',
      '\\bwdc\\sub\\task',
    ]) {
      it(`refuses ${JSON.stringify(foreign)}, which is not one of our tasks`, () => {
        assert.throws(
          () => splitTaskPath(foreign),
          (error: unknown) => error instanceof ScheduledTaskError && error.reason === 'other',
        );
      });
    }
  });

  describe('install', () => {
    it('runs powershell.exe -Command - with the script and the data on stdin, the password nowhere in argv, then reads the task back', async () => {
      const runner = windows(EXPORTED, { account: USER });
      await new ScheduledTasks(runner).install(EXPECTED, TASK, USER, PASSWORD);

      assert.deepStrictEqual(
        runner.runs.map((run) => [run.command, ...run.args]),
        [
          ['powershell.exe', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', '-'],
          ['powershell.exe', ...POWERSHELL_ARGS],
        ],
      );
      const [install, read] = runner.runs.map(decode);
      assert.strictEqual(
        runner.runs[0]!.input,
        `${taskScript('install')}\r\n${asciiJson({ xml: EXPECTED, folder: '\\bwdc\\', name: 'sunday-sync', user: USER, password: PASSWORD })}\r\n`,
      );
      assert.deepStrictEqual(install!.data, { xml: EXPECTED, folder: '\\bwdc\\', name: 'sunday-sync', user: USER, password: PASSWORD });
      assert.deepStrictEqual(read!.data, { folder: '\\bwdc\\', name: 'sunday-sync' });
      assert.strictEqual(read!.action, 'read');
      for (const run of runner.runs) {
        assert.ok(!run.args.some((arg) => arg.includes(PASSWORD) || arg.includes('P"a')), 'the password is in argv');
      }
      assert.ok(runner.runs[0]!.input!.includes(asciiJson(PASSWORD)), 'the password is on stdin');
      assert.ok(!runner.runs[1]!.input!.includes(asciiJson(PASSWORD)), 'only install gets the password');
      assert.ok(!install!.script.includes('svc-bwdc') && !install!.script.includes('sunday-sync'), 'no data in the script');
    });

    it('reports a read-back that differs from the XML as verify-failed, naming the parts', async () => {
      const drifted = EXPORTED.replace('<Sunday />', '<Saturday />').replace('PT40M', 'PT72H');
      const error = await rejection(new ScheduledTasks(windows(drifted, { account: USER })).install(EXPECTED, TASK, USER, PASSWORD));
      assert.strictEqual(error.reason, 'verify-failed');
      assert.strictEqual(
        error.message,
        `${TASK} was registered, but Task Scheduler reads it back with different triggers, settings. Check it in Task Scheduler (taskschd.msc).`,
      );
    });

    it('reports a task that cannot be read back after registering as verify-failed', async () => {
      const error = await rejection(new ScheduledTasks(windows(undefined)).install(EXPECTED, TASK, USER, PASSWORD));
      assert.strictEqual(error.reason, 'verify-failed');
    });

    const failures: readonly (readonly [string, ScheduledTaskReason, RegExp])[] = [
      ['0x80070005', 'access-denied', /^Access denied \(0x80070005\) when trying to install \\bwdc\\sunday-sync: run it from an elevated/],
      ['0x80070534', 'unknown-user', /^Windows does not know the account CORP\\svc-bwdc \(0x80070534\)/],
      ['0x8007052E', 'wrong-password', /^The password for CORP\\svc-bwdc was not accepted \(0x8007052E\)/],
      ['0x8007052e', 'wrong-password', /0x8007052E/],
      ['0x80070002', 'not-found', /is not registered in Task Scheduler \(0x80070002\)/],
      ['0x80041318', 'other', /^Task Scheduler could not install \\bwdc\\sunday-sync \(0x80041318\)\.$/],
    ];
    for (const [hresult, reason, message] of failures) {
      it(`maps BWDC-ERROR ${hresult} to ${reason}, whatever the localized stderr says`, async () => {
        const runner = windows(EXPORTED, { install: failed(hresult) });
        const error = await rejection(new ScheduledTasks(runner).install(EXPECTED, TASK, USER, PASSWORD));
        assert.strictEqual(error.reason, reason);
        assert.match(error.message, message);
        assert.strictEqual(runner.runs.length, 1, 'nothing is read back after a failure');
      });
    }

    it('treats a run without BWDC-OK as a failure (PowerShell exits 0 when it cannot parse the last statement)', async () => {
      const runner = new FakeRunner(() => ({ code: 0, stdout: '', stderr: 'ParserError' }));
      const error = await rejection(new ScheduledTasks(runner).install(EXPECTED, TASK, USER, PASSWORD));
      assert.strictEqual(error.reason, 'other');
      assert.match(error.message, /PowerShell could not install \\bwdc\\sunday-sync \(exit 0, no result\)/);
    });

    it('treats a non-zero exit without a marker as other', async () => {
      const error = await rejection(new ScheduledTasks(new FakeRunner(() => ({ code: 1, stdout: '', stderr: '' }))).install(EXPECTED, TASK, USER, PASSWORD));
      assert.strictEqual(error.reason, 'other');
    });

    it('reports a missing powershell.exe as powershell-missing', async () => {
      const runner = { run: () => Promise.reject(Object.assign(new Error('spawn powershell.exe ENOENT'), { code: 'ENOENT' })) };
      const error = await rejection(new ScheduledTasks(runner).install(EXPECTED, TASK, USER, PASSWORD));
      assert.strictEqual(error.reason, 'powershell-missing');
    });

    it('refuses a task path outside \\bwdc\\ without running anything', async () => {
      const runner = windows(EXPORTED);
      const error = await rejection(new ScheduledTasks(runner).install(EXPECTED, '\\Microsoft\\Windows\\Other', USER, PASSWORD));
      assert.strictEqual(error.reason, 'other');
      assert.deepStrictEqual(runner.runs, []);
    });
  });

  describe('read', () => {
    it('returns the exported XML decoded from base64 UTF-8, and undefined when the task is not found', async () => {
      const xml = EXPORTED.replace('somewhere else', 'ü 日本');
      assert.strictEqual(await new ScheduledTasks(windows(xml)).read(TASK), xml);
      assert.strictEqual(await new ScheduledTasks(windows(undefined)).read(TASK), undefined);
    });

    it('passes access denied on as an error rather than "not installed"', async () => {
      const runner = new FakeRunner(() => failed('0x80070005'));
      assert.strictEqual((await rejection(new ScheduledTasks(runner).read(TASK))).reason, 'access-denied');
    });
  });

  describe('remove', () => {
    it('unregisters by folder and name and says whether there was a task', async () => {
      const runner = new FakeRunner(() => ok());
      assert.strictEqual(await new ScheduledTasks(runner).remove(TASK), true);
      assert.deepStrictEqual(
        runner.runs.map(decode).map((run) => [run.action, run.data]),
        [['remove', { folder: '\\bwdc\\', name: 'sunday-sync' }]],
      );
      assert.deepStrictEqual(runner.runs[0]!.args, POWERSHELL_ARGS);
      assert.strictEqual(await new ScheduledTasks(new FakeRunner(() => failed('0x80070002'))).remove(TASK), false);
    });

    it('passes access denied on', async () => {
      assert.strictEqual((await rejection(new ScheduledTasks(new FakeRunner(() => failed('0x80070005'))).remove(TASK))).reason, 'access-denied');
    });
  });

  describe('status', () => {
    const cases: readonly (readonly [string, string | undefined, string | undefined, string])[] = [
      ['the same task, as Windows exports it (SID principal resolved to the account)', EXPORTED, USER, 'installed'],
      ['the same task with the account name in UserId and no SID line', EXPORTED.replace(/S-1-5-21-[\d-]+/, 'svc-bwdc'), undefined, 'installed'],
      ['the generated XML itself', EXPECTED, undefined, 'installed'],
      ['a trigger moved to Saturday', EXPORTED.replace('<Sunday />', '<Saturday />'), USER, 'different'],
      ['a trigger at 21:00', EXPORTED.replace('T20:00:00', 'T21:00:00'), USER, 'different'],
      ['a trigger disabled', EXPORTED.replace('<StartBoundary>', '<Enabled>false</Enabled><StartBoundary>'), USER, 'different'],
      ['another user', EXPORTED, 'CORP\\someone-else', 'different'],
      ['logon type S4U', EXPORTED.replace('<LogonType>Password</LogonType>', '<LogonType>S4U</LogonType>'), USER, 'different'],
      ['another script', EXPORTED.replace('bwdcSyncService.ps1', 'other.ps1'), USER, 'different'],
      ['batteries stop it', EXPORTED.replace('<StopIfGoingOnBatteries>false', '<StopIfGoingOnBatteries>true'), USER, 'different'],
      ['a default setting left out by the export', EXPORTED.replace(/\s*<Priority>7<\/Priority>/, ''), USER, 'installed'],
      ['only RegistrationInfo changed', EXPORTED.replace('CORP\\admin', 'CORP\\other-admin').replace('2025-03-02', '2026-01-01'), USER, 'installed'],
      ['absent', undefined, undefined, 'not-installed'],
    ];
    for (const [name, registered, account, status] of cases) {
      it(`says ${status} for ${name}`, async () => {
        const runner = windows(registered, account ? { account } : {});
        assert.strictEqual(await new ScheduledTasks(runner).status(EXPECTED, TASK), status);
        assert.deepStrictEqual(
          runner.runs.map((run) => decode(run).action),
          ['read'],
        );
      });
    }
  });

  describe('reasonForHresult', () => {
    it('takes HRESULTs as signed or unsigned 32-bit numbers', () => {
      assert.strictEqual(reasonForHresult(0x80070005), 'access-denied');
      assert.strictEqual(reasonForHresult(0x80070005 | 0), 'access-denied');
      assert.strictEqual(reasonForHresult(0x80070003), 'not-found');
      assert.strictEqual(reasonForHresult(5), 'other');
    });
  });
});
