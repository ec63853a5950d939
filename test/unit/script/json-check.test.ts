import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JSON_CHECK_AWK, POWERSHELL_JSON_CHECK, bashJsonCheckFunction } from '../../../src/core/script/jsonCheck';
import { seededRandom } from '../random';

/*
 * The generated scripts must decide, exactly as bwdc's `JSON.parse(fs.readFileSync(f, 'utf8'))`
 * does, whether data.json parses: bwdc replaces a file it cannot parse with `{}`. The oracle
 * here is Node itself. The bash function runs for real, under every awk a server may have
 * (each put first on PATH as `awk`); the PowerShell function cannot run here, so it gets
 * structural checks plus a differential test of its regular expressions and state machine.
 */

// ---------------------------------------------------------------------------------------------
// Documents. Bytes are written as latin1 strings (one char per byte) so any byte can appear.

const bytes = (latin1: string): Buffer => Buffer.from(latin1, 'latin1');
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** What bwdc does with the file: the verdict everything is compared with. */
function nodeAccepts(file: string): boolean {
  try {
    JSON.parse(fs.readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

const ORG = '3f5b0c1e-7a2d-4c8e-9b1a-0d6e2f4a8c11';

/** v2.9.8 and earlier: flat keys, directoryConfig_<type>, syncConfig. */
const LAYOUT_L1 = {
  installedVersion: '2.9.2',
  appId: 'b1f0a9d2-3c4e-4f5a-8b6c-7d8e9f0a1b2c',
  directoryType: 0,
  organizationId: ORG,
  entityId: ORG,
  entityType: 'organization',
  environmentUrls: { base: null, api: null, identity: null, webVault: null },
  directoryConfig_0: {
    ssl: true,
    startTls: false,
    sslAllowUnauthorized: false,
    sslCaPath: 'C:\\certs\\corp-root.pem',
    hostname: 'dc01.corp.example.com',
    port: 636,
    domain: null,
    rootPath: 'DC=corp,DC=example,DC=com',
    currentUser: false,
    username: 'CN=svc-bwdc,OU=Service Accounts,DC=corp,DC=example,DC=com',
    password: '[STORED SECURELY]',
    ad: true,
    pagedSearch: true,
  },
  syncConfig: {
    users: true,
    groups: true,
    interval: 5,
    userFilter: '(&(objectClass=person)(memberOf=CN=Bitwarden Users,OU=Groups,DC=corp,DC=example,DC=com))',
    groupFilter: '(&(objectClass=group)(cn=BW-*))',
    removeDisabled: true,
    overwriteExisting: false,
    largeImport: false,
    groupObjectClass: 'group',
    userObjectClass: 'person',
    groupPath: 'OU=Groups',
    userPath: 'OU=Staff',
    groupNameAttribute: 'name',
    userEmailAttribute: 'mail',
    memberAttribute: 'member',
    useEmailPrefixSuffix: false,
    emailPrefixAttribute: 'sAMAccountName',
    emailSuffix: null,
    creationDateAttribute: 'whenCreated',
    revisionDateAttribute: 'whenChanged',
  },
  lastUserSync: '2021-10-04T09:00:02.123Z',
  lastGroupSync: '2021-10-04T09:00:02.456Z',
  lastSyncHash: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJ+/8=',
  apikey_clientId: `organization.${ORG}`,
  accessToken: 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJvcmcifQ.c2lnbmF0dXJl',
};

/** v2.9.9 to v2026.4.0: global, authenticatedAccounts, activeUserId and <orgGuid> → account. */
const LAYOUT_L2 = {
  global: {
    stateVersion: 3,
    environmentUrls: { base: 'https://vault.example.com', api: null, identity: null, webVault: null },
    installedVersion: '2024.3.2',
    locale: 'en',
    theme: 'system',
    window: { width: 1024, height: 768, isMaximized: false, displayBounds: { x: 0, y: 0, width: 1920, height: 1080 } },
    enableAlwaysOnTop: false,
    enableTray: false,
    twoFactorToken: null,
  },
  authenticatedAccounts: [ORG],
  activeUserId: ORG,
  accountActivity: { [ORG]: 1717171717171 },
  appId: 'b1f0a9d2-3c4e-4f5a-8b6c-7d8e9f0a1b2c',
  [ORG]: {
    profile: { userId: ORG, entityId: ORG, apiKeyClientId: `organization.${ORG}`, entityType: 'organization' },
    keys: { apiKeyClientSecret: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA' },
    tokens: { accessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', refreshToken: 'AbCdEf0123456789' },
    settings: { environmentUrls: { base: null }, vaultTimeoutAction: 'lock' },
    data: {},
    clientKeys: { clientId: null, clientSecret: null },
    directoryConfigurations: {
      ldap: null,
      gsuite: {
        clientEmail: 'bwdc-sync@project-123456.iam.gserviceaccount.com',
        privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nq83vEjRWeJq83vEjRWeJ+/8=\n-----END PRIVATE KEY-----\n',
        domain: 'example.com',
        adminUser: 'admin@example.com',
        customer: 'C0abc123',
      },
      entra: null,
      azure: null,
      okta: null,
      oneLogin: null,
    },
    directorySettings: {
      organizationId: ORG,
      directoryType: 2,
      sync: {
        users: true,
        groups: true,
        interval: 60,
        userFilter: "exclude:ex-employee@example.com|orgUnitPath='/Staff'",
        groupFilter: 'include:Engineering,Sales',
        removeDisabled: false,
        overwriteExisting: false,
        largeImport: false,
        useEmailPrefixSuffix: false,
        creationDateAttribute: 'whenCreated',
        revisionDateAttribute: 'whenChanged',
      },
      userDelta: null,
      groupDelta: null,
      lastUserSync: '2024-05-31T12:00:00.000Z',
      lastGroupSync: '2024-05-31T12:00:00.000Z',
      lastSyncHash: 'Fq83vEjRWeJq83vEjRWeJ/+=',
      syncingDir: false,
    },
  },
};

/** v2026.6.0 and later: flat state-service keys (plaintext secrets, as a headless server has). */
const LAYOUT_L3 = {
  stateVersion: 6,
  directoryType: 1,
  organizationId: ORG,
  entityId: ORG,
  directoryEntra: {
    tenant: 'contoso.onmicrosoft.com',
    applicationId: '0b7e4a1c-2d3f-4e5a-9b8c-7d6e5f4a3b2c',
    key: 'Qx~8Q~ab.cdEFghIJ-klMNopQRstUVwx_yz0123',
    identityAuthority: 'login.microsoftonline.com',
  },
  directoryOkta: null,
  sync: {
    users: true,
    groups: true,
    interval: null,
    // Non-ASCII, as a French admin's group names would be.
    userFilter: 'includeGroup:Équipe Réseau,Ventes 東京,Support 😀|accountEnabled eq true',
    groupFilter: null,
    removeDisabled: true,
    overwriteExisting: false,
    largeImport: true,
    inviteUsersAfterProvisioning: true,
  },
  lastUserSync: '2026-07-01T03:15:00.000Z',
  userDeltaToken: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc%2Fdef',
  syncingDir: false,
  environmentUrls: { base: null, api: 'https://api.bitwarden.eu', identity: 'https://identity.bitwarden.eu', webVault: null },
  installedVersion: '2026.6.1',
  locale: 'fr',
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
  apiKeyClientId: `organization.${ORG}`,
  apiKeyClientSecret: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA',
};

/** Upgraded 2026.6 files keep the old L2 keys beside the new ones. */
const LAYOUT_L3_UPGRADED = { ...LAYOUT_L2, ...LAYOUT_L3 };

/** bwdc writes data.json with two-space indentation. */
const asBwdcWrites = (value: unknown): Buffer => utf8(JSON.stringify(value, null, 2));

interface Case {
  readonly name: string;
  readonly content: Buffer;
  /** What Node does, as the reason in `name` says (checked against Node itself too). */
  readonly valid: boolean;
}

const valid = (name: string, content: Buffer | string): Case => ({
  name,
  content: typeof content === 'string' ? bytes(content) : content,
  valid: true,
});
const invalid = (name: string, content: Buffer | string): Case => ({
  name,
  content: typeof content === 'string' ? bytes(content) : content,
  valid: false,
});

const NUMBERS = Array.from({ length: 20000 }, (_, i) => (i % 7 === 0 ? -i : i) * (i % 3 === 0 ? 1.5 : 1));

const CASES: readonly Case[] = [
  // Realistic data.json files, as bwdc writes them and as admins edit them.
  valid('L1 flat legacy layout, as bwdc wrote it', asBwdcWrites(LAYOUT_L1)),
  valid('L2 account-scoped layout, with a PEM private key full of \\n escapes', asBwdcWrites(LAYOUT_L2)),
  valid('L3 state-service layout, with non-ASCII group names in a filter', asBwdcWrites(LAYOUT_L3)),
  valid('L3 upgraded file that still holds the L2 keys', asBwdcWrites(LAYOUT_L3_UPGRADED)),
  valid('L2 with CRLF line endings (edited in Notepad)', utf8(JSON.stringify(LAYOUT_L2, null, 2).replace(/\n/g, '\r\n'))),
  valid('L3 minified on one line', utf8(JSON.stringify(LAYOUT_L3))),
  valid('L1 with tab indentation and a trailing newline', utf8(`${JSON.stringify(LAYOUT_L1, null, '\t')}\n`)),
  valid('a fresh install: {}', '{}'),
  valid('the stand-in file bwdc leaves after a parse error: {} and a newline', '{}\n'),
  invalid('L2 with a trailing comma after the last member (a typical hand edit)', utf8(JSON.stringify(LAYOUT_L2, null, 2).replace(/\n}$/, ',\n}'))),
  invalid(
    'L1 annotated like the official sample, with // comments',
    utf8(JSON.stringify(LAYOUT_L1, null, 2).replace('"directoryType": 0,', '"directoryType": 0, // 0 = Active Directory')),
  ),
  invalid('L3 saved by an editor that adds a UTF-8 BOM', Buffer.concat([bytes('\xef\xbb\xbf'), asBwdcWrites(LAYOUT_L3)])),
  invalid('L3 with a /* block comment */', utf8(`/* edited by hand */\n${JSON.stringify(LAYOUT_L3, null, 2)}`)),
  invalid('L2 cut short (disk full while saving)', asBwdcWrites(LAYOUT_L2).subarray(0, 700)),

  // Top level.
  invalid('an empty file', ''),
  invalid('only whitespace', ' \t\r\n \n'),
  invalid('a UTF-8 BOM alone', '\xef\xbb\xbf'),
  invalid('a UTF-8 BOM before {} (readFileSync keeps U+FEFF)', '\xef\xbb\xbf{}'),
  invalid('a UTF-8 BOM after {}', '{}\xef\xbb\xbf'),
  valid('a bare string', '"just a string"'),
  valid('a bare number', '42'),
  valid('a bare negative zero', '-0'),
  valid('true', 'true'),
  valid('false', 'false'),
  valid('null', 'null'),
  valid('an empty array', '[]'),
  valid('whitespace of all four kinds around and between tokens', ' \t\r\n{ \t"a"\r\n:\t[ 1 ,\n2 ] }\r\n\t '),
  valid('no trailing newline', '{"a":1}'),
  valid('blank lines before, between and after tokens', '\n\n{\n\n"a"\n\n:\n\n1\n\n}\n\n'),
  valid('a bare number between blank lines', '\n0\n\n'),
  invalid('two top-level objects', '{}{}'),
  invalid('two top-level numbers', '1 2'),
  invalid('two top-level strings on two lines', '"a"\n"b"'),
  invalid('a trailing comma after the top-level value', '{},'),
  invalid('a word after the top-level value', '{} x'),
  invalid('a key and value without braces', '"a": 1'),

  // Objects and arrays.
  valid('nested empty containers and every scalar', '{"a":[{},[],"",0,true,false,null,{"b":{}}]}'),
  valid('an empty key', '{"":""}'),
  valid('duplicate keys (JSON.parse keeps the last)', '{"a":1,"a":2}'),
  invalid('[1,] trailing comma in an array', '[1,]'),
  invalid('{"a":1,} trailing comma in an object', '{"a":1,}'),
  invalid('{,} a lone comma in an object', '{,}'),
  invalid('[,] a lone comma in an array', '[,]'),
  invalid('[,1] a leading comma', '[,1]'),
  invalid('[1,,2] a double comma', '[1,,2]'),
  invalid('[1 2] a missing comma', '[1 2]'),
  invalid('{"a":1 "b":2} a missing comma between members', '{"a":1 "b":2}'),
  invalid('{"a" 1} a missing colon', '{"a" 1}'),
  invalid('{"a"::1} a double colon', '{"a"::1}'),
  invalid('{"a":} a missing value', '{"a":}'),
  invalid('{"a"} a key without a value', '{"a"}'),
  invalid('{1:2} a number as key', '{1:2}'),
  invalid('{true:1} a literal as key', '{true:1}'),
  invalid('{{}:1} an object as key', '{{}:1}'),
  invalid('{a:1} an unquoted key', '{a:1}'),
  invalid("{'a':1} single-quoted key", "{'a':1}"),
  invalid("['a'] single-quoted string", "['a']"),
  invalid('[} mismatched brackets', '[}'),
  invalid('{] mismatched brackets', '{]'),
  invalid('an unclosed array', '[1,2'),
  invalid('an unclosed object', '{"a":1'),
  invalid('a stray closing bracket', ']'),
  invalid('[1]] one closing bracket too many', '[1]]'),
  invalid('[1,2]:3 a colon after an array', '[1,2]:3'),
  invalid('["a":1] a colon in an array', '["a":1]'),
  valid('nesting 100000 deep', `${'['.repeat(100000)}${']'.repeat(100000)}`),
  valid('objects nested 20000 deep', `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`),
  invalid('nesting 100000 deep, never closed', '['.repeat(100000)),
  invalid('nesting 10000 deep, one bracket short', `${'['.repeat(10000)}${']'.repeat(9999)}`),
  invalid('nesting 10000 deep, closed with the wrong bracket at the bottom', `${'['.repeat(10000)}${']'.repeat(9999)}}`),
  valid('an array of 20000 numbers on one line', utf8(JSON.stringify(NUMBERS))),
  invalid('an array of 20000 numbers on one line with a trailing comma', utf8(`${JSON.stringify(NUMBERS).slice(0, -1)},]`)),
  invalid('an array of 20000 numbers on one line with a leading zero in the middle', utf8(JSON.stringify(NUMBERS).replace(',500,', ',0500,'))),

  // Literals.
  invalid('NaN', 'NaN'),
  invalid('[NaN]', '[NaN]'),
  invalid('Infinity', 'Infinity'),
  invalid('-Infinity', '-Infinity'),
  invalid('undefined', 'undefined'),
  invalid('True (capital)', 'True'),
  invalid('NULL (capitals)', 'NULL'),
  invalid('tru (truncated literal)', 'tru'),
  invalid('nul (truncated literal)', '[nul]'),
  invalid('truefalse (two literals without a separator)', 'truefalse'),
  invalid('true1 (a literal then a number)', '[true1]'),
  invalid('-true (a minus sign before a literal)', '-true'),

  // Numbers.
  valid('numbers in every legal form', '[0,-0,1,-1,10,0.5,-0.5,1e5,1E5,1e+5,1e-5,1.25E-07,-0.0e0,123456789]'),
  valid('a huge exponent (JSON.parse gives Infinity)', '1e999999'),
  valid('a 400-digit integer', `${'9'.repeat(400)}`),
  valid('a tiny number', `-0.${'0'.repeat(400)}1e-400`),
  invalid('01 leading zero', '01'),
  invalid('-01 leading zero after a minus sign', '-01'),
  invalid('00', '00'),
  invalid('[01] leading zero in an array', '[01]'),
  invalid('1. no digit after the point', '1.'),
  invalid('.5 no digit before the point', '.5'),
  invalid('1.e5 no digit between point and exponent', '1.e5'),
  invalid('+1 plus sign', '+1'),
  invalid('- alone', '-'),
  invalid('- 1 space after the minus sign', '- 1'),
  invalid('--1 two minus signs', '--1'),
  invalid('1e no exponent digits', '1e'),
  invalid('1e+ no exponent digits after the sign', '1e+'),
  invalid('1-2', '1-2'),
  invalid('0x10 hexadecimal', '0x10'),
  invalid('1_000 digit separator', '1_000'),
  invalid('1.5.5 two points', '1.5.5'),
  invalid('1e5e5 two exponents', '1e5e5'),

  // Strings.
  valid('every escape, with \\u in both cases', '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uABCD \\uabcd \\uAbCd"'),
  valid('a lone high surrogate escape', '"\\ud800"'),
  valid('a lone low surrogate escape, then text', '"\\uDC00x"'),
  valid('\\u0000 escape', '"\\u0000"'),
  valid('an escaped backslash followed by u0041 (not an escape)', '"\\\\u0041"'),
  valid('an escaped backslash at the end of a string', '"\\\\"'),
  valid('an escaped backslash then an escaped quote', '"\\\\\\""'),
  valid('DEL (U+007F) raw inside a string', '"a\x7fb"'),
  valid('comment markers and single quotes inside a string', `"// not a comment /* nor this */ it's fine"`),
  valid('braces, brackets, commas and colons inside strings', '{"{[,:]}":"}]:,["}'),
  valid('a UTF-8 BOM inside a string', '"\xef\xbb\xbf"'),
  valid('U+2028 and U+2029 raw inside a string', utf8('"\u2028\u2029"')),
  valid('invalid UTF-8 inside a string (Node reads U+FFFD)', '["\xff\xfe", "\x80", "\xc3", "\xed\xa0\x80", "\xc0\xa2"]'),
  valid('a lone UTF-8 lead byte right before the closing quote', '{"a":"\xe2\x82"}'),
  valid('a 1 MB string', `"${'x'.repeat(1024 * 1024)}"`),
  invalid('\\x escape', '"\\x41"'),
  invalid("\\' escape", `"\\'"`),
  invalid('\\0 escape', '"\\0"'),
  invalid('\\U0041 escape (capital U)', '"\\U0041"'),
  invalid('\\a escape', '"\\a"'),
  invalid('\\u12 short escape at the end', '"\\u12"'),
  invalid('\\u12 short escape followed by more text', '"\\u12 ab"'),
  invalid('\\u12g4 non-hex digit', '"\\u12g4"'),
  invalid('\\u with no digits', '"\\u"'),
  invalid('a backslash escaping the closing quote (unterminated)', '"abc\\"'),
  invalid('an escaped backslash, then a quote too many', '"\\\\"x"'),
  invalid('an unterminated string', '"abc'),
  invalid('a raw tab inside a string', '"a\tb"'),
  invalid('a raw CR inside a string', '"a\rb"'),
  invalid('a raw LF inside a string', '"a\nb"'),
  invalid('U+0001 raw inside a string', '"a\x01b"'),
  invalid('U+001F raw inside a string', '"\x1f"'),
  invalid('U+0002 raw inside a string (the escape placeholder)', '"\x02"'),
  invalid('a backslash outside a string', '[\\"a"]'),

  // Bytes outside strings.
  invalid('U+0001 outside a string (the string placeholder)', '[\x01]'),
  invalid('U+0003 outside a string (the number placeholder)', '[\x03]'),
  invalid('U+0004 outside a string (the literal placeholder)', '{"a":\x04}'),
  invalid('vertical tab as whitespace', '[1,\x0b2]'),
  invalid('form feed as whitespace', '\x0c{}'),
  invalid('a non-breaking space (U+00A0) as whitespace', utf8('{\u00a0}')),
  invalid('an ideographic space (U+3000) as whitespace', utf8('[1,\u30002]')),
  invalid('é outside a string', utf8('[é]')),
  invalid('an invalid UTF-8 byte outside a string', '[1,\xff]'),
  invalid('a lone UTF-8 lead byte before a string', '[\xc3"a"]'),

  // NUL bytes, which awks read differently.
  invalid('a NUL byte inside a string', '"a\x00b"'),
  invalid('a NUL byte after the value', '{}\x00'),
  invalid('a NUL byte before the value', '\x00{}'),
  invalid('a NUL byte in the middle of a long valid document', Buffer.concat([asBwdcWrites(LAYOUT_L2), bytes('\x00'), asBwdcWrites(LAYOUT_L2)])),
  invalid('only a NUL byte', '\x00'),
];

// ---------------------------------------------------------------------------------------------
// Seeded random documents, mutated at the byte level.

const FUZZ_SEED = 0x5eed_b0dc;
/** Documents checked by every awk, and by the model of the PowerShell port. */
const FUZZ_COUNT = 4000;
/** The PowerShell model runs in this process and is cheap: it gets more of its own. */
const MODEL_FUZZ_COUNT = 10000;

function fuzzDocuments(seed: number, count: number): Buffer[] {
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const hex = '0123456789abcdefABCDEF';
  const latin1Of = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

  const STRING_PARTS: ReadonlyArray<() => string> = [
    () => String.fromCharCode(0x20 + int(0x5f)).replace(/["\\]/, 'q'),
    () => pick(['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t']),
    () => {
      let digits = pick(['', 'd8', 'D8', 'dc', 'DC', '00']);
      while (digits.length < 4) digits += pick([...hex]);
      return `\\u${digits}`;
    },
    () => latin1Of(pick(['é', 'Ä', '中文', '😀', '\u2028', '\ufeff', '\u00a0', 'Ω'])),
    () => pick(['\x7f', '\x80', '\xff', '\xc3', '\xed\xa0\x80', '\xf0\x9f', '\xc0\xaf']),
    () => pick(['//', '/*', "'", ',', ':', '{', '}', '[', ']', 'true', '-1']),
  ];
  const stringToken = (): string => {
    const parts = Array.from({ length: int(6) }, () => pick(STRING_PARTS)());
    return `"${parts.join('')}"`;
  };
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(10))).join('');
  const numberToken = (): string => {
    let text = random() < 0.3 ? '-' : '';
    text += random() < 0.3 ? '0' : `${1 + int(9)}${digits(int(random() < 0.05 ? 60 : 6))}`;
    if (random() < 0.3) text += `.${digits(1 + int(4))}`;
    if (random() < 0.2) text += `${pick(['e', 'E'])}${pick(['', '+', '-'])}${digits(1 + int(3))}`;
    return text;
  };

  type Style = () => string;
  const STYLES: readonly Style[] = [
    () => '',
    () => pick(['', ' ']),
    () => pick(['', '\n  ', '\n']),
    () => Array.from({ length: int(3) }, () => pick([' ', '\t', '\n', '\r', '\r\n'])).join(''),
  ];

  const value = (depth: number, ws: Style): string => {
    const roll = random();
    if (depth < 5 && roll < 0.2) {
      const members = Array.from({ length: int(5) }, () => `${ws()}${stringToken()}${ws()}:${ws()}${value(depth + 1, ws)}${ws()}`);
      return `{${members.join(',')}${members.length === 0 ? ws() : ''}}`;
    }
    if (depth < 5 && roll < 0.4) {
      const items = Array.from({ length: int(6) }, () => `${ws()}${value(depth + 1, ws)}${ws()}`);
      return `[${items.join(',')}${items.length === 0 ? ws() : ''}]`;
    }
    if (roll < 0.65) return stringToken();
    if (roll < 0.9) return numberToken();
    return pick(['true', 'false', 'null']);
  };

  /** Long lines: past the awk program's 256- and 512-byte thresholds. */
  const longDocument = (): string => {
    const items = Array.from({ length: 200 + int(800) }, () => (random() < 0.7 ? numberToken() : pick(['true', 'null', stringToken()])));
    const depth = 300 + int(300);
    return `{"long":[${items.join(',')}],"deep":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
  };

  const INSERTS: readonly string[] = [
    '"',
    '\\',
    ',',
    ':',
    '{',
    '}',
    '[',
    ']',
    '0',
    '1',
    '-',
    '+',
    '.',
    'e',
    'E',
    ' ',
    '\t',
    '\n',
    '\r',
    '\x00',
    '\x01',
    '\x02',
    '\x03',
    '\x04',
    '\x0b',
    '\x1f',
    '\x7f',
    '\x80',
    '\xff',
    '\xc3',
    '\xef\xbb\xbf',
    'u',
    'x',
    't',
    'true',
    'null',
    '//',
    '/*',
    "'",
    'NaN',
    '\\u12',
    '\\x41',
    '\\u00e9',
    '\\n',
    ',]',
    ',}',
    '""',
  ];
  const mutate = (text: string): string => {
    const at = int(text.length + 1);
    switch (int(7)) {
      case 0:
      case 1:
        return text.slice(0, at) + pick(INSERTS) + text.slice(at);
      case 2:
        return text.slice(0, at) + text.slice(at + 1 + int(3));
      case 3:
        return text.slice(0, at) + pick(INSERTS) + text.slice(at + 1);
      case 4: {
        const length = 1 + int(12);
        return text.slice(0, at + length) + text.slice(at, at + length) + text.slice(at + length);
      }
      case 5:
        return text.slice(0, at);
      default: {
        // Swap two neighbouring bytes: turns `,]` into `],`, `\"` into `"\` and so on.
        if (at + 1 >= text.length) return text;
        return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
      }
    }
  };

  const documents: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const ws = pick(STYLES);
    let text = random() < 0.05 ? longDocument() : `${ws()}${value(0, ws)}${ws()}`;
    const mutations = random() < 0.2 ? 0 : 1 + int(random() < 0.7 ? 1 : 3);
    for (let m = 0; m < mutations; m++) text = mutate(text);
    documents.push(bytes(text));
  }
  return documents;
}

// ---------------------------------------------------------------------------------------------
// Awks, each put first on PATH as `awk`.

interface AwkVariant {
  readonly label: string;
  /** The program to look for on PATH, and the Debian package that installs it. */
  readonly program: string;
  readonly aptPackage: string;
  /** Extra arguments that make the variant (gawk --posix, busybox awk). */
  readonly prefixArgs: readonly string[];
}

const AWKS: readonly AwkVariant[] = [
  { label: 'mawk', program: 'mawk', aptPackage: 'mawk', prefixArgs: [] },
  { label: 'one-true-awk (original-awk, as on macOS)', program: 'original-awk', aptPackage: 'original-awk', prefixArgs: [] },
  { label: 'gawk', program: 'gawk', aptPackage: 'gawk', prefixArgs: [] },
  { label: 'gawk --posix', program: 'gawk', aptPackage: 'gawk', prefixArgs: ['--posix'] },
  { label: 'busybox awk', program: 'busybox', aptPackage: 'busybox', prefixArgs: ['awk'] },
];

function findOnPath(program: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/bin', '/usr/local/bin']);
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A directory whose `awk` is the variant; fails with the command that installs it. */
function awkBinDir(root: string, variant: AwkVariant): string {
  const found = findOnPath(variant.program);
  const install = `install it with: sudo apt-get install -y ${variant.aptPackage}`;
  if (!found) throw new Error(`${variant.label}: '${variant.program}' is not installed; ${install}`);
  const dir = path.join(root, `bin-${variant.label.replace(/[^a-z0-9]+/gi, '-')}`);
  fs.mkdirSync(dir, { recursive: true });
  const awk = path.join(dir, 'awk');
  fs.rmSync(awk, { force: true });
  if (variant.prefixArgs.length === 0) {
    fs.symlinkSync(found, awk);
  } else if (variant.program === 'busybox') {
    // BusyBox picks the applet from the name it is called by.
    fs.symlinkSync(found, awk);
  } else {
    fs.writeFileSync(awk, `#!/bin/sh\nexec '${found}' ${variant.prefixArgs.join(' ')} "$@"\n`, { mode: 0o755 });
  }
  const probe = spawnSync(awk, ['BEGIN { print 1 + 1 }'], { encoding: 'utf8' });
  if (probe.stdout.trim() !== '2') {
    throw new Error(`${variant.label}: '${awk}' does not run awk programs (${probe.stderr.trim()}); ${install}`);
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Running json_ok.

/**
 * Calls json_ok on each file named in a list (one per line) and prints one status per line.
 * Runs with `set -u` and `set -o pipefail`, as the generated script does; also runs under
 * dash, to check that the function uses no bash-only syntax.
 */
const DRIVER = [
  'set -u',
  '(set -o pipefail) 2>/dev/null && set -o pipefail # dash has no pipefail',
  '. "$1"',
  'while IFS= read -r file; do',
  '  if json_ok "$file"; then echo 0; else echo "$?"; fi',
  'done < "$2"',
  '',
].join('\n');

/**
 * The awk program with its last line, `BEGIN { exit check(ARGV[1]) }`, swapped for a loop over
 * a list of files: the very same functions, thousands of documents in one awk process. (One
 * process per document costs about 2 ms per awk: too slow for thousands of documents times
 * five awks.) Documents with a NUL byte are not given to it: json_ok rejects those before awk.
 */
const ONE_FILE = 'BEGIN { exit check(ARGV[1]) }';
const BATCH_PROGRAM = JSON_CHECK_AWK.replace(ONE_FILE, 'BEGIN { while ((getline name < ARGV[1]) > 0) print check(name) }');

interface Files {
  readonly root: string;
  /** Where the documents go: tmpfs when there is one (creating thousands of files is slow on some disks). */
  readonly documents: string;
  readonly functionFile: string;
  readonly driver: string;
}

let listCount = 0;

/** Runs `command args… LIST` for a list of files; resolves to the one status per file it prints. */
function runOverList(command: string, args: readonly string[], env: NodeJS.ProcessEnv, names: readonly string[], root: string): Promise<number[]> {
  const list = path.join(root, `list-${++listCount}.txt`);
  fs.writeFileSync(list, names.length > 0 ? `${names.join('\n')}\n` : '');
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, list], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const statuses = out
        .split('\n')
        .filter((s) => s !== '')
        .map(Number);
      if (code !== 0 || statuses.length !== names.length) {
        reject(new Error(`${command} exited ${code} with ${statuses.length}/${names.length} results: ${err.slice(0, 2000)}`));
      } else {
        resolve(statuses);
      }
    });
  });
}

