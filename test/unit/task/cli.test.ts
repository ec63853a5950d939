import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { version } from '../../../package.json';
import { taskXml, taskXmlUtf16 } from '../../../src/core/task/xml';
import { taskScript } from '../../../src/host/scheduledTask';
import { FakeRunner } from '../host/support';
import { run, runAsync } from '../cli/fakeIo';
import { fixturePath } from '../schedule/support';
import { jobOf, useSandboxes } from '../script/support';

const XSD = path.resolve(fixturePath(), '../task/task-scheduler.xsd');
const SEED = fs.readFileSync(fixturePath('windows.bwdc-schedule'), 'utf8');

/** The windows fixture (sunday-sync, `schedule 0 20 * * 0`) in a fresh folder, with extra lines. */
function seedIn(folder: string, extra = '', name = 'sunday.bwdc-schedule'): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, SEED + extra);
  return file;
}

function xmllint(file: string): { status: number | null; stderr: string } {
  const result = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  assert.ok(!result.error, `xmllint could not run (Debian package libxml2-utils): ${result.error?.message}`);
  return { status: result.status, stderr: result.stderr };
}

describe('bwdc-schedule task', () => {
  const sandbox = useSandboxes();

  it('prints its usage for task --help, and the main help lists it', () => {
    const result = run(['task', '--help']);
    assert.strictEqual(result.code, 0);
    assert.ok(result.stdout.startsWith('Usage: bwdc-schedule task xml FILE [--output PATH|-] [--logon-type Password|S4U]'), result.stdout);
    assert.match(result.stdout, /UTF-16 LE with a byte order mark/);
    assert.match(result.stdout, /encoding="UTF-8"/);
    assert.match(result.stdout, /Exit status/);
    assert.match(run(['--help']).stdout, /task xml FILE/);
  });

  describe('xml', () => {
    it('writes <name>.task.xml beside the schedule file as UTF-16 LE with BOM, and it validates against the schema', () => {
      const file = seedIn(sandbox());
      const result = run(['task', 'xml', file], { hostPlatform: 'linux' });

      const target = path.join(path.dirname(file), 'sunday-sync.task.xml');
      assert.deepStrictEqual(result, { code: 0, stdout: `wrote ${target}\n`, stderr: '' });
      const bytes = fs.readFileSync(target);
      const expected = taskXml(jobOf(SEED, file), { version });
      assert.deepStrictEqual([...bytes.subarray(0, 4)], [0xff, 0xfe, 0x3c, 0x00], 'BOM, then "<" in UTF-16 LE');
      assert.ok(bytes.equals(Buffer.from(taskXmlUtf16(expected))));
      assert.strictEqual(bytes.subarray(2).toString('utf16le').split('\r\n')[0], '<?xml version="1.0" encoding="UTF-16"?>');
      const lint = xmllint(target);
      assert.strictEqual(lint.status, 0, lint.stderr);
      assert.strictEqual(lint.stderr, `${target} validates\n`);
    });

    it('writes to --output PATH relative to the working folder', () => {
      const root = sandbox();
      const file = seedIn(root);
      const result = run(['task', 'xml', file, '--output', 'out dir/task.xml'], { hostPlatform: 'linux', cwd: root });
      const target = path.join(root, 'out dir', 'task.xml');
      assert.deepStrictEqual(result, { code: 0, stdout: `wrote ${target}\n`, stderr: '' });
      assert.deepStrictEqual([...fs.readFileSync(target).subarray(0, 2)], [0xff, 0xfe]);
      assert.ok(!fs.existsSync(path.join(root, 'sunday-sync.task.xml')));
    });

    it('prints UTF-8 text that says encoding="UTF-8" for --output -, and writes nothing', () => {
      const folder = sandbox();
      const file = seedIn(folder);
      const result = run(['task', 'xml', file, '--output', '-'], { hostPlatform: 'linux' });

      const expected = taskXml(jobOf(SEED, file), { version });
      assert.strictEqual(result.code, 0);
      assert.strictEqual(result.stderr, '');
      assert.strictEqual(result.stdout, expected.replace('encoding="UTF-16"', 'encoding="UTF-8"'));
      assert.ok(result.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n<Task version="1.2"'));
      assert.deepStrictEqual(fs.readdirSync(folder), ['sunday.bwdc-schedule']);
      // What a user would redirect to a file is valid too.
      const redirected = path.join(folder, 'redirected.xml');
      fs.writeFileSync(redirected, result.stdout, 'utf8');
      assert.strictEqual(xmllint(redirected).status, 0);
    });

    it('uses --logon-type S4U when asked, and refuses it for a dpapi: secret', () => {
      const withEnv = seedIn(sandbox(), '', 'env.bwdc-schedule');
      fs.writeFileSync(withEnv, SEED.replace(/^secret .*$/m, 'secret env:BWDC_CLIENT_SECRET'));
      const s4u = run(['task', 'xml', withEnv, '--output', '-', '--logon-type', 'S4U'], { hostPlatform: 'linux' });
      assert.strictEqual(s4u.code, 0, s4u.stderr);
      assert.match(s4u.stdout, /<LogonType>S4U<\/LogonType>/);

      const dpapi = seedIn(sandbox());
      const refused = run(['task', 'xml', dpapi, '--logon-type', 'S4U'], { hostPlatform: 'linux' });
      assert.strictEqual(refused.code, 1);
      assert.strictEqual(refused.stdout, '');
      assert.match(refused.stderr, /S4U cannot read a 'dpapi:' secret/);
      assert.deepStrictEqual(fs.readdirSync(path.dirname(dpapi)), ['sunday.bwdc-schedule']);
    });

    it('exits 1 with FILE:LINE diagnostics for a schedule line that has no exact trigger, and writes nothing', () => {
      const file = seedIn(sandbox(), 'schedule   0 0 */2 * sun\r\n');
      const result = run(['task', 'xml', file], { hostPlatform: 'linux' });

      assert.strictEqual(result.code, 1);
      assert.strictEqual(result.stdout, '');
      assert.match(
        result.stderr,
        /sunday\.bwdc-schedule:12:12: error task-inexact: cron runs this: At 00:00.*cannot combine a day of the month with a weekday/,
      );
      assert.match(result.stderr, /The schedule file has errors; fix them first\.\n$/);
      assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['sunday.bwdc-schedule']);
    });

    it('exits 1 naming the line for a platform linux file whose schedule cannot be mapped, with a note that it is not windows', () => {
      const folder = sandbox();
      const file = path.join(folder, 'linux.bwdc-schedule');
      fs.writeFileSync(
        file,
        'name nightly\nschedule 0 0 */2 * sun\nplatform linux\nbwdc /usr/bin/bwdc\nclient-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\nsecret env:BWDC_CLIENT_SECRET\n',
      );
      const refused = run(['task', 'xml', file], { hostPlatform: 'linux' });
      assert.strictEqual(refused.code, 1);
      assert.match(refused.stderr, /^.*linux\.bwdc-schedule:2: error task-inexact: schedule '0 0 \*\/2 \* sun' \(line 2\): Task Scheduler cannot combine/m);

      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('0 0 */2 * sun', '0 3 * * *'));
      const written = run(['task', 'xml', file], { hostPlatform: 'linux' });
      assert.strictEqual(written.code, 0);
      assert.match(written.stderr, /^bwdc-schedule: note: .* says platform linux; the task is for Windows Task Scheduler/);
      assert.strictEqual(written.stdout, `wrote ${path.join(folder, 'nightly.task.xml')}\n`);
    });

    it('exits 1 with the diagnostics of a file with errors', () => {
      const file = seedIn(sandbox(), 'shedule 0 0 * * *\r\n');
      const result = run(['task', 'xml', file], { hostPlatform: 'linux' });
      assert.strictEqual(result.code, 1);
      assert.match(result.stderr, /sunday\.bwdc-schedule:12:1: error unknown-directive: /);
    });

    const usage: ReadonlyArray<readonly [readonly string[], RegExp]> = [
      [['task'], /task: say xml, install, remove or status/],
      [['task', 'export', 'x.bwdc-schedule'], /task: unknown action 'export'/],
      [['task', 'xml'], /task xml: name exactly one schedule file/],
      [['task', 'xml', 'a', 'b'], /task xml: name exactly one schedule file/],
      [['task', 'xml', 'a', '--logon-type', 'Interactive'], /--logon-type must be Password or S4U, not 'Interactive'/],
      [['task', 'xml', 'a', '--verbose'], /task: .*'--verbose'/],
    ];
    for (const [argv, message] of usage) {
      it(`exits 2 with a usage error for ${JSON.stringify(argv)}`, () => {
        const result = run(argv);
        assert.strictEqual(result.code, 2);
        assert.strictEqual(result.stdout, '');
        assert.match(result.stderr, /^bwdc-schedule: [^\n]+\n$/);
        assert.match(result.stderr, message);
      });
    }
  });

  describe('install, remove and status', () => {
    it('say on Linux that they need Windows, show the schtasks command with the real names, and exit 2', () => {
      const file = seedIn(sandbox());
      const result = run(['task', 'install', file], { hostPlatform: 'linux' });
      assert.strictEqual(result.code, 2);
      assert.strictEqual(result.stdout, '');
      assert.match(result.stderr, /^bwdc-schedule: task install needs Windows \(Task Scheduler\); this machine runs linux\./);
      assert.ok(result.stderr.includes('schtasks /Create /XML "sunday-sync.task.xml" /TN "\\bwdc\\sunday-sync" /RU CORP\\svc-bwdc /RP *'), result.stderr);
      assert.ok(result.stderr.includes(`bwdc-schedule task xml ${file}`), result.stderr);

      assert.ok(run(['task', 'remove', file], { hostPlatform: 'macos' }).stderr.includes('schtasks /Delete /TN "\\bwdc\\sunday-sync" /F'));
      assert.ok(run(['task', 'status', file], { hostPlatform: 'linux' }).stderr.includes('schtasks /Query /TN "\\bwdc\\sunday-sync"'));
    });

    it('fall back to placeholders for a file that cannot be read', () => {
      const result = run(['task', 'install', path.join(sandbox(), 'missing.bwdc-schedule')], { hostPlatform: 'linux' });
      assert.strictEqual(result.code, 2);
      assert.ok(result.stderr.includes('/TN "\\bwdc\\<name>" /RU <run-as> /RP *'), result.stderr);
    });
  });

  describe('install, remove and status on Windows (a fake Task Scheduler behind the process runner)', () => {
    const PASSWORD = 'S3cret "pass" word ü';
    const TASK = '\\bwdc\\sunday-sync';

    /** Task Scheduler as the scripts see it: registered XML by folder+name; `answer` overrides a call. */
    function scheduler(answer?: (action: string) => { code: number; stdout: string; stderr: string } | undefined): {
      runner: FakeRunner;
      tasks: Map<string, string>;
    } {
      const tasks = new Map<string, string>();
      const runner = new FakeRunner((recorded) => {
        const [script, json] = recorded.input!.split('\r\n');
        const action = (['install', 'read', 'remove'] as const).find((a) => taskScript(a) === script)!;
        const data = JSON.parse(json!) as Record<string, string>;
        const overridden = answer?.(action);
        if (overridden) return overridden;
        const key = `${data['folder']}${data['name']}`;
        const notFound = { code: 3, stdout: 'BWDC-ERROR 0x80070002\r\n', stderr: '' };
        if (action === 'install') tasks.set(key, data['xml']!);
        else if (action === 'remove') {
          if (!tasks.delete(key)) return notFound;
        } else {
          const xml = tasks.get(key);
          if (xml === undefined) return notFound;
          return { code: 0, stdout: `BWDC-XML ${Buffer.from(xml).toString('base64')}\r\nBWDC-OK\r\n`, stderr: '' };
        }
        return { code: 0, stdout: 'BWDC-OK\r\n', stderr: '' };
      });
      return { runner, tasks };
    }

    /** Which scripts ran, in order. */
    function actions(runner: FakeRunner): string[] {
      return runner.runs.map((recorded) => (['install', 'read', 'remove'] as const).find((a) => taskScript(a) === recorded.input!.split('\r\n')[0])!);
    }

    function secretInput(password: string): { prompts: string[]; readSecret(prompt: string): Promise<string> } {
      const prompts: string[] = [];
      return { prompts, readSecret: (prompt) => (prompts.push(prompt), Promise.resolve(`${password}\n`)) };
    }

    it('install registers the generated XML as run-as with the password from stdin (never in argv), and checks it', async () => {
      const file = seedIn(sandbox());
      const { runner, tasks } = scheduler();
      const input = secretInput(PASSWORD);
      const result = await runAsync(['task', 'install', file, '--yes'], { hostPlatform: 'windows', runner }, input);

      assert.strictEqual(result.code, 0, result.stderr);
      assert.ok(result.stdout.startsWith(`--- ${TASK} (not registered)\n+++ ${TASK} (after)\n`), result.stdout);
      assert.ok(
        result.stdout.endsWith(`Installed ${TASK}: runs as CORP\\svc-bwdc whether the user is logged on or not; read back and checked.\n`),
        result.stdout,
      );
      assert.match(result.stderr, /^bwdc-schedule: note: the sync script \S*bwdcSyncService\.ps1 does not exist yet; the task will fail until it does/i);
      assert.deepStrictEqual(input.prompts, ['Password of CORP\\svc-bwdc (Task Scheduler stores it to run the task when no one is logged on) (not shown): ']);
      assert.strictEqual(runner.runs.length, 3, 'read for the preview, register, then read back');
      const data = JSON.parse(runner.runs[1]!.input!.split('\r\n')[1]!) as Record<string, string>;
      // The install time (RegistrationInfo/Date, local time) is the run's; the rest byte for byte.
      assert.match(data['xml']!, /<Date>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d<\/Date>/);
      assert.deepStrictEqual(
        { ...data, xml: data['xml']!.replace(/ {4}<Date>[^<]*<\/Date>\r\n/, '') },
        {
          xml: taskXml(jobOf(SEED, file), { version }),
          folder: '\\bwdc\\',
          name: 'sunday-sync',
          user: 'CORP\\svc-bwdc',
          password: PASSWORD,
        },
      );
      assert.ok(runner.runs.every((recorded) => recorded.command === 'powershell.exe' && !recorded.args.some((arg) => arg.includes('S3cret'))));
      assert.ok(!result.stdout.includes('S3cret') && !result.stderr.includes('S3cret'));
      assert.deepStrictEqual([...tasks.keys()], [TASK]);
    });

    it('status says not installed, installed, or which parts differ; --json too', async () => {
      const file = seedIn(sandbox());
      const { runner, tasks } = scheduler();
      const options = { hostPlatform: 'windows' as const, runner };
      assert.deepStrictEqual(await runAsync(['task', 'status', file], options), { code: 0, stdout: `${TASK} in Task Scheduler: not installed\n`, stderr: '' });
      assert.strictEqual(
        (await runAsync(['task', 'status', file, '--json'], options)).stdout,
        `${JSON.stringify({ task: TASK, status: 'not-installed', different: [] })}\n`,
      );

      await runAsync(['task', 'install', file, '--yes'], options, secretInput(PASSWORD));
      assert.strictEqual((await runAsync(['task', 'status', file], options)).stdout, `${TASK} in Task Scheduler: installed and up to date\n`);

      tasks.set(TASK, tasks.get(TASK)!.replace('<Sunday />', '<Monday />').replace('svc-bwdc', 'someone'));
      const drifted = await runAsync(['task', 'status', file], options);
      assert.strictEqual(
        drifted.stdout,
        `${TASK} in Task Scheduler: installed, but its triggers, principal differ from the schedule file (run: bwdc-schedule task install FILE)\n`,
      );
      assert.strictEqual(
        (await runAsync(['task', 'status', file, '--json'], options)).stdout,
        `${JSON.stringify({ task: TASK, status: 'different', different: ['triggers', 'principal'] })}\n`,
      );
    });

    it('remove unregisters our task, and says so when there is none', async () => {
      const file = seedIn(sandbox());
      const { runner, tasks } = scheduler();
      const options = { hostPlatform: 'windows' as const, runner };
      await runAsync(['task', 'install', file, '--yes'], options, secretInput(PASSWORD));
      assert.deepStrictEqual(await runAsync(['task', 'remove', file, '--yes'], options), {
        code: 0,
        stdout: `Removed ${TASK} from Task Scheduler.\n`,
        stderr: '',
      });
      assert.strictEqual(tasks.size, 0);
      assert.deepStrictEqual(await runAsync(['task', 'remove', file], options), {
        code: 0,
        stdout: `${TASK} is not registered in Task Scheduler; nothing to remove.\n`,
        stderr: '',
      });
    });

    const refusals: readonly (readonly [string, string, RegExp])[] = [
      ['0x80070005', 'access denied', /^bwdc-schedule: Access denied \(0x80070005\) when trying to install \\bwdc\\sunday-sync: run it from an elevated/m],
      ['0x80070534', 'an unknown account', /^bwdc-schedule: Windows does not know the account CORP\\svc-bwdc \(0x80070534\)/m],
      ['0x8007052E', 'a wrong password', /^bwdc-schedule: The password for CORP\\svc-bwdc was not accepted \(0x8007052E\)/m],
    ];
    for (const [hresult, what, message] of refusals) {
      it(`install explains ${what} and exits 1`, async () => {
        const { runner, tasks } = scheduler((action) => (action === 'install' ? { code: 3, stdout: `BWDC-ERROR ${hresult}\r\n`, stderr: '' } : undefined));
        const result = await runAsync(['task', 'install', seedIn(sandbox()), '--yes'], { hostPlatform: 'windows', runner }, secretInput(PASSWORD));
        assert.strictEqual(result.code, 1);
        assert.ok(!result.stdout.includes('Installed'), result.stdout);
        assert.match(result.stderr, message);
        assert.ok(!result.stderr.includes('S3cret'));
        assert.strictEqual(tasks.size, 0);
      });
    }

    it('install refuses an empty password, a file without run-as, and a file for another platform, without starting PowerShell', async () => {
      const { runner } = scheduler();
      const options = { hostPlatform: 'windows' as const, runner };
      const empty = await runAsync(['task', 'install', seedIn(sandbox()), '--yes'], options, secretInput(''));
      assert.strictEqual(empty.code, 1);
      assert.match(empty.stderr, /no password was given/i);
      assert.deepStrictEqual(actions(runner), ['read'], 'only the preview read the task');
      runner.runs.length = 0;

      const root = sandbox();
      const withoutRunAs = path.join(root, 'norunas.bwdc-schedule');
      fs.writeFileSync(withoutRunAs, SEED.replace(/^run-as .*\r?\n/m, ''));
      const refused = await runAsync(['task', 'install', withoutRunAs], options, secretInput(PASSWORD));
      assert.strictEqual(refused.code, 1);
      assert.match(refused.stderr, /add a 'run-as HOST\\name' line/);

      const linuxFile = path.join(root, 'linux.bwdc-schedule');
      fs.writeFileSync(linuxFile, fs.readFileSync(fixturePath('linux.bwdc-schedule'), 'utf8'));
      const wrongPlatform = await runAsync(['task', 'status', linuxFile], options);
      assert.strictEqual(wrongPlatform.code, 1);
      assert.match(wrongPlatform.stderr, /says platform linux; set 'platform windows'/);
      assert.deepStrictEqual(runner.runs, []);
    });

    it('install shows the diff of what changes and asks; without a terminal or --yes it changes nothing', async () => {
      const file = seedIn(sandbox());
      const { runner, tasks } = scheduler();
      const options = { hostPlatform: 'windows' as const, runner };
      const noTerminal = await runAsync(['task', 'install', file], options, secretInput(PASSWORD));
      assert.strictEqual(noTerminal.code, 1);
      assert.match(noTerminal.stderr, /there is no terminal to ask on, so nothing was changed; add --yes/);
      assert.match(noTerminal.stdout, /^\+principal: UserId=CORP\\svc-bwdc LogonType=Password$/m);
      assert.match(noTerminal.stdout, /^\+trigger: CalendarTrigger\{.*ScheduleByWeek\/DaysOfWeek\/Sunday=.*\}$/m);
      assert.match(noTerminal.stdout, /^\+action: Exec\{.*powershell\.exe.*\}$/m);
      assert.deepStrictEqual(actions(runner), ['read']);
      assert.strictEqual(tasks.size, 0);

      const dryRun = await runAsync(['task', 'install', file, '--dry-run'], options, secretInput(PASSWORD));
      assert.strictEqual(dryRun.code, 0);
      assert.strictEqual(dryRun.stdout, noTerminal.stdout);
      assert.strictEqual(tasks.size, 0);

      const asked: string[] = [];
      const answering = (reply: string) => ({ ...secretInput(PASSWORD), ask: (question: string) => (asked.push(question), Promise.resolve(reply)) });
      const declined = await runAsync(['task', 'install', file], options, answering('n'));
      assert.strictEqual(declined.code, 1);
      assert.match(declined.stderr, /not confirmed; nothing was changed/);
      assert.deepStrictEqual(asked, [
        `Register the task ${TASK}, running as CORP\\svc-bwdc whether or not the user is logged on? The diff shows its triggers, account, action and settings before and after. [y/N] `,
      ]);
      assert.strictEqual(tasks.size, 0);

      const accepted = await runAsync(['task', 'install', file], options, answering('yes'));
      assert.strictEqual(accepted.code, 0, accepted.stderr);
      assert.strictEqual(tasks.size, 1);

      // Installed as the file says: nothing to change, no question, no password.
      runner.runs.length = 0;
      const again = await runAsync(['task', 'install', file], options, secretInput(PASSWORD));
      assert.deepStrictEqual(again, {
        code: 0,
        stdout: `${TASK} is registered and does what the schedule file says; nothing to change.\n`,
        stderr: again.stderr,
      });
      assert.deepStrictEqual(actions(runner), ['read']);

      // Changed in Task Scheduler: the diff shows what reinstalling puts back.
      tasks.set(TASK, tasks.get(TASK)!.replace('<Sunday />', '<Monday />'));
      const drifted = await runAsync(['task', 'install', file, '--dry-run'], options);
      assert.match(drifted.stdout, new RegExp(`^--- ${TASK.replace(/\\/g, '\\\\')} \\(registered\\)$`, 'm'));
      assert.match(drifted.stdout, /^-trigger: .*Monday.*$/m);
      assert.match(drifted.stdout, /^\+trigger: .*Sunday.*$/m);
      assert.doesNotMatch(drifted.stdout, /^[-+](principal|action|setting):/m, 'only the trigger differs');
    });

    it('remove asks too; without a terminal or --yes the task stays', async () => {
      const file = seedIn(sandbox());
      const { runner, tasks } = scheduler();
      const options = { hostPlatform: 'windows' as const, runner };
      await runAsync(['task', 'install', file, '--yes'], options, secretInput(PASSWORD));
      const refused = await runAsync(['task', 'remove', file], options);
      assert.strictEqual(refused.code, 1);
      assert.match(refused.stderr, /no terminal to ask on/);
      assert.strictEqual(tasks.size, 1);
      const asked: string[] = [];
      const removed = await runAsync(['task', 'remove', file], options, {
        readSecret: () => Promise.resolve(''),
        ask: (q: string) => (asked.push(q), Promise.resolve('y')),
      });
      assert.strictEqual(removed.code, 0);
      assert.deepStrictEqual(asked, [`Remove ${TASK} from Task Scheduler (only this task)? Only this task is removed. [y/N] `]);
      assert.strictEqual(tasks.size, 0);
    });

    it('takes --json only for status', async () => {
      const result = await runAsync(['task', 'install', seedIn(sandbox()), '--json'], { hostPlatform: 'windows', runner: new FakeRunner() });
      assert.strictEqual(result.code, 2);
      assert.match(result.stderr, /--json belongs to task status/);
    });
  });
});
