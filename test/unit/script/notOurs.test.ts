import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { diagnoseSchedule } from '../../../src/core/schedule/diagnose';
import { fileHead, pathKind } from '../../../src/host/files';
import { runAsync } from '../cli/fakeIo';
import { installStandin, prepareInstance, readLog, runScript, prepareRun, useSandboxes, VALID, VALUES } from './support';

const CLIENT_ID = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';
const DATA_JSON = '{"stateVersion":8,"directoryType":0}\n';

/**
 * A schedule whose `script`, `log` or `secret` line names a file that is not the job's own:
 * an instance's data.json, the schedule file, each other, or a file someone else wrote. The
 * check says so with a stable code, and no entry point overwrites or appends to such a file.
 */
describe('script, log and secret paths that name a file that is not ours', function () {
  this.timeout(30_000);
  const sandbox = useSandboxes();

  /** A folder with an instance (holding data.json), bwdc and a schedule file with these extra lines. */
  function setUp(lines: (folder: string) => readonly string[]): { folder: string; file: string; dataJson: string } {
    const folder = sandbox();
    prepareInstance(path.join(folder, 'instance-1'), { noDataJson: true });
    fs.writeFileSync(path.join(folder, 'instance-1', 'data.json'), DATA_JSON);
    installStandin(path.join(folder, 'bwdc'));
    const file = path.join(folder, 'job.bwdc-schedule');
    const text = [
      'name job',
      'schedule 0 12 * * 1',
      'platform linux',
      `bwdc ${path.join(folder, 'bwdc')}`,
      `client-id ${CLIENT_ID}`,
      'instance ./instance-1',
      ...lines(folder),
    ];
    if (!text.some((line) => line.startsWith('secret '))) text.push('secret env:BWDC_CLIENT_SECRET');
    fs.writeFileSync(file, `${text.join('\n')}\n`);
    return { folder, file, dataJson: path.join(folder, 'instance-1', 'data.json') };
  }

  function codes(file: string): string[] {
    return diagnoseSchedule(fs.readFileSync(file, 'utf8'), { scheduleFile: file, hostPlatform: 'linux', pathKind, readHead: (target) => fileHead(target) })
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.range.start.line}:${d.code}`);
  }

  const conflicts: { readonly name: string; readonly lines: (folder: string) => readonly string[]; readonly expect: string | readonly string[] }[] = [
    { name: "log naming an instance's data.json", lines: () => ['log ./instance-1/data.json'], expect: '6:path-conflict' },
    { name: "script naming an instance's data.json", lines: (f) => [`script ${f}/instance-1/data.json`], expect: '6:path-conflict' },
    { name: 'script naming the schedule file itself', lines: () => ['script ./job.bwdc-schedule'], expect: '6:path-conflict' },
    { name: 'log naming the schedule file itself', lines: () => ['log job.bwdc-schedule'], expect: '6:path-conflict' },
    { name: 'log naming the script', lines: () => ['script ./sync.sh', 'log ./sync.sh'], expect: '7:path-conflict' },
    { name: 'log naming the default script', lines: () => ['log ./bwdcSyncService.sh'], expect: '6:path-conflict' },
    { name: 'script naming the instance folder', lines: () => ['script ./instance-1'], expect: '6:path-conflict' },
    { name: "secret file naming an instance's data.json", lines: () => ['secret file:./instance-1/data.json'], expect: '6:path-conflict' },
    {
      name: 'secret file naming the log (both lines)',
      lines: () => ['log ./bwdc.log', 'secret file:./bwdc.log'],
      expect: ['6:path-conflict', '7:path-conflict'],
    },
    {
      name: 'script naming a hand-written script',
      lines: (f) => (fs.writeFileSync(path.join(f, 'mine.sh'), '#!/bin/sh\nbwdc sync\n'), ['script ./mine.sh']),
      expect: '6:path-not-ours',
    },
    {
      name: 'log naming a file of someone else',
      lines: (f) => (fs.writeFileSync(path.join(f, 'notes.txt'), 'my notes\n'), ['log ./notes.txt']),
      expect: '6:path-not-ours',
    },
    { name: 'log naming a folder', lines: () => ['log ./instance-1/'], expect: '6:path-conflict' },
  ];
  for (const { name, lines, expect } of conflicts) {
    const expected = typeof expect === 'string' ? [expect] : expect;
    it(`reports ${expected[0]!.split(':')[1]} for a ${name}`, () => {
      assert.deepStrictEqual(codes(setUp(lines).file), expected);
    });
  }

  it('accepts a script and a log that bwdc Schedule wrote, and empty files', async () => {
    const { file, folder } = setUp(() => ['script ./sync.sh', 'log ./sync.log']);
    fs.writeFileSync(path.join(folder, 'sync.log'), '');
    assert.strictEqual((await runAsync(['script', file], { hostPlatform: 'linux' })).code, 0);
    fs.writeFileSync(path.join(folder, 'sync.log'), '2025-01-01T12:00:00+01:00 [job] run started (pid 7)\n');
    assert.deepStrictEqual(codes(file), []);
  });

  it('script: a schedule whose log names data.json is refused, and data.json stays as it was', async () => {
    const { file, dataJson } = setUp(() => ['script ./instance-1/data.json']);
    const result = await runAsync(['script', file], { hostPlatform: 'linux' });
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /error path-conflict: .*data\.json.* is the instance's data\.json/);
    assert.strictEqual(fs.readFileSync(dataJson, 'utf8'), DATA_JSON);
  });

  it('script --output onto a file bwdc Schedule did not write is refused, the file kept', async () => {
    const { file, dataJson } = setUp(() => []);
    const result = await runAsync(['script', file, '--output', dataJson], { hostPlatform: 'linux' });
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /was not generated by bwdc Schedule, so it was left as it is/);
    assert.strictEqual(fs.readFileSync(dataJson, 'utf8'), DATA_JSON);
  });

  it('task xml --output onto a file it did not write is refused, the file kept', async () => {
    const { file, dataJson } = setUp(() => []);
    const result = await runAsync(['task', 'xml', file, '--output', dataJson], { hostPlatform: 'linux' });
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /is not a Task Scheduler task exported by bwdc Schedule/);
    assert.strictEqual(fs.readFileSync(dataJson, 'utf8'), DATA_JSON);
    const own = path.join(path.dirname(file), 'job.task.xml');
    assert.strictEqual((await runAsync(['task', 'xml', file, '--output', own], { hostPlatform: 'linux' })).code, 0);
    assert.strictEqual((await runAsync(['task', 'xml', file, '--output', own], { hostPlatform: 'linux' })).code, 0, 'its own export is replaced');
  });

  it('secret store refuses a secret file that holds more than a secret, and keeps it', async () => {
    const { file, folder } = setUp((f) => [`secret file:${f}/private/settings.conf`]);
    fs.mkdirSync(path.join(folder, 'private'), { mode: 0o700 });
    const settings = path.join(folder, 'private', 'settings.conf');
    fs.writeFileSync(settings, 'one=1\ntwo=2\n', { mode: 0o600 });
    const result = await runAsync(['secret', 'store', file], { hostPlatform: 'linux' }, { readSecret: () => Promise.resolve(`${VALUES.secret}\n`) });
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /does not hold just a secret \(one line\), so it was left as it is/);
    assert.strictEqual(fs.readFileSync(settings, 'utf8'), 'one=1\ntwo=2\n');
  });

  it('the generated script appends nothing to a log it did not write, and says so where cron mails it', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    fs.mkdirSync(run.layout.logFolder, { mode: 0o700 });
    fs.writeFileSync(run.layout.log, '{"stateVersion":8}\n', { mode: 0o600 });
    const outcome = runScript(run);
    assert.strictEqual(outcome.status, 1);
    assert.match(outcome.stderr, /the log .* exists and was not written by this script; nothing is appended to it/);
    assert.strictEqual(readLog(run), '{"stateVersion":8}\n');
  });
});
