import * as assert from 'assert';
import type { Severity } from '../../../src/core/diagnostic';
import { diagnoseSchedule, type DiagnoseContext, type ScheduleDiagnostic } from '../../../src/core/schedule/diagnose';
import type { Platform } from '../../../src/core/schedule/directives';
import { parseSchedule } from '../../../src/core/schedule/parse';
import { pathKind } from '../../../src/host/files';
import { applyEdits, FAKE_SECRET, fixturePath, r, readExpected, readFixture } from './support';
import { withTranslations } from '../translations';

const CLIENT_ID = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

/** The required lines a case leaves out, appended after it so its own lines keep their numbers. */
function withRequired(text: string): string {
  const present = new Set(parseSchedule(text).directives.map((d) => d.key));
  const filler = [
    ['schedule', 'schedule 0 12 * * 1'],
    ['client-id', `client-id ${CLIENT_ID}`],
    ['secret', 'secret env:BWDC_CLIENT_SECRET'],
  ]
    .filter(([key]) => !present.has(key!))
    .map(([, line]) => line);
  // A complete Linux file sets plaintext mode (else plaintext-missing, tested on its own below).
  if (!/BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS/.test(text)) filler.push('env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true');
  return [text, ...filler].join('\n');
}

function diagnose(text: string, context: Partial<DiagnoseContext> = {}): ScheduleDiagnostic[] {
  return diagnoseSchedule(text, { hostPlatform: 'linux', ...context });
}

function summary(diagnostic: ScheduleDiagnostic): string {
  const { start, end } = diagnostic.range;
  return `${diagnostic.severity} ${diagnostic.code} ${start.line}:${start.character}-${end.line}:${end.character}`;
}

interface Expected {
  readonly code: string;
  readonly severity: Severity;
  /** [line, start, end], zero-based. */
  readonly at: [number, number, number];
  /** Words the message must contain. */
  readonly words: readonly string[];
}

interface Case {
  readonly text: string;
  readonly host?: Platform;
  readonly expect: readonly Expected[];
}

const error = (code: string, at: [number, number, number], ...words: string[]): Expected => ({ code, severity: 'error', at, words });
const warning = (code: string, at: [number, number, number], ...words: string[]): Expected => ({ code, severity: 'warning', at, words });

