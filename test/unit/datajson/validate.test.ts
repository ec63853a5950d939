import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits as applyJsonEdits, findNodeAtLocation, modify, parseTree, type JSONPath, type Node } from 'jsonc-parser';
import type { DataJsonContext, DataJsonDiagnostic, DataJsonReport, DirectoryType } from '../../../src/core/datajson/api';
import { summaryMarkdown } from '../../../src/core/datajson/summary';
import { STORED_SECURELY, validateDataJson } from '../../../src/core/datajson/validate';
import type { Range } from '../../../src/core/text';
import { withTranslations } from '../translations';

/**
 * The data.json validator on a corpus of real-shaped files (test/fixtures/datajson/validator:
 * every layout with every directory type, upgraded files) and on edits of them, one per
 * problem. Expected ranges come from jsonc-parser's own parseTree, so they are independent of
 * the validator's reader. Every run also asserts that no secret or user name from the input
 * reaches a message, a fix title or the hover summary.
 */

const FIXTURES = findFixtures();
const ORG = '3b8e2f41-9c6d-4a75-b0e3-7d1f5a2c9e84';
const TYPES = ['ldap', 'entra', 'gsuite', 'okta', 'onelogin'] as const;
const SECRET_FIELDS = ['password', 'key', 'privateKey', 'token', 'clientSecret'] as const;
const REAL_SECRETS = [
  'Ldap-P4ssw0rd-q9Zr7Tt2',
  'entra~Key.8Qv_x2Lk9Mn4Pz7Rt',
  '-----BEGIN PRIVATE KEY-----\nMIIEvFAKEFAKEkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n',
  '00aBcD-okta-token-ZyXw9876VuTs',
  'onelogin-secret-5f6e7d8c9b0a1f2e3d4c',
];

function findFixtures(): string {
  for (const up of ['../../../../test/fixtures/datajson/validator', '../../fixtures/datajson/validator']) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(process.cwd(), 'test/fixtures/datajson/validator');
}

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Every string that must never be shown: secrets, tokens, user names (found by key, so broken text works too). */
function secretsIn(text: string): string[] {
  const found = new Set<string>();
  const pattern =
    /"(password|key|privateKey|token|clientSecret|accessToken|refreshToken|apiKeyClientSecret|apikey_clientSecret|twoFactorToken|username|adminUser|clientEmail)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
  for (const match of text.matchAll(pattern)) {
    let value: string;
    try {
      value = JSON.parse(`"${match[2]!}"`) as string;
    } catch {
      value = match[2]!;
    }
    if (value.length >= 6 && value !== STORED_SECURELY) found.add(value);
  }
  return [...found];
}

/** Validates, and checks what every run must satisfy: nothing secret shown, ranges inside the text. */
function validate(text: string, context: DataJsonContext = {}): DataJsonReport {
  const report = validateDataJson(text, context);
  const shown = [
    ...report.diagnostics.flatMap((d) => [d.message, ...(d.fixes ?? []).map((fix) => fix.title)]),
    report.summary ? summaryMarkdown(report.summary) : '',
    report.summary ? JSON.stringify(report.summary) : '',
  ].join('\n');
  for (const secret of secretsIn(text)) {
    assert.ok(!shown.includes(secret), `a secret or user name was shown: ${JSON.stringify(secret.slice(0, 12))}…`);
    for (const line of secret.split('\n').filter((part) => part.length >= 12)) assert.ok(!shown.includes(line), 'part of a secret was shown');
  }
  return report;
}

function positionAt(text: string, offset: number): string {
  let line = 0;
  let start = 0;
  for (let index = 0; index < offset; index++) {
    const code = text.charCodeAt(index);
    if (code === 13 && text.charCodeAt(index + 1) === 10) continue;
    if (code === 10 || code === 13) {
      line++;
      start = index + 1;
    }
  }
  return `${line}:${offset - start}`;
}

function spanText(text: string, offset: number, length: number): string {
  return `${positionAt(text, offset)}-${positionAt(text, offset + length)}`;
}

function node(text: string, where: JSONPath): Node {
  const found = findNodeAtLocation(parseTree(text)!, where);
  assert.ok(found, `no node at ${where.join('.')}`);
  return found;
}

/** The range of the value at a JSON path, as jsonc-parser's parseTree sees it. */
function valueAt(text: string, where: JSONPath): string {
  const found = node(text, where);
  return spanText(text, found.offset, found.length);
}

/** The range of the key of the property at a JSON path. */
function keyAt(text: string, where: JSONPath): string {
  const key = node(text, where).parent!.children![0]!;
  return spanText(text, key.offset, key.length);
}

function rangeText(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

function line(d: DataJsonDiagnostic): string {
  return `${d.severity} ${d.code} ${rangeText(d.range)}`;
}

function lines(text: string, context: DataJsonContext = {}): string[] {
  return validate(text, context).diagnostics.map(line).sort();
}

/** The text with the value at `where` replaced (undefined: removed), formatting kept. */
function set(text: string, where: JSONPath, value: unknown): string {
  const tabs = text.includes('\n\t');
  return applyJsonEdits(text, modify(text, where, value, { formattingOptions: { insertSpaces: !tabs, tabSize: tabs ? 1 : 2 } }));
}

function offsetOf(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let current = 0; current < position.line; current++) {
    const next = text.slice(offset).search(/\r\n|\r|\n/);
    const match = /\r\n|\r|\n/.exec(text.slice(offset))!;
    offset += next + match[0].length;
  }
  return offset + position.character;
}

function applyFix(text: string, d: DataJsonDiagnostic, index = 0): string {
  const edits = [...d.fixes![index]!.edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  let result = text;
  for (const edit of edits) result = result.slice(0, offsetOf(result, edit.range.start)) + edit.newText + result.slice(offsetOf(result, edit.range.end));
  return result;
}

function only(text: string, code: string, context: DataJsonContext = {}): DataJsonDiagnostic {
  const found = validate(text, context).diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `${code} once, got ${found.length}`);
  return found[0]!;
}