const withPath = (binDir: string): string => `${binDir}${path.delimiter}${process.env.PATH ?? ''}`;

/**
 * json_ok on each file, under `shell`, with the awk (and tools) of `binDir` first on PATH. The
 * locale is UTF-8 on purpose: json_ok must switch its tools to bytes (LC_ALL=C) by itself.
 */
function runDriver(files: Files, shell: string, binDir: string, names: readonly string[]): Promise<number[]> {
  const env = { ...process.env, LC_ALL: 'C.UTF-8', PATH: withPath(binDir) };
  return runOverList(shell, [files.driver, files.functionFile], env, names, files.root);
}

/** The awk program's functions on each file, in one process of `binDir`'s awk, as json_ok runs it. */
function runBatch(files: Files, binDir: string, names: readonly string[]): Promise<number[]> {
  const env = { ...process.env, LC_ALL: 'C', PATH: withPath(binDir) };
  return runOverList(path.join(binDir, 'awk'), ['--', BATCH_PROGRAM], env, names, files.root);
}

/** A rejected promise whose rejection is reported by the test that awaits it, not as unhandled. */
function rejected<T>(error: Error): Promise<T> {
  const promise = Promise.reject(error);
  promise.catch(() => undefined);
  return promise;
}

function shown(content: Buffer): string {
  const text = JSON.stringify(content.toString('latin1'));
  return text.length > 160 ? `${text.slice(0, 160)}… (${content.length} bytes)` : text;
}

