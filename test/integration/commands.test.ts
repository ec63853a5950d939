import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from './api';
import { waitFor } from './wait';

/**
 * The commands that write files, run in the real editor: the confirmation and the password box
 * are answered by the test through the extension's API (never skipped).
 */

const SECRET = 'tR4aBc9dEf0GhIjKlMnOpQrStUvWx';

interface Answers {
  confirm: boolean[];
  passwords: (string | undefined)[];
  asked: string[];
}

async function answer(answers: Answers): Promise<void> {
  (await api()).prompts.current = {
    async confirm(message) {
      answers.asked.push(message);
      const next = answers.confirm.shift();
      assert.notEqual(next, undefined, `unexpected question: ${message}`);
      return next!;
    },
    async password(prompt, validate) {
      answers.asked.push(prompt);
      const next = answers.passwords.shift();
      if (next !== undefined) assert.equal(validate(next), undefined);
      return next;
    },
  };
}

describe('the script and secret commands in a real VS Code', () => {
  let folder: string;
  let scheduleFile: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-commands-'));
    fs.mkdirSync(path.join(folder, 'instance-1'));
    fs.writeFileSync(path.join(folder, 'instance-1', 'data.json'), '{}');
    scheduleFile = path.join(folder, 'nightly.bwdc-schedule');
    fs.writeFileSync(
      scheduleFile,
      [
        'name      nightly',
        'schedule  0 2 * * *',
        'platform  linux',
        'bwdc      /usr/local/bin/bwdc',
        'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
        `secret    file:${path.join(folder, 'private', 'client_secret')}`,
        'instance  ./instance-1',
        'env       BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
        '',
      ].join('\n'),
    );
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('generates the sync script beside the schedule file, owner-only, and opens it', async () => {
    await answer({ confirm: [], passwords: [], asked: [] });
    const target = await vscode.commands.executeCommand<string>('bwdcSchedule.generateScript', vscode.Uri.file(scheduleFile));
    assert.equal(target, path.join(folder, 'bwdcSyncService.sh'));
    const text = fs.readFileSync(target, 'utf8');
    assert.match(text, /^#!\/bin\/bash/);
    assert.ok(text.includes(`# Source: ${scheduleFile}`));
    assert.equal(fs.statSync(target).mode & 0o777, 0o700);
    await waitFor('the script to be shown', () => vscode.window.activeTextEditor?.document.uri.fsPath === target);
  });

  it('shows a diff and keeps an out-of-date script unless the user agrees to replace it', async () => {
    const answers: Answers = { confirm: [false, true], passwords: [], asked: [] };
    await answer(answers);
    const target = path.join(folder, 'bwdcSyncService.sh');
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.generateScript', vscode.Uri.file(scheduleFile)), target);
    const before = fs.readFileSync(target, 'utf8');
    // Changed as the user would, in the editor (an open document does not see a disk write at once).
    const schedule = await vscode.workspace.openTextDocument(vscode.Uri.file(scheduleFile));
    const edit = new vscode.WorkspaceEdit();
    const at = schedule.getText().indexOf('0 2 * * *');
    edit.replace(schedule.uri, new vscode.Range(schedule.positionAt(at), schedule.positionAt(at + '0 2 * * *'.length)), '0 3 * * *');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await schedule.save());
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.generateScript', vscode.Uri.file(scheduleFile)), undefined);
    assert.equal(fs.readFileSync(target, 'utf8'), before);
    assert.deepEqual(answers.asked, ['Replace the sync script?']);
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.ok(
      tabs.some((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'bwdc-schedule-preview'),
      'a diff editor is open',
    );
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.generateScript', vscode.Uri.file(scheduleFile)), target);
    assert.notEqual(fs.readFileSync(target, 'utf8'), before);
  });

  it('never replaces a script it did not write (a hand-made bwdcSyncService.sh), and asks nothing', async () => {
    const answers: Answers = { confirm: [true], passwords: [], asked: [] };
    await answer(answers);
    const target = path.join(folder, 'bwdcSyncService.sh');
    fs.writeFileSync(target, '#!/bin/bash\necho hand-made\n', { mode: 0o700 });
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.generateScript', vscode.Uri.file(scheduleFile)), undefined);
    assert.equal(fs.readFileSync(target, 'utf8'), '#!/bin/bash\necho hand-made\n');
    assert.deepEqual(answers.asked, []);
  });

  it('exports the Task Scheduler XML, and reports a file it may not replace by name instead of failing', async () => {
    const own = path.join(folder, 'nightly.task.xml');
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.exportTaskXml', vscode.Uri.file(scheduleFile), own), own);
    const foreign = path.join(folder, 'instance-1', 'data.json');
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.exportTaskXml', vscode.Uri.file(scheduleFile), foreign), undefined);
    assert.equal(fs.readFileSync(foreign, 'utf8'), '{}');
    const unwritable = path.join(scheduleFile, 'under-a-file.task.xml');
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.exportTaskXml', vscode.Uri.file(scheduleFile), unwritable), undefined);
  });

  it('refuses to generate from a file with errors and says why', async () => {
    await answer({ confirm: [], passwords: [], asked: [] });
    fs.appendFileSync(scheduleFile, 'schedule 61 * * * *\n');
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.generateScript', vscode.Uri.file(scheduleFile)), undefined);
    assert.equal(fs.existsSync(path.join(folder, 'bwdcSyncService.sh')), false);
  });

  it('stores the client secret from the password box in an owner-only file', async () => {
    const answers: Answers = { confirm: [], passwords: [SECRET], asked: [] };
    await answer(answers);
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.storeSecret', vscode.Uri.file(scheduleFile)), true);
    const file = path.join(folder, 'private', 'client_secret');
    assert.equal(fs.readFileSync(file, 'utf8'), `${SECRET}\n`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(!answers.asked[0]!.includes(SECRET));
  });

  it('stores nothing when the password box is cancelled', async () => {
    await answer({ confirm: [], passwords: [undefined], asked: [] });
    assert.equal(await vscode.commands.executeCommand('bwdcSchedule.storeSecret', vscode.Uri.file(scheduleFile)), false);
    assert.equal(fs.existsSync(path.join(folder, 'private', 'client_secret')), false);
  });

  it("shows the script's state in a CodeLens", async () => {
    await answer({ confirm: [], passwords: [], asked: [] });
    const uri = vscode.Uri.file(scheduleFile);
    await vscode.window.showTextDocument(uri);
    const titles = async (): Promise<string[]> =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((lens) => lens.command?.title ?? '');
    await waitFor('a generate lens', async () => (await titles()).some((title) => title.includes('Generate sync script')));
    await vscode.commands.executeCommand('bwdcSchedule.generateScript', uri);
    await waitFor('an up-to-date lens', async () => (await titles()).some((title) => title.includes('Sync script up to date')));
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(document.lineCount - 1, 0), 'instance  ./instance-2\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    await waitFor('an out-of-date lens', async () => (await titles()).some((title) => title.includes('out of date')));
  });
});