/** Where each layout keeps things, for edits that apply to every layout. */
interface LayoutCase {
  readonly name: 'L1' | 'L2' | 'L3' | 'L3 upgraded';
  readonly file: (type: DirectoryType) => string;
  readonly config: (type: DirectoryType) => JSONPath;
  readonly holder: JSONPath;
  readonly sync: JSONPath;
  /** What the untouched file reports in secure mode. */
  readonly baseline: (text: string) => string[];
  /** Where a missing directoryType or sync configuration is reported. */
  readonly anchor: (text: string) => string;
}

const L2_ACCOUNT = [ORG];
const LAYOUTS: readonly LayoutCase[] = [
  {
    name: 'L3',
    file: (type) => `l3-${TYPES[type]}.json`,
    config: (type) => [['directoryLdap', 'directoryEntra', 'directoryGsuite', 'directoryOkta', 'directoryOnelogin'][type]!],
    holder: [],
    sync: ['sync'],
    baseline: () => [],
    anchor: () => '0:0-0:1',
  },
  {
    name: 'L3 upgraded',
    file: (type) => `l3-upgraded-${TYPES[type]}.json`,
    config: (type) => [['directoryLdap', 'directoryEntra', 'directoryGsuite', 'directoryOkta', 'directoryOnelogin'][type]!],
    holder: [],
    sync: ['sync'],
    baseline: () => [],
    anchor: () => '0:0-0:1',
  },
  {
    name: 'L2',
    file: (type) => `l2-${TYPES[type]}.json`,
    config: (type) => [...L2_ACCOUNT, 'directoryConfigurations', ['ldap', 'entra', 'gsuite', 'okta', 'oneLogin'][type]!],
    holder: [...L2_ACCOUNT, 'directorySettings'],
    sync: [...L2_ACCOUNT, 'directorySettings', 'sync'],
    baseline: () => [],
    anchor: (text) => keyAt(text, [...L2_ACCOUNT, 'directorySettings']),
  },
  {
    name: 'L1',
    file: (type) => `l1-${TYPES[type]}.json`,
    config: (type) => [`directoryConfig_${type}`],
    holder: [],
    sync: ['syncConfig'],
    baseline: (text) => [`warning data-layout-legacy ${keyAt(text, [text.indexOf('"directoryConfig_0"') >= 0 ? 'directoryConfig_0' : 'directoryConfig_1'])}`],
    anchor: () => '0:0-0:1',
  },
];

const REQUIRED: Record<(typeof TYPES)[number], readonly string[]> = {
  ldap: ['hostname', 'port', 'rootPath', 'username'],
  entra: ['tenant', 'applicationId'],
  gsuite: ['clientEmail', 'domain', 'adminUser'],
  okta: ['orgUrl'],
  onelogin: ['clientId'],
};

const ALL_TYPES: readonly DirectoryType[] = [0, 1, 2, 3, 4];

