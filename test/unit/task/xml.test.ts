import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCron } from '../../../src/core/cron/parse';
import type { SyncJob } from '../../../src/core/schedule/job';
import { taskXml, taskXmlUtf16, TaskXmlError } from '../../../src/core/task/xml';
import { jobOf } from '../script/support';

const ROOT = process.cwd();
const XSD = path.join(ROOT, 'test/fixtures/task/task-scheduler.xsd');
const VERSION = '0.1.0';

/** A windows job from schedule lines, with every other value plain. */
function windowsJob(schedules: readonly string[], overrides: Partial<SyncJob> = {}): SyncJob {
  return {
    name: 'weekly-sync',
    scheduleFile: 'C:\\ProgramData\\bwdc\\weekly-sync.bwdc-schedule',
    schedules: schedules.map((text, line) => {
      const expression = parseCron(text).expression;
      assert.ok(expression, text);
      return { text, expression, line };
    }),
    platform: 'windows',
    runAs: 'HOST\\bwdc',
    bwdc: 'C:\\Program Files\\Bitwarden\\bwdc.exe',
    clientId: 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    secret: { scheme: 'dpapi', target: 'C:\\ProgramData\\bwdc\\client_secret.xml' },
    instances: [],
    env: [],
    log: 'C:\\ProgramData\\bwdc\\bwdc.log',
    script: 'C:\\ProgramData\\bwdc\\bwdcSyncService.ps1',
    timeoutSeconds: 1800,
    ...overrides,
  };
}

/** Validates UTF-16 task files with xmllint in one run; returns xmllint's complaint per file. */
function validate(files: readonly string[]): Map<string, string> {
  const result = spawnSync('xmllint', ['--noout', '--schema', XSD, ...files], { encoding: 'utf8' });
  assert.ok(!result.error, `xmllint could not run (Debian package libxml2-utils, installed by scripts/setup.sh): ${result.error?.message}`);
  const failures = new Map<string, string>();
  for (const file of files) {
    const lines = result.stderr.split('\n').filter((line) => line.startsWith(file));
    if (!lines.some((line) => line === `${file} validates`)) failures.set(file, lines.join('\n'));
  }
  return failures;
}

/** The text of the first element with this local name, as an XML parser reads it. */
function xpathString(file: string, element: string): string {
  return execFileSync('xmllint', ['--xpath', `string(//*[local-name()='${element}'])`, file], { encoding: 'utf8' }).replace(/\n$/, '');
}

