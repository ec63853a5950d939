import * as assert from 'assert';
import type { SyncJob } from '../../../src/core/schedule/job';
import { generateScript, scriptState } from '../../../src/core/script/generate';
import { jobOf, posixLayout, renderSchedule, secretLine, TEST_VERSION } from './support';

function baseJob(): SyncJob {
  const layout = posixLayout('/srv/bwdc-test', 'plain');
  const text = renderSchedule('job.template.bwdc-schedule', {
    platform: 'linux',
    runAs: 'bwdc',
    bwdc: layout.bwdc,
    secret: secretLine('file', layout),
    instances: layout.instances,
    env: layout.names.env,
    log: layout.log,
  });
  return jobOf(text, layout.scheduleFile);
}

describe('generateScript and scriptState', () => {
  const job = baseJob();
  const base = generateScript(job, TEST_VERSION);

  it('writes its fingerprint into the # Fingerprint: line near the top, and gives the same one for the same job', () => {
    assert.match(base.fingerprint, /^sha256:[0-9a-f]{32}$/);
    const line = base.text.split('\n').findIndex((text) => text === `# Fingerprint: ${base.fingerprint}`);
    assert.ok(line >= 0 && line < 10, `line ${line}`);
    assert.deepStrictEqual(generateScript(baseJob(), TEST_VERSION), base);
  });

  const changes: readonly { readonly what: string; readonly change: (job: SyncJob) => SyncJob }[] = [
    { what: 'a schedule', change: (j) => ({ ...j, schedules: [{ ...j.schedules[0]!, text: '0 3 * * *' }] }) },
    { what: 'the instance order', change: (j) => ({ ...j, instances: [...j.instances].reverse() }) },
    { what: 'an env value', change: (j) => ({ ...j, env: [{ name: 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS', value: 'false' }] }) },
    { what: 'the log', change: (j) => ({ ...j, log: '/var/log/bwdc.log' }) },
    { what: 'the secret source', change: (j) => ({ ...j, secret: { scheme: 'env', target: 'OTHER' } }) },
    { what: 'bwdc', change: (j) => ({ ...j, bwdc: '/opt/bwdc/bwdc' }) },
    { what: 'run-as', change: (j) => ({ ...j, runAs: 'other' }) },
    { what: 'the name', change: (j) => ({ ...j, name: 'other-name' }) },
    { what: 'the client id', change: (j) => ({ ...j, clientId: 'organization.00000000-0000-4000-8000-000000000000' }) },
  ];
  for (const { what, change } of changes) {
    it(`changes the fingerprint when ${what} changes`, () => {
      const other = generateScript(change(job), TEST_VERSION);
      assert.notStrictEqual(other.fingerprint, base.fingerprint);
      assert.strictEqual(scriptState(base.text, other.fingerprint), 'outdated');
    });
  }

  it('changes the fingerprint with the generator version and with the target platform', () => {
    assert.notStrictEqual(generateScript(job, '9.9.9').fingerprint, base.fingerprint);
    assert.notStrictEqual(generateScript(job, TEST_VERSION, 'macos').fingerprint, base.fingerprint);
  });

  const states: readonly { readonly name: string; readonly existing: string | undefined; readonly state: string }[] = [
    { name: 'no file', existing: undefined, state: 'missing' },
    { name: 'the script itself', existing: base.text, state: 'current' },
    { name: 'the script with CRLF line ends', existing: base.text.replace(/\n/g, '\r\n'), state: 'current' },
    { name: 'a script of an older schedule', existing: base.text.replace(base.fingerprint, 'sha256:00000000000000000000000000000000'), state: 'outdated' },
    { name: 'a hand-written script', existing: '#!/bin/sh\nbwdc sync\n', state: 'foreign' },
    { name: 'a file with the line too far down to be a header', existing: `${'#\n'.repeat(1500)}# Fingerprint: ${base.fingerprint}\n`, state: 'foreign' },
    { name: 'an empty file', existing: '', state: 'foreign' },
  ];
  for (const { name, existing, state } of states) {
    it(`calls ${name} ${state}`, () => {
      assert.strictEqual(scriptState(existing, base.fingerprint), state);
    });
  }

  it('generates no bash script for a dpapi: secret', () => {
    assert.throws(
      () => generateScript({ ...job, secret: { scheme: 'dpapi', target: 'C:\\secret.xml' } }, TEST_VERSION),
      /dpapi: secrets are read by the PowerShell script/,
    );
  });
});
