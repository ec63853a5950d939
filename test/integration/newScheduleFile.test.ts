import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from './api';
import type { Choice, Questions, Step } from '../../src/editor/questions';
import { waitFor } from './wait';

/**
 * "bwdc: New Schedule File" in the real editor, its questions answered through the extension's
 * API in the order a user meets them (the on-screen prompts are driven by the UI test).
 */

const CLIENT_ID = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

type Reply =
  | { readonly input: string; readonly rejected?: readonly string[] }
  | { readonly pick: (items: readonly Choice[]) => Choice | undefined }
  | { readonly pickMany: (items: readonly Choice[]) => readonly Choice[] }
  | { readonly folders: readonly string[] | undefined };

interface Asked {
  readonly step: Step;
  readonly kind: string;
  readonly items?: readonly Choice[];
  readonly value?: string;
}

/** Replies in order; an input's `rejected` values must be refused by its check first. */
async function answer(replies: Reply[]): Promise<Asked[]> {
  const asked: Asked[] = [];
  const next = (kind: string): Reply => {
    const reply = replies.shift();
    assert.ok(reply && kind in reply, `expected a reply for ${kind}, have ${JSON.stringify(reply)}`);
    return reply;
  };
  const questions: Questions = {
    async input(step, { value, check }) {
      asked.push({ step, kind: 'input', ...(value !== undefined ? { value } : {}) });
      const reply = next('input') as { input: string; rejected?: readonly string[] };
      for (const bad of reply.rejected ?? []) assert.equal(typeof check?.(bad), 'string', `'${bad}' should be refused`);
      const verdict = check?.(reply.input);
      assert.ok(verdict === undefined || typeof verdict !== 'string', `'${reply.input}' was refused: ${String(verdict)}`);
      return reply.input;
    },
    async pick(step, items) {
      asked.push({ step, kind: 'pick', items });
      return (next('pick') as { pick: (items: readonly Choice[]) => Choice | undefined }).pick(items) as never;
    },
    async pickMany(step, items) {
      asked.push({ step, kind: 'pickMany', items });
      return (next('pickMany') as { pickMany: (items: readonly Choice[]) => readonly Choice[] }).pickMany(items) as never;
    },
    async folders(step) {
      asked.push({ step, kind: 'folders' });
      return (next('folders') as { folders: readonly string[] | undefined }).folders;
    },
  };
  (await api()).prompts.questions = questions;
  return asked;
}

const byDescription = (text: string) => (items: readonly Choice[]) => items.find((item) => item.description === text);
const byLabel = (text: string) => (items: readonly Choice[]) => items.find((item) => item.label === text);