describe('data.json validator: the corpus', () => {
  for (const layout of LAYOUTS) {
    for (const type of ALL_TYPES) {
      const name = layout.file(type);
      it(`${name}: reports only what its layout implies, in secure mode`, () => {
        const text = fixture(name);
        assert.deepEqual(lines(text), layout.baseline(text).sort());
      });

      it(`${name}: summarizes the layout, directory and sync without secrets`, () => {
        const text = fixture(name);
        const summary = validate(text).summary!;
        assert.equal(summary.layout, layout.name === 'L3 upgraded' ? 'L3' : layout.name);
        assert.equal(summary.upgradedFromL2, layout.name === 'L3 upgraded');
        assert.equal(summary.directoryType, type);
        assert.equal(summary.directoryLabel, ['Active Directory / LDAP', 'Entra ID', 'Google Workspace', 'Okta', 'OneLogin'][type]);
        assert.equal(
          summary.server,
          ['ldaps://dc1.corp.example:636', 'acme-example.onmicrosoft.com', 'acme.example', 'https://acme-example.okta.com', 'eu'][type],
        );
        assert.equal(summary.users, true);
        assert.equal(summary.groups, type !== 3);
        assert.equal(summary.organizationId, ORG);
        assert.equal(summary.lastUserSync, '2026-07-20T02:00:09.113Z');
        assert.equal(summary.lastGroupSync, '2026-07-20T02:00:10.402Z');
        assert.equal(summary.directorySecret, 'placeholder');
        assert.equal(summary.stateVersion, layout.name === 'L1' ? undefined : layout.name === 'L2' ? 3 : 6);
      });

      it(`${name}: in plaintext mode, flags the "${STORED_SECURELY}" placeholder and accepts the real secret`, () => {
        const text = fixture(name);
        const secretPath = [...layout.config(type), SECRET_FIELDS[type]];
        assert.deepEqual(
          lines(text, { plaintextSecrets: true }),
          [...layout.baseline(text), `error data-secret-placeholder ${valueAt(text, secretPath)}`].sort(),
        );
        const real = set(text, secretPath, REAL_SECRETS[type]);
        assert.deepEqual(lines(real, { plaintextSecrets: true }), layout.baseline(real).sort());
        assert.equal(validate(real, { plaintextSecrets: true }).summary!.directorySecret, 'plaintext');
      });

      it(`${name}: in secure mode, a real secret in the file is ignored by bwdc, and the fix puts the placeholder back`, () => {
        const text = set(fixture(name), [...layout.config(type), SECRET_FIELDS[type]], REAL_SECRETS[type]);
        const secretPath = [...layout.config(type), SECRET_FIELDS[type]];
        assert.deepEqual(lines(text), [...layout.baseline(text), `warning data-secret-ignored ${valueAt(text, secretPath)}`].sort());
        const d = only(text, 'data-secret-ignored');
        assert.match(d.message, /ignores it and reads the secret from the OS keychain/);
        assert.equal(d.fixes![0]!.preferred, false);
        assert.deepEqual(lines(applyFix(text, d)), layout.baseline(text).sort());
      });

      it(`${name}: every required ${TYPES[type]} setting, when missing, null or empty`, () => {
        const base = fixture(name);
        const config = layout.config(type);
        for (const field of REQUIRED[TYPES[type]]) {
          const absent = set(base, [...config, field], undefined);
          const bwdcError =
            type === 0 && field === 'username'
              ? 'Username/password are not configured.'
              : type === 0 && field === 'rootPath'
                ? 'TypeError'
                : 'Directory configuration incomplete.';
          const missing = only(absent, 'data-field-missing');
          assert.equal(rangeText(missing.range), keyAt(absent, config), `${field} absent`);
          assert.ok(missing.message.includes(`'${field}'`) && missing.message.includes(bwdcError), missing.message);
          for (const empty of [null, '']) {
            const text = set(base, [...config, field], empty);
            assert.deepEqual(
              lines(text),
              [...layout.baseline(text), `error data-field-missing ${valueAt(text, [...config, field])}`].sort(),
              `${field} = ${JSON.stringify(empty)}`,
            );
          }
        }
      });

      it(`${name}: directoryType as a string, out of range, null or missing`, () => {
        const base = fixture(name);
        const typePath = [...layout.holder, 'directoryType'];
        const asString = set(base, typePath, String(type));
        assert.deepEqual(lines(asString), [...layout.baseline(asString), `error data-directory-type-not-number ${valueAt(asString, typePath)}`].sort());
        const d = only(asString, 'data-directory-type-not-number');
        assert.equal(d.fixes!.length, 1);
        assert.equal(d.fixes![0]!.preferred, true);
        assert.deepEqual(d.fixes![0]!.edits, [{ range: d.range, newText: String(type) }]);
        assert.equal(applyFix(asString, d), base);

        for (const bad of [5, -1, 1.5]) {
          const text = set(base, typePath, bad);
          assert.deepEqual(lines(text), [...layout.baseline(text), `error data-directory-type-range ${valueAt(text, typePath)}`].sort(), String(bad));
        }
        const nulled = set(base, typePath, null);
        assert.deepEqual(lines(nulled), [...layout.baseline(nulled), `error data-directory-type-missing ${valueAt(nulled, typePath)}`].sort());
        const removed = set(base, typePath, undefined);
        assert.deepEqual(lines(removed), [...layout.baseline(removed), `error data-directory-type-missing ${layout.anchor(removed)}`].sort());
        assert.match(only(removed, 'data-directory-type-missing').message, /No directory configured\./);
      });

      it(`${name}: the selected configuration missing or null`, () => {
        const base = fixture(name);
        const removed = set(base, layout.config(type), undefined);
        const typeValue = valueAt(removed, [...layout.holder, 'directoryType']);
        const expected = [
          ...layout.baseline(removed).filter((entry) => !(layout.name === 'L1' && type === 0 && entry.includes('legacy'))),
          `error data-directory-config-missing ${typeValue}`,
        ];
        if (layout.name === 'L1' && type === 0) expected.push(`warning data-layout-legacy ${keyAt(removed, ['directoryConfig_1'])}`);
        assert.deepEqual(lines(removed), expected.sort());
        const nulled = set(base, layout.config(type), null);
        assert.deepEqual(lines(nulled), [...layout.baseline(nulled), `error data-directory-config-missing ${valueAt(nulled, layout.config(type))}`].sort());
      });

      it(`${name}: nothing to sync, or no sync configuration at all`, () => {
        const base = fixture(name);
        const off = set(set(base, [...layout.sync, 'users'], false), [...layout.sync, 'groups'], false);
        assert.deepEqual(lines(off), [...layout.baseline(off), `warning data-nothing-synced ${keyAt(off, layout.sync)}`].sort());
        const removed = set(base, layout.sync, undefined);
        assert.deepEqual(lines(removed), [...layout.baseline(removed), `warning data-nothing-synced ${layout.anchor(removed)}`].sort());
      });

      it(`${name}: wrong JSON types in the sync configuration`, () => {
        const base = fixture(name);
        const cases: [string, unknown][] = [
          ['users', 'yes'],
          ['removeDisabled', 'false'],
          ['largeImport', 1],
          ['interval', '5'],
          ['groupFilter', 7],
        ];
        for (const [field, value] of cases) {
          const text = set(base, [...layout.sync, field], value);
          assert.deepEqual(lines(text), [...layout.baseline(text), `error data-field-type ${valueAt(text, [...layout.sync, field])}`].sort(), field);
        }
        const notObject = set(base, layout.sync, ['users']);
        assert.deepEqual(lines(notObject), [...layout.baseline(notObject), `error data-field-type ${valueAt(notObject, layout.sync)}`].sort());
      });

      if (type !== 0) {
        it(`${name}: ${TYPES[type]} filters bwdc cannot read`, () => {
          const base = fixture(name);
          const accepted = ['include:Engineering', 'EXCLUDE: a@acme.example , b@acme.example', '|email:it*', 'include:x|name:y', '', '  |q'];
          const rejected = ['Engineering', 'contains:x', 'include:a:b', 'include;x'];
          if (type === 1) {
            accepted.push('includeGroup:8b3f0e6a', 'excludegroup:1|excludeGroup:2');
            rejected.push('includeadministrativeunit:1');
          }
          for (const value of accepted) {
            const text = set(base, [...layout.sync, 'userFilter'], value);
            assert.deepEqual(lines(text), layout.baseline(text).sort(), `userFilter ${value}`);
          }
          for (const value of rejected) {
            const text = set(base, [...layout.sync, 'userFilter'], value);
            assert.deepEqual(
              lines(text),
              [...layout.baseline(text), `warning data-filter-prefix ${valueAt(text, [...layout.sync, 'userFilter'])}`].sort(),
              `userFilter ${value}`,
            );
            assert.match(only(text, 'data-filter-prefix').message, /syncs? all users/);
          }
          const groups = type === 1 ? ['includeadministrativeunit:7ckcq6e5', 'excludeAdministrativeUnit:1'] : ['include:Engineering'];
          for (const value of groups) {
            const text = set(base, [...layout.sync, 'groupFilter'], value);
            assert.deepEqual(lines(text), layout.baseline(text).sort(), `groupFilter ${value}`);
          }
          const badGroup = set(base, [...layout.sync, 'groupFilter'], 'includeGroup:1');
          assert.deepEqual(
            lines(badGroup),
            [...layout.baseline(badGroup), `warning data-filter-prefix ${valueAt(badGroup, [...layout.sync, 'groupFilter'])}`].sort(),
          );
          assert.match(only(badGroup, 'data-filter-prefix').message, /syncs all groups/);
        });
      }
    }
  }

  it('accepts the LDAP filters of an LDAP directory whatever their shape', () => {
    const text = set(fixture('l3-ldap.json'), ['sync', 'userFilter'], '(objectClass=person)');
    assert.deepEqual(lines(text), []);
  });

  it('reads Entra ID from directoryConfigurations.azure in L2 files written before v2025.7.0', () => {
    const text = fixture('l2-entra-azure.json');
    assert.deepEqual(lines(text), []);
    assert.equal(validate(text).summary!.server, 'acme-example.onmicrosoft.com');
    // `entra` is read first: a null one falls back to `azure`.
    const withNull = set(text, [ORG, 'directoryConfigurations', 'entra'], null);
    assert.deepEqual(lines(withNull), []);
    const neither = set(text, [ORG, 'directoryConfigurations', 'azure'], undefined);
    const d = only(neither, 'data-directory-config-missing');
    assert.match(d.message, /directoryConfigurations\.entra/);
  });
});