/** Runs `json_ok FILE` once under bash with the variant's awk; returns status and seconds. */
function timeJsonOk(files: Files, binDir: string, file: string): { status: number; seconds: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', '. "$1"; json_ok "$2"', 'bash', files.functionFile, file], {
    env: { ...process.env, PATH: withPath(binDir) },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { status: result.status ?? -1, seconds };
}

// ---------------------------------------------------------------------------------------------

describe('strict data.json check for generated scripts', function () {
  this.timeout(120000);

  let files: Files;
  const caseFiles: string[] = [];
  const fuzzFiles: string[] = [];
  let fuzz: Buffer[] = [];
  const fuzzNode: boolean[] = [];
  /** Per awk: json_ok on the table, and on the fuzzed documents (see BATCH_PROGRAM). */
  const results = new Map<string, Promise<{ readonly table: number[]; readonly fuzz: number[] }>>();
  /** The table again under dash, and with BusyBox's tr and cmp as well (small cases only: these check the shell and the tools, the big ones the awks). */
  let underDash: Promise<number[]>;
  let underBusyBox: Promise<number[]>;
  const smallCases = CASES.flatMap((c, i) => (c.content.length < 20000 ? [i] : []));
  const binDirs = new Map<string, string>();

  before(function () {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-json-check-'));
    let documents = root;
    try {
      documents = fs.mkdtempSync(path.join('/dev/shm', 'bwdc-json-check-'));
    } catch {
      // no tmpfs: the documents stay beside everything else
    }
    files = {
      root,
      documents,
      functionFile: path.join(root, 'json_ok.sh'),
      driver: path.join(root, 'driver.sh'),
    };
    fs.writeFileSync(files.functionFile, `${bashJsonCheckFunction()}\n`);
    fs.writeFileSync(files.driver, DRIVER);
    fs.mkdirSync(path.join(documents, 'cases'));
    fs.mkdirSync(path.join(documents, 'fuzz'));
    CASES.forEach((c, i) => {
      const file = path.join(documents, 'cases', `${String(i).padStart(3, '0')}.json`);
      fs.writeFileSync(file, c.content);
      caseFiles.push(file);
    });
    fuzz = fuzzDocuments(FUZZ_SEED, FUZZ_COUNT);
    fuzz.forEach((content, i) => {
      const file = path.join(documents, 'fuzz', `${String(i).padStart(5, '0')}.json`);
      fs.writeFileSync(file, content);
      fuzzFiles.push(file);
      fuzzNode.push(nodeAccepts(file));
    });

    // Start every awk at once (the machine has more than one core); each test awaits its own.
    const withNul = fuzz.flatMap((d, i) => (d.includes(0) ? [i] : []));
    const withoutNul = fuzz.flatMap((d, i) => (d.includes(0) ? [] : [i]));
    for (const variant of AWKS) {
      let dir: string;
      try {
        dir = awkBinDir(root, variant);
      } catch (error) {
        results.set(variant.label, rejected(error as Error));
        continue;
      }
      binDirs.set(variant.label, dir);
      const run = async (): Promise<{ table: number[]; fuzz: number[] }> => {
        const [viaJsonOk, viaBatch] = await Promise.all([
          runDriver(files, 'bash', dir, [...caseFiles, ...withNul.map((i) => fuzzFiles[i] as string)]),
          runBatch(
            files,
            dir,
            withoutNul.map((i) => fuzzFiles[i] as string),
          ),
        ]);
        const fuzzStatuses: number[] = [];
        withNul.forEach((i, k) => (fuzzStatuses[i] = viaJsonOk[caseFiles.length + k] as number));
        withoutNul.forEach((i, k) => (fuzzStatuses[i] = viaBatch[k] as number));
        return { table: viaJsonOk.slice(0, caseFiles.length), fuzz: fuzzStatuses };
      };
      const promise = run();
      promise.catch(() => undefined); // reported by the variant's tests
      results.set(variant.label, promise);
    }
    const mawkDir = binDirs.get('mawk');
    const sh = findOnPath('dash') ?? '/bin/sh';
    underDash = mawkDir
      ? runDriver(
          files,
          sh,
          mawkDir,
          smallCases.map((i) => caseFiles[i] as string),
        )
      : rejected(new Error('mawk is missing; install it with: sudo apt-get install -y mawk'));
    const busybox = findOnPath('busybox');
    if (busybox) {
      const dir = path.join(root, 'bin-busybox-userland');
      fs.mkdirSync(dir);
      for (const tool of ['awk', 'tr', 'cmp']) fs.symlinkSync(busybox, path.join(dir, tool));
      underBusyBox = runDriver(
        files,
        'bash',
        dir,
        smallCases.map((i) => caseFiles[i] as string),
      );
    } else {
      underBusyBox = rejected(new Error("'busybox' is not installed; install it with: sudo apt-get install -y busybox"));
    }
  });

  after(function () {
    if (files) {
      fs.rmSync(files.root, { recursive: true, force: true });
      fs.rmSync(files.documents, { recursive: true, force: true });
    }
  });

  it('classifies every hand-written case the way Node does (the table itself is right)', function () {
    const wrong = CASES.filter((c, i) => nodeAccepts(caseFiles[i] as string) !== c.valid).map((c) => c.name);
    assert.deepStrictEqual(wrong, []);
  });

  it(`fuzzes a useful mix: ${FUZZ_COUNT} documents, both verdicts well represented`, function () {
    const accepted = fuzzNode.filter(Boolean).length;
    const withNul = fuzz.filter((d) => d.includes(0)).length;
    const longLines = fuzz.filter((d) =>
      d
        .toString('latin1')
        .split('\n')
        .some((l) => l.length > 512),
    ).length;
    assert.ok(accepted >= FUZZ_COUNT * 0.2, `only ${accepted} valid documents`);
    assert.ok(FUZZ_COUNT - accepted >= FUZZ_COUNT * 0.3, `only ${FUZZ_COUNT - accepted} invalid documents`);
    assert.ok(withNul >= 10, `only ${withNul} documents with a NUL byte`);
    assert.ok(longLines >= 50, `only ${longLines} documents with a line over 512 bytes`);
  });

  for (const variant of AWKS) {
    describe(`json_ok with ${variant.label} as awk`, function () {
      it('matches Node on every hand-written case', async function () {
        const statuses = (await results.get(variant.label))?.table ?? [];
        const wrong = CASES.flatMap((c, i) => {
          const expected = c.valid ? 0 : 1;
          return statuses[i] === expected ? [] : [`${c.name}: got ${statuses[i]}, Node says ${expected}`];
        });
        assert.deepStrictEqual(wrong, []);
      });

      it(`agrees with Node on ${FUZZ_COUNT} seeded random documents (json_ok for those with NUL)`, async function () {
        const statuses = (await results.get(variant.label))?.fuzz ?? [];
        const wrong: string[] = [];
        statuses.forEach((status, i) => {
          const expected = fuzzNode[i] ? 0 : 1;
          if (status !== expected) wrong.push(`#${i} ${shown(fuzz[i] as Buffer)}: got ${status}, Node says ${expected}`);
        });
        assert.deepStrictEqual(wrong.slice(0, 10), [], `${wrong.length} disagreements (seed ${FUZZ_SEED})`);
      });

      it('exits 2 from the awk program itself when the file cannot be read', async function () {
        await results.get(variant.label);
        const dir = binDirs.get(variant.label) as string;
        const result = spawnSync(path.join(dir, 'awk'), ['--', JSON_CHECK_AWK, path.join(files.root, 'missing.json')], {
          env: { ...process.env, LC_ALL: 'C' },
        });
        assert.strictEqual(result.status, 2);
      });
    });
  }

  describe('json_ok as a bash function', function () {
    let mawkDir: string;
    before(async function () {
      await Promise.allSettled(results.values());
      mawkDir = binDirs.get('mawk') ?? awkBinDir(files.root, AWKS[0] as AwkVariant);
    });

    it('ends the awk program with the one line that the batch runs replace', function () {
      assert.strictEqual(JSON_CHECK_AWK.split(ONE_FILE).length, 2);
      assert.ok(JSON_CHECK_AWK.endsWith(`${ONE_FILE}\n`));
      assert.notStrictEqual(BATCH_PROGRAM, JSON_CHECK_AWK);
    });

    it('embeds an awk program with no single quote, so it can be single-quoted', function () {
      assert.ok(!JSON_CHECK_AWK.includes("'"));
      assert.ok(bashJsonCheckFunction().includes(`awk -- '\n${JSON_CHECK_AWK.replace(/\n$/, '')}\n' "$file"`));
    });

    it('uses nothing newer than bash 3.2 (macOS) and nothing beyond POSIX tools', function () {
      const text = bashJsonCheckFunction();
      for (const banned of ['local -n', 'declare -', 'mapfile', 'readarray', ',,}', '^^}', '[[', '&>>', '|&', ';&', '<<<', '$(<']) {
        assert.ok(!text.includes(banned), `uses ${banned}`);
      }
      for (const tool of ["LC_ALL=C tr -d '\\000' <", 'LC_ALL=C cmp -s - "$file"', "LC_ALL=C awk -- '"]) {
        assert.ok(text.includes(tool), `does not call ${tool}`);
      }
    });

    it('gives 2 for a missing file, a directory and an empty name', async function () {
      const missing = path.join(files.root, 'no-such-file.json');
      const statuses = await runDriver(files, 'bash', mawkDir, [missing, files.root, '']);
      assert.deepStrictEqual(statuses, [2, 2, 2]);
    });

    it('gives 2 for a file it may not read', async function () {
      const locked = path.join(files.root, 'locked.json');
      fs.writeFileSync(locked, '{}', { mode: 0o000 });
      if (process.getuid?.() !== 0) {
        assert.deepStrictEqual(await runDriver(files, 'bash', mawkDir, [locked]), [2]);
        return;
      }
      // Root reads anything, so the check runs as nobody, on files in a folder nobody may enter.
      const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'json-ok-nobody-'));
      try {
        fs.chmodSync(shared, 0o755);
        const functionFile = path.join(shared, 'json_ok.sh');
        fs.writeFileSync(functionFile, bashJsonCheckFunction(), { mode: 0o644 });
        const unreadable = path.join(shared, 'locked.json');
        fs.writeFileSync(unreadable, '{}', { mode: 0o000 });
        const readable = path.join(shared, 'open.json');
        fs.writeFileSync(readable, '{}', { mode: 0o644 });
        const script = 'for f in "$2" "$3"; do . "$1"; json_ok "$f"; echo $?; done';
        const result = spawnSync('runuser', ['-u', 'nobody', '--', 'bash', '-c', script, 'bash', functionFile, unreadable, readable], {
          env: { ...process.env, PATH: withPath(mawkDir) },
          encoding: 'utf8',
        });
        assert.deepStrictEqual(result.stdout.trim().split('\n').map(Number), [2, 0], result.stderr);
      } finally {
        fs.rmSync(shared, { recursive: true, force: true });
      }
    });

    it('reads names that awk or the shell could misread: -, a=b, spaces, relative paths', async function () {
      const dir = path.join(files.root, 'odd names');
      fs.mkdirSync(dir);
      const names = ['-', 'a=b.json', 'with space.json', '-v.json', "it's.json"];
      for (const name of names) fs.writeFileSync(path.join(dir, name), '{"ok":true}');
      fs.writeFileSync(path.join(dir, 'bad.json'), '{"ok":true,}');
      const script = `. "$1"; cd "$2" || exit 9; shift 2; for f in "$@"; do json_ok "$f"; echo $?; done`;
      const result = spawnSync('bash', ['-c', script, 'bash', files.functionFile, dir, ...names, 'bad.json'], {
        env: { ...process.env, PATH: withPath(mawkDir) },
        encoding: 'utf8',
      });
      const statuses = result.stdout.trim().split('\n').map(Number);
      assert.deepStrictEqual(statuses, [0, 0, 0, 0, 0, 1], result.stderr);
    });

    it('returns 0 for a valid file and continues under set -e, set -u and pipefail', function () {
      const good = caseFiles[CASES.findIndex((c) => c.name.startsWith('L1 flat'))] as string;
      const bad = caseFiles[CASES.findIndex((c) => c.name.startsWith('L2 with a trailing comma'))] as string;
      const script = `set -euo pipefail; . "$1"; json_ok "$2"; echo reached; if json_ok "$3"; then echo wrong; else echo "invalid $?"; fi`;
      const result = spawnSync('bash', ['-c', script, 'bash', files.functionFile, good, bad], {
        env: { ...process.env, PATH: withPath(mawkDir) },
        encoding: 'utf8',
      });
      assert.strictEqual(result.stdout, 'reached\ninvalid 1\n', result.stderr);
    });

    it('works the same in a POSIX sh (dash), as a check that it avoids bash-only syntax', async function () {
      const statuses = await underDash;
      const wrong = smallCases.filter((i, k) => statuses[k] !== ((CASES[i] as Case).valid ? 0 : 1)).map((i) => (CASES[i] as Case).name);
      assert.deepStrictEqual(wrong, []);
    });

    it("works with BusyBox's tr, cmp and awk together, as on Alpine", async function () {
      const statuses = await underBusyBox;
      const wrong = smallCases.filter((i, k) => statuses[k] !== ((CASES[i] as Case).valid ? 0 : 1)).map((i) => (CASES[i] as Case).name);
      assert.deepStrictEqual(wrong, []);
    });
  });

  describe('speed on a 1 MB data.json', function () {
    let pretty: string;
    let minified: string;
    const timings: string[] = [];

    before(async function () {
      // After the fuzz runs, so that the timings are not taken on a busy machine.
      await Promise.allSettled([...results.values(), underDash, underBusyBox]);
      // A data.json of about 1 MiB: the L2 layout plus many account-like entries.
      const random = seededRandom(7);
      const build = (indent: number): string => {
        const accounts: Record<string, unknown> = {};
        for (let i = 0; ; i++) {
          accounts[`account-${i}`] = {
            ...LAYOUT_L3,
            lastSyncHash: Buffer.from(String(random())).toString('base64'),
            counts: [i, random() * 1e6, -i, true, null],
          };
          if (i % 50 === 49) {
            const text = JSON.stringify({ ...LAYOUT_L2, accounts }, null, indent);
            if (Buffer.byteLength(text) >= 1024 * 1024) return text;
          }
        }
      };
      pretty = path.join(files.root, 'big-pretty.json');
      minified = path.join(files.root, 'big-minified.json');
      fs.writeFileSync(pretty, build(2));
      fs.writeFileSync(minified, build(0));
    });

    after(function () {
      if (timings.length > 0) console.log(`      json_ok on 1 MB:\n${timings.map((t) => `        ${t}`).join('\n')}`);
    });

    for (const variant of AWKS) {
      it(`${variant.label}: checks it within ${variant.program === 'mawk' ? 1 : 5} s, pretty-printed and on one line`, function () {
        const dir = binDirs.get(variant.label) ?? awkBinDir(files.root, variant);
        for (const [label, file] of [
          ['pretty', pretty],
          ['one line', minified],
        ] as const) {
          const { status, seconds } = timeJsonOk(files, dir, file);
          const megabytes = fs.statSync(file).size / 1e6;
          timings.push(`${variant.label.padEnd(42)} ${label.padEnd(9)} ${megabytes.toFixed(2)} MB  ${seconds.toFixed(3)} s`);
          assert.strictEqual(status, 0);
          assert.ok(seconds < (variant.program === 'mawk' ? 1 : 5), `${seconds.toFixed(2)} s`);
        }
      });
    }
  });

  describe('Test-StrictJson, the PowerShell port (not executed here: structure and a model)', function () {
    const text = POWERSHELL_JSON_CHECK;

    /** The code with comments removed and string contents blanked (quotes kept). */
    function codeOnly(source: string): string {
      let out = '';
      let i = 0;
      while (i < source.length) {
        const c = source[i] as string;
        if (source.startsWith('<#', i)) {
          const end = source.indexOf('#>', i + 2);
          assert.ok(end >= 0, 'unclosed block comment');
          i = end + 2;
        } else if (c === '#') {
          while (i < source.length && source[i] !== '\n') i++;
        } else if (c === "'") {
          out += "'";
          i++;
          for (;;) {
            assert.ok(i < source.length, 'unclosed single-quoted string');
            if (source[i] === "'" && source[i + 1] === "'") i += 2;
            else if (source[i] === "'") break;
            else i++;
          }
          out += "'";
          i++;
        } else if (c === '"') {
          out += '"';
          i++;
          for (;;) {
            assert.ok(i < source.length, 'unclosed double-quoted string');
            assert.ok(!source.startsWith('$(', i), 'no subexpressions in double-quoted strings');
            if (source[i] === '`') i += 2;
            else if (source[i] === '"') break;
            else i++;
          }
          out += '"';
          i++;
        } else {
          out += c;
          i++;
        }
      }
      return out;
    }

    it('is plain ASCII with balanced braces, parentheses and brackets outside strings and comments', function () {
      assert.ok(/^[\x20-\x7e\n]*$/.test(text), 'ASCII only: PowerShell reads smart quotes as quotes');
      const code = codeOnly(text);
      const stack: string[] = [];
      const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
      for (const c of code) {
        if ('({['.includes(c)) stack.push(c);
        else if (c in pairs) assert.strictEqual(stack.pop(), pairs[c], `unbalanced ${c}`);
      }
      assert.deepStrictEqual(stack, []);
    });

    it('uses no aliases, no pipeline and no syntax newer than PowerShell 5.1', function () {
      const code = codeOnly(text);
      assert.ok(!code.includes('|'), 'no pipeline, so no ForEach-Object or Where-Object shorthand');
      for (const banned of ['%', '?', '&&', '`u{', '::new(', '@"', "@'", ' -match', ' -replace', ' -split', ' -like']) {
        assert.ok(!code.includes(banned), `uses ${banned}`);
      }
      const ALIASES = [
        'gc',
        'cat',
        'ls',
        'dir',
        'echo',
        'gci',
        'gi',
        'gm',
        'gp',
        'gv',
        'sv',
        'sls',
        'iex',
        'iwr',
        'irm',
        'select',
        'where',
        'sort',
        'measure',
        'tee',
        'type',
        'write',
        'cd',
        'cp',
        'mv',
        'rm',
        'del',
        'ni',
        'ri',
        'sc',
        'ac',
        'cls',
        'kill',
        'ps',
        'pwd',
        'curl',
        'wget',
        'diff',
        'group',
        'fl',
        'ft',
        'fw',
        'oh',
        'sleep',
        'start',
        'man',
      ];
      // Bare words: not a $variable, -operator, .member, ::static or [type] name.
      const words = code.match(/(?<![$\-.:[\w])[A-Za-z][\w-]*/g) ?? [];
      const used = words.filter((w) => ALIASES.includes(w.toLowerCase()));
      assert.deepStrictEqual(used, []);
      const commands = [...new Set(words.filter((w) => w.includes('-')))].sort();
      assert.deepStrictEqual(commands, ['New-Object', 'Test-StrictJson', 'Write-Verbose']);
      // `foreach` only as the statement, never as the ForEach-Object alias.
      for (const match of code.matchAll(/\bforeach\b/gi)) assert.ok(/^foreach \(/.test(code.slice(match.index)));
    });

    it('reads the bytes with ReadAllBytes and rejects a UTF-8 BOM before decoding', function () {
      const read = text.indexOf('[System.IO.File]::ReadAllBytes(');
      const bom = text.indexOf('$bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF');
      const decode = text.indexOf('New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false, $false');
      assert.ok(read > 0 && bom > read && decode > bom, 'read, then BOM check, then decode');
      assert.match(text, /\$bytes\.Length -ge 3 -and \$bytes\[0\]/);
    });

    it('assigns every variable before it is used (Set-StrictMode -Version Latest)', function () {
      const code = codeOnly(text);
      const automatic = new Set(['true', 'false', 'null', '_', 'ExecutionContext', 'Path']);
      const assigned = new Set<string>(automatic);
      for (const match of code.matchAll(/\$(\w+)(\s*=(?!=)|\s+in\b)?/g)) {
        const name = match[1] as string;
        const isAssignment = match[2] !== undefined;
        const isLoopVariable = /foreach \($/.test(code.slice(0, match.index));
        if (isAssignment || isLoopVariable) assigned.add(name);
        else assert.ok(assigned.has(name), `$${name} is used before it is assigned`);
      }
    });

    it('returns only booleans, and discards the value of Stack.Pop', function () {
      const code = codeOnly(text);
      const returns = [...code.matchAll(/\breturn\b([^\n}]*)/g)].map((m) => (m[1] as string).trim());
      for (const value of returns) assert.ok(['$false', '$true', '($state -eq 6)'].includes(value), `return ${value}`);
      assert.ok(code.includes('[void]$stack.Pop()'));
    });

    /**
     * A JavaScript model of Test-StrictJson: its regular expressions are taken from the
     * PowerShell text, applied in the order the text applies them (JavaScript and .NET agree on
     * these simple patterns), followed by a line-for-line copy of its state machine.
     */
    function modelOfPowerShell(content: Buffer): boolean {
      const patterns = new Map<string, string>();
      for (const m of text.matchAll(/^\s*\$(\w+)Pattern = '([^']*)'$/gm)) patterns.set(m[1] as string, m[2] as string);
      if (content.length >= 3 && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) return false;
      let decoded = content.toString('utf8');
      if (new RegExp(patterns.get('control') as string).test(decoded)) return false;
      for (const m of text.matchAll(/Replace\(\$text, \$(\w+)Pattern, (?:\[string\]\[char\](\d)|'')\)/g)) {
        const replacement = m[2] === undefined ? '' : String.fromCharCode(Number(m[2]));
        decoded = decoded.replace(new RegExp(patterns.get(m[1] as string) as string, 'g'), () => replacement);
      }
      const stack: boolean[] = [];
      let state = 0;
      // PowerShell walks UTF-16 code units ([char]), and so does this loop.
      for (let i = 0; i < decoded.length; i++) {
        const code = decoded.charCodeAt(i);
        if (code === 1 || code === 3 || code === 4) {
          if (state === 0 || state === 1) state = stack.length > 0 ? 5 : 6;
          else if ((state === 2 || state === 3) && code === 1) state = 4;
          else return false;
        } else if (code === 123 || code === 91) {
          if (state !== 0 && state !== 1) return false;
          stack.push(code === 123);
          state = code === 123 ? 2 : 1;
        } else if (code === 125 || code === 93) {
          const closesObject = code === 125;
          const emptyState = closesObject ? 2 : 1;
          if (!(state === emptyState || (state === 5 && stack[stack.length - 1] === closesObject))) return false;
          stack.pop();
          state = stack.length > 0 ? 5 : 6;
        } else if (code === 58) {
          if (state !== 4) return false;
          state = 0;
        } else if (code === 44) {
          if (state !== 5) return false;
          state = stack[stack.length - 1] ? 3 : 0;
        } else {
          return false;
        }
      }
      return state === 6;
    }

    it('has the six patterns and five replacements the model relies on', function () {
      const names = [...text.matchAll(/^\s*\$(\w+)Pattern = '/gm)].map((m) => m[1]);
      assert.deepStrictEqual(names, ['control', 'escape', 'string', 'literal', 'number', 'whitespace']);
      const replaced = [...text.matchAll(/Replace\(\$text, \$(\w+)Pattern, (\[string\]\[char\]\d|'')\)/g)].map((m) => `${m[1]}→${m[2]}`);
      assert.deepStrictEqual(replaced, [
        'escape→[string][char]2',
        'string→[string][char]1',
        'literal→[string][char]4',
        'number→[string][char]3',
        "whitespace→''",
      ]);
      assert.match(text, /IsMatch\(\$text, \$controlPattern\)\) \{ return \$false \}/);
    });

    it('its model matches Node on every hand-written case', function () {
      const wrong = CASES.filter((c) => modelOfPowerShell(c.content) !== c.valid).map((c) => c.name);
      assert.deepStrictEqual(wrong, []);
    });

    it(`its model agrees with Node on the ${FUZZ_COUNT} random documents`, function () {
      const wrong = fuzz.flatMap((d, i) => (modelOfPowerShell(d) === fuzzNode[i] ? [] : [`#${i} ${shown(d)}`]));
      assert.deepStrictEqual(wrong.slice(0, 10), [], `${wrong.length} disagreements`);
    });

    it(`its model agrees with Node on ${MODEL_FUZZ_COUNT} more random documents`, function () {
      const seed = FUZZ_SEED + 1;
      const wrong: string[] = [];
      let accepted = 0;
      fuzzDocuments(seed, MODEL_FUZZ_COUNT).forEach((d, i) => {
        let node: boolean;
        try {
          JSON.parse(d.toString('utf8')); // what readFileSync(file, 'utf8') would return
          node = true;
        } catch {
          node = false;
        }
        if (node) accepted++;
        if (modelOfPowerShell(d) !== node) wrong.push(`#${i} ${shown(d)}`);
      });
      assert.deepStrictEqual(wrong.slice(0, 10), [], `${wrong.length} disagreements (seed ${seed})`);
      assert.ok(accepted > MODEL_FUZZ_COUNT * 0.2 && accepted < MODEL_FUZZ_COUNT * 0.7, `${accepted} valid`);
    });
  });
});
