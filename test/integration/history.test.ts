import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './wait';

/**
 * The run history in the real editor: a schedule file in a temporary folder whose log holds a few
 * runs (test/fixtures/history/editor.log), read by the hover on its `log` line and the
 * "bwdc: Show Sync History" document, which follows the log as runs are added. The status item
 * cannot be read through the API; the document's first line is the same text (core's
 * lastRunStatus, unit-tested in test/unit/history/present.test.ts).
 */

// out/test/integration → the repository's test/fixtures
const fixtures = path.resolve(__dirname, '../../../test/fixtures/history');

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

async function hoverAt(uri: vscode.Uri, position: vscode.Position, expect: string): Promise<string> {
  let last = '';
  return waitFor(`a hover containing '${expect}'`, async () => {
    last = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position));
    return last.includes(expect) ? last : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last hover was:\n${last}`);
  });
}

describe('the run history in a real VS Code', function () {
  this.timeout(60_000);
  let folder: string;
  let scheduleFile: string;
  let log: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-history-'));
    for (const instance of ['instance-1', 'instance-2']) {
      fs.mkdirSync(path.join(folder, instance));
      fs.writeFileSync(path.join(folder, instance, 'data.json'), '{}');
    }
    fs.mkdirSync(path.join(folder, 'logs'));
    log = path.join(folder, 'logs', 'bwdc.log');
    scheduleFile = path.join(folder, 'weekly-sync.bwdc-schedule');
    // No bwdc line: the history runs no bwdc, so one missing from the editor's PATH must not hide it.
    fs.writeFileSync(
      scheduleFile,
      [
        'name       weekly-sync',
        'schedule   0 12 * * 1',
        'timezone   Europe/Berlin',
        'platform   linux',
        'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
        `secret     file:${path.join(folder, 'client_secret')}`,
        'instance   ./instance-1',
        'instance   ./instance-2',
        'log        ./logs/bwdc.log',
        '',
      ].join('\n'),
    );
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('lists the recent runs in the hover on the log line, under what the line says already', async () => {
    fs.copyFileSync(path.join(fixtures, 'editor.log'), log);
    const document = await vscode.workspace.openTextDocument(scheduleFile);
    await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('log'));

    const onValue = await hoverAt(document.uri, new vscode.Position(line, 13), 'Recent runs');
    const rows = onValue.split('\n').filter((text) => /^\| \w{3} /.test(text));
    assert.equal(rows.length, 3, onValue);
    assert.match(rows[0]!, /\| failed \\\(13s\\\) \| instance-1: ok, 2 groups, 5 users · instance-2: failed, login failed: the client secret was rejected/);
    assert.match(rows[1]!, /\| skipped \\\(10s\\\) \| instance-1: skipped, another run is using this instance folder .* · instance-2: ok, nothing changed \|$/);
    assert.match(rows[2]!, /\| ok \\\(20s\\\) \| instance-1: ok, 2 groups, 4 users · instance-2: ok, 3 groups, 12 users \|$/);
    assert.match(onValue, /newest first, in Europe\/Berlin/);

    const onKey = await hoverAt(document.uri, new vscode.Position(line, 1), 'Recent runs');
    assert.match(onKey, /^\*\*log\*\* — optional/, 'the directive is explained first');
    assert.ok(onKey.indexOf('**log**') < onKey.indexOf('Recent runs'), onKey);
  });

  it('says in the hover that no run is recorded yet while the log does not exist', async () => {
    const document = await vscode.workspace.openTextDocument(scheduleFile);
    await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('log'));
    const text = await hoverAt(document.uri, new vscode.Position(line, 13), 'no runs recorded yet');
    assert.ok(text.includes(`${log} does not exist yet`), text);
  });

  it('shows the sync history, newest first, with each run’s log lines, and follows the log as runs are added', async () => {
    fs.copyFileSync(path.join(fixtures, 'editor.log'), log);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('bwdcSchedule.showHistory', vscode.Uri.file(scheduleFile));
    assert.ok(uri, 'the command returns the document it shows');
    await waitFor('the Markdown preview of the history', () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .some((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('markdown.preview')),
    );

    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    const lines = text.split('\n');
    assert.equal(lines[0], '# Sync history: weekly-sync.bwdc-schedule');
    assert.ok(text.includes(`from \`${log}\` and the rotated logs beside it; times in Europe/Berlin.`), text);
    assert.ok(
      lines.some((line) => /^\*\*last sync .*: instance-2 failed: login failed: the client secret was rejected\*\*$/.test(line)),
      text,
    );
    const rows = lines.filter((line) => /^\| \d \|/.test(line));
    assert.deepEqual(
      rows.map((row) => row.split(' | ').slice(2, 5)),
      [
        ['failed', '13s', '2026.6.1'],
        ['skipped', '10s', '2026.6.1'],
        ['ok', '20s', '2026.6.1'],
      ],
    );
    const newest = lines.findIndex((line) => line.startsWith('## 1 · '));
    assert.ok(newest > 0, text);
    assert.ok(
      lines
        .slice(newest, newest + 8)
        .includes(
          '- instance-2: failed, login failed: the client secret was rejected; check the client-id line and the secret the secret line points to \\(Admin Console, Organization info, View API key\\)',
        ),
      text,
    );
    const fence = lines.indexOf('```text', newest);
    assert.equal(lines[fence + 1], '2026-12-01T12:00:01+01:00 [weekly-sync] run started (pid 3303)');
    assert.equal(
      lines[fence + 12],
      '2026-12-01T12:00:14+01:00 [weekly-sync] run finished with failures: instance-1: synced: 2 groups, 5 users; instance-2: failed: login: the client secret was rejected; exit 1',
    );
    assert.equal(lines[fence + 13], '```');

    // A new run: the log's watcher makes the document again. A watcher listens a moment after it
    // is made, so the log's time is touched again until the change shows (a watcher that never
    // fires still fails the test).
    fs.appendFileSync(log, fs.readFileSync(path.join(fixtures, 'editor-next.log')));
    let touched = Date.now();
    await waitFor(
      'the new run in the history',
      () => {
        if (/^\*\*last sync .*: 2 of 2 ok\*\*$/m.test(document.getText())) return true;
        if (Date.now() - touched > 2000) {
          fs.utimesSync(log, new Date(), new Date());
          touched = Date.now();
        }
        return false;
      },
      { timeoutMs: 20_000 },
    );
    assert.equal(
      document
        .getText()
        .split('\n')
        .filter((line) => /^\| \d \|/.test(line)).length,
      4,
    );
    assert.match(document.getText(), /^- instance-2: ok, 1 group, 2 users$/m);
  });

  it('says why when the file at the log path is not a log of the sync script, showing nothing of it', async () => {
    fs.writeFileSync(log, 'BEGIN PRIVATE KEY\nnot for anyone\n');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('bwdcSchedule.showHistory', vscode.Uri.file(scheduleFile));
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    // The file's diagnostics refuse such a log path (an error on the log line), and the history says so.
    assert.ok(text.includes('**last sync: unknown**'), text);
    assert.ok(text.includes(`line 9: '${log}' exists and is not a log bwdc Schedule wrote`), text);
    assert.ok(!text.includes('not for anyone'), text);
  });
});
