import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { version } from '../../../package.json';
import type { SyncJob } from '../../../src/core/schedule/job';
import { generateScript } from '../../../src/core/script/generate';
import { testReport } from '../../../src/core/test/report';
import { taskXml } from '../../../src/core/task/xml';
import type { ProcessResult } from '../../../src/host/process';
import type { Account } from '../../../src/host/runScript';
import { runRegisteredTask } from '../../../src/host/runTask';
import { POWERSHELL_ARGS, ScheduledTaskError, ScheduledTasks, taskScript, TASK_RESULTS, type ScriptAction } from '../../../src/host/scheduledTask';
import { executeRunNow, jobInstances, prepareRun, prepareRunNow, runasCommand, runSummary, type RunNowHost } from '../../../src/workflows/runNow';
import { main } from '../../../src/cli/main';
import { fakeIo, runAsync } from '../cli/fakeIo';
import { FakeRunner, type RecordedRun } from '../host/support';
import { bracketProblem, lexPowerShell } from '../script/powershellLexer';
import { fixturePath } from '../schedule/support';
import { jobOf, useSandboxes } from '../script/support';

/**
 * Run now and test for a windows job, against a fake ProcessRunner that answers as PowerShell's
 * ScheduledTasks module would (recorded shapes, not a real Windows: nothing here runs PowerShell).
 */

const SEED = fs.readFileSync(fixturePath('windows.bwdc-schedule'), 'utf8');
const TASK = '\\bwdc\\sunday-sync';
const ACTIONS: readonly ScriptAction[] = ['install', 'read', 'remove', 'start', 'stop', 'info'];
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const ok = (...lines: string[]): ProcessResult => ({ code: 0, stdout: [...lines, 'BWDC-OK', ''].join('\r\n'), stderr: '' });
const failed = (hresult: string): ProcessResult => ({ code: 3, stdout: `BWDC-ERROR ${hresult}\r\n`, stderr: 'localized text\r\n' });

function decode(run: RecordedRun): { action: ScriptAction; data: Record<string, string> } {
  const [script, data] = run.input!.split('\r\n');
  const action = ACTIONS.find((candidate) => taskScript(candidate) === script);
  assert.ok(action, 'stdin starts with one of the fixed scripts');
  return { action, data: JSON.parse(data!) as Record<string, string> };
}

/** One answer of Get-ScheduledTask(Info) after the start, and the log lines the script wrote by then. */
interface Step {
  readonly state: string;
  readonly result?: number;
  readonly lines?: readonly string[];
}

/** Task Scheduler with one task, as the ScheduledTasks module answers through `powershell.exe -Command -`. */
class FakeScheduler {
  readonly runner = new FakeRunner((run) => this.answer(run));
  state = 'Ready';
  lastRun: string | undefined = '2026-11-29T20:00:00.0000000Z';
  lastResult = 0;
  startedCount = 0;
  stopped = false;
  /** An HRESULT Start-ScheduledTask fails with. */
  startFails: string | undefined;
  /** What the task does after Start-ScheduledTask, one step per info call. */
  steps: Step[] = [];
  /** Stop-ScheduledTask ends the run at once, as Task Scheduler does (0x41306). */
  onStop: Step = { state: 'Ready', result: TASK_RESULTS.terminated };

  constructor(
    public registered: string | undefined,
    private readonly log?: string,
  ) {}

  get actions(): ScriptAction[] {
    return this.runner.runs.map((run) => decode(run).action);
  }

  private answer(run: RecordedRun): ProcessResult {
    assert.strictEqual(run.command, 'powershell.exe');
    assert.deepStrictEqual(run.args, POWERSHELL_ARGS, 'the command line is fixed: no data on it');
    const { action, data } = decode(run);
    // The data line holds the task's folder and name only: no account, no secret, no path of the job's.
    assert.deepStrictEqual(data, { folder: '\\bwdc\\', name: 'sunday-sync' });
    switch (action) {
      case 'read':
        return this.registered === undefined ? failed('0x80070002') : ok(`BWDC-XML ${b64(this.registered)}`);
      case 'start':
        if (this.startFails) return failed(this.startFails);
        if (this.registered === undefined) return failed('0x80070002');
        this.startedCount++;
        this.lastRun = '2026-12-04T21:00:05.0000000Z';
        this.lastResult = TASK_RESULTS.running;
        this.state = 'Queued';
        return ok();
      case 'stop':
        this.stopped = true;
        this.apply(this.onStop);
        return ok();
      case 'info':
        if (this.startedCount > 0 && !this.stopped) {
          const step = this.steps.shift();
          if (step) this.apply(step);
        }
        return ok(
          `BWDC-STATE ${b64(this.state)}`,
          ...(this.lastRun ? [`BWDC-LASTRUN ${b64(this.lastRun)}`] : []),
          `BWDC-RESULT ${b64(String(this.lastResult))}`,
        );
      default:
        throw new Error(`unexpected ${action}`);
    }
  }