describe('Task Scheduler XML', () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-task-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  const write = (name: string, xml: string): string => {
    const file = path.join(folder, `${name}.xml`);
    fs.writeFileSync(file, taskXmlUtf16(xml));
    return file;
  };

  it('writes the seed task for `schedule 0 20 * * 0` exactly as the fixture shows', () => {
    const text = fs.readFileSync(path.join(ROOT, 'test/fixtures/schedules/windows.bwdc-schedule'), 'utf8');
    const job = jobOf(text, 'C:\\ProgramData\\bwdc\\sunday-sync.bwdc-schedule', 'windows');
    const xml = taskXml(job, { version: VERSION });
    const expected = fs.readFileSync(path.join(ROOT, 'test/fixtures/task/sunday-sync.xml'), 'utf8');
    assert.strictEqual(xml.replace(/\r\n/g, '\n'), expected.replace(/\r\n/g, '\n'));
    assert.deepStrictEqual([...validate([write('seed', xml)])], []);
  });

  it('validates against the schema for a matrix of schedules and options', () => {
    const matrix: ReadonlyArray<readonly [string, readonly string[], Partial<SyncJob>, 'Password' | 'S4U' | undefined]> = [
      ['weekly', ['0 20 * * 0'], {}, undefined],
      ['business-hours', ['*/15 9-17 * * mon-fri'], {}, undefined],
      ['monthly', ['0 0 1,15 * *'], {}, 'S4U'],
      ['daily', ['0 2 * * *'], { runAs: undefined }, undefined],
      ['or-union', ['30 4 1 * 5'], {}, undefined],
      ['reboot', ['@reboot'], {}, undefined],
      ['every-minute', ['* * * * *'], {}, undefined],
      ['hourly', ['@hourly'], {}, undefined],
      ['months-weekday', ['0 9 * jan,jul mon'], {}, undefined],
      ['first-week', ['0 0 1-7 * */2'], {}, undefined],
      ['twelve-hours', ['0 0,12 1 */2 *'], {}, undefined],
      ['many-minutes', ['5,10-12,30-40/5 * * * *'], {}, undefined],
      ['several-lines', ['0 20 * * 0', '@reboot', '0 0 29 2 *', '0 20 * * 7'], {}, undefined],
      [
        'hostile',
        ['0 12 * * 1'],
        { scheduleFile: 'C:\\Users\\Zoë & <Ann>\\"x" \'y\'.bwdc-schedule', runAs: 'CORP\\Zoë&<ann>', script: "C:\\Tom & Jerry's ünïcødé 𝄞\\sync.ps1" },
        undefined,
      ],
    ];
    const files = matrix.map(([name, schedules, overrides, logonType]) =>
      write(name, taskXml(windowsJob(schedules, overrides), { version: VERSION, ...(logonType ? { logonType } : {}) })),
    );
    assert.deepStrictEqual([...validate(files)], []);
  });

  it("has a schema check that notices a trigger in Microsoft's element order (StartBoundary before Repetition)", () => {
    const xml = taskXml(windowsJob(['@hourly']), { version: VERSION });
    const reordered = xml.replace(/(<Repetition>[\s\S]*?<\/Repetition>\r\n)(\s*<StartBoundary>.*?<\/StartBoundary>\r\n)/, '$2$1');
    assert.notStrictEqual(reordered, xml);
    const file = write('reordered', reordered);
    assert.match(validate([file]).get(file) ?? '', /StartBoundary|Repetition/);
  });

  it('puts the element order the schema requires into a repeating trigger', () => {
    const xml = taskXml(windowsJob(['*/15 9-17 * * mon-fri']), { version: VERSION });
    assert.match(
      xml,
      /<CalendarTrigger>\s*<Repetition>\s*<Interval>PT15M<\/Interval>\s*<Duration>PT8H46M<\/Duration>\s*<StopAtDurationEnd>false<\/StopAtDurationEnd>\s*<\/Repetition>\s*<StartBoundary>2000-01-01T09:00:00<\/StartBoundary>\s*<Enabled>true<\/Enabled>\s*<ScheduleByWeek>/,
    );
    assert.match(xml, /<DaysOfWeek>\s*<Monday \/>\s*<Tuesday \/>\s*<Wednesday \/>\s*<Thursday \/>\s*<Friday \/>\s*<\/DaysOfWeek>/);
  });

  it('gives a 1-minute repetition a duration that ends between its last run and midnight', () => {
    const xml = taskXml(windowsJob(['* * * * *']), { version: VERSION });
    assert.match(xml, /<Interval>PT1M<\/Interval>\s*<Duration>PT23H59M30S<\/Duration>/);
  });

  it('writes one BootTrigger for @reboot and removes triggers repeated across schedule lines', () => {
    const xml = taskXml(windowsJob(['@reboot', '0 20 * * 0', '@weekly', '0 20 * * 7']), { version: VERSION });
    assert.strictEqual(xml.match(/<BootTrigger>/g)?.length, 1);
    assert.strictEqual(xml.match(/<CalendarTrigger>/g)?.length, 2);
  });

  it('catches up on a missed start (StartWhenAvailable) unless the file says catch-up no', () => {
    assert.match(taskXml(windowsJob(['@daily']), { version: VERSION }), /<StartWhenAvailable>true<\/StartWhenAvailable>/);
    assert.match(taskXml(windowsJob(['@daily'], { catchUp: true }), { version: VERSION }), /<StartWhenAvailable>true<\/StartWhenAvailable>/);
    const xml = taskXml(windowsJob(['@daily'], { catchUp: false }), { version: VERSION });
    assert.match(xml, /<StartWhenAvailable>false<\/StartWhenAvailable>/);
    const file = write('no-catch-up', xml);
    assert.deepStrictEqual([...validate([file])], []);
  });

  it('writes S4U when asked, and Password by default', () => {
    assert.match(taskXml(windowsJob(['@daily']), { version: VERSION }), /<LogonType>Password<\/LogonType>/);
    assert.match(taskXml(windowsJob(['@daily']), { version: VERSION, logonType: 'S4U' }), /<LogonType>S4U<\/LogonType>/);
  });

  it('refuses a schedule line without an exact mapping, naming the line', () => {
    assert.throws(
      () => taskXml(windowsJob(['0 20 * * 0', '0 0 */2 * sun']), { version: VERSION }),
      (error: unknown) => error instanceof TaskXmlError && error.line === 1 && /line 2/.test(error.message) && /AND/.test(error.message),
    );
    assert.throws(() => taskXml(windowsJob(['0 0 31 2 *']), { version: VERSION }), /Never runs/);
  });

  it('refuses schedule lines that together need more than 48 triggers', () => {
    const lines = Array.from({ length: 25 }, (_, index) => `${index} ${index % 24} 1 * 5`);
    assert.throws(() => taskXml(windowsJob(lines), { version: VERSION }), /need 50 triggers/);
  });

  it('refuses a script path with a double quote, which would break the arguments', () => {
    assert.throws(() => taskXml(windowsJob(['@daily'], { script: 'C:\\a"b\\sync.ps1' }), { version: VERSION }), TaskXmlError);
  });

  it('escapes hostile names and paths so that a parser reads them back unchanged', () => {
    const job = windowsJob(['0 12 * * 1'], {
      scheduleFile: 'C:\\Users\\Zoë & <Ann>\\"x" \'y\'.bwdc-schedule',
      runAs: 'CORP\\Zoë&<ann>"\'',
      script: "C:\\Tom & Jerry's <ünïcødé> 𝄞\\sync.ps1",
    });
    const xml = taskXml(job, { version: VERSION });
    assert.doesNotMatch(xml, /&(?!amp;|lt;|gt;|quot;|apos;|#13;)/);
    const file = write('escaping', xml);
    assert.strictEqual(xpathString(file, 'UserId'), 'CORP\\Zoë&<ann>"\'');
    assert.strictEqual(xpathString(file, 'Arguments'), `-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "C:\\Tom & Jerry's <ünïcødé> 𝄞\\sync.ps1"`);
    assert.strictEqual(xpathString(file, 'WorkingDirectory'), "C:\\Tom & Jerry's <ünïcødé> 𝄞");
    assert.ok(xpathString(file, 'Description').includes('C:\\Users\\Zoë & <Ann>\\"x" \'y\'.bwdc-schedule'));
    assert.strictEqual(xpathString(file, 'URI'), '\\bwdc\\weekly-sync');
  });

  describe('the UTF-16 file form', () => {
    const xml = taskXml(windowsJob(['0 20 * * 0'], { runAs: 'HOST\\Zoë 𝄞' }), { version: VERSION });
    const bytes = taskXmlUtf16(xml);

    it('starts with the little-endian byte order mark FF FE', () => {
      assert.deepStrictEqual([...bytes.slice(0, 2)], [0xff, 0xfe]);
    });

    it('continues with the declaration encoding="UTF-16", two bytes a character', () => {
      const declaration = '<?xml version="1.0" encoding="UTF-16"?>';
      const expected = [...declaration].flatMap((char) => [char.charCodeAt(0), 0]);
      assert.deepStrictEqual([...bytes.slice(2, 2 + expected.length)], expected);
      assert.deepStrictEqual([...bytes.slice(2 + expected.length, 2 + expected.length + 4)], [0x0d, 0, 0x0a, 0]);
    });

    it('writes non-ASCII characters as UTF-16 code units, surrogate pairs included', () => {
      const text = Buffer.from(bytes.slice(2)).toString('utf16le');
      assert.strictEqual(text, xml);
      const at = 2 + xml.indexOf('ë') * 2;
      assert.deepStrictEqual([...bytes.slice(at, at + 2)], [0xeb, 0x00]);
      const clef = 2 + xml.indexOf('𝄞') * 2;
      assert.deepStrictEqual([...bytes.slice(clef, clef + 4)], [0x34, 0xd8, 0x1e, 0xdd]);
      assert.strictEqual(bytes.length, 2 + xml.length * 2);
    });
  });
});