describe('data.json validator: layouts', () => {
  it('treats {} as a fresh file with nothing configured', () => {
    const report = validate(fixture('empty.json'));
    assert.deepEqual(report.diagnostics.map(line), ['warning data-unconfigured 0:0-0:1']);
    assert.equal(report.summary!.layout, 'empty');
    assert.match(report.diagnostics[0]!.message, /No directory configured\./);
  });

  it('reports a fresh v2026.6 file (metadata only) as unconfigured, in the L3 layout', () => {
    const report = validate(fixture('l3-fresh.json'));
    assert.deepEqual(report.diagnostics.map(line), ['warning data-unconfigured 0:0-0:1']);
    assert.equal(report.summary!.layout, 'L3');
    assert.equal(report.summary!.stateVersion, 6);
    assert.equal(report.summary!.layoutLabel, 'flat state-service layout (Directory Connector v2026.6.0 and later)');
  });

  it('calls an object with no key bwdc reads an unknown layout, and unconfigured', () => {
    const report = validate('{"hello": "world"}');
    assert.deepEqual(report.diagnostics.map(line), ['warning data-unconfigured 0:0-0:1']);
    assert.equal(report.summary!.layout, 'unknown');
  });

  it('labels each layout with its version range', () => {
    assert.equal(validate(fixture('l1-ldap.json')).summary!.layoutLabel, 'flat legacy layout (Directory Connector v2.9.8 and earlier)');
    assert.equal(validate(fixture('l2-ldap.json')).summary!.layoutLabel, 'account-scoped layout (Directory Connector v2.9.9 – v2026.4.0)');
    assert.equal(validate(fixture('l3-upgraded-ldap.json')).summary!.layoutLabel, 'flat state-service layout (Directory Connector v2026.6.0 and later)');
  });

  it('warns once, on the first legacy key, that bwdc v2026.6+ ignores an L1 file', () => {
    const text = fixture('l1-okta.json');
    const d = only(text, 'data-layout-legacy');
    assert.equal(rangeText(d.range), keyAt(text, ['directoryConfig_0']));
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /v2026\.6\.0 and later treat it as a fresh install/);
    assert.match(d.message, /directoryConfig_N and syncConfig/);
  });

  it('flags flat-legacy keys left in an L3 file: they are not read any more', () => {
    const text = set(fixture('l3-okta.json'), ['directoryConfig_3'], { orgUrl: 'https://old.okta.com', token: STORED_SECURELY });
    assert.deepEqual(lines(text), [`warning data-layout-legacy ${keyAt(text, ['directoryConfig_3'])}`]);
    assert.equal(validate(text).summary!.layout, 'L3');
  });

  it('reads only the L3 keys of an upgraded file: stale L2 keys are never flagged', () => {
    let text = fixture('l3-upgraded-ldap.json');
    text = set(text, [ORG, 'directorySettings', 'directoryType'], '3');
    text = set(text, [ORG, 'directorySettings', 'sync', 'users'], 'no');
    text = set(text, [ORG, 'directoryConfigurations', 'ldap'], null);
    text = set(text, [ORG, 'directoryConfigurations', 'okta', 'token'], REAL_SECRETS[3]);
    text = set(text, ['global', 'stateVersion'], 1);
    text = set(text, ['activeUserId'], 'someone-else');
    assert.deepEqual(lines(text), []);
    const summary = validate(text).summary!;
    assert.equal(summary.upgradedFromL2, true);
    assert.equal(summary.directoryType, 0);
  });

  it('takes a top-level stateVersion of 5 or more as L3 even next to L2 keys, and a lower one not', () => {
    const l2 = fixture('l2-okta.json');
    assert.equal(validate(set(l2, ['stateVersion'], 5)).summary!.layout, 'L3');
    assert.equal(validate(set(l2, ['stateVersion'], 4)).summary!.layout, 'L2');
  });

  it('reports a stateVersion that is not a number', () => {
    const text = set(fixture('l3-okta.json'), ['stateVersion'], '6');
    assert.deepEqual(lines(text), [`error data-field-type ${valueAt(text, ['stateVersion'])}`]);
    assert.equal(validate(text).summary!.layout, 'L3');
  });

  it('reports an L2 file at state version 1 or 2 as too old for bwdc v2026.6+', () => {
    for (const version of [1, 2]) {
      const text = set(fixture('l2-gsuite.json'), ['global', 'stateVersion'], version);
      assert.deepEqual(lines(text), [`error data-state-too-old ${valueAt(text, ['global', 'stateVersion'])}`]);
      assert.match(only(text, 'data-state-too-old').message, new RegExp(`too old to migrate \\(state version ${version}\\)`));
    }
    assert.deepEqual(lines(set(fixture('l2-gsuite.json'), ['global', 'stateVersion'], 3)), []);
  });

  it('reports an L2 file without an active account, pointing at activeUserId or where it belongs', () => {
    const base = fixture('l2-okta.json');
    const nulled = set(base, ['activeUserId'], null);
    assert.deepEqual(lines(nulled), [`error data-no-active-account ${valueAt(nulled, ['activeUserId'])}`]);
    assert.match(only(nulled, 'data-no-active-account').message, /Cannot read properties of null \(reading 'directorySettings'\)/);
    const removed = set(base, ['activeUserId'], undefined);
    assert.deepEqual(lines(removed), [`error data-no-active-account ${keyAt(removed, ['global'])}`]);
    const elsewhere = set(base, ['activeUserId'], '11111111-2222-4333-8444-555555555555');
    assert.deepEqual(lines(elsewhere), [`error data-no-active-account ${valueAt(elsewhere, ['activeUserId'])}`]);
    assert.match(only(elsewhere, 'data-no-active-account').message, /names an account this file does not hold/);
    const nullAccount = set(base, [ORG], null);
    assert.deepEqual(lines(nullAccount), [`error data-no-active-account ${valueAt(nullAccount, ['activeUserId'])}`]);
    assert.equal(validate(nullAccount).summary!.layout, 'L2');
  });

  it('reports an L2 account that has no settings yet as unconfigured', () => {
    let text = set(fixture('l2-okta.json'), [ORG, 'directorySettings'], undefined);
    text = set(text, [ORG, 'directoryConfigurations'], undefined);
    assert.deepEqual(lines(text), [`warning data-unconfigured ${keyAt(text, [ORG])}`]);
  });

  it('reports L2 containers of the wrong type', () => {
    const text = set(fixture('l2-okta.json'), [ORG, 'directorySettings'], 'x');
    assert.ok(lines(text).includes(`error data-field-type ${valueAt(text, [ORG, 'directorySettings'])}`), lines(text).join('\n'));
  });

  it('keeps the last of duplicate keys, as JSON.parse and so bwdc do', () => {
    const text = fixture('l3-okta.json').replace('"directoryType": 3,', '"directoryType": "3",\n  "directoryType": 3,');
    assert.deepEqual(lines(text), []);
    const reversed = fixture('l3-okta.json').replace('"directoryType": 3,', '"directoryType": 3,\n  "directoryType": "3",');
    assert.deepEqual(lines(reversed), ['error data-directory-type-not-number 8:19-8:22']);
  });

  it('offers no number fix for a directoryType string that is not a single digit 0–4', () => {
    for (const value of ['ldap', '7', ' 1', true]) {
      const text = set(fixture('l3-ldap.json'), ['directoryType'], value);
      const d = only(text, 'data-directory-type-not-number');
      assert.equal(d.fixes, undefined, String(value));
    }
  });

  it('reports a configuration of the wrong type', () => {
    const text = set(fixture('l3-okta.json'), ['directoryOkta'], 'okta');
    assert.deepEqual(lines(text), [`error data-field-type ${valueAt(text, ['directoryOkta'])}`]);
  });
});

