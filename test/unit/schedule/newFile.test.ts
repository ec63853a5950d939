import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diagnoseSchedule } from '../../../src/core/schedule/diagnose';
import { PLATFORMS } from '../../../src/core/schedule/directives';
import {
  answerProblem,
  defaultSecret,
  instanceValue,
  newScheduleText,
  scheduleChoices,
  scheduleDescription,
  secretSchemes,
} from '../../../src/core/schedule/newFile';
import { parseSchedule } from '../../../src/core/schedule/parse';
import { pathKind } from '../../../src/host/files';
import { useTranslations } from '../../../src/core/l10n';

const CLIENT_ID = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

function values(text: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const directive of parseSchedule(text).directives) (result[directive.key] ??= []).push(directive.value);
  return result;
}

describe('New Schedule File: the file it writes', () => {
  it('writes every answer as its directive, and the result has no problem at all', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-new-'));
    try {
      for (const name of ['instance-1', 'instance-2']) {
        fs.mkdirSync(path.join(folder, name));
        fs.writeFileSync(path.join(folder, name, 'data.json'), '{}');
      }
      const text = newScheduleText({
        name: 'nightly',
        schedule: '30 2 * * *',
        platform: 'linux',
        runAs: 'bwdc',
        clientId: CLIENT_ID,
        secret: 'file:/home/bwdc/.config/bwdc/client_secret',
        instances: ['./instance-1', './instance-2'],
      });
      assert.deepStrictEqual(values(text), {
        name: ['nightly'],
        schedule: ['30 2 * * *'],
        platform: ['linux'],
        'run-as': ['bwdc'],
        'client-id': [CLIENT_ID],
        secret: ['file:/home/bwdc/.config/bwdc/client_secret'],
        instance: ['./instance-1', './instance-2'],
        env: ['BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true'],
      });
      assert.match(text.split('\n')[0]!, /^# .*At 02:30 AM/);
      const scheduleFile = path.join(folder, 'nightly.bwdc-schedule');
      assert.deepStrictEqual(diagnoseSchedule(text, { hostPlatform: 'linux', scheduleFile, pathKind }), []);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('lines the values up like the example file', () => {
    const text = newScheduleText({ name: 'weekly-sync', clientId: CLIENT_ID, runAs: 'bwdc' });
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^[a-z-]+ +\S/);
    const starts = text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.search(/(?<=^[a-z-]+ +)\S/));
    assert.deepStrictEqual(new Set(starts), new Set([11]), text);
  });

  it("with every question skipped: the seeds' weekly schedule, and only the client_id left to fill in", () => {
    const text = newScheduleText({});
    assert.deepStrictEqual(values(text), {
      schedule: ['0 12 * * 1'],
      secret: ['file:/home/bwdc/.config/bwdc/client_secret'],
      env: ['BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true'],
    });
    const problems = diagnoseSchedule(text, { hostPlatform: 'linux' });
    assert.deepStrictEqual(
      problems.map((p) => [p.severity, p.code, p.message.includes('client-id')]),
      [['error', 'missing-directive', true]],
    );
    assert.match(text, /^# client-id +organization\.0{8}-/m, 'a commented example says what the line looks like');
    assert.match(text, /^# instance +\.\/instance-1$/m);
  });

  it('is diagnosed clean for every platform with its own default secret source', () => {
    for (const platform of PLATFORMS) {
      for (const scheme of secretSchemes(platform)) {
        const text = newScheduleText({
          platform,
          runAs: 'svc-bwdc',
          clientId: CLIENT_ID,
          secret: defaultSecret(scheme, platform, 'svc-bwdc'),
          schedule: '0 20 * * 0',
        });
        const problems = diagnoseSchedule(text, { hostPlatform: 'linux' }).filter((p) => p.severity === 'error' || p.severity === 'warning');
        assert.deepStrictEqual(problems, [], `${platform} ${scheme}:\n${text}`);
      }
    }
  });

  it('puts a skipped secret where the seeds keep it, for the run-as user of the platform', () => {
    assert.strictEqual(values(newScheduleText({ runAs: 'svc' })).secret![0], 'file:/home/svc/.config/bwdc/client_secret');
    assert.strictEqual(values(newScheduleText({ platform: 'macos', runAs: 'svc' })).secret![0], 'file:/Users/svc/.config/bwdc/client_secret');
    assert.strictEqual(values(newScheduleText({ platform: 'windows', runAs: 'svc' })).secret![0], 'dpapi:C:\\Users\\svc\\bwdc\\client_secret.xml');
  });

  it('translates its comments with the installed translations', () => {
    useTranslations({ 'Sync with the Bitwarden Directory Connector: {0}': 'Synchronisation mit dem Directory Connector: {0}' });
    try {
      assert.match(newScheduleText({}).split('\n')[0]!, /^# Synchronisation mit dem Directory Connector: At 12:00 PM, only on Monday$/);
    } finally {
      useTranslations(undefined);
    }
  });
});

describe('New Schedule File: the questions', () => {
  it('offers the common schedules, each described in plain language', () => {
    const choices = scheduleChoices();
    assert.ok(choices.length >= 6);
    assert.deepStrictEqual(
      choices.find((c) => c.expression === '0 20 * * 0'),
      { expression: '0 20 * * 0', description: 'At 08:00 PM, only on Sunday', why: "Bitwarden's Task Scheduler example: Sundays at 20:00" },
    );
    for (const choice of choices) assert.notStrictEqual(choice.description, choice.expression);
    assert.strictEqual(
      scheduleChoices({ locale: 'de', use24HourTime: true }).find((c) => c.expression === '0 12 * * 1')!.description,
      'Um 12:00, nur jeden Montag',
    );
  });

  it("validates each answer with the words the file's diagnostics use", () => {
    assert.strictEqual(answerProblem('schedule', '0 12 * * 1', 'linux'), undefined);
    assert.match(answerProblem('schedule', '0 25 * * 1', 'linux') ?? '', /hour/i);
    assert.match(answerProblem('schedule', '0 12 * *', 'linux') ?? '', /5 fields|fields/);
    assert.strictEqual(answerProblem('name', 'weekly-sync', 'linux'), undefined);
    assert.ok(answerProblem('name', '-bad name', 'linux'));
    assert.strictEqual(answerProblem('client-id', CLIENT_ID, 'linux'), undefined);
    assert.match(answerProblem('client-id', 'organization.123', 'linux') ?? '', /organization/);
    assert.ok(answerProblem('secret', 'hunter2', 'linux'));
    assert.strictEqual(answerProblem('secret', 'env:BWDC_CLIENT_SECRET', 'linux'), undefined);
    assert.ok(answerProblem('secret', 'dpapi:C:\\x.xml', 'linux'), 'dpapi: is for Windows');
    assert.strictEqual(answerProblem('run-as', 'bwdc', 'linux'), undefined);
  });

  it('describes a custom expression as it is typed, and nothing that does not parse', () => {
    assert.strictEqual(scheduleDescription('*/20 9-17 * * 1-5'), 'Every 20 minutes, between 09:00 AM and 05:59 PM, Monday through Friday');
    assert.strictEqual(scheduleDescription('0 25 * * *'), undefined);
    assert.strictEqual(scheduleDescription('@weekly'), 'At 12:00 AM, only on Sunday');
  });

  it('writes picked folders relative to the schedule file when they are inside its folder', () => {
    assert.strictEqual(instanceValue('linux', '/srv/bwdc', '/srv/bwdc/instance-1'), './instance-1');
    assert.strictEqual(instanceValue('linux', '/srv/bwdc', '/srv/bwdc/a/b'), './a/b');
    assert.strictEqual(instanceValue('linux', '/srv/bwdc', '/srv/bwdc'), '.');
    assert.strictEqual(instanceValue('linux', '/srv/bwdc', '/opt/connector'), '/opt/connector');
    assert.strictEqual(instanceValue('linux', '/srv/bwdc', '/srv/bwdc-other'), '/srv/bwdc-other');
    assert.strictEqual(instanceValue('windows', 'C:\\bwdc', 'C:\\bwdc\\instance-1'), '.\\instance-1');
    assert.strictEqual(instanceValue('windows', 'C:\\bwdc', 'D:\\connector'), 'D:\\connector');
  });
});
