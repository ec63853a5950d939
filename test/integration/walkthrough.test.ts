import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from './api';
import type { Choice, Questions } from '../../src/editor/questions';
import type { Outcome } from '../../src/workflows/crontab';
import { createUser, crontabOf, removeUsers, type ThrowawayUser } from '../system/users';

/**
 * The walkthrough as a newcomer follows it on Linux: each step's buttons, in order, run with no
 * argument (as a button does) on the file New Schedule File opened, and the last one leaves an
 * installed crontab entry. Runs as root on a throwaway user (never the tester's crontab). bwdc
 * itself cannot be installed here: a stand-in named `bwdc` on PATH takes its place, as the
 * script generator only needs its absolute path.
 */

const isRoot = process.getuid?.() === 0;
const SECRET = 'tR4aBc9dEf0GhIjKlMnOpQrStUvWx';
const CLIENT_ID = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

interface Step {
  readonly id: string;
  readonly description: string;
  readonly when?: string;
}

/** The walkthrough's buttons in order, for a Linux host, from the manifest VS Code loaded. */
function walkthroughButtons(): { step: string; command: string }[] {
  const extension = vscode.extensions.getExtension('bwdc-schedule.bwdc-schedule')!;
  const steps: Step[] = extension.packageJSON.contributes.walkthroughs[0].steps;
  const nls = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return steps
    .filter((step) => !step.when || step.when.includes('!= windows'))
    .flatMap((step) => {
      const description = step.description.replace(/^%(.+)%$/, (_, key: string) => nls[key]!);
      return [...description.matchAll(/\]\(command:([\w.]+)\)/g)].map((match) => ({ step: step.id, command: match[1]! }));
    });
}

describe('the walkthrough, followed in a real VS Code', function () {
  this.timeout(120_000);
  if (!isRoot) {
    it('needs root to create the throwaway run-as user (skipped without it)', function () {
      this.skip();
    });
    return;
  }

  let folder: string;
  let user: ThrowawayUser;
  let savedPath: string | undefined;

  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-walkthrough-'));
    fs.chmodSync(folder, 0o755);
    user = createUser('bwdcwt');
    // The stand-in for the Directory Connector CLI, found on PATH by the script generator.
    const bin = path.join(folder, 'bin');
    fs.mkdirSync(bin);
    const standIn = path.resolve(__dirname, '../../../test/fixtures/bwdc-standin/bwdc.js');
    fs.writeFileSync(path.join(bin, 'bwdc'), `#!/bin/sh\nexec '${process.execPath}' '${standIn}' "$@"\n`, { mode: 0o755 });
    savedPath = process.env['PATH'];
    process.env['PATH'] = `${bin}${path.delimiter}${savedPath ?? ''}`;
    for (const instance of ['instance-1', 'instance-2']) {
      fs.mkdirSync(path.join(folder, instance));
      fs.copyFileSync(path.resolve(__dirname, `../../../example/${instance}/data.json`), path.join(folder, instance, 'data.json'));
    }
  });

  after(async () => {
    process.env['PATH'] = savedPath;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    removeUsers();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('goes from New Schedule File to an installed crontab entry, one button after the other', async () => {
    const buttons = walkthroughButtons();
    assert.deepEqual(
      buttons.map((b) => b.command),
      [
        'bwdcSchedule.newScheduleFile',
        'bwdcSchedule.validateDataJson',
        'bwdcSchedule.prepareUser',
        'bwdcSchedule.storeSecret',
        'bwdcSchedule.generateScript',
        'bwdcSchedule.installCrontab',
      ],
    );
    const secretFile = path.join(user.home, '.config', 'bwdc', 'client_secret');
    const pick = (label: string) => (items: readonly Choice[]) => items.find((item) => item.label === label);
    const inputs = ['weekly-sync', 'bwdc-should-not-be-used', CLIENT_ID, `file:${secretFile}`];
    const extension = await api();
    const asked: string[] = [];
    const questions: Questions = {
      input: async (step, { value }) => {
        asked.push(`${step.step} input`);
        const next = inputs.shift()!;
        // Step 4 (run-as): the throwaway user instead of the seeds' bwdc.
        return next === 'bwdc-should-not-be-used' ? (assert.equal(value, 'bwdc'), user.name) : next;
      },
      pick: async (step, items) => {
        asked.push(`${step.step} pick`);
        return (
          step.step === 2 ? items.find((item) => item.description === '0 12 * * 1') : step.step === 3 ? pick('Linux')(items) : pick('file:')(items)
        ) as never;
      },
      pickMany: async () => assert.fail('no folder without data.json was picked'),
      folders: async () => [path.join(folder, 'instance-1'), path.join(folder, 'instance-2')],
    };
    extension.prompts.questions = questions;
    const confirmations: string[] = [];
    extension.prompts.current = {
      confirm: async (message) => (confirmations.push(message), true),
      password: async () => SECRET,
    };

    const results: unknown[] = [];
    for (const { command } of buttons) {
      // As a walkthrough button does: no argument; the commands find the schedule file.
      results.push(await vscode.commands.executeCommand(command, ...(command === 'bwdcSchedule.newScheduleFile' ? [vscode.Uri.file(folder)] : [])));
    }
    const [created, validated, prepared, stored, generated, installed] = results as [string, { file: string }[], Outcome, boolean, unknown, Outcome];

    assert.equal(created, path.join(folder, 'weekly-sync.bwdc-schedule'));
    assert.deepEqual(
      validated.map((result) => path.relative(folder, result.file)),
      ['instance-1/data.json', 'instance-2/data.json'],
    );
    assert.ok(prepared.done !== false, prepared.message);
    assert.equal(stored, true);
    assert.equal(fs.readFileSync(secretFile, 'utf8'), `${SECRET}\n`);
    assert.equal(fs.statSync(secretFile).uid, user.uid, 'the secret belongs to run-as');
    assert.ok(generated, 'the script was generated');
    assert.ok(fs.existsSync(path.join(folder, 'bwdcSyncService.sh')));
    assert.equal(installed.done, true, installed.message);
    const crontab = crontabOf(user.name) ?? '';
    assert.match(crontab, /^# BEGIN bwdc-schedule weekly-sync /m);
    assert.ok(crontab.includes(`0 12 * * 1 '${path.join(folder, 'bwdcSyncService.sh')}'`), crontab);
    assert.ok(!crontab.includes(SECRET));
    assert.ok(
      confirmations.some((message) => message.includes(`crontab of ${user.name}`)),
      confirmations.join(' | '),
    );
  });
});