describe('data.json validator: directory settings', () => {
  const ldap = fixture('l3-ldap.json');
  const ldapSet = (changes: Record<string, unknown>): string =>
    Object.entries(changes).reduce((text, [key, value]) => set(text, ['directoryLdap', key], value), ldap);

  it('flags startTls without ssl: bwdc ignores it and binds over plain ldap://', () => {
    for (const ssl of [false, undefined]) {
      const text = ldapSet({ ssl, startTls: true, port: 389 });
      assert.deepEqual(lines(text), [`warning data-ldap-starttls-ignored ${valueAt(text, ['directoryLdap', 'startTls'])}`]);
    }
    assert.deepEqual(lines(ldapSet({ ssl: true, startTls: true, port: 389 })), []);
    assert.equal(validate(ldapSet({ ssl: true, startTls: true, port: 389 })).summary!.startTls, true);
    assert.equal(validate(ldapSet({ ssl: true, startTls: true, port: 389 })).summary!.server, 'ldap://dc1.corp.example:389');
  });

  it('checks the LDAP port: a TCP port, and not the other protocol’s usual one', () => {
    const portAt = (text: string): string => valueAt(text, ['directoryLdap', 'port']);
    for (const port of [0, 65536, 1.5, -389, 'abc', ' 636', '6 36', '99999']) {
      const text = ldapSet({ port });
      assert.deepEqual(lines(text), [`warning data-ldap-port ${portAt(text)}`], JSON.stringify(port));
    }
    for (const port of [636, '636', 3269]) assert.deepEqual(lines(ldapSet({ port })), [], JSON.stringify(port));
    const ldapsOn389 = ldapSet({ port: 389 });
    assert.deepEqual(lines(ldapsOn389), [`warning data-ldap-port ${portAt(ldapsOn389)}`]);
    assert.match(only(ldapsOn389, 'data-ldap-port').message, /ldaps:\/\/.*636/);
    for (const changes of [{ ssl: false }, { ssl: true, startTls: true }]) {
      const text = ldapSet(changes);
      assert.deepEqual(lines(text), [`warning data-ldap-port ${portAt(text)}`], JSON.stringify(changes));
      assert.match(only(text, 'data-ldap-port').message, /636 is the LDAPS port/);
    }
    const boolean = ldapSet({ port: true });
    assert.deepEqual(lines(boolean), [`error data-field-type ${portAt(boolean)}`]);
  });

  it('reports LDAP settings of the wrong JSON type', () => {
    const cases: [string, unknown][] = [
      ['ssl', 'false'],
      ['startTls', 0],
      ['ad', 'true'],
      ['pagedSearch', {}],
      ['hostname', 42],
      ['rootPath', ['dc=corp']],
      ['sslCaPath', false],
    ];
    for (const [key, value] of cases) {
      const text = ldapSet({ [key]: value });
      assert.ok(lines(text).includes(`error data-field-type ${valueAt(text, ['directoryLdap', key])}`), `${key}: ${lines(text).join(', ')}`);
    }
    const quoted = only(ldapSet({ ssl: 'false' }), 'data-field-type');
    assert.match(quoted.message, /'ssl' must be true or false, not a string/);
  });

  it('looks certificate files up only when it can, and only absolute paths', () => {
    const withPaths = ldapSet({ sslCertPath: '/etc/bwdc/client.pem', sslKeyPath: 'relative/key.pem', tlsCaPath: '/etc/bwdc' });
    const kinds: Record<string, 'file' | 'directory' | 'missing'> = {
      '/etc/ssl/certs/corp-root-ca.pem': 'file',
      '/etc/bwdc/client.pem': 'missing',
      '/etc/bwdc': 'directory',
    };
    const looked: string[] = [];
    const pathKind = (p: string): 'file' | 'directory' | 'missing' => {
      looked.push(p);
      return kinds[p] ?? 'missing';
    };
    assert.deepEqual(
      lines(withPaths, { pathKind }),
      [
        `warning data-cert-missing ${valueAt(withPaths, ['directoryLdap', 'sslCertPath'])}`,
        `warning data-cert-missing ${valueAt(withPaths, ['directoryLdap', 'tlsCaPath'])}`,
      ].sort(),
    );
    assert.deepEqual(looked.sort(), ['/etc/bwdc', '/etc/bwdc/client.pem', '/etc/ssl/certs/corp-root-ca.pem']);
    const [missing, folder] = validate(withPaths, { pathKind }).diagnostics;
    assert.match(missing!.message, /No file at '\/etc\/bwdc\/client\.pem'.*silently skips/);
    assert.match(folder!.message, /'tlsCaPath' names a folder/);
    assert.deepEqual(lines(withPaths), [], 'nothing is looked up without pathKind');
    const throwing = (): never => {
      throw new Error('EACCES');
    };
    assert.deepEqual(lines(withPaths, { pathKind: throwing }), [], 'a failing look-up is no finding');
    const windows = ldapSet({ sslCaPath: 'C:\\certs\\ca.pem' });
    assert.deepEqual(lines(windows, { pathKind: () => 'missing' }), [`warning data-cert-missing ${valueAt(windows, ['directoryLdap', 'sslCaPath'])}`]);
  });

  it('checks the Entra ID identity authority, with a fix for a URL of an accepted one', () => {
    const base = fixture('l3-entra.json');
    const at = ['directoryEntra', 'identityAuthority'];
    for (const ok of [null, 'login.microsoftonline.com', 'login.microsoftonline.us', undefined]) assert.deepEqual(lines(set(base, at, ok)), [], String(ok));
    for (const bad of ['example.com', '', 'login.microsoftonline.de']) {
      const text = set(base, at, bad);
      assert.deepEqual(lines(text), [`error data-identity-authority ${valueAt(text, at)}`], bad);
      assert.equal(only(text, 'data-identity-authority').fixes, undefined);
      assert.match(only(text, 'data-identity-authority').message, /Directory configuration incomplete\./);
    }
    const url = set(base, at, 'https://Login.MicrosoftOnline.us/');
    const d = only(url, 'data-identity-authority');
    assert.deepEqual(d.fixes, [
      { title: 'Change to "login.microsoftonline.us"', edits: [{ range: d.range, newText: '"login.microsoftonline.us"' }], preferred: true },
    ]);
    assert.deepEqual(lines(applyFix(url, d)), []);
    const number = set(base, at, 1);
    assert.deepEqual(lines(number), [`error data-field-type ${valueAt(number, at)}`]);
  });

  it('checks the OneLogin region', () => {
    const base = fixture('l3-onelogin.json');
    const at = ['directoryOnelogin', 'region'];
    assert.deepEqual(lines(set(base, at, 'us')), []);
    assert.deepEqual(lines(set(base, at, undefined)), []);
    for (const bad of ['ap', null, 'u s']) {
      const text = set(base, at, bad);
      assert.deepEqual(lines(text), [`warning data-onelogin-region ${valueAt(text, at)}`], String(bad));
      assert.equal(only(text, 'data-onelogin-region').fixes, undefined);
    }
    const upper = set(base, at, 'EU');
    const d = only(upper, 'data-onelogin-region');
    assert.deepEqual(d.fixes, [{ title: 'Change to "eu"', edits: [{ range: d.range, newText: '"eu"' }], preferred: true }]);
    assert.deepEqual(lines(applyFix(upper, d)), []);
  });

  it('does not check the settings of directories that are not selected, except for secrets', () => {
    let text = set(fixture('l3-okta.json'), ['directoryLdap', 'port'], 'abc');
    text = set(text, ['directoryEntra', 'identityAuthority'], 'example.com');
    text = set(text, ['directoryOnelogin', 'region'], 'ap');
    assert.deepEqual(lines(text), []);
    const secret = set(text, ['directoryLdap', 'password'], REAL_SECRETS[0]);
    assert.deepEqual(lines(secret), [`warning data-secret-ignored ${valueAt(secret, ['directoryLdap', 'password'])}`]);
  });
});

