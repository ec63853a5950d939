import * as assert from 'assert';
import { diagnoseSchedule } from '../../../src/core/schedule/diagnose';
import { scheduleHover } from '../../../src/core/schedule/hover';
import { parseSchedule } from '../../../src/core/schedule/parse';
import { redactSecrets } from '../../../src/core/schedule/secret';
import { seededRandom } from '../random';
import { FAKE_SECRET } from './support';

const REQUIRED = [
  'schedule 0 12 * * 1',
  'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
  'secret env:BWDC_CLIENT_SECRET',
  'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
];
/** A secret a person might choose: no digits, so it does not look like a generated API secret. */
const WORD_SECRET = 'hunter2correcthorse';

/**
 * Lines a user could paste that hold a secret. Whatever each line becomes (unknown directive,
 * invalid value, a cron error), no message and no hover may show the secret.
 */
const PASTED: readonly { readonly line: string; readonly secret: string; readonly insidePath?: boolean }[] = [
  { line: `BW_CLIENTSECRET=${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `client_secret=${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `BW_CLIENTSECRET=${WORD_SECRET}`, secret: WORD_SECRET },
  { line: `client_secret=${WORD_SECRET}`, secret: WORD_SECRET },
  { line: `client_secret: ${WORD_SECRET}`, secret: WORD_SECRET },
  { line: `client_secret ${WORD_SECRET}`, secret: WORD_SECRET },
  { line: `password = ${WORD_SECRET}`, secret: WORD_SECRET },
  { line: `export BW_CLIENTSECRET=${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `secretfile:${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `name ${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `schedule 0 12 * * ${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `timezone ${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `platform ${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `run-as ${FAKE_SECRET}`, secret: FAKE_SECRET },
  // Inside a path it may be a real folder name: not called a secret, but not quoted either.
  { line: `instance ~/${FAKE_SECRET}`, secret: FAKE_SECRET, insidePath: true },
  { line: `env TOKEN=${WORD_SECRET}`, secret: WORD_SECRET },
  { line: `env X=${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `${FAKE_SECRET}`, secret: FAKE_SECRET },
  { line: `${FAKE_SECRET} # pasted`, secret: FAKE_SECRET },
];

describe('a secret pasted into a schedule file', () => {
  for (const { line, secret, insidePath } of PASTED) {
    it(`is never shown in a message or a hover: ${line.replace(secret, '<secret>')}`, () => {
      const text = [line, ...REQUIRED].join('\n');
      const diagnostics = diagnoseSchedule(text, { hostPlatform: 'linux', scheduleFile: '/srv/bwdc/job.bwdc-schedule' });
      for (const diagnostic of diagnostics) {
        assert.ok(!diagnostic.message.includes(secret), `${diagnostic.code}: ${diagnostic.message}`);
        for (const fix of diagnostic.fixes ?? []) assert.ok(!fix.title.includes(secret), fix.title);
      }
      assert.ok(
        insidePath || diagnostics.some((diagnostic) => diagnostic.code === 'literal-secret' && diagnostic.range.start.line === 0),
        `literal-secret expected on the line, got ${diagnostics.map((d) => d.code).join(', ')}`,
      );
      const document = parseSchedule(text);
      for (let character = 0; character <= document.lines[0]!.length; character++) {
        const hover = scheduleHover(document, { line: 0, character }, { now: Date.UTC(2025, 0, 1), hostZone: 'UTC', hostPlatform: 'linux', nextRunCount: 3 });
        assert.ok(!hover?.markdown.includes(secret), hover?.markdown);
      }
    });
  }

  it('BW_CLIENTSECRET=<value> and client_secret=<value> get the literal-secret error, not unknown-directive', () => {
    for (const line of [`BW_CLIENTSECRET=${FAKE_SECRET}`, `client_secret=${WORD_SECRET}`]) {
      const codes = diagnoseSchedule([line, ...REQUIRED].join('\n'), { hostPlatform: 'linux' }).map((d) => d.code);
      assert.deepStrictEqual(codes, ['literal-secret'], line);
    }
  });

  it('keeps the rest of a message when it removes a secret from it', () => {
    assert.strictEqual(redactSecrets(`Unknown directive 'BW_CLIENTSECRET=${WORD_SECRET}'.`), "Unknown directive 'BW_CLIENTSECRET=[secret removed]'.");
    assert.strictEqual(redactSecrets(`'${FAKE_SECRET}' is not valid`), "'[secret removed]' is not valid");
    assert.strictEqual(redactSecrets('secret file:/home/bwdc/.config/bwdc/client_secret'), 'secret file:/home/bwdc/.config/bwdc/client_secret');
    assert.strictEqual(redactSecrets('The script sets BW_CLIENTSECRET itself.'), 'The script sets BW_CLIENTSECRET itself.');
  });
});

describe('redactSecrets, fast path', () => {
  /** The straightforward version (before the fast path): both replacements on every text. */
  function reference(text: string): string {
    const isSecretName = (name: string): boolean => /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i.test(name);
    const looksLikeApiSecret = (value: string): boolean =>
      /^[A-Za-z0-9]{24,64}$/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
    const result = text.replace(/([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*[=:][ \t]*)([^\s'"`,;“”„‘’«»]+)/g, (whole, name: string, separator: string, value: string) =>
      isSecretName(name) &&
      !/^(file|env|keychain|dpapi)$/.test(name) &&
      !value.startsWith('[') &&
      !/^(?:true|false|yes|no|on|off|\d{1,6})['".,;:)]*$/i.test(value)
        ? `${name}${separator}[secret removed]`
        : whole,
    );
    return result.replace(/[A-Za-z0-9]+/g, (run) => (looksLikeApiSecret(run) ? '[secret removed]' : run));
  }

  it('redacts exactly what the plain version did, over 20,000 random messages', () => {
    const random = seededRandom(20261204);
    const parts = [
      'BW_CLIENTSECRET',
      'client_secret',
      'token',
      'Api_Key',
      'name',
      '=',
      ': ',
      ' ',
      '/',
      '"',
      'true',
      '42',
      '[x]',
      'hour: 25',
      'file',
      'é',
      '\t',
    ];
    const alphabet = 'abcXYZ0189';
    const token = (): string => Array.from({ length: 1 + Math.floor(random() * 70) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 8) }, () => (random() < 0.5 ? parts[Math.floor(random() * parts.length)]! : token())).join(
        '',
      );
      assert.strictEqual(redactSecrets(text), reference(text), JSON.stringify(text));
    }
  });
});
