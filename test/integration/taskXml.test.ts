import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

// out/test/integration → the repository's test/fixtures
const fixtures = path.resolve(__dirname, '../../../test/fixtures');

describe('Export Task Scheduler XML in a real VS Code', function () {
  this.timeout(60_000);
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-taskxml-'));
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("writes the Windows schedule's task as UTF-16 with a BOM, valid against the task schema", async () => {
    const schedule = path.join(folder, 'windows.bwdc-schedule');
    fs.copyFileSync(path.join(fixtures, 'schedules', 'windows.bwdc-schedule'), schedule);
    const target = path.join(folder, 'sunday-sync.task.xml');
    const written = await vscode.commands.executeCommand<string | undefined>('bwdcSchedule.exportTaskXml', vscode.Uri.file(schedule), target);
    assert.equal(written, target);
    const bytes = fs.readFileSync(target);
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe], 'UTF-16 LE byte order mark');
    const text = bytes.subarray(2).toString('utf16le');
    assert.match(text, /^<\?xml version="1\.0" encoding="UTF-16"\?>/);
    assert.match(text, /<UserId>CORP\\svc-bwdc<\/UserId>/);
    assert.match(text, /<DaysOfWeek>\s*<Sunday \/>\s*<\/DaysOfWeek>/);
    const lint = spawnSync('xmllint', ['--noout', '--schema', path.join(fixtures, 'task', 'task-scheduler.xsd'), target], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stderr);
  });

  it('refuses a schedule Task Scheduler cannot run exactly, naming the line, and writes nothing', async () => {
    const schedule = path.join(folder, 'windows.bwdc-schedule');
    fs.writeFileSync(
      schedule,
      fs.readFileSync(path.join(fixtures, 'schedules', 'windows.bwdc-schedule'), 'utf8').replace('schedule   0 20 * * 0', 'schedule   0 0 */2 * sun'),
    );
    const target = path.join(folder, 'x.task.xml');
    const written = await vscode.commands.executeCommand<string | undefined>('bwdcSchedule.exportTaskXml', vscode.Uri.file(schedule), target);
    assert.equal(written, undefined);
    assert.equal(fs.existsSync(target), false);
  });
});