const CASES: readonly Case[] = [
  // Directives
  { text: 'shedule 0 12 * * 1', expect: [error('unknown-directive', [0, 0, 7], "'shedule'", "Did you mean 'schedule'?")] },
  { text: 'frobnicate yes', expect: [error('unknown-directive', [0, 0, 10], "'frobnicate'", 'Known directives', 'client-id', 'script')] },
  { text: 'name a\nname b', expect: [error('duplicate-directive', [1, 0, 4], "'name'", 'only once', 'line 1')] },
  { text: 'name a\r\nname b', expect: [error('duplicate-directive', [1, 0, 4], "'name'", 'line 1')] },
  { text: 'platform linux\n\nplatform linux', expect: [error('duplicate-directive', [2, 0, 8], "'platform'", 'line 1')] },
  { text: 'schedule', expect: [error('missing-value', [0, 0, 8], "'schedule'", 'needs a value', 'schedule 0 12 * * 1')] },
  { text: 'timezone   # later', expect: [error('missing-value', [0, 0, 8], "'timezone'", 'timezone Europe/Berlin')] },
  // name
  { text: 'name weekly sync!', expect: [error('invalid-name', [0, 5, 17], "'weekly sync!'", 'letters, digits', '64')] },
  { text: 'name -leading-dash', expect: [error('invalid-name', [0, 5, 18], "'-leading-dash'", 'start with a letter or digit')] },
  { text: `name ${'a'.repeat(65)}`, expect: [error('invalid-name', [0, 5, 70], 'at most 64 characters')] },
  // client-id
  { text: 'client-id 6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11', expect: [error('invalid-client-id', [0, 10, 46], "'organization.'", CLIENT_ID)] },
  {
    text: 'client-id user.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    expect: [error('invalid-client-id', [0, 10, 51], 'personal API key', "organization's API key")],
  },
  { text: 'client-id organization.not-a-uuid', expect: [error('invalid-client-id', [0, 10, 33], "'organization.' followed by a UUID")] },
  { text: `client-id ${FAKE_SECRET}`, expect: [error('literal-secret', [0, 10, 40], 'client_secret, not the client_id', 'where the `secret` line points')] },
  // secret
  { text: 'secret vault:bwdc', expect: [error('invalid-secret', [0, 7, 17], "'vault:'", 'file:PATH', 'env:NAME', 'keychain:SERVICE', 'dpapi:PATH')] },
  { text: 'secret /home/bwdc/client_secret', expect: [error('invalid-secret', [0, 7, 31], "'file:/home/bwdc/client_secret'")] },
  { text: 'platform windows\nsecret C:\\bwdc\\secret.xml', expect: [error('invalid-secret', [1, 7, 25], "'dpapi:C:\\bwdc\\secret.xml'")] },
  {
    text: 'secret hunter2',
    expect: [error('literal-secret', [0, 7, 14], 'may be the secret itself', 'secret file:/home/bwdc/.config/bwdc/client_secret', '0600')],
  },
  { text: `secret ${FAKE_SECRET}`, expect: [error('literal-secret', [0, 7, 37], 'Never write the client_secret into this file', 'secret file:')] },
  {
    text: `platform windows\nsecret ${FAKE_SECRET}`,
    expect: [error('literal-secret', [1, 7, 37], 'Export-Clixml', 'secret dpapi:C:\\ProgramData\\bwdc\\client_secret.xml')],
  },
  { text: `secret file:${FAKE_SECRET}`, expect: [error('literal-secret', [0, 12, 42], 'the secret itself, not a path or name')] },
  { text: `secret env:${FAKE_SECRET}`, expect: [error('literal-secret', [0, 11, 41], 'the secret itself, not a variable name')] },
  { text: 'secret keychain:bwdc-client-secret', expect: [error('secret-platform', [0, 7, 34], "'keychain:'", 'linux', 'file: or env:')] },
  { text: 'secret dpapi:C:\\bwdc\\secret.xml', expect: [error('secret-platform', [0, 7, 31], "'dpapi:'", 'linux')] },
  { text: 'platform windows\nsecret file:/home/bwdc/secret', expect: [error('secret-platform', [1, 7, 29], "'file:'", 'windows', 'env: or dpapi:')] },
  { text: 'secret keychain:bwdc', host: 'windows', expect: [error('secret-platform', [0, 7, 20], 'windows')] },
  { text: 'secret env:', expect: [error('invalid-secret', [0, 7, 11], "'env:'", 'a variable name')] },
  { text: 'secret file:', expect: [error('invalid-secret', [0, 7, 12], "'file:'", 'a path')] },
  { text: 'secret env:1BAD', expect: [error('invalid-secret', [0, 11, 15], "'1BAD'", 'not a variable name')] },
  { text: 'secret file:~/.config/bwdc/secret', expect: [error('invalid-path', [0, 12, 33], "'~'", '/home/bwdc/.config/bwdc/secret')] },
  // platform, timezone, run-as, paths
  { text: 'platform Linux', expect: [error('invalid-platform', [0, 9, 14], "'Linux'", 'linux, macos or windows')] },
  { text: 'platform solaris', expect: [error('invalid-platform', [0, 9, 16], "'solaris'")] },
  { text: 'timezone Europe/Berln', expect: [error('unknown-timezone', [0, 9, 21], "'Europe/Berln'", "Did you mean 'Europe/Berlin'?", 'IANA')] },
  { text: 'timezone Mars/Olympus_Mons', expect: [error('unknown-timezone', [0, 9, 26], "'Mars/Olympus_Mons'", 'IANA')] },
  { text: 'timezone CET+1', expect: [error('unknown-timezone', [0, 9, 14], "'CET+1'")] },
  { text: 'run-as 1bwdc', expect: [error('invalid-run-as', [0, 7, 12], "'1bwdc'", 'user name')] },
  { text: 'run-as root; rm -rf /', expect: [error('invalid-run-as', [0, 7, 21], "'root; rm -rf /'")] },
  { text: 'platform windows\nrun-as CORP\\svc\\bwdc', expect: [error('invalid-run-as', [1, 7, 20], 'Windows account name', 'DOMAIN\\bwdc')] },
  { text: 'bwdc bin/bwdc', expect: [error('invalid-path', [0, 5, 13], 'absolute path', '/usr/local/bin/bwdc')] },
  { text: 'platform windows\nbwdc bwdc.exe', expect: [error('invalid-path', [1, 5, 13], 'absolute path', 'C:\\Program Files\\Bitwarden\\bwdc.exe')] },
  { text: 'log ~/bwdc.log', expect: [error('invalid-path', [0, 4, 14], "'~'", '/home/bwdc/bwdc.log')] },
  { text: 'script ~bwdc/sync.sh', expect: [error('invalid-path', [0, 7, 20], "'~'")] },
  { text: 'instance ~/instance-1', expect: [error('invalid-path', [0, 9, 21], "'~'")] },
  { text: 'instance ./instance-1 #2', expect: [warning('ambiguous-comment', [0, 22, 24], "'./instance-1'", "'#2'", "put a space after '#'")] },
  {
    text: 'instance ./a\ninstance a\ninstance ./a/',
    expect: [warning('duplicate-instance', [1, 9, 10], 'line 1', 'twice'), warning('duplicate-instance', [2, 9, 13], 'line 1')],
  },
  { text: 'instance /srv/bwdc/a\ninstance /srv/bwdc/a/', expect: [warning('duplicate-instance', [1, 9, 21], 'line 1')] },
  // env
  { text: 'env BW_CLIENTID=organization.x', expect: [error('managed-env', [0, 4, 15], 'BW_CLIENTID', 'sets', 'remove this line')] },
  { text: 'env BW_NOINTERACTION=true', expect: [error('managed-env', [0, 4, 20], 'BW_NOINTERACTION')] },
  { text: 'env BITWARDENCLI_CONNECTOR_APPDATA_DIR=/srv/bwdc', expect: [error('managed-env', [0, 4, 38], 'BITWARDENCLI_CONNECTOR_APPDATA_DIR')] },
  { text: 'env BW_CLIENTSECRET=x', expect: [error('managed-env', [0, 4, 19], 'BW_CLIENTSECRET', '`secret` source', 'never keep the secret here')] },
  { text: 'env NODE_EXTRA_CA_CERTS', expect: [error('invalid-env', [0, 4, 23], 'NAME=VALUE')] },
  { text: 'env 1FOO=bar', expect: [error('invalid-env', [0, 4, 12], 'NAME=VALUE', 'does not start with a digit')] },
  { text: 'env API_TOKEN=abc123', expect: [error('literal-secret', [0, 14, 20], 'API_TOKEN', 'looks like a secret')] },
  { text: 'env LDAP_PASSWORD=hunter2', expect: [error('literal-secret', [0, 18, 25], 'LDAP_PASSWORD')] },
  { text: `env SOMETHING=${FAKE_SECRET}`, expect: [error('literal-secret', [0, 14, 44], 'SOMETHING', 'looks like a secret')] },
  { text: 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=yes', expect: [warning('plaintext-value', [0, 45, 48], "exact value 'true'", "'yes'")] },
  { text: 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=', expect: [warning('plaintext-value', [0, 4, 45], "exact value 'true'")] },
  {
    text: 'env https_proxy=http://a:3128\nenv https_proxy=http://b:3128',
    expect: [warning('duplicate-env', [1, 4, 15], 'https_proxy', 'line 1', 'later value wins')],
  },
  // Secrets and control characters anywhere in the file
  { text: `# old key: ${FAKE_SECRET}`, expect: [error('literal-secret', [0, 11, 41], 'not even in a comment')] },
  { text: `log /var/log/bwdc.log # ${FAKE_SECRET}`, expect: [error('literal-secret', [0, 24, 54], 'not even in a comment')] },
  { text: FAKE_SECRET, expect: [error('literal-secret', [0, 0, 30], 'looks like an API secret', 'secret file:')] },
  {
    text: `client_secret ${FAKE_SECRET}`,
    expect: [error('unknown-directive', [0, 0, 13], "'client_secret'"), error('literal-secret', [0, 14, 44], 'looks like an API secret')],
  },
  { text: `name ${FAKE_SECRET}`, expect: [error('literal-secret', [0, 5, 35], 'looks like an API secret')] },
  { text: `timezone ${FAKE_SECRET}`, expect: [error('literal-secret', [0, 9, 39], 'looks like an API secret')] },
  { text: 'log /tmp/a\u0007b', expect: [error('control-character', [0, 10, 11], 'U+0007', 'Delete it')] },
  { text: 'log /tmp/a\u001b[2Jb', expect: [error('control-character', [0, 10, 11], 'U+001B')] },
  { text: '# \u007f', expect: [error('control-character', [0, 2, 3], 'U+007F')] },
  { text: 'env EXTRA=/tmp\u0085evil', expect: [error('control-character', [0, 14, 15], 'U+0085')] },
  { text: 'bwdc /usr/bin/bwdc\u0000', expect: [error('control-character', [0, 18, 19], 'U+0000')] },
  // schedule: exact field and allowed range
  { text: 'schedule 60 * * * *', expect: [error('cron-out-of-range', [0, 9, 11], 'minute', '60', '0–59')] },
  { text: 'schedule 0 24 * * *', expect: [error('cron-out-of-range', [0, 11, 13], 'hour', '24', '0–23')] },
  { text: 'schedule 0 0 0 * *', expect: [error('cron-out-of-range', [0, 13, 14], 'day-of-month', '0', '1–31')] },
  { text: 'schedule 0 0 * 13 *', expect: [error('cron-out-of-range', [0, 15, 17], 'month', '13', '1–12')] },
  { text: 'schedule 0 0 * * 8', expect: [error('cron-out-of-range', [0, 17, 18], 'day-of-week', '8', '0–7')] },
  { text: 'schedule 0 0 * * 1-9', expect: [error('cron-out-of-range', [0, 19, 20], 'day-of-week', '9', '0–7')] },
  { text: 'schedule   0 24 * * *   # noon?', expect: [error('cron-out-of-range', [0, 13, 15], 'hour', '0–23')] },
  { text: 'schedule\t0\t24\t*\t*\t*', expect: [error('cron-out-of-range', [0, 11, 13], 'hour', '0–23')] },
  { text: 'schedule 0 0 * *', expect: [error('cron-field-count', [0, 9, 16], 'Only 4 of 5', 'day-of-week missing')] },
  { text: 'schedule 0 0 * * * 2025', expect: [error('cron-field-count', [0, 19, 23], '6 fields', 'no seconds or year')] },
  { text: 'schedule 5/15 * * * *', expect: [error('cron-step-without-range', [0, 9, 13], 'minute', "'5/15'", '5-59/15', '*/15')] },
  { text: 'schedule 0 0 ? * *', expect: [error('cron-unsupported-syntax', [0, 13, 14], "'?'", 'Quartz')] },
  { text: 'schedule 0 0 L * *', expect: [error('cron-unsupported-syntax', [0, 13, 14], 'day-of-month', 'Quartz')] },
  { text: 'schedule H 0 * * *', expect: [error('cron-unsupported-syntax', [0, 9, 10], 'Jenkins')] },
  { text: 'schedule 0 0 * * 1#2', expect: [error('cron-unsupported-syntax', [0, 18, 20], 'nth weekday', "'1'")] },
  { text: 'schedule *x * * * *', expect: [error('cron-trailing-text', [0, 10, 11], "unexpected 'x' after '*'", 'silently ignores')] },
  { text: 'schedule */5x * * * *', expect: [error('cron-syntax', [0, 11, 13], 'step', 'whole number', "'5x'")] },
  { text: 'schedule */0 * * * *', expect: [error('cron-syntax', [0, 11, 12], 'step of 0')] },
  { text: 'schedule 1,,2 * * * *', expect: [error('cron-syntax', [0, 10, 11], 'empty item')] },
  { text: 'schedule 0 0 * * monday', expect: [error('cron-bad-name', [0, 17, 23], 'three-letter', "'mon'")] },
  { text: 'schedule 0 0 * mon *', expect: [error('cron-bad-name', [0, 15, 18], 'day name', 'month')] },
  { text: 'schedule @Daily', expect: [error('cron-bad-macro', [0, 9, 15], "'@Daily'", '@daily')] },
  { text: 'schedule @fortnightly', expect: [error('cron-bad-macro', [0, 9, 21], "'@fortnightly'", '@reboot')] },
  { text: 'schedule @daily 0 0 * * *', expect: [error('cron-syntax', [0, 16, 25], '@daily', 'remove the text after it')] },
  // schedule: parses, but never fires or reads differently than it looks
  { text: 'schedule 0 0 31 2 *', expect: [warning('cron-never-fires', [0, 13, 17], 'Never runs', 'February', '31')] },
  { text: 'schedule 0 0 30 2 *', expect: [warning('cron-never-fires', [0, 13, 17], 'Never runs', 'February', '30')] },
  { text: 'schedule 0 0 31 4,6,9,11 *', expect: [warning('cron-never-fires', [0, 13, 24], 'none of April, June, September, November')] },
  {
    text: 'schedule 5-2 * * * *',
    expect: [
      warning('cron-reversed-range', [0, 9, 12], "'5-2'", 'backwards', '5-59,0-2', '2-5'),
      warning('cron-never-fires', [0, 9, 12], 'Never runs', "'5-2'"),
    ],
  },
  { text: 'schedule 0 0 13 * 5', expect: [warning('cron-day-or', [0, 13, 19], "day-of-month '13' OR day-of-week '5'", 'every 13th and every Friday')] },
  { text: 'schedule 0 0 1,15 * mon-fri', expect: [warning('cron-day-or', [0, 13, 27], "'1,15' OR", "'mon-fri'")] },
  { text: 'schedule 0 0 1-31 * 1', expect: [warning('cron-day-or', [0, 13, 21], 'runs every day', "'1-31'", "Write '*'")] },
  { text: 'schedule 0 0 */2 * sun', expect: [warning('cron-day-and', [0, 13, 22], "'*/2'", 'BOTH', "day-of-week 'sun'", 'either')] },
  { text: 'schedule 0 1 * * *\nschedule 0  1 * * *', expect: [warning('duplicate-schedule', [1, 9, 19], 'line 1', 'once at each time')] },
];

describe('diagnoseSchedule', () => {
  describe('reports each problem with its code, severity, exact range and a message that says what to do', () => {
    for (const testCase of CASES) {
      const codes = testCase.expect.map((e) => e.code).join(' and ');
      it(`flags ${JSON.stringify(testCase.text)} with ${codes}${testCase.host ? ` on a ${testCase.host} host` : ''}`, () => {
        const diagnostics = diagnose(withRequired(testCase.text), { hostPlatform: testCase.host ?? 'linux' });
        const expected = testCase.expect.map((e) => `${e.severity} ${e.code} ${e.at[0]}:${e.at[1]}-${e.at[0]}:${e.at[2]}`);
        assert.deepStrictEqual(diagnostics.map(summary), expected);
        testCase.expect.forEach((e, index) => {
          for (const word of e.words)
            assert.ok(diagnostics[index]!.message.includes(word), `${JSON.stringify(word)} in ${JSON.stringify(diagnostics[index]!.message)}`);
        });
      });
    }
  });

  describe('never says anything about a valid expression', () => {
    const valid = [
      '0 12 * * 1',
      '0 * * * *',
      '*/15 * * * *',
      '0 */6 * * *',
      '0 2 * * *',
      '0 8 * * 1-5',
      '0 0 * * 2',
      '0 20 * * 0',
      '0 3 1 * *',
      '*/7 * * * *',
      '0 9-17/2 * * *',
      '30 4 * jan-mar mon-fri',
      '0 0 * * MON',
      '0 0 * * 7',
      '0 0 * * 0-7',
      '0 0 29 2 *',
      '59 23 31 12 *',
      '0 0 1,15 * *',
      '0\t12\t*\t*\t1',
      '@yearly',
      '@annually',
      '@monthly',
      '@weekly',
      '@daily',
      '@midnight',
      '@hourly',
      '@reboot',
    ];
    for (const expression of valid) {
      it(`reports nothing, not even information, for 'schedule ${expression}'`, () => {
        assert.deepStrictEqual(diagnose(withRequired(`schedule ${expression}`)).map(summary), []);
      });
    }
  });

  describe('accepts the valid fixtures as they are', () => {
    // sections.bwdc-schedule (the outline's fixture) leaves plaintext mode out: only that is said.
    const fixtures: { readonly file: string; readonly host: Platform; readonly expect?: readonly string[] }[] = [
      { file: 'linux.bwdc-schedule', host: 'linux' },
      { file: 'linux.bwdc-schedule', host: 'macos' },
      { file: 'windows.bwdc-schedule', host: 'linux' },
      { file: 'windows.bwdc-schedule', host: 'windows' },
      { file: 'macos.bwdc-schedule', host: 'linux' },
      { file: 'sections.bwdc-schedule', host: 'linux', expect: ['warning plaintext-missing 11:0-11:9'] },
      { file: 'sections.bwdc-schedule', host: 'macos', expect: ['warning plaintext-missing 11:0-11:9'] },
    ];
    for (const { file, host, expect } of fixtures) {
      it(`finds ${expect ? expect.join(', ') : 'no problem'} in ${file} on a ${host} host`, () => {
        assert.deepStrictEqual(diagnose(readFixture(file), { hostPlatform: host, scheduleFile: fixturePath(file) }).map(summary), expect ?? []);
      });
    }
  });

  it('reports every required line that is missing, on the first line, with a fix that adds an example', () => {
    const diagnostics = diagnose('# only a comment\nname x\n');
    assert.deepStrictEqual(diagnostics.map(summary), [
      'error missing-directive 0:0-0:16',
      'error missing-directive 0:0-0:16',
      'error missing-directive 0:0-0:16',
    ]);
    assert.deepStrictEqual(
      diagnostics.map((d) => /'([a-z-]+)' line is missing/.exec(d.message)?.[1]),
      ['schedule', 'client-id', 'secret'],
    );
    assert.deepStrictEqual(
      diagnose('').map((d) => d.range),
      [r(0, 0, 0), r(0, 0, 0), r(0, 0, 0)],
    );
  });

  it('does not ask for a required line that is present but invalid', () => {
    const codes = diagnose('schedule 99 * * * *\nclient-id nope\nsecret vault:x').map((d) => d.code);
    assert.deepStrictEqual(codes, ['cron-out-of-range', 'plaintext-missing', 'invalid-client-id', 'invalid-secret']);
  });

  it('points from a repeated directive to the line that set it first', () => {
    const [duplicate] = diagnose(withRequired('log /a\n# comment\nlog /b'));
    assert.strictEqual(duplicate?.code, 'duplicate-directive');
    assert.deepStrictEqual(duplicate.related, [{ range: r(0, 0, 3), message: 'first set here' }]);
  });

  it('allows schedule, instance and env more than once', () => {
    const text = withRequired('schedule 0 1 * * *\nschedule 0 2 * * *\ninstance /srv/a\ninstance /srv/b\nenv A=1\nenv B=2');
    assert.deepStrictEqual(diagnose(text).map(summary), []);
  });

  it('uses the platform line, not the host, to judge secret sources and paths', () => {
    const text = withRequired(
      'platform windows\nsecret dpapi:C:\\ProgramData\\bwdc\\client_secret.xml\nbwdc C:\\Program Files\\Bitwarden\\bwdc.exe\nlog C:\\bwdc\\bwdc.log',
    );
    assert.deepStrictEqual(diagnose(text, { hostPlatform: 'linux' }).map(summary), []);
    assert.deepStrictEqual(diagnose(withRequired('secret dpapi:C:\\x.xml'), { hostPlatform: 'windows' }).map(summary), []);
    assert.deepStrictEqual(diagnose(withRequired('secret keychain:bwdc'), { hostPlatform: 'macos' }).map(summary), []);
  });

  it('accepts the documented env examples', () => {
    const text = withRequired(
      'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\nenv NODE_EXTRA_CA_CERTS=/etc/ssl/private-ca.pem\nenv https_proxy=http://proxy:3128',
    );
    assert.deepStrictEqual(diagnose(text).map(summary), []);
  });

  describe('never echoes a literal secret in a message', () => {
    const texts = [
      FAKE_SECRET,
      `secret ${FAKE_SECRET}`,
      `secret file:${FAKE_SECRET}`,
      `secret env:${FAKE_SECRET}`,
      `client-id ${FAKE_SECRET}`,
      `client_secret ${FAKE_SECRET}`,
      `env FOO=${FAKE_SECRET}`,
      `env BW_CLIENTSECRET=${FAKE_SECRET}`,
      `name ${FAKE_SECRET}`,
      `run-as ${FAKE_SECRET}`,
      `timezone ${FAKE_SECRET}`,
      `platform ${FAKE_SECRET}`,
      `schedule ${FAKE_SECRET}`,
      `instance ./a #${FAKE_SECRET}`,
      `# ${FAKE_SECRET}`,
    ];
    for (const text of texts) {
      it(`keeps the secret out of every message for ${JSON.stringify(text.replace(FAKE_SECRET, '<secret>'))}`, () => {
        const diagnostics = diagnose(withRequired(text));
        assert.ok(
          diagnostics.some((d) => d.severity === 'error'),
          'an error is reported',
        );
        for (const diagnostic of diagnostics) {
          assert.ok(!diagnostic.message.includes(FAKE_SECRET), diagnostic.message);
          for (const fix of diagnostic.fixes ?? []) assert.ok(!fix.title.includes(FAKE_SECRET), fix.title);
        }
      });
    }
  });

  describe('looks instance folders and bwdc up on this machine', () => {
    const scheduleFile = fixturePath('disk.bwdc-schedule');
    const onDisk: { readonly line: string; readonly expect: readonly string[]; readonly words?: readonly string[] }[] = [
      { line: 'instance ./instances/with-data-json', expect: [] },
      { line: `instance ${fixturePath('instances', 'with-data-json')}`, expect: [] },
      {
        line: 'instance ./instances/without-data-json',
        expect: ['warning instance-no-data-json 0:9-0:38'],
        words: [fixturePath('instances', 'without-data-json'), 'no data.json'],
      },
      {
        line: 'instance ./instances/no-such-folder',
        expect: ['warning instance-missing 0:9-0:35'],
        words: [fixturePath('instances', 'no-such-folder'), 'does not exist'],
      },
      { line: 'instance ./instances/not-a-folder.txt', expect: ['warning instance-missing 0:9-0:37'], words: ['is a file', 'data.json'] },
      { line: `bwdc ${fixturePath('instances', 'not-a-folder.txt')}`, expect: [] },
      {
        line: `bwdc ${fixturePath('no-such-bwdc')}`,
        expect: [`warning bwdc-missing 0:5-0:${5 + fixturePath('no-such-bwdc').length}`],
        words: ['No file at', 'install the Directory Connector CLI'],
      },
      {
        line: `bwdc ${fixturePath('instances')}`,
        expect: [`warning bwdc-missing 0:5-0:${5 + fixturePath('instances').length}`],
        words: ['is a folder', 'executable itself'],
      },
    ];
    for (const { line, expect, words = [] } of onDisk) {
      it(`${expect.length === 0 ? 'accepts' : 'warns about'} ${JSON.stringify(line.replace(fixturePath(), '<fixtures>'))}`, () => {
        const diagnostics = diagnose(withRequired(line), { scheduleFile, pathKind });
        assert.deepStrictEqual(diagnostics.map(summary), expect);
        for (const word of words) assert.ok(diagnostics[0]!.message.includes(word), `${word} in ${diagnostics[0]!.message}`);
      });
    }

    it('does not look paths up for a job that runs on another platform', () => {
      const text = withRequired('platform windows\ninstance C:\\nowhere\nbwdc C:\\nowhere\\bwdc.exe');
      assert.deepStrictEqual(diagnose(text, { scheduleFile, pathKind, hostPlatform: 'linux' }).map(summary), []);
    });

    it('does not look relative paths up in an unsaved file, which has no folder', () => {
      const looked: string[] = [];
      const text = withRequired('instance ./instances/no-such-folder');
      const diagnostics = diagnose(text, { pathKind: (p) => (looked.push(p), 'missing') });
      assert.deepStrictEqual(diagnostics.map(summary), []);
      assert.deepStrictEqual(looked, []);
    });

    it('checks nothing on disk without a way to look', () => {
      assert.deepStrictEqual(diagnose(withRequired('instance ./instances/no-such-folder'), { scheduleFile }).map(summary), []);
    });
  });

  it('reports everything wrong in the file with every error, as listed beside it', () => {
    const file = fixturePath('every-error.bwdc-schedule');
    const diagnostics = diagnose(readFixture('every-error.bwdc-schedule'), { scheduleFile: file, pathKind });
    const expected = readExpected('every-error.expected.json');
    assert.deepStrictEqual(
      diagnostics.map(
        (d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.severity} ${d.code}`,
      ),
      expected.map((e) => `${e.line}:${e.column}-${e.endLine}:${e.endColumn} ${e.severity} ${e.code}`),
    );
    expected.forEach((e, index) => {
      for (const word of e.words) assert.ok(diagnostics[index]!.message.includes(word), `${JSON.stringify(word)} in ${diagnostics[index]!.message}`);
    });
  });

  it('flags every hostile line and keeps going', () => {
    const diagnostics = diagnose(readFixture('hostile.bwdc-schedule'), { scheduleFile: fixturePath('hostile.bwdc-schedule') });
    assert.deepStrictEqual(diagnostics.map(summary), [
      'error invalid-name 1:11-1:30',
      'error control-character 1:20-1:21',
      'error cron-unsupported-syntax 2:20-2:22',
      'warning plaintext-missing 4:0-4:9',
      'error invalid-run-as 6:11-6:25',
      'error control-character 7:24-7:25',
      'error literal-secret 8:0-8:30',
      'error literal-secret 9:26-9:56',
      'error control-character 10:21-10:22',
      'error control-character 11:24-11:25',
    ]);
    for (const diagnostic of diagnostics) assert.ok(!diagnostic.message.includes(FAKE_SECRET), diagnostic.message);
  });

  it('sorts diagnostics by position', () => {
    const diagnostics = diagnose(readFixture('every-error.bwdc-schedule'));
    const positions = diagnostics.map((d) => d.range.start.line * 1000 + d.range.start.character);
    assert.deepStrictEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
  });

  it('translates every message with the installed translations', () => {
    const diagnostics = withTranslations(
      (message) => `«${message}»`,
      () => diagnoseSchedule(readFixture('every-error.bwdc-schedule'), { hostPlatform: 'linux' }),
    );
    assert.ok(diagnostics.length > 30);
    for (const diagnostic of diagnostics) assert.match(diagnostic.message, /^«[^]*»$/, diagnostic.code);
  });
});

describe('quick fixes', () => {
  const fixes: { readonly text: string; readonly code: string; readonly title: string; readonly result: string; readonly preferred: boolean }[] = [
    { text: 'shedule 0 12 * * 1\n', code: 'unknown-directive', title: "Change to 'schedule'", result: 'schedule 0 12 * * 1\n', preferred: true },
    { text: 'client_id x\n', code: 'unknown-directive', title: "Change to 'client-id'", result: 'client-id x\n', preferred: true },
    { text: 'name a\nname b\nlog /x\n', code: 'duplicate-directive', title: 'Remove this line', result: 'name a\nlog /x\n', preferred: true },
    { text: 'name a\r\nname b\r\nlog /x\r\n', code: 'duplicate-directive', title: 'Remove this line', result: 'name a\r\nlog /x\r\n', preferred: true },
    { text: 'name weekly sync', code: 'invalid-name', title: "Change to 'weekly-sync'", result: 'name weekly-sync', preferred: true },
    { text: 'platform Linux', code: 'invalid-platform', title: "Change to 'linux'", result: 'platform linux', preferred: true },
    { text: 'platform darwin', code: 'invalid-platform', title: "Change to 'macos'", result: 'platform macos', preferred: true },
    { text: 'platform win32', code: 'invalid-platform', title: "Change to 'windows'", result: 'platform windows', preferred: true },
    {
      text: 'timezone Europe/Berln # office',
      code: 'unknown-timezone',
      title: "Change to 'Europe/Berlin'",
      result: 'timezone Europe/Berlin # office',
      preferred: true,
    },
    {
      text: 'client-id 6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
      code: 'invalid-client-id',
      title: "Add 'organization.'",
      result: `client-id ${CLIENT_ID}`,
      preferred: true,
    },
    {
      text: 'secret /home/bwdc/client_secret',
      code: 'invalid-secret',
      title: "Change to 'file:/home/bwdc/client_secret'",
      result: 'secret file:/home/bwdc/client_secret',
      preferred: true,
    },
    {
      text: 'platform windows\nsecret C:\\bwdc\\s.xml',
      code: 'invalid-secret',
      title: "Change to 'dpapi:C:\\bwdc\\s.xml'",
      result: 'platform windows\nsecret dpapi:C:\\bwdc\\s.xml',
      preferred: true,
    },
    { text: 'env BW_CLIENTID=x\nlog /x', code: 'managed-env', title: 'Remove this line', result: 'log /x', preferred: true },
    {
      text: 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=yes',
      code: 'plaintext-value',
      title: "Change to 'true'",
      result: 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
      preferred: true,
    },
    { text: 'log /tmp/a\u0007b', code: 'control-character', title: 'Delete the control character', result: 'log /tmp/ab', preferred: true },
    {
      text: 'schedule 0 1 * * *\nschedule 0 1 * * *\nlog /x',
      code: 'duplicate-schedule',
      title: 'Remove this line',
      result: 'schedule 0 1 * * *\nlog /x',
      preferred: true,
    },
    { text: 'schedule 0 0 1-31 * 1', code: 'cron-day-or', title: "Change '1-31' to '*'", result: 'schedule 0 0 * * 1', preferred: true },
    { text: 'schedule @Daily', code: 'cron-bad-macro', title: 'Change to @daily', result: 'schedule @daily', preferred: true },
    { text: 'schedule 0 0 ? * *', code: 'cron-unsupported-syntax', title: 'Replace ? with *', result: 'schedule 0 0 * * *', preferred: true },
    { text: 'schedule 0 0 * * monday', code: 'cron-bad-name', title: "Change to 'mon'", result: 'schedule 0 0 * * mon', preferred: true },
    { text: 'schedule 5/15 * * * *', code: 'cron-step-without-range', title: 'Change to 5-59/15', result: 'schedule 5-59/15 * * * *', preferred: false },
    { text: 'schedule 5/15 * * * *', code: 'cron-step-without-range', title: 'Change to */15', result: 'schedule */15 * * * *', preferred: false },
    {
      text: 'schedule 5-2 * * * *',
      code: 'cron-reversed-range',
      title: 'Change to 5-59,0-2 (wrap around)',
      result: 'schedule 5-59,0-2 * * * *',
      preferred: false,
    },
    { text: 'schedule 5-2 * * * *', code: 'cron-reversed-range', title: 'Change to 2-5', result: 'schedule 2-5 * * * *', preferred: false },
    { text: 'schedule 0 0 * * sat-sun', code: 'cron-reversed-range', title: 'Change to 6-7', result: 'schedule 0 0 * * 6-7', preferred: true },
    { text: 'name x', code: 'missing-directive', title: "Add 'schedule 0 12 * * 1'", result: 'name x\nschedule 0 12 * * 1\n', preferred: false },
    { text: 'name x\n', code: 'missing-directive', title: "Add 'schedule 0 12 * * 1'", result: 'name x\nschedule 0 12 * * 1\n', preferred: false },
    { text: 'name x\r\n', code: 'missing-directive', title: "Add 'schedule 0 12 * * 1'", result: 'name x\r\nschedule 0 12 * * 1\n', preferred: false },
    { text: '', code: 'missing-directive', title: `Add 'client-id ${CLIENT_ID}'`, result: `client-id ${CLIENT_ID}\n`, preferred: false },
  ];
  for (const fix of fixes) {
    it(`turns ${JSON.stringify(fix.text)} into ${JSON.stringify(fix.result)} with "${fix.title}"`, () => {
      const diagnostics = diagnose(fix.text).filter((d) => d.code === fix.code);
      const offered = diagnostics.flatMap((d) => d.fixes ?? []).filter((f) => f.title === fix.title);
      assert.strictEqual(
        offered.length,
        1,
        `one fix titled "${fix.title}" among ${JSON.stringify(diagnostics.flatMap((d) => (d.fixes ?? []).map((f) => f.title)))}`,
      );
      assert.strictEqual(applyEdits(fix.text, offered[0]!.edits), fix.result);
      assert.strictEqual(offered[0]!.preferred === true, fix.preferred);
    });
  }

  it('offers no fix where the right value cannot be guessed', () => {
    for (const text of ['frobnicate x', 'platform solaris', 'timezone Mars/Olympus_Mons', 'secret hunter2', 'run-as 1bwdc']) {
      const [first] = diagnose(withRequired(text));
      assert.ok(first, text);
      assert.deepStrictEqual(first.fixes ?? [], [], text);
    }
  });

  it('marks at most one fix of a diagnostic as preferred', () => {
    for (const diagnostic of diagnose(readFixture('every-error.bwdc-schedule'))) {
      assert.ok((diagnostic.fixes ?? []).filter((f) => f.preferred).length <= 1, diagnostic.code);
    }
  });
});
