import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { taskDifferences } from '../../../src/core/task/compare';
import { taskXml, taskXmlUtf16, TaskXmlError } from '../../../src/core/task/xml';
import { jobOf } from '../script/support';

const XSD = path.join(process.cwd(), 'test/fixtures/task/task-scheduler.xsd');

describe('Task Scheduler XML: RegistrationInfo/Date, the install time', () => {
  const job = jobOf(
    fs.readFileSync(path.join(process.cwd(), 'test/fixtures/schedules/windows.bwdc-schedule'), 'utf8'),
    'C:\\ProgramData\\bwdc\\sunday-sync.bwdc-schedule',
    'windows',
  );

  it('writes the install time as the standard Date element, and the schema accepts it', () => {
    const xml = taskXml(job, { version: '0.1.0', registrationDate: '2026-12-04T21:41:00' });
    assert.match(xml, /<RegistrationInfo>\r?\n(?:.*\r?\n)*? {4}<Date>2026-12-04T21:41:00<\/Date>\r?\n/);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-task-date-'));
    try {
      const file = path.join(folder, 'task.xml');
      fs.writeFileSync(file, taskXmlUtf16(xml));
      const result = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
      assert.strictEqual(result.status, 0, result.stderr);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
    assert.ok(!taskXml(job, { version: '0.1.0' }).includes('<Date>'), 'no Date unless one is given');
  });

  it('never makes an installed task "different": the comparison leaves the date out', () => {
    const then = taskXml(job, { version: '0.1.0', registrationDate: '2026-12-04T21:41:00' });
    const now = taskXml(job, { version: '0.1.0', registrationDate: '2027-01-10T08:00:00' });
    assert.deepStrictEqual(taskDifferences(now, then), []);
    assert.deepStrictEqual(taskDifferences(taskXml(job, { version: '0.1.0' }), then), []);
  });

  it('refuses a date that is not local YYYY-MM-DDTHH:MM:SS', () => {
    for (const date of ['2026-12-04', '2026-12-04T21:41:00Z', '2026-12-04T21:41:00</Date>']) {
      assert.throws(() => taskXml(job, { version: '0.1.0', registrationDate: date }), TaskXmlError, date);
    }
  });
});