describe('data.json validator: secrets', () => {
  it('in plaintext mode, warns that a missing secret stops the sync, with bwdc’s own words', () => {
    for (const type of ALL_TYPES) {
      const layout = LAYOUTS[0]!;
      const base = fixture(layout.file(type));
      const at = [...layout.config(type), SECRET_FIELDS[type]];
      const words = type === 0 ? 'Username/password are not configured.' : 'Directory configuration incomplete.';
      for (const empty of [null, '']) {
        const text = set(base, at, empty);
        assert.deepEqual(lines(text, { plaintextSecrets: true }), [`warning data-secret-missing ${valueAt(text, at)}`]);
        assert.ok(only(text, 'data-secret-missing', { plaintextSecrets: true }).message.includes(words));
        assert.deepEqual(lines(text), [], 'secure mode: the keychain holds it');
      }
      const removed = set(base, at, undefined);
      assert.deepEqual(lines(removed, { plaintextSecrets: true }), [`warning data-secret-missing ${keyAt(removed, layout.config(type))}`]);
    }
  });

  it('checks the directory a quoted directoryType means, so the placeholder is found before the next run', () => {
    const text = set(fixture('l3-ldap.json'), ['directoryType'], '0');
    assert.deepEqual(
      lines(text, { plaintextSecrets: true }),
      [
        `error data-directory-type-not-number ${valueAt(text, ['directoryType'])}`,
        `error data-secret-placeholder ${valueAt(text, ['directoryLdap', 'password'])}`,
      ].sort(),
    );
    const summary = validate(text).summary!;
    assert.equal(summary.directoryType, 0);
    assert.equal(summary.server, 'ldaps://dc1.corp.example:636');
  });

  it('accepts a null Google private key in secure mode (the desktop app writes it so)', () => {
    assert.deepEqual(lines(set(fixture('l3-gsuite.json'), ['directoryGsuite', 'privateKey'], null)), []);
  });

  it('warns, once and on the first secret’s key, when plaintext secrets sit in a file others can read', () => {
    const l2 = fixture('l2-ldap.json');
    const first = keyAt(l2, [ORG, 'keys', 'apiKeyClientSecret']);
    for (const mode of [0o644, 0o640, 0o604, 0o100644]) {
      const d = only(l2, 'data-secret-readable', { fileMode: mode });
      assert.equal(rangeText(d.range), first);
      assert.equal(d.severity, 'warning');
      assert.ok(d.message.includes((mode & 0o777).toString(8)) && d.message.includes('chmod 600'), d.message);
    }
    for (const mode of [0o600, 0o620, 0o700, 0o400]) assert.deepEqual(lines(l2, { fileMode: mode }), [], mode.toString(8));
    assert.deepEqual(lines(fixture('l3-ldap.json'), { fileMode: 0o644 }), [], 'placeholders only');
  });

  it('counts L3 tokens, directory secrets, L1 tokens and upgraded leftovers as readable secrets', () => {
    const l3 = set(set(fixture('l3-okta.json'), ['refreshToken'], 'FAKE-REFRESH-1234567890'), ['apiKeyClientSecret'], 'FAKEsecretABCDEFGH');
    assert.deepEqual(
      lines(l3, { fileMode: 0o644, plaintextSecrets: true }),
      [`error data-secret-placeholder ${valueAt(l3, ['directoryOkta', 'token'])}`, `warning data-secret-readable ${keyAt(l3, ['refreshToken'])}`].sort(),
    );
    const directory = set(fixture('l3-okta.json'), ['directoryOkta', 'token'], REAL_SECRETS[3]);
    assert.deepEqual(lines(directory, { fileMode: 0o644, plaintextSecrets: true }), [
      `warning data-secret-readable ${keyAt(directory, ['directoryOkta', 'token'])}`,
    ]);
    const l1 = fixture('l1-okta.json');
    assert.equal(rangeText(only(l1, 'data-secret-readable', { fileMode: 0o644 }).range), keyAt(l1, ['accessToken']));
    const upgraded = fixture('l3-upgraded-okta.json');
    assert.equal(rangeText(only(upgraded, 'data-secret-readable', { fileMode: 0o644 }).range), keyAt(upgraded, [ORG, 'keys', 'apiKeyClientSecret']));
  });

  it('never shows a secret, whatever the mode and however it is reported', () => {
    for (const name of fs.readdirSync(FIXTURES)) {
      let text = fixture(name);
      // Put a real secret into every directory configuration the file has.
      const tree = parseTree(text)!;
      const configs: JSONPath[] = [];
      for (const [config, field] of [
        ['directoryLdap', 'password'],
        ['directoryEntra', 'key'],
        ['directoryGsuite', 'privateKey'],
        ['directoryOkta', 'token'],
        ['directoryOnelogin', 'clientSecret'],
        ['directoryConfig_0', 'password'],
        ['directoryConfig_1', 'key'],
        ['directoryConfig_2', 'privateKey'],
        ['directoryConfig_3', 'token'],
        ['directoryConfig_4', 'clientSecret'],
      ] as const) {
        if (findNodeAtLocation(tree, [config])?.type === 'object') configs.push([config, field]);
      }
      configs.forEach((where, index) => (text = set(text, where, REAL_SECRETS[index % REAL_SECRETS.length])));
      for (const context of [{}, { plaintextSecrets: true }, { fileMode: 0o644 }, { plaintextSecrets: true, fileMode: 0o666 }]) {
        const report = validate(text, context);
        assert.ok(report.summary, name);
      }
    }
  });
});

