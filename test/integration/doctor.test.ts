import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * "bwdc: Check Setup" in the real editor: a schedule file for the current user whose bwdc is the
 * stand-in (test/fixtures/bwdc-standin/bwdc.js), with a secret file, one configured instance
 * folder and no sync script yet. The command checks this machine for real and shows its report as
 * a read-only Markdown document; the test reads that document's text.
 */

// out/test/integration → the repository's test/fixtures
const fixtures = path.resolve(__dirname, '../../../test/fixtures');

describe('bwdc: Check Setup in a real VS Code', function () {
  this.timeout(90_000);
  let folder: string;
  let scheduleFile: string;

  beforeEach(() => {
    folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-check-setup-')));
    fs.mkdirSync(path.join(folder, 'bin'));
    const bwdc = path.join(folder, 'bin', 'bwdc');
    // The checks run bwdc with cron's PATH (/usr/bin:/bin), where env finds node.
    fs.writeFileSync(bwdc, `#!/usr/bin/env node\n${fs.readFileSync(path.join(fixtures, 'bwdc-standin', 'bwdc.js'), 'utf8')}`, { mode: 0o755 });
    fs.mkdirSync(path.join(folder, 'instance-1'), { mode: 0o700 });
    fs.copyFileSync(path.join(fixtures, 'doctor', 'data.json'), path.join(folder, 'instance-1', 'data.json'));
    fs.chmodSync(path.join(folder, 'instance-1', 'data.json'), 0o600);
    fs.writeFileSync(path.join(folder, 'client_secret'), 'not-a-real-secret\n', { mode: 0o644 });
    fs.chmodSync(path.join(folder, 'client_secret'), 0o644);
    scheduleFile = path.join(folder, 'weekly-sync.bwdc-schedule');
    fs.writeFileSync(
      scheduleFile,
      [
        'name       check-setup-test',
        'schedule   0 3 1 1 *',
        'platform   linux',
        `bwdc       ${bwdc}`,
        'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
        `secret     file:${path.join(folder, 'client_secret')}`,
        'instance   ./instance-1',
        'env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
        '',
      ].join('\n'),
    );
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('shows what passed and what failed, each failure with its fix', async () => {
    const document = await vscode.workspace.openTextDocument(scheduleFile);
    await vscode.window.showTextDocument(document);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('bwdcSchedule.checkSetup', document.uri);
    assert.ok(uri, 'the command returns the report it shows');
    const report = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(report, /^# Check Setup: weekly-sync\.bwdc-schedule$/m);
    // No script was generated: a problem, with the command that makes it.
    assert.match(report, /^- ❌ The sync script .*bwdcSyncService\.sh does not exist\. \(`script-exists`\)$/m);
    assert.match(report, /^ {2}- Fix: Generate it: bwdc-schedule crontab install /m);
    // The secret file is readable by everyone.
    assert.match(report, /mode 0644 lets others read it/);
    assert.match(report, /Fix: sudo chown \S+ .*client\\?_secret && sudo chmod 600 /);
    // What works: bwdc answers --version (the stand-in), and data.json is valid.
    assert.match(report, /^- ✅ bwdc 2026\.6\.1 runs for \S+\.$/m);
    assert.match(report, /^- ✅ .*instance-1\/data\.json is valid\.$/m);
    assert.match(report, /bwdc-schedule doctor /);
    // Nothing was written: the report changed no file.
    assert.equal(fs.existsSync(path.join(folder, 'bwdcSyncService.sh')), false);
  });
});
