import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { currentUser } from '../../../src/host/accounts';
import { bwdcVersion, cronDaemonPid, daemonZone, nativeModuleOf, pathFacts, RunAsAccess, taskSchedulerService } from '../../../src/host/probes';
import { SpawnRunner, type ProcessRunner, type ProcessResult } from '../../../src/host/process';
import { installStandin } from '../script/support';

/** A folder that goes away after each test. */
function useTemp(): () => string {
  let folder: string | undefined;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-probes-'));
  });
  afterEach(() => fs.rmSync(folder!, { recursive: true, force: true }));
  return () => folder!;
}

/** A /proc-like tree: each pid's comm and environ. */
function fakeProc(root: string, processes: Record<number, { comm: string; environ?: string[] }>): string {
  const proc = path.join(root, 'proc');
  fs.mkdirSync(proc);
  fs.mkdirSync(path.join(proc, 'self'));
  for (const [pid, info] of Object.entries(processes)) {
    fs.mkdirSync(path.join(proc, pid));
    fs.writeFileSync(path.join(proc, pid, 'comm'), `${info.comm}\n`);
    fs.writeFileSync(path.join(proc, pid, 'environ'), `${(info.environ ?? []).join('\0')}\0`);
  }
  return proc;
}

class FakeRunner implements ProcessRunner {
  readonly calls: { command: string; args: readonly string[] }[] = [];
  constructor(private readonly answer: ProcessResult | Error) {}
  run(command: string, args: readonly string[]): Promise<ProcessResult> {
    this.calls.push({ command, args });
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
}

describe('doctor probes: the cron daemon', () => {
  const temp = useTemp();

  it('finds the daemon by the live pid in its pid file', () => {
    const proc = fakeProc(temp(), { 7: { comm: 'cron' }, 12: { comm: 'cron' } });
    const pidFile = path.join(temp(), 'crond.pid');
    fs.writeFileSync(pidFile, '12\n');
    assert.strictEqual(cronDaemonPid(proc, pidFile), 12);
  });

  it('ignores a stale pid file and finds a process named cron (not crond, not cron-helper)', () => {
    const proc = fakeProc(temp(), { 3: { comm: 'cron-helper' }, 9: { comm: 'bash' }, 40: { comm: 'cron' } });
    const pidFile = path.join(temp(), 'crond.pid');
    fs.writeFileSync(pidFile, '9\n');
    assert.strictEqual(cronDaemonPid(proc, pidFile), 40);
  });

  it('finds none when no cron process runs', () => {
    const proc = fakeProc(temp(), { 1: { comm: 'init' }, 9: { comm: 'bash' } });
    assert.strictEqual(cronDaemonPid(proc, path.join(temp(), 'missing.pid')), undefined);
  });
});

describe("doctor probes: the daemon's time zone", () => {
  const temp = useTemp();

  it("takes the daemon's own TZ first, in either spelling", () => {
    const etc = path.join(temp(), 'etc');
    fs.mkdirSync(etc);
    fs.writeFileSync(path.join(etc, 'timezone'), 'Etc/UTC\n');
    const proc = fakeProc(temp(), {
      5: { comm: 'cron', environ: ['PATH=/usr/bin', 'TZ=:Europe/Berlin'] },
      6: { comm: 'cron', environ: ['TZ=/usr/share/zoneinfo/America/New_York'] },
    });
    assert.deepStrictEqual(daemonZone(5, proc, etc), { zone: 'Europe/Berlin', source: 'TZ in /proc/5/environ' });
    assert.deepStrictEqual(daemonZone(6, proc, etc), { zone: 'America/New_York', source: 'TZ in /proc/6/environ' });
  });

  it('falls back to /etc/timezone, then to where /etc/localtime points', () => {
    const etc = path.join(temp(), 'etc');
    fs.mkdirSync(etc);
    const proc = fakeProc(temp(), { 5: { comm: 'cron', environ: ['PATH=/usr/bin'] } });
    fs.symlinkSync('/usr/share/zoneinfo/Asia/Tokyo', path.join(etc, 'localtime'));
    assert.deepStrictEqual(daemonZone(5, proc, etc), { zone: 'Asia/Tokyo', source: path.join(etc, 'localtime') });
    fs.writeFileSync(path.join(etc, 'timezone'), 'Europe/Paris\n');
    assert.deepStrictEqual(daemonZone(5, proc, etc), { zone: 'Europe/Paris', source: path.join(etc, 'timezone') });
    assert.deepStrictEqual(daemonZone(undefined, proc, etc), { zone: 'Europe/Paris', source: path.join(etc, 'timezone') });
  });

  it('gives up on a zone it cannot name', () => {
    const etc = path.join(temp(), 'etc');
    fs.mkdirSync(etc);
    fs.writeFileSync(path.join(etc, 'timezone'), 'Not/AZone\n');
    assert.strictEqual(daemonZone(undefined, path.join(temp(), 'noproc'), etc), undefined);
  });
});

describe('doctor probes: bwdc', () => {
  const temp = useTemp();

  it('tells a packaged executable from a script, and finds keytar.node or dc_native.*.node beside it', () => {
    const bin = path.join(temp(), 'bin');
    fs.mkdirSync(bin);
    const binary = path.join(bin, 'bwdc');
    fs.writeFileSync(binary, Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01'), Buffer.alloc(64)]));
    assert.deepStrictEqual(nativeModuleOf(binary), { packaged: true });
    fs.writeFileSync(path.join(bin, 'dc_native.linux-x64-gnu.node'), '');
    assert.deepStrictEqual(nativeModuleOf(binary), { packaged: true, nativeModule: 'dc_native.linux-x64-gnu.node' });
    const script = path.join(temp(), 'wrapper');
    fs.writeFileSync(script, '#!/bin/sh\nexec /opt/bwdc/bwdc "$@"\n');
    assert.deepStrictEqual(nativeModuleOf(script), { packaged: false });
    assert.deepStrictEqual(nativeModuleOf(path.join(temp(), 'missing')), { packaged: false });
  });

  it('runs bwdc --version (the stand-in) as ourselves in a throwaway app-data folder', async () => {
    const bwdc = path.join(temp(), 'bin', 'bwdc');
    installStandin(bwdc);
    const me = currentUser();
    const runner = new SpawnRunner();
    const access = new RunAsAccess(me.name, me, true, runner);
    const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('bwdc-doctor-'));
    const result = await bwdcVersion(bwdc, runner, { access, env: [{ name: 'BWDC_STANDIN_RELEASE', value: '2026.4.0' }] });
    assert.deepStrictEqual(result, { ran: true, code: 0, output: '2026.4.0\n', timedOut: false });
    const after = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('bwdc-doctor-'));
    assert.deepStrictEqual(after, before, 'the app-data folder is gone again');
  });

  it('reports a bwdc that hangs as timed out', async () => {
    const bwdc = path.join(temp(), 'hang');
    fs.writeFileSync(bwdc, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const me = currentUser();
    const runner = new SpawnRunner();
    const result = await bwdcVersion(bwdc, runner, { access: new RunAsAccess(me.name, me, true, runner), env: [], timeoutMs: 500 });
    assert.strictEqual(result.ran && result.timedOut, true, JSON.stringify(result));
  });
});

describe('doctor probes: what run-as may do', () => {
  const temp = useTemp();

  it('asks the file system directly when doctor runs as run-as', async () => {
    const me = currentUser();
    const access = new RunAsAccess(me.name, me, true, new FakeRunner(new Error('no process expected')));
    assert.strictEqual(access.how, 'self');
    const file = path.join(temp(), 'script.sh');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o600 });
    const facts = await pathFacts(file, access, ['read', 'write', 'execute']);
    assert.deepStrictEqual(
      { kind: facts.kind, mode: facts.mode, canRead: facts.canRead, canWrite: facts.canWrite },
      { kind: 'file', mode: 0o600, canRead: true, canWrite: true },
    );
    // access(X_OK) wants an x bit, even for root.
    assert.strictEqual(facts.canExecute, false);
    assert.deepStrictEqual(await pathFacts(path.join(temp(), 'none'), access, ['read']), { path: path.join(temp(), 'none'), kind: 'missing' });
  });

