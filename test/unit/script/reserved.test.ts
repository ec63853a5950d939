import * as assert from 'assert';
import * as fs from 'fs';
import { diagnoseSchedule } from '../../../src/core/schedule/diagnose';
import { BASH_SCRIPT_VARIABLES } from '../../../src/core/schedule/directives';
import type { SyncJob } from '../../../src/core/schedule/job';
import { generateScript } from '../../../src/core/script/generate';
import { calls, prepareRun, runScript, sequence, syncSequence, TEST_VERSION, useSandboxes, VALID, VALUES, type PreparedRun } from './support';

const REQUIRED = ['schedule 0 12 * * 1', 'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11', 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true'];

/** Rewrites a prepared env: run's script so that it reads the secret from `name`. */
function readSecretFrom(run: PreparedRun, name: string): PreparedRun {
  const job: SyncJob = { ...run.job, secret: { scheme: 'env', target: name } };
  const scriptText = generateScript(job, TEST_VERSION).text;
  fs.writeFileSync(job.script, scriptText, { mode: 0o700 });
  return { ...run, job, scriptText };
}

describe('secret env:NAME and the generated script’s own variables', function () {
  this.timeout(30_000);
  const sandbox = useSandboxes();

  const reserved = [
    'INSTANCES',
    'CLIENT_ID',
    'LOG_FILE',
    'JOB',
    'SECRET',
    'LABELS',
    'RESULT',
    'FAILED',
    'index',
    'IFS',
    'RANDOM',
    'UID',
    'EUID',
    'PPID',
    'PATH',
    'HOME',
    'BASH_ENV',
    'SHELLOPTS',
    'LC_ALL',
  ];
  for (const name of reserved) {
    it(`refuses secret env:${name} with reserved-variable, on the name`, () => {
      const line = `secret env:${name}`;
      const diagnostics = diagnoseSchedule([line, ...REQUIRED].join('\n'), { hostPlatform: 'linux' });
      assert.deepStrictEqual(
        diagnostics.map((d) => `${d.code} ${d.range.start.character}-${d.range.end.character}`),
        [`reserved-variable 11-${line.length}`],
      );
      assert.match(diagnostics[0]!.message, new RegExp(`^${name} is a variable the shell or the generated script uses`));
    });
  }

  for (const name of ['BWDC_CLIENT_SECRET', 'BW_CLIENTSECRET', 'MY_SECRET']) {
    it(`accepts secret env:${name}`, () => {
      assert.deepStrictEqual(diagnoseSchedule([`secret env:${name}`, ...REQUIRED].join('\n'), { hostPlatform: 'linux' }), []);
    });
  }

  for (const name of ['UID', 'EUID', 'PPID', 'SHELLOPTS', 'BASHOPTS', 'BASH_VERSINFO']) {
    it(`refuses env ${name}=… (read-only in bash, it would stop the script)`, () => {
      const codes = diagnoseSchedule([`env ${name}=1`, 'secret env:BWDC_CLIENT_SECRET', ...REQUIRED].join('\n'), { hostPlatform: 'linux' }).map((d) => d.code);
      assert.deepStrictEqual(codes, ['reserved-variable']);
    });
  }

  // The generated script must hold up even where the check was bypassed (an older file, a tool
  // that builds the job itself): the variable is read first, into the script's own name.
  for (const name of ['INSTANCES', 'CLIENT_ID', 'LOG_FILE', 'SECRET', 'JOB', 'LABELS', 'FAILED']) {
    it(`syncs every instance with the right client id and secret when the secret comes in $${name}`, () => {
      const run = readSecretFrom(prepareRun({ root: sandbox(), secret: 'env', instances: [VALID, VALID] }), name);
      const outcome = runScript(run, { [name]: VALUES.secret });
      assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
      const [first, second] = run.layout.instances;
      const made = calls(run);
      assert.deepStrictEqual(sequence(made), [...syncSequence(first!), ...syncSequence(second!)]);
      const logins = made.filter((call) => call.argv[0] === 'login');
      for (const login of logins) {
        assert.strictEqual(login.clientSecret, VALUES.secret);
        assert.strictEqual(login.clientId, 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11');
      }
      for (const call of made) assert.strictEqual(call.environment[name], undefined, `no bwdc process inherits $${name}`);
    });
  }

  it('sets no variable that is missing from BASH_SCRIPT_VARIABLES, in any variant of the script', () => {
    const assigned = new Set<string>();
    const variants = [
      prepareRun({ root: sandbox(), secret: 'file', instances: [VALID] }),
      prepareRun({ root: sandbox(), secret: 'env' }),
      prepareRun({ root: sandbox(), secret: 'keychain', platform: 'macos', instances: [VALID, VALID] }),
    ];
    for (const run of variants) {
      for (const line of run.scriptText.split('\n')) {
        if (/^\s*#/.test(line)) continue;
        for (const match of line.matchAll(/(?:^|[\s;(])([A-Za-z_][A-Za-z0-9_]*)\+?=/g)) assigned.add(match[1]!);
        const declared = /^\s*(?:local|read -r|unset)\s+(.+)$/.exec(line);
        if (declared) for (const word of declared[1]!.split(/\s+/)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) assigned.add(word);
        const loop = /for \(\((\w+) =/.exec(line);
        if (loop) assigned.add(loop[1]!);
      }
    }
    const managed = [
      'NODE_EXTRA_CA_CERTS',
      'BW_CLIENTID',
      'BW_CLIENTSECRET',
      'BITWARDENCLI_CONNECTOR_APPDATA_DIR',
      'BW_NOINTERACTION',
      'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS',
      'BWDC_TEST_NOTE',
      'BWDC_CLIENT_SECRET',
      'IFS',
      'LC_ALL',
    ];
    const unknown = [...assigned].filter((name) => !BASH_SCRIPT_VARIABLES.includes(name) && !managed.includes(name));
    assert.deepStrictEqual(unknown, []);
  });
});
