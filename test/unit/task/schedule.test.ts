import * as assert from 'assert';
import { diagnoseSchedule, type ScheduleDiagnostic } from '../../../src/core/schedule/diagnose';
import type { Platform } from '../../../src/core/schedule/directives';
import { scheduleHover } from '../../../src/core/schedule/hover';
import { MAX_TRIGGERS } from '../../../src/core/task/triggers';
import { plainSpaces } from '../schedule/support';

const CLIENT_ID = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

/** A valid file of this platform with these schedule lines first (line 0, 1, …). */
function scheduleFile(schedules: readonly string[], platform: Platform = 'windows'): string {
  const secret = platform === 'windows' ? 'secret dpapi:C:\\ProgramData\\bwdc\\client_secret.xml' : 'secret env:BWDC_CLIENT_SECRET';
  return [...schedules.map((text) => `schedule ${text}`), `platform ${platform}`, `client-id ${CLIENT_ID}`, secret, ''].join('\n');
}

function taskDiagnostics(text: string): ScheduleDiagnostic[] {
  return diagnoseSchedule(text, { hostPlatform: 'linux' }).filter((d) => d.code.startsWith('task-'));
}

function summary(d: ScheduleDiagnostic): string {
  return `${d.severity} ${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

/** Seven irregular minutes × six irregular hours: 19 triggers per weekday pattern. */
const IRREGULAR = '0,1,3,7,15,31,45 0,1,3,7,15,22';
/** 62 triggers on one line (the refusal table of triggers.test.ts). */
const TOO_MANY = '0,1,3,6,10,15,21,28,36,45,55 0,1,3,6,10,15,21 1 * 5';

describe('Task Scheduler diagnostics on a platform windows file', () => {
  const cases: ReadonlyArray<{ readonly lines: readonly string[]; readonly expect: readonly string[]; readonly words?: readonly string[] }> = [
    { lines: ['0 20 * * 0'], expect: [] },
    { lines: ['*/20 9-17 * * mon-fri', '@reboot', '0 0 1 * *', '0 12 1-7 * mon'], expect: [] },
    {
      lines: ['0 0 */2 * sun'],
      expect: ['error task-inexact 0:9-0:22'],
      words: ['cron runs this: At 00:00', 'cannot run it exactly', 'cannot combine a day of the month with a weekday', "('*/2' or 'sun')"],
    },
    { lines: ['0 20 * * 0', '0 0 1-10 * */2'], expect: ['error task-inexact 1:9-1:23'], words: ['AND'] },
    {
      lines: [TOO_MANY],
      expect: [`error task-too-many-triggers 0:9-0:${9 + TOO_MANY.length}`],
      words: ['needs 62 triggers', `allows ${MAX_TRIGGERS} per task`],
    },
    {
      lines: [`${IRREGULAR} * * 1`, `${IRREGULAR} * * 2`, `${IRREGULAR} * * 3`, `${IRREGULAR} * * 4`],
      expect: [`error task-too-many-triggers 2:9-2:${9 + IRREGULAR.length + 6}`],
      words: ['needs 57 Task Scheduler triggers (38 from the lines above, 19 more here)', `allows ${MAX_TRIGGERS} per task`, 'several schedule files'],
    },
  ];
  for (const { lines, expect, words = [] } of cases) {
    it(`${expect.length === 0 ? 'accepts' : `reports ${expect.join(', ')} for`} ${JSON.stringify(lines)}`, () => {
      const found = taskDiagnostics(scheduleFile(lines));
      assert.deepStrictEqual(found.map(summary), expect);
      for (const word of words) assert.ok(found[0]!.message.includes(word), `${JSON.stringify(word)} in ${found[0]!.message}`);
    });
  }

  it('counts a repeated schedule line once: it adds no triggers', () => {
    const text = scheduleFile([`${IRREGULAR} * * 1`, `${IRREGULAR} * * 2`, `${IRREGULAR} * * 1`]);
    assert.deepStrictEqual(taskDiagnostics(text), []);
  });

  it('leaves a never-firing line to cron-never-fires', () => {
    const all = diagnoseSchedule(scheduleFile(['0 0 31 2 *']), { hostPlatform: 'linux' });
    assert.deepStrictEqual(
      all.map((d) => d.code),
      ['cron-never-fires'],
    );
  });

  it('uses the host platform when the file has no platform line', () => {
    const text = `schedule 0 0 */2 * sun\nclient-id ${CLIENT_ID}\nsecret env:BWDC_CLIENT_SECRET\n`;
    assert.deepStrictEqual(
      diagnoseSchedule(text, { hostPlatform: 'windows' })
        .filter((d) => d.code.startsWith('task-'))
        .map(summary),
      ['error task-inexact 0:9-0:22'],
    );
    assert.deepStrictEqual(
      diagnoseSchedule(text, { hostPlatform: 'linux' }).filter((d) => d.code.startsWith('task-')),
      [],
    );
  });

  for (const platform of ['linux', 'macos'] as const) {
    it(`says nothing about Task Scheduler for platform ${platform}`, () => {
      const text = scheduleFile(['0 0 */2 * sun', TOO_MANY, `${IRREGULAR} * * 1`, `${IRREGULAR} * * 2`, `${IRREGULAR} * * 3`], platform);
      assert.deepStrictEqual(taskDiagnostics(text), []);
    });
  }
});

describe('scheduleHover: the Task Scheduler triggers of a windows schedule line', () => {
  const OPTIONS = { nextRunCount: 3, now: Date.UTC(2025, 0, 1), hostZone: 'UTC', hostPlatform: 'linux' as Platform };

  function taskLine(schedule: string, platform: Platform = 'windows'): string | undefined {
    const result = scheduleHover(scheduleFile([schedule], platform), { line: 0, character: 10 }, OPTIONS);
    assert.ok(result);
    return plainSpaces(result.markdown)
      .split('\n')
      .find((line) => line.startsWith('**Task Scheduler:**'));
  }

  const table: ReadonlyArray<readonly [string, string]> = [
    ['0 20 * * 0', '**Task Scheduler:** weekly Sun 20:00'],
    ['*/20 9-17 * * mon-fri', '**Task Scheduler:** weekly Mon,Tue,Wed,Thu,Fri 09:00, repeating every 20 min until 17:40'],
    ['0,5,11 20 * * 0', '**Task Scheduler:** weekly Sun 20:00, repeating every 5 min until 20:05 + weekly Sun 20:11'],
    ['0 0 1 * *', '**Task Scheduler:** monthly days 1 of every month 00:00'],
    ['@reboot', '**Task Scheduler:** at system startup'],
  ];
  for (const [schedule, expected] of table) {
    it(`shows ${JSON.stringify(expected)} for '${schedule}'`, () => {
      assert.strictEqual(taskLine(schedule), expected);
    });
  }

  it('shows why a line has no exact trigger', () => {
    const line = taskLine('0 0 */2 * sun');
    assert.ok(line?.startsWith('**Task Scheduler:** $(error) Task Scheduler cannot combine a day of the month with a weekday'), line);
  });

  it('adds nothing for platform linux', () => {
    assert.strictEqual(taskLine('0 20 * * 0', 'linux'), undefined);
  });
});