  it('asks as run-as with runuser when root, and not at all otherwise', async () => {
    const runner = new FakeRunner({ code: 1, stdout: '', stderr: '' });
    const asRoot = new RunAsAccess('bwdc', { name: 'root', uid: 0, gid: 0 }, true, runner, 'linux');
    assert.strictEqual(await asRoot.may('/srv/bwdc/instance-1', 'write'), false);
    assert.deepStrictEqual(runner.calls, [{ command: '/usr/sbin/runuser', args: ['-u', 'bwdc', '--', 'test', '-w', '/srv/bwdc/instance-1'] }]);
    assert.deepStrictEqual(asRoot.prefix(), ['/usr/sbin/runuser', '-u', 'bwdc', '--']);
    const asOther = new RunAsAccess('bwdc', { name: 'alice', uid: 1000, gid: 1000 }, true, runner, 'linux');
    assert.strictEqual(asOther.how, 'none');
    assert.strictEqual(await asOther.may('/srv', 'read'), undefined);
    const missingUser = new RunAsAccess('bwdc', { name: 'root', uid: 0, gid: 0 }, false, runner, 'linux');
    assert.strictEqual(missingUser.how, 'none');
  });
});

describe('doctor probes: the Task Scheduler service (through a fake PowerShell)', () => {
  it('reads Running, Stopped, or why it could not ask', async () => {
    assert.strictEqual(await taskSchedulerService(new FakeRunner({ code: 0, stdout: 'Running\r\n', stderr: '' })), 'running');
    assert.strictEqual(await taskSchedulerService(new FakeRunner({ code: 0, stdout: 'Stopped\r\n', stderr: '' })), 'stopped');
    assert.deepStrictEqual(await taskSchedulerService(new FakeRunner({ code: 1, stdout: '', stderr: 'Get-Service : Cannot find any service\r\nmore' })), {
      unknown: 'Get-Service : Cannot find any service',
    });
    assert.deepStrictEqual(await taskSchedulerService(new FakeRunner(Object.assign(new Error('spawn powershell.exe ENOENT'), { code: 'ENOENT' }))), {
      unknown: 'ENOENT',
    });
  });
});