  private apply(step: Step): void {
    this.state = step.state;
    if (step.result !== undefined) this.lastResult = step.result;
    if (step.lines && this.log) fs.appendFileSync(this.log, step.lines.map((line) => `${line}\r\n`).join(''));
  }
}

const stamp = (second: number): string => `2026-12-04T22:00:${String(second).padStart(2, '0')}.0000000+01:00`;
const line = (second: number, label: string, text: string): string => `${stamp(second)} [${label}] ${text}`;

const FIRST = 'Bitwarden Directory Connector';
const SECOND = 'second';
/** A two-instance run of the PowerShell script, as its Write-Log lines read (CRLF). */
const RUN_LINES = {
  start: [line(5, 'sunday-sync', 'run started (pid 5120)'), line(6, FIRST, 'instance folder: C:\\ProgramData\\Bitwarden Directory Connector')],
  middle: [line(9, FIRST, 'synced: 2 groups, 5 users'), line(10, SECOND, 'instance folder: D:\\bwdc\\second')],
  end: [line(12, SECOND, 'synced: 1 groups, 3 users'), line(13, 'sunday-sync', 'run finished: 2 instances synced; exit 0')],
};

describe('Run now and Test for a windows job (Task Scheduler, PowerShell answers recorded)', () => {
  const sandbox = useSandboxes();

  /** The windows fixture with two instances, its log in a sandbox (a real file the run writes). */
  function windowsJob(subfolder = ''): { job: SyncJob; xml: string; file: string } {
    const folder = path.join(sandbox(), subfolder);
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'sunday.bwdc-schedule');
    fs.writeFileSync(file, `${SEED}instance   D:\\bwdc\\second\r\n`);
    const parsed = jobOf(fs.readFileSync(file, 'utf8'), file, 'windows');
    const job = { ...parsed, log: path.join(folder, 'bwdc.log') };
    return { job, xml: taskXml(job, { version }), file };
  }

  function host(tasks: ScheduledTasks, overrides: Partial<RunNowHost> = {}): RunNowHost {
    return {
      current: { name: 'svc-bwdc', uid: -1, gid: -1 },
      version,
      readHead: () => undefined,
      lookup: (name): Account => ({ name, uid: -1, gid: -1, home: 'C:\\Users\\svc-bwdc' }),
      windows: { tasks },
      ...overrides,
    };
  }

  const noWait = { sleep: (): Promise<void> => Promise.resolve() };

  describe('the adapter: start, stop and run state', () => {
    for (const [action, cmdlets] of [
      ['start', ['Start-ScheduledTask -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop']],
      ['stop', ['Stop-ScheduledTask -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop']],
      [
        'info',
        [
          '(Get-ScheduledTask -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop).State',
          'Get-ScheduledTaskInfo -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop',
          "Out-Bwdc 'BWDC-RESULT' ([string]([int64]$i.LastTaskResult -band 0xFFFFFFFFL))",
        ],
      ],
    ] as const) {
      it(`${action}: one ASCII line, balanced, no comment, the task only by name and folder from the data line`, () => {
        const script = taskScript(action);
        assert.ok(/^[\x20-\x7e]+$/.test(script));
        const tokens = lexPowerShell(script);
        assert.strictEqual(bracketProblem(tokens), undefined);
        assert.ok(tokens.every((token) => token.kind !== 'comment'));
        for (const cmdlet of cmdlets) assert.ok(script.includes(cmdlet), cmdlet);
        assert.ok(script.endsWith('exit 3 } }'));
      });
    }

    it('a hostile task name travels only in the data line; the script and the command line stay fixed', async () => {
      const name = "x'; Remove-Item C: -Recurse; '$(whoami)";
      const runner = new FakeRunner(() => ok());
      const tasks = new ScheduledTasks(runner);
      await tasks.start(`\\bwdc\\${name}`);
      await tasks.stop(`\\bwdc\\${name}`);
      for (const [index, action] of (['start', 'stop'] as const).entries()) {
        const run = runner.runs[index]!;
        assert.deepStrictEqual(run.args, POWERSHELL_ARGS);
        const [script, data] = run.input!.split('\r\n');
        assert.strictEqual(script, taskScript(action));
        assert.deepStrictEqual(JSON.parse(data!), { folder: '\\bwdc\\', name });
      }
    });

    it('runInfo reads State, LastRunTime (none, or 1999: never ran) and LastTaskResult', async () => {
      const answer = (lines: string[]): ScheduledTasks => new ScheduledTasks(new FakeRunner(() => ok(...lines)));
      assert.deepStrictEqual(
        await answer([`BWDC-STATE ${b64('Running')}`, `BWDC-LASTRUN ${b64('2026-12-04T21:00:05.0000000Z')}`, `BWDC-RESULT ${b64('267009')}`]).runInfo(TASK),
        { state: 'Running', lastRun: '2026-12-04T21:00:05.0000000Z', lastResult: TASK_RESULTS.running },
      );
      assert.deepStrictEqual(await answer([`BWDC-STATE ${b64('Ready')}`, `BWDC-RESULT ${b64('267011')}`]).runInfo(TASK), {
        state: 'Ready',
        lastRun: undefined,
        lastResult: TASK_RESULTS.notYetRun,
      });
      assert.strictEqual(
        (await answer([`BWDC-STATE ${b64('Ready')}`, `BWDC-LASTRUN ${b64('1999-11-30T05:00:00.0000000Z')}`, `BWDC-RESULT ${b64('0')}`]).runInfo(TASK)).lastRun,
        undefined,
      );
      await assert.rejects(answer([`BWDC-STATE ${b64('Ready')}`]).runInfo(TASK), /PowerShell did not return the run state of \\bwdc\\sunday-sync\./);
    });

    it('a task that vanished meanwhile: not-found, with the HRESULT', async () => {
      const tasks = new ScheduledTasks(new FakeRunner(() => failed('0x80070002')));
      await assert.rejects(tasks.runInfo(TASK), (error: unknown) => error instanceof ScheduledTaskError && error.reason === 'not-found');
    });
  });

  describe('run: through the registered task', () => {
    it('starts the task, follows its log (instance k of n), and ends with LastTaskResult 0 once it is Ready again', async () => {
      const { job, xml } = windowsJob();
      fs.writeFileSync(job.log, `${line(1, 'other-job', 'run finished: 1 instance synced; exit 0')}\r\n`);
      const scheduler = new FakeScheduler(xml, job.log);
      scheduler.steps = [
        { state: 'Queued' },
        { state: 'Running', lines: RUN_LINES.start },
        { state: 'Running', lines: RUN_LINES.middle },
        { state: 'Ready', result: 0, lines: RUN_LINES.end },
      ];
      const tasks = new ScheduledTasks(scheduler.runner);
      const prepared = await prepareRun(job, 'run', host(tasks), ['bwdc-schedule', 'run', job.scheduleFile]);
      assert.strictEqual(prepared.kind, 'ready');
      assert.ok(prepared.kind === 'ready' && prepared.plan.kind === 'task');
      assert.strictEqual(scheduler.startedCount, 0, 'preparing starts nothing');

      const lines: string[] = [];
      const progress: string[] = [];
      const result = await executeRunNow(job, prepared.plan, {
        taskPollMs: 0,
        onLogLine: (text) => lines.push(text),
        onInstance: (index, count, label) => progress.push(`${index + 1}/${count} ${label}`),
      });
      assert.deepStrictEqual(result, { code: 0, signal: null, stdout: '', stderr: '', cancelled: false });
      assert.deepStrictEqual(lines, [...RUN_LINES.start, ...RUN_LINES.middle, ...RUN_LINES.end], 'this run only, CR removed');
      assert.deepStrictEqual(progress, [`1/2 ${FIRST}`, `2/2 ${SECOND}`]);
      assert.deepStrictEqual(scheduler.actions, ['read', 'info', 'info', 'start', 'info', 'info', 'info', 'info']);
      assert.strictEqual(scheduler.startedCount, 1);
      const summary = runSummary(job, lines, result);
      assert.strictEqual(summary.ok, true);
    });

    it("exits with the script's code: LastTaskResult 1 is a failed run", async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml, job.log);
      scheduler.steps = [
        { state: 'Running', lines: RUN_LINES.start },
        { state: 'Ready', result: 1, lines: [line(8, FIRST, 'failed: login failed'), line(9, 'sunday-sync', 'run finished with failures: 1 failed; exit 1')] },
      ];
      const result = await runRegisteredTask(new ScheduledTasks(scheduler.runner), TASK, { log: job.log, ...noWait });
      assert.deepStrictEqual([result.code, result.cancelled, result.stderr], [1, false, '']);
    });

    it('a run that ends between two polls (never seen Running) is recognised by its new LastRunTime', async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml, job.log);
      scheduler.steps = [{ state: 'Ready', result: 0, lines: [...RUN_LINES.start, ...RUN_LINES.middle, ...RUN_LINES.end] }];
      const lines: string[] = [];
      const result = await runRegisteredTask(new ScheduledTasks(scheduler.runner), TASK, { log: job.log, onLogLine: (text) => lines.push(text), ...noWait });
      assert.strictEqual(result.code, 0);
      assert.strictEqual(lines.length, 6);
    });

    it('cancel: Stop-ScheduledTask, then 0x41306 (terminated) is a stopped run, not a success', async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml, job.log);
      const stop = new AbortController();
      scheduler.steps = [{ state: 'Running', lines: RUN_LINES.start }, { state: 'Running' }, { state: 'Running' }, { state: 'Running' }];
      const seen: string[] = [];
      const result = await runRegisteredTask(new ScheduledTasks(scheduler.runner), TASK, {
        log: job.log,
        signal: stop.signal,
        ...noWait,
        onLogLine: (text) => {
          seen.push(text);
          if (text.includes('instance folder')) stop.abort();
        },
      });
      assert.ok(scheduler.stopped);
      assert.strictEqual(scheduler.actions.filter((action) => action === 'stop').length, 1, 'stopped once');
      assert.deepStrictEqual([result.code, result.cancelled], [1, true]);
      assert.strictEqual(runSummary(job, seen, result).ok, false);
    });

    it('cancel while the task is still queued: stopped, nothing ran', async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml, job.log);
      scheduler.onStop = { state: 'Ready' };
      const stop = new AbortController();
      scheduler.steps = [{ state: 'Queued' }, { state: 'Queued' }];
      const tasks = new ScheduledTasks(scheduler.runner);
      let polls = 0;
      const result = await runRegisteredTask(tasks, TASK, {
        log: job.log,
        signal: stop.signal,
        sleep: () => {
          if (++polls === 2) stop.abort();
          return Promise.resolve();
        },
      });
      assert.deepStrictEqual(result, { code: 1, signal: null, stdout: '', stderr: 'The run was stopped.\n', cancelled: true });
      assert.deepStrictEqual(scheduler.actions, ['info', 'start', 'info', 'stop', 'info']);
    });

    it('0x41306 without our stop (someone ended it in Task Scheduler) is a failure that says so', async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml, job.log);
      scheduler.steps = [
        { state: 'Running', lines: RUN_LINES.start },
        { state: 'Ready', result: TASK_RESULTS.terminated },
      ];
      const result = await runRegisteredTask(new ScheduledTasks(scheduler.runner), TASK, { log: job.log, ...noWait });
      assert.deepStrictEqual([result.code, result.cancelled], [1, false]);
      assert.strictEqual(result.stderr, `${TASK} was stopped in Task Scheduler (0x41306).\n`);
    });

    it("a result that is not the script's (0x8007010B: the start folder is invalid) is exit 1 with the code", async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml, job.log);
      scheduler.steps = [{ state: 'Ready', result: 0x8007010b }];
      const result = await runRegisteredTask(new ScheduledTasks(scheduler.runner), TASK, { log: job.log, ...noWait });
      assert.strictEqual(result.code, 1);
      assert.match(result.stderr, /Task Scheduler reports the last run result 0x8007010B\.\n$/);
    });

    it('a log that never appears: the run still ends by its state, with a note where to look', async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml);
      scheduler.steps = [{ state: 'Running' }, { state: 'Ready', result: 0 }];
      const result = await runRegisteredTask(new ScheduledTasks(scheduler.runner), TASK, { log: job.log, ...noWait });
      assert.strictEqual(result.code, 0);
      assert.match(
        result.stderr,
        /^The log .*bwdc\.log showed no run of this task: the script may not have started \(see the task's History in Task Scheduler\)\.\n$/,
      );
      assert.ok(!fs.existsSync(job.log));
    });

    it('a task that Task Scheduler does not start in time: a message, exit 1', async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml, job.log);
      let clock = 0;
      const result = await runRegisteredTask(new ScheduledTasks(scheduler.runner), TASK, {
        log: job.log,
        startTimeoutMs: 10_000,
        sleep: () => {
          clock += 1500;
          return Promise.resolve();
        },
        now: () => clock,
      });
      assert.deepStrictEqual([result.code, result.cancelled], [1, false]);
      assert.match(result.stderr, /did not start \\bwdc\\sunday-sync within 10 seconds \(state Queued\)/);
    });

    it('a task that is not registered: the fix, and nothing started', async () => {
      const { job } = windowsJob();
      const scheduler = new FakeScheduler(undefined);
      const prepared = await prepareRun(job, 'run', host(new ScheduledTasks(scheduler.runner)), []);
      assert.deepStrictEqual(prepared, {
        kind: 'problem',
        message: `${TASK} is not registered in Task Scheduler; nothing was run. Register it first: bwdc-schedule task install ${job.scheduleFile} (or bwdc: Install Task Scheduler Task).`,
      });
      assert.deepStrictEqual(scheduler.actions, ['read']);
    });

    it('the fix quotes a schedule file path with a space', async () => {
      const { job } = windowsJob('My Files');
      const prepared = await prepareRun(job, 'run', host(new ScheduledTasks(new FakeScheduler(undefined).runner)), []);
      assert.ok(
        prepared.kind === 'problem' && prepared.message.includes(`Register it first: bwdc-schedule task install "${job.scheduleFile}" (or`),
        JSON.stringify(prepared),
      );
    });

    it('a registered task that differs from the file: which parts, the fix, and nothing started', async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml.replace('<Sunday />', '<Monday />'));
      const prepared = await prepareRun(job, 'run', host(new ScheduledTasks(scheduler.runner)), []);
      assert.strictEqual(prepared.kind, 'problem');
      assert.strictEqual(
        prepared.kind === 'problem' && prepared.message,
        `The registered task ${TASK} differs from the schedule file (triggers); nothing was run. Update it first: bwdc-schedule task install ${job.scheduleFile}`,
      );
      assert.deepStrictEqual(scheduler.actions, ['read']);
    });

    it('a task that runs already or is disabled: nothing started', async () => {
      const { job, xml } = windowsJob();
      for (const [state, expected] of [
        ['Running', `${TASK} is running already (started by its schedule or by someone else); nothing was started.`],
        ['Disabled', `${TASK} is disabled in Task Scheduler; enable it there first. Nothing was started.`],
      ] as const) {
        const scheduler = new FakeScheduler(xml);
        scheduler.state = state;
        const prepared = await prepareRun(job, 'run', host(new ScheduledTasks(scheduler.runner)), []);
        assert.deepStrictEqual(prepared, { kind: 'problem', message: expected });
        assert.strictEqual(scheduler.startedCount, 0);
      }
    });

    it('access denied starting it is a ScheduledTaskError with the HRESULT, not a stack trace', async () => {
      const { job, xml } = windowsJob();
      const scheduler = new FakeScheduler(xml);
      scheduler.startFails = '0x80070005';
      await assert.rejects(runRegisteredTask(new ScheduledTasks(scheduler.runner), TASK, { log: job.log, ...noWait }), (error: unknown) => {
        assert.ok(error instanceof ScheduledTaskError);
        assert.strictEqual(error.reason, 'access-denied');
        assert.match(error.message, /Access denied \(0x80070005\) when trying to start \\bwdc\\sunday-sync/);
        return true;
      });
    });

    it('on another system a windows job is not run: it says to run it on the Windows machine', () => {
      const { job } = windowsJob();
      const prepared = prepareRunNow(job, 'run', { ...host(new ScheduledTasks(new FakeRunner())), windows: undefined } as RunNowHost, [
        'bwdc-schedule',
        'run',
        'x',
      ]);
      assert.deepStrictEqual(prepared, {
        kind: 'problem',
        message: `${job.scheduleFile} is a Windows job: run it on the Windows machine (bwdc-schedule run x).`,
      });
    });

    it('bwdc-schedule run FILE on Windows: the log lines, then the exit code; no command line carries data', async () => {
      const { job, xml, file } = windowsJob();
      const scheduler = new FakeScheduler(xml);
      scheduler.steps = [{ state: 'Running' }, { state: 'Ready', result: 1 }];
      const result = await runAsync(['run', file], { hostPlatform: 'windows', runner: scheduler.runner });
      // The fixture's log is C:\ProgramData\…: absent here, so the note says where to look.
      assert.strictEqual(result.code, 1);
      assert.strictEqual(result.stdout, '');
      assert.match(result.stderr, /^The log C:\\ProgramData\\bwdc\\bwdc\.log showed no run of this task/);
      assert.deepStrictEqual(scheduler.actions, ['read', 'info', 'info', 'start', 'info', 'info']);
      for (const run of scheduler.runner.runs) assert.deepStrictEqual(run.args, POWERSHELL_ARGS);
      void job;
    });

    it('bwdc-schedule run FILE on Windows with the task missing: the fix, exit 1', async () => {
      const { file } = windowsJob();
      const scheduler = new FakeScheduler(undefined);
      const result = await runAsync(['run', file], { hostPlatform: 'windows', runner: scheduler.runner });
      assert.deepStrictEqual(result, {
        code: 1,
        stdout: '',
        stderr: `bwdc-schedule: ${TASK} is not registered in Task Scheduler; nothing was run. Register it first: bwdc-schedule task install ${file} (or bwdc: Install Task Scheduler Task).\n`,
      });
    });

    it('bwdc-schedule run FILE when powershell.exe is missing: a message, exit 1', async () => {
      const { file } = windowsJob();
      const runner = { run: () => Promise.reject(Object.assign(new Error('spawn powershell.exe ENOENT'), { code: 'ENOENT' })) };
      const result = await runAsync(['run', file], { hostPlatform: 'windows', runner });
      assert.strictEqual(result.code, 1);
      assert.match(result.stderr, /^bwdc-schedule: powershell\.exe was not found on PATH/);
    });
  });

  describe('test: the PowerShell script with -Test, run directly', () => {
    function withScript(kind: 'current' | 'outdated' | 'missing'): { job: SyncJob; head: string | undefined } {
      const { job } = windowsJob();
      const text = generateScript(job, version).text;
      return {
        job,
        head:
          kind === 'missing'
            ? undefined
            : kind === 'current'
              ? text.slice(0, 4096)
              : text.slice(0, 4096).replace(/^# Fingerprint: \S+/m, '# Fingerprint: 0000'),
      };
    }

    it('as the run-as account: powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File SCRIPT -Test', () => {
      const { job, head } = withScript('current');
      const prepared = prepareRunNow(job, 'test', host(new ScheduledTasks(new FakeRunner()), { readHead: () => head }), []);
      assert.strictEqual(prepared.kind, 'ready');
      assert.ok(prepared.kind === 'ready' && prepared.plan.kind === 'run');
      assert.strictEqual(prepared.plan.command, 'powershell.exe');
      assert.deepStrictEqual(prepared.plan.args, ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', job.script, '-Test']);
      assert.strictEqual(prepared.plan.cwd, 'C:\\Users\\svc-bwdc');
    });

    it('as another account: refused with the runas command for a session of that account, nothing run', () => {
      const { job, head } = withScript('current');
      const scheduler = new FakeScheduler(undefined);
      const prepared = prepareRunNow(
        job,
        'test',
        host(new ScheduledTasks(scheduler.runner), { current: { name: 'admin', uid: -1, gid: -1 }, readHead: () => head }),
        ['bwdc-schedule', 'test', 'C:\\My Files\\sunday.bwdc-schedule'],
      );
      assert.deepStrictEqual(prepared, {
        kind: 'sudo',
        runAs: 'CORP\\svc-bwdc',
        command: 'runas /user:CORP\\svc-bwdc "cmd /k bwdc-schedule test \\"C:\\My Files\\sunday.bwdc-schedule\\""',
      });
      assert.deepStrictEqual(scheduler.runner.runs, []);
    });

    it('bwdc-schedule test FILE on Windows as another account: the runas command, exit 2, nothing run', async () => {
      const { file } = windowsJob();
      const job = jobOf(fs.readFileSync(file, 'utf8'), file, 'windows');
      const head = generateScript(job, version).text.slice(0, 4096);
      const scheduler = new FakeScheduler(undefined);
      const fake = fakeIo({ hostPlatform: 'windows', runner: scheduler.runner, currentUser: { name: 'admin', uid: -1, gid: -1 } });
      const code = await main(['test', file], { ...fake.io, readHead: (read) => (read === job.script ? head : undefined) });
      assert.strictEqual(code, 2, fake.stderr());
      assert.strictEqual(
        fake.stderr(),
        `bwdc-schedule: this job runs as CORP\\svc-bwdc, not as admin; nothing was run. Run it in a session of that account (sign in as it, or with runas):\n` +
          `  runas /user:CORP\\svc-bwdc "cmd /k bwdc-schedule test ${file}"\n`,
      );
      assert.deepStrictEqual(scheduler.runner.runs, []);
    });

    it('runasCommand leaves plain words bare and quotes the rest', () => {
      assert.strictEqual(
        runasCommand('HOST\\bwdc', ['bwdc-schedule', 'test', 'C:\\x.bwdc-schedule', '--json']),
        'runas /user:HOST\\bwdc "cmd /k bwdc-schedule test C:\\x.bwdc-schedule --json"',
      );
    });

    it('a missing or outdated script is not run', () => {
      for (const kind of ['missing', 'outdated'] as const) {
        const { job, head } = withScript(kind);
        const prepared = prepareRunNow(job, 'test', host(new ScheduledTasks(new FakeRunner()), { readHead: () => head }), []);
        assert.strictEqual(prepared.kind, 'problem', kind);
      }
    });

    it("reads the test report from the PowerShell script's stdout (CRLF, the bash script's markers)", () => {
      const { job } = windowsJob();
      const answer = '{"enabledUsers":[{"externalId":"u1","displayName":"User 1"}],"disabledUsers":[],"deletedUsers":[],"groups":[],"object":"test"}';
      const record = (label: string, folder: string): string => JSON.stringify({ label, folder, result: 'ok', message: null, users: 1, groups: 0 });
      const stdout = [
        'bwdc-schedule test output begin 1',
        answer,
        'bwdc-schedule test output end 1',
        `bwdc-schedule test result 1 ${record(FIRST, 'C:\\ProgramData\\Bitwarden Directory Connector')}`,
        'bwdc-schedule test output begin 2',
        answer,
        'bwdc-schedule test output end 2',
        `bwdc-schedule test result 2 ${record(SECOND, 'D:\\bwdc\\second')}`,
        '',
      ].join('\r\n');
      const report = testReport({ instances: jobInstances(job), stdout, stderr: '', exitCode: 0 });
      assert.deepStrictEqual(
        report.map((instance) => [instance.instance, instance.ok, instance.users.length]),
        [
          [FIRST, true, 1],
          [SECOND, true, 1],
        ],
      );
    });

    it('the generated PowerShell script prints those markers', () => {
      const { job } = windowsJob();
      const text = generateScript(job, version).text;
      for (const marker of ['bwdc-schedule test output begin {0}', 'bwdc-schedule test output end {0}', 'bwdc-schedule test result {0} {1}']) {
        assert.ok(text.includes(marker), marker);
      }
      assert.ok(text.includes('param([switch]$Test)'));
    });
  });
});
