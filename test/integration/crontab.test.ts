import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from './api';
import type { Outcome } from '../../src/workflows/crontab';
import { createUser, crontabOf, removeUsers, setCrontab, type ThrowawayUser } from '../system/users';
import { waitFor } from './wait';

/**
 * The crontab commands in the real editor against Debian's real crontab(1). As root they run
 * on a throwaway user's crontab (never the tester's); without root they must refuse with the
 * command an admin would run, which is what a non-root user of the editor sees.
 */

const isRoot = process.getuid?.() === 0;
// out/test/integration → the repository's test/fixtures
const fixtures = path.resolve(__dirname, '../../../test/fixtures');

/** Answers confirmations in order and records the questions. */
async function answer(replies: boolean[]): Promise<string[]> {
  const asked: string[] = [];
  (await api()).prompts.current = {
    async confirm(message) {
      asked.push(message);
      const next = replies.shift();
      assert.notEqual(next, undefined, `unexpected question: ${message}`);
      return next!;
    },
    async password() {
      assert.fail('no password is asked by the crontab commands');
    },
  };
  return asked;
}

function writeSchedule(folder: string, runAs: string, schedule = '0 2 * * *'): string {
  fs.mkdirSync(path.join(folder, 'instance-1'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'instance-1', 'data.json'), '{}');
  const file = path.join(folder, 'nightly.bwdc-schedule');
  fs.writeFileSync(
    file,
    [
      'name      nightly',
      `schedule  ${schedule}`,
      'platform  linux',
      `run-as    ${runAs}`,
      'bwdc      /usr/local/bin/bwdc',
      'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
      `secret    file:${path.join(folder, 'private', 'client_secret')}`,
      'instance  ./instance-1',
      '',
    ].join('\n'),
  );
  return file;
}

const lensTitles = async (uri: vscode.Uri): Promise<string[]> =>
  ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((lens) => lens.command?.title ?? '');

describe('the crontab commands in a real VS Code', function () {
  this.timeout(60_000);
  let folder: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-crontab-'));
    fs.chmodSync(folder, 0o755);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  after(() => {
    if (isRoot) removeUsers();
  });

  if (isRoot) {
    let user: ThrowawayUser;
    beforeEach(() => {
      user = createUser('bwdcvs');
    });

    it('installs after showing the diff and asking, keeps foreign lines, and removes only its block', async () => {
      const foreign = '# the admin\'s own job\nMAILTO=""\n17 3 * * * /usr/bin/true % not ours\n';
      setCrontab(user.name, foreign);
      const file = writeSchedule(folder, user.name);
      const uri = vscode.Uri.file(file);
      await vscode.window.showTextDocument(uri);
      await waitFor('an install lens', async () => (await lensTitles(uri)).some((title) => title.includes(`Install crontab entry for ${user.name}`)), {
        timeoutMs: 20_000,
      });

      const asked = await answer([true, true]);
      const shownDiffs: string[] = [];
      const watching = vscode.window.tabGroups.onDidChangeTabs((change) => {
        for (const tab of change.opened) if (tab.input instanceof vscode.TabInputTextDiff) shownDiffs.push(tab.label);
      });
      const outcome = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.installCrontab', uri);
      watching.dispose();
      assert.equal(outcome.done, true, outcome.message);
      assert.equal(asked.length, 2, asked.join(' | '));
      assert.match(asked[0]!, /sync script .* does not exist yet/);
      assert.match(asked[1]!, new RegExp(`Install nightly into the crontab of ${user.name}`));
      assert.ok(
        shownDiffs.some((label) => label.includes(`crontab of ${user.name}`)),
        `a crontab diff was shown: ${shownDiffs.join(', ')}`,
      );

      const script = path.join(folder, 'bwdcSyncService.sh');
      assert.equal(fs.statSync(script).uid, user.uid, 'the script belongs to run-as');
      const installed = crontabOf(user.name)!;
      assert.ok(installed.startsWith(foreign), 'foreign lines come first, byte for byte');
      assert.match(installed, /# BEGIN bwdc-schedule nightly/);
      assert.ok(installed.includes(`0 2 * * * ${script}`) || installed.includes(`0 2 * * * '${script}'`), installed);
      await waitFor('an installed lens', async () => (await lensTitles(uri)).some((title) => title.includes(`Crontab entry of ${user.name} installed`)), {
        timeoutMs: 20_000,
      });

      await answer([true]);
      const removed = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.removeCrontab', uri);
      assert.equal(removed.done, true, removed.message);
      assert.equal(crontabOf(user.name), foreign);
    });

    it('writes nothing to the crontab when the user says no', async () => {
      const file = writeSchedule(folder, user.name);
      const asked = await answer([true, false]);
      const outcome = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.installCrontab', vscode.Uri.file(file));
      assert.equal(outcome.done, false);
      assert.equal(asked.length, 2);
      assert.equal(crontabOf(user.name), undefined, 'still no crontab');
    });

    it('shows a changed schedule as a crontab that differs, and updates it in place', async () => {
      const file = writeSchedule(folder, user.name);
      const uri = vscode.Uri.file(file);
      await answer([true, true]);
      const first = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.installCrontab', uri);
      assert.equal(first.done, true, first.message);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const line = document
        .getText()
        .split('\n')
        .findIndex((text) => text.startsWith('schedule'));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, document.lineAt(line).range, 'schedule  30 4 * * 1-5');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await document.save());
      await waitFor('a lens saying the entry differs', async () => (await lensTitles(uri)).some((title) => title.includes('differs')), { timeoutMs: 20_000 });
      // The script changes too (its fingerprint covers the schedule): two questions again.
      const asked = await answer([true, true]);
      const updated = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.installCrontab', uri);
      assert.equal(updated.done, true, `${updated.message} (asked: ${asked.join(' | ')})`);
      assert.match(crontabOf(user.name)!, /^30 4 \* \* 1-5 /m);
      assert.doesNotMatch(crontabOf(user.name)!, /^0 2 \* \* \* /m);
    });
  } else {
    it("refuses to change another user's crontab without root, and names the command to run", async () => {
      const file = writeSchedule(folder, 'bwdc-nobody');
      await answer([]);
      const outcome = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.installCrontab', vscode.Uri.file(file));
      assert.equal(outcome.done, false);
      assert.match(outcome.message, /only root may change another user's crontab/);
      assert.ok(outcome.message.includes(`sudo bwdc-schedule crontab install "${file}"`), outcome.message);
    });
  }

  it('refuses a Windows schedule with a sentence, not a stack trace', async () => {
    const file = path.join(folder, 'windows.bwdc-schedule');
    fs.copyFileSync(path.join(fixtures, 'schedules', 'windows.bwdc-schedule'), file);
    await answer([]);
    const outcome = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.installCrontab', vscode.Uri.file(file));
    assert.equal(outcome.done, false);
    assert.equal(outcome.message, 'This job is for Windows (platform windows): it is scheduled with Task Scheduler, not cron.');
  });
});
