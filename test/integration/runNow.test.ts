import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './wait';

/**
 * "bwdc: Test Sync" and "bwdc: Run Sync Now" in the real editor, on a schedule file whose bwdc is
 * the stand-in (test/fixtures/bwdc-standin/bwdc.js): the script is generated with "bwdc: Generate
 * Sync Script", then run as cron would run it. Cancelling is tested in test/unit/host/runScript.test.ts.
 */

// out/test/integration → the repository's test/fixtures
const standinSource = path.resolve(__dirname, '../../../test/fixtures/bwdc-standin/bwdc.js');
const validData = path.resolve(__dirname, '../../../test/fixtures/scripts/data/valid.json');

interface TestedInstance {
  readonly instance: string;
  readonly ok: boolean;
  readonly message: string | null;
  readonly users: readonly { readonly displayName?: unknown; readonly state: string }[];
  readonly groups: readonly unknown[];
}

describe('Test Sync and Run Sync Now in a real VS Code', function () {
  this.timeout(120_000);
  let folder: string;
  let scheduleFile: vscode.Uri;
  let log: string;

  before(async () => {
    folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-run-now-')));
    const bwdc = path.join(folder, 'bin', 'bwdc');
    fs.mkdirSync(path.dirname(bwdc));
    fs.writeFileSync(bwdc, `#!${process.execPath}\n${fs.readFileSync(standinSource, 'utf8')}`, { mode: 0o755 });
    fs.mkdirSync(path.join(folder, 'secret'), { mode: 0o700 });
    fs.writeFileSync(path.join(folder, 'secret', 'client_secret'), 'a-client-secret\n', { mode: 0o600 });
    for (const [instance, users] of [
      ['instance-1', 3],
      ['instance-2', 2],
    ] as const) {
      fs.mkdirSync(path.join(folder, instance), { mode: 0o700 });
      const data = { ...(JSON.parse(fs.readFileSync(validData, 'utf8')) as object), standinUsers: users, standinGroups: 1 };
      fs.writeFileSync(path.join(folder, instance, 'data.json'), JSON.stringify(data, null, 2));
    }
    log = path.join(folder, 'logs', 'bwdc.log');
    const file = path.join(folder, 'weekly-sync.bwdc-schedule');
    fs.writeFileSync(
      file,
      [
        'name       weekly-sync',
        'schedule   0 12 * * 1',
        'platform   linux',
        `bwdc       ${bwdc}`,
        'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
        `secret     file:${path.join(folder, 'secret', 'client_secret')}`,
        'instance   ./instance-1',
        'instance   ./instance-2',
        'env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
        'log        ./logs/bwdc.log',
        '',
      ].join('\n'),
    );
    scheduleFile = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scheduleFile));
    const script = await vscode.commands.executeCommand<string | undefined>('bwdcSchedule.generateScript', scheduleFile);
    assert.ok(script && fs.existsSync(script), 'the script was generated');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('Test Sync shows per instance the users and groups bwdc test found, and syncs nothing', async () => {
    const result = await vscode.commands.executeCommand<{ report: TestedInstance[]; view: vscode.Uri } | undefined>('bwdcSchedule.testSync', scheduleFile);
    assert.ok(result);
    const { report, view } = result;
    assert.deepEqual(
      report.map((instance) => [instance.instance, instance.ok, instance.message, instance.users.length, instance.groups.length]),
      [
        ['instance-1', true, null, 3, 1],
        ['instance-2', true, null, 2, 1],
      ],
    );
    assert.deepEqual(
      report[1]!.users.map((user) => `${String(user.displayName)} ${user.state}`),
      ['user1@standin.test enabled', 'user2@standin.test enabled'],
    );
    const text = fs.readFileSync(log, 'utf8');
    assert.match(text, /\[weekly-sync\] run started in test mode \(pid \d+\)\n/);
    assert.doesNotMatch(text, /synced/);
    // The view: a Markdown document with a table per instance.
    // The view: a Markdown document with a table per instance, shown in the Markdown preview.
    assert.ok(view.path.endsWith('weekly-sync.bwdc-schedule.test.md'), view.toString());
    const markdown = (await vscode.workspace.openTextDocument(view)).getText();
    assert.match(markdown, /^## instance-1$/m);
    assert.match(markdown, /^\| user1@standin\.test \| enabled \| uid=user1,ou=people,dc=standin,dc=test \|$/m);
    await waitFor('the Markdown preview of the test view', () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.label.includes('weekly-sync.bwdc-schedule.test.md')),
    );
  });

  it('Run Sync Now runs the script as cron would and reports each instance', async () => {
    const summary = await vscode.commands.executeCommand<{ ok: boolean; lines: string[] } | undefined>('bwdcSchedule.runSyncNow', scheduleFile);
    assert.deepEqual(summary, { ok: true, lines: ['instance-1: ok (3 users, 1 groups)', 'instance-2: ok (2 users, 1 groups)'] });
    const lines = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
    assert.match(lines.at(-1)!, /\[weekly-sync\] run finished: instance-1: synced: 1 groups, 3 users; instance-2: synced: 1 groups, 2 users; exit 0$/);
  });
});