describe('data.json validator: text bwdc cannot parse', () => {
  const consequence = /reset it to its defaults, losing every setting and the server address/;

  it('reports comments and trailing commas exactly, with fixes that make the file valid', () => {
    const text = '{\n  // the LDAP server\n  "directoryType": 0, /* zero */\n  "sync": { "users": true, },\n}\n';
    assert.deepEqual(
      lines(text),
      [
        'error data-json-comment 1:2-1:20',
        'error data-json-comment 2:22-2:32',
        'error data-json-trailing-comma 3:25-3:26',
        'error data-json-trailing-comma 3:28-3:29',
        'error data-directory-config-missing 2:19-2:20',
      ].sort(),
    );
    const report = validate(text);
    for (const d of report.diagnostics.filter((entry) => entry.code.startsWith('data-json'))) {
      assert.match(d.message, consequence);
      assert.equal(d.fixes!.length, 1);
      assert.equal(d.fixes![0]!.preferred, true);
      assert.deepEqual(d.fixes![0]!.edits, [{ range: d.range, newText: '' }]);
    }
    let fixed = text;
    for (const d of [...report.diagnostics].filter((entry) => entry.code.startsWith('data-json')).reverse()) fixed = applyFix(fixed, d);
    assert.doesNotThrow(() => JSON.parse(fixed));
    assert.deepEqual(lines(fixed), [`error data-directory-config-missing ${valueAt(fixed, ['directoryType'])}`]);
  });

  it('reports trailing commas in arrays', () => {
    assert.deepEqual(
      lines('{"authenticatedAccounts": ["a",], "global": {}}'),
      ['error data-json-trailing-comma 0:30-0:31', 'error data-no-active-account 0:34-0:42'].sort(),
    );
  });

  it('reports a byte order mark and still reads the rest', () => {
    const text = `\uFEFF${fixture('l3-okta.json')}`;
    const report = validate(text);
    assert.deepEqual(report.diagnostics.map(line), ['error data-json-bom 0:0-0:1']);
    assert.match(report.diagnostics[0]!.message, consequence);
    assert.match(report.diagnostics[0]!.message, /UTF-8 without BOM/);
    assert.equal(report.summary!.layout, 'L3');
    assert.equal(report.summary!.directoryType, 3);
  });

  it('reports the first syntax error only, where reading stops, in plain words', () => {
    const cases: [string, string, RegExp][] = [
      ['{"directoryType": 0 "sync": {}}', '0:20-0:26', /',' was expected/],
      ["{'directoryType': 0}", '0:1-0:16', /double quotes/],
      ['{directoryType: 0}', '0:1-0:14', /double quotes/],
      ['{"a": NaN}', '0:6-0:9', /unexpected character/],
      ['{"a": 01}', '0:7-0:8', /',' was expected/],
      ['{"a": 1.}', '0:6-0:8', /invalid number/],
      ['{"a": "x\ty"}', '0:6-0:11', /control character/],
      ['{"a": "\\x"}', '0:6-0:10', /invalid escape/],
      ['{"a": "\\u12"}', '0:6-0:12', /\\u escape/],
      ['{"a": 1}}', '0:8-0:9', /nothing may follow/],
      ['{"a": 1} x', '0:9-0:10', /unexpected character/],
      ['{"a" 1}', '0:5-0:6', /':' was expected/],
      ['{"a": 1]', '0:7-0:8', /'}' was expected/],
      ['[1 2]', '0:3-0:4', /',' was expected/],
      ['{"a": [1, 2}', '0:11-0:12', /']' was expected/],
      ['{"a":\u00a01}', '0:5-0:7', /unexpected character/],
      ['{"a": "line\nbreak"}', '0:6-0:11', /unterminated string/],
    ];
    for (const [text, where, words] of cases) {
      const syntax = validate(text).diagnostics.filter((d) => d.code === 'data-json-syntax');
      assert.equal(syntax.length, 1, text);
      assert.equal(rangeText(syntax[0]!.range), where, text);
      assert.match(syntax[0]!.message, words, text);
      assert.match(syntax[0]!.message, consequence);
      assert.equal(syntax[0]!.severity, 'error');
    }
  });

  it('reports a truncated file at its end, and still summarizes what it read', () => {
    const whole = fixture('l3-okta.json');
    const cut = whole.slice(0, whole.indexOf('"orgUrl"') + 20);
    const report = validate(cut);
    assert.deepEqual(report.diagnostics.map(line), [`error data-json-syntax ${spanText(cut, whole.indexOf('"orgUrl"') + 10, 10)}`]);
    assert.match(report.diagnostics[0]!.message, /ends too early/);
    assert.equal(report.summary!.layout, 'L3');
    assert.equal(report.summary!.directoryType, 3);
    const closed = whole.slice(0, whole.indexOf('"sync"'));
    const atEnd = validate(closed).diagnostics;
    assert.deepEqual(atEnd.map(line), [`error data-json-syntax ${spanText(closed, closed.length, 0)}`]);
  });

  it('reports empty text and whitespace as not JSON, without a summary', () => {
    for (const text of ['', '   \n', '\uFEFF']) {
      const report = validate(text);
      assert.deepEqual(
        report.diagnostics.map((d) => d.code).filter((code) => code !== 'data-json-bom'),
        ['data-json-syntax'],
        JSON.stringify(text),
      );
      assert.equal(report.summary, undefined);
    }
  });

  it('reports an unterminated block comment', () => {
    assert.deepEqual(lines('{"a": 1 /* open'), ['error data-json-comment 0:8-0:15', 'error data-json-syntax 0:15-0:15'].sort());
  });

  it('counts lines at \\n, \\r\\n and \\r and characters in UTF-16 units', () => {
    assert.deepEqual(lines('{\r\n"directoryType": "3",\r"directoryOkta": {"orgUrl": "https://a.okta.com"},\n"sync": {"users": true}\r\n}'), [
      'error data-directory-type-not-number 1:17-1:20',
    ]);
    assert.deepEqual(lines('{"name": "\u{1F600}", "directoryType": "3", "directoryOkta": {"orgUrl": "https://a.okta.com"}, "sync": {"users": true}}'), [
      'error data-directory-type-not-number 0:32-0:35',
    ]);
    assert.deepEqual(lines('{"name": "\u{1F600}", "sync": "x"}'), ['error data-directory-type-missing 0:0-0:1', 'error data-field-type 0:23-0:26']);
  });

  it('reports a top level that is not an object', () => {
    const cases: [string, string][] = [
      ['[]', '0:0-0:1'],
      ['[{"directoryType": 0}]', '0:0-0:1'],
      ['"data"', '0:0-0:6'],
      ['null', '0:0-0:4'],
      ['  42\n', '0:2-0:4'],
      ['true', '0:0-0:4'],
    ];
    for (const [text, where] of cases) {
      const report = validate(text);
      assert.deepEqual(report.diagnostics.map(line), [`error data-not-object ${where}`], text);
      assert.equal(report.summary, undefined);
    }
    assert.deepEqual(lines('[1,'), ['error data-json-syntax 0:3-0:3'], 'broken text: the syntax error is enough');
  });

  it('skips the setting checks of broken text but not the readable-secret warning', () => {
    const whole = fixture('l2-okta.json');
    const cut = whole.slice(0, whole.indexOf('"directoryConfigurations"'));
    const codes = validate(cut, { fileMode: 0o644, plaintextSecrets: true })
      .diagnostics.map((d) => d.code)
      .sort();
    assert.deepEqual(codes, ['data-json-syntax', 'data-secret-readable']);
  });
});

describe('data.json validator: messages', () => {
  it('passes every message through the installed translations', () => {
    const seen: string[] = [];
    const translate = (message: string): string => {
      seen.push(message);
      return `[${message}]`;
    };
    const text = '{\n  // c\n  "directoryType": "9",\n  "sync": {"users": false}\n}';
    const report = withTranslations(translate, () => validateDataJson(text));
    assert.ok(report.diagnostics.length >= 2);
    for (const d of report.diagnostics) assert.ok(d.message.startsWith('[') && d.message.endsWith(']'), d.message);
    assert.ok(
      seen.every((message) => !message.includes('"9"')),
      'values are arguments, not part of a template',
    );
    assert.equal(report.summary!.layoutLabel, '[flat state-service layout (Directory Connector v2026.6.0 and later)]');
  });

  it('says what bwdc will do and how to fix it', () => {
    const text = set(fixture('l3-ldap.json'), ['directoryType'], '0');
    const d = only(text, 'data-directory-type-not-number');
    assert.equal(
      d.message,
      'directoryType is the string "0", but bwdc compares it with the number 0 (===), so no directory matches and the sync fails. Write it without quotes: 0.',
    );
    assert.equal(d.fixes![0]!.title, 'Change to the number 0');
  });
});
