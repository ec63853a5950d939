import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from './api';
import type { Outcome } from '../../src/workflows/ui';
import { waitFor } from './wait';

/**
 * "bwdc: Install systemd Timer" and "Remove systemd Timer" in the real editor. No systemd runs
 * here, so the editor is pointed at a temporary tree (BWDC_SCHEDULE_TEST_SYSTEMD_ROOT, as
 * `--root` does): the unit files, the wants symlink and the refusals are real; daemon-reload and
 * enable --now are not run (the unit tests record their argv).
 */

const TIMER = 'bwdc-nightly.timer';
const SERVICE = 'bwdc-nightly.service';

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
      assert.fail('no password is asked by the systemd commands');
    },
  };
  return asked;
}

const lensTitles = async (uri: vscode.Uri): Promise<string[]> =>
  ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((lens) => lens.command?.title ?? '');

describe('the systemd timer commands in a real VS Code (units in a temporary tree)', function () {
  this.timeout(60_000);
  if (process.platform !== 'linux') {
    it('are for Linux hosts (skipped here)', function () {
      this.skip();
    });
    return;
  }
  let folder: string;
  let tree: string;
  let units: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-systemd-editor-'));
    tree = path.join(folder, 'tree');
    units = path.join(tree, 'etc', 'systemd', 'system');
    fs.mkdirSync(tree);
    process.env['BWDC_SCHEDULE_TEST_SYSTEMD_ROOT'] = tree;
  });

  afterEach(async () => {
    delete process.env['BWDC_SCHEDULE_TEST_SYSTEMD_ROOT'];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  function writeSchedule(): vscode.Uri {
    fs.mkdirSync(path.join(folder, 'instance-1'));
    fs.writeFileSync(path.join(folder, 'instance-1', 'data.json'), '{}');
    const file = path.join(folder, 'nightly.bwdc-schedule');
    fs.writeFileSync(
      file,
      [
        'name      nightly',
        'schedule  30 2 * * *',
        'platform  linux',
        'scheduler systemd',
        'run-as    bwdc',
        'bwdc      /usr/local/bin/bwdc',
        'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
        `secret    file:${path.join(folder, 'private', 'client_secret')}`,
        'instance  ./instance-1',
        `script    ${path.join(folder, 'sync.sh')}`,
        '',
      ].join('\n'),
    );
    return vscode.Uri.file(file);
  }

  it('installs both units after a diff and a question, shows it in the CodeLens, and removes them', async () => {
    const uri = writeSchedule();
    await vscode.window.showTextDocument(uri);
    await waitFor('an install lens', async () => (await lensTitles(uri)).some((title) => title.includes(`Install systemd timer ${TIMER}`)), {
      timeoutMs: 20_000,
    });
    assert.ok(!(await lensTitles(uri)).some((title) => /crontab/i.test(title)), 'no crontab lens on a systemd file');

    const asked = await answer([true]);
    const shownDiffs: string[] = [];
    const watching = vscode.window.tabGroups.onDidChangeTabs((change) => {
      for (const tab of change.opened) if (tab.input instanceof vscode.TabInputTextDiff) shownDiffs.push(tab.label);
    });
    const outcome = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.installSystemdTimer', uri);
    watching.dispose();
    assert.equal(outcome.done, true, outcome.message);
    assert.deepEqual(asked.length, 1);
    assert.match(asked[0]!, new RegExp(`Install ${SERVICE} and ${TIMER} in .*, and enable the timer\\?`));
    for (const unit of [SERVICE, TIMER])
      assert.ok(
        shownDiffs.some((label) => label.includes(unit)),
        `a diff of ${unit}: ${shownDiffs.join(', ')}`,
      );
    assert.match(fs.readFileSync(path.join(units, TIMER), 'utf8'), /^OnCalendar=\*-\*-\* 02:30:00$/m);
    assert.equal(fs.statSync(path.join(units, SERVICE)).mode & 0o777, 0o644);
    assert.equal(fs.readlinkSync(path.join(units, 'timers.target.wants', TIMER)), `/etc/systemd/system/${TIMER}`);
    await waitFor('an installed lens', async () => (await lensTitles(uri)).some((title) => title.includes(`systemd timer ${TIMER} installed`)), {
      timeoutMs: 20_000,
    });

    await answer([true]);
    const removed = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.removeSystemdTimer', uri);
    assert.equal(removed.done, true, removed.message);
    assert.deepEqual(fs.readdirSync(units), []);
  });

  it('refuses a unit file it did not write, naming it, without a question', async () => {
    const uri = writeSchedule();
    fs.mkdirSync(units, { recursive: true });
    const foreign = '[Service]\nExecStart=/usr/local/bin/mine\n';
    fs.writeFileSync(path.join(units, SERVICE), foreign);
    const asked = await answer([]);
    const outcome = await vscode.commands.executeCommand<Outcome>('bwdcSchedule.installSystemdTimer', uri);
    assert.equal(outcome.done, false);
    assert.match(outcome.message, /bwdc-nightly\.service exists and was not written by bwdc Schedule, so nothing was changed/);
    assert.deepEqual(asked, []);
    assert.equal(fs.readFileSync(path.join(units, SERVICE), 'utf8'), foreign);
    assert.deepEqual(fs.readdirSync(units), [SERVICE]);
  });
});