describe('bwdc: New Schedule File in a real VS Code', () => {
  let folder: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-new-file-'));
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    (await api()).prompts.questions = (await import('../../src/editor/questions')).editorQuestions;
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('asks seven questions, writes the file beside the folder given and opens it without a problem', async () => {
    for (const name of ['instance-1', 'instance-2']) {
      fs.mkdirSync(path.join(folder, name));
      fs.writeFileSync(path.join(folder, name, 'data.json'), '{}');
    }
    const asked = await answer([
      { input: 'nightly', rejected: ['-nope', 'a b'] },
      { pick: byLabel('Custom cron expression…') },
      { input: '30 2 * * *', rejected: ['30 25 * * *', '30 2 * *'] },
      { pick: byLabel('Linux') },
      { input: 'bwdc' },
      { input: CLIENT_ID, rejected: ['organization.123', '0123456789abcdef0123456789abcd'] },
      { pick: byLabel('file:') },
      { input: 'file:/home/bwdc/.config/bwdc/client_secret', rejected: ['hunter2'] },
      { folders: [path.join(folder, 'instance-1'), path.join(folder, 'instance-2')] },
    ]);
    const file = await vscode.commands.executeCommand<string>('bwdcSchedule.newScheduleFile', vscode.Uri.file(folder));
    assert.equal(file, path.join(folder, 'nightly.bwdc-schedule'));
    assert.deepEqual(
      asked.map((a) => `${a.step.step}/${a.step.steps} ${a.kind}`),
      ['1/7 input', '2/7 pick', '2/7 input', '3/7 pick', '4/7 input', '5/7 input', '6/7 pick', '6/7 input', '7/7 folders'],
    );
    const schedules = asked[1]!.items!;
    assert.ok(
      schedules.some((item) => item.description === '0 20 * * 0' && item.label === 'At 08:00 PM, only on Sunday'),
      JSON.stringify(schedules),
    );
    const text = fs.readFileSync(file, 'utf8');
    for (const line of [
      'name       nightly',
      'schedule   30 2 * * *',
      'platform   linux',
      'run-as     bwdc',
      `client-id  ${CLIENT_ID}`,
      'secret     file:/home/bwdc/.config/bwdc/client_secret',
      'instance   ./instance-1',
      'instance   ./instance-2',
    ]) {
      assert.ok(text.split('\n').includes(line), `missing '${line}' in\n${text}`);
    }
    const editor = await waitFor('the new file to open', () => vscode.window.activeTextEditor?.document.uri.fsPath === file && vscode.window.activeTextEditor);
    assert.equal(editor.document.languageId, 'bwdc-schedule');
    // Diagnostics arrive asynchronously; give them time, then expect none.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(
      vscode.languages.getDiagnostics(editor.document.uri).map((d) => d.message),
      [],
    );
  });

  it('flags picked folders without a data.json and keeps only those confirmed', async () => {
    fs.mkdirSync(path.join(folder, 'configured'));
    fs.writeFileSync(path.join(folder, 'configured', 'data.json'), '{}');
    fs.mkdirSync(path.join(folder, 'empty'));
    let flagged: readonly Choice[] = [];
    await answer([
      { input: 'flagged' },
      { pick: byDescription('0 20 * * 0') },
      { pick: byLabel('Linux') },
      { input: '' },
      { input: '' },
      { pick: byLabel('Skip') },
      { folders: [path.join(folder, 'configured'), path.join(folder, 'empty')] },
      {
        pickMany: (items) => {
          flagged = items;
          return items.filter((item) => !item.label.endsWith('empty'));
        },
      },
    ]);
    const file = await vscode.commands.executeCommand<string>('bwdcSchedule.newScheduleFile', vscode.Uri.file(folder));
    assert.ok(flagged.find((item) => item.label.endsWith('empty'))?.description?.includes('no data.json'), JSON.stringify(flagged));
    assert.ok(!flagged.find((item) => item.label.endsWith('configured'))?.description?.includes('no data.json'));
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^instance {3}\.\/configured$/m);
    assert.doesNotMatch(text, /^instance .*empty/m);
    assert.doesNotMatch(text, /^run-as/m, 'an empty run-as is skipped');
    assert.match(text, /^# client-id +organization\./m, 'a skipped client_id is left as a commented example');
    assert.match(text, /^schedule {3}0 20 \* \* 0$/m);
  });

  it('never overwrites: a second file with the same name is numbered', async () => {
    fs.writeFileSync(path.join(folder, 'bwdc-sync.bwdc-schedule'), 'keep me\n');
    await answer([
      { input: '' },
      { pick: byDescription('0 12 * * 1') },
      { pick: byLabel('Skip') },
      { input: 'bwdc' },
      { input: CLIENT_ID },
      { pick: byLabel('Skip') },
      { folders: undefined },
    ]);
    const file = await vscode.commands.executeCommand<string>('bwdcSchedule.newScheduleFile', vscode.Uri.file(folder));
    assert.equal(file, path.join(folder, 'bwdc-sync-2.bwdc-schedule'));
    assert.equal(fs.readFileSync(path.join(folder, 'bwdc-sync.bwdc-schedule'), 'utf8'), 'keep me\n');
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /^name /m, 'a skipped name is the file name');
  });

  it('writes nothing when a question is cancelled', async () => {
    await answer([{ input: 'cancelled' }, { pick: () => undefined }]);
    const file = await vscode.commands.executeCommand<string | undefined>('bwdcSchedule.newScheduleFile', vscode.Uri.file(folder));
    assert.equal(file, undefined);
    assert.deepEqual(fs.readdirSync(folder), []);
  });
});
