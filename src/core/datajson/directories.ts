import type { PathKind } from '../diagnostic';
import { t } from '../l10n';
import type { DataJsonSummary, DirectoryType } from './api';
import { keyOf, member, property, valueOf, type JsonNode } from './json';
import type { Mutable, Reporter, Span } from './reporter';
import { kindOf, quote, truthy, withoutUserInfo } from './values';

/** The five directories bwdc syncs from: where each layout keeps their settings, and what bwdc needs of them. */

export interface DirectorySpec {
  readonly type: DirectoryType;
  readonly label: string;
  /** L3 top-level key. */
  readonly l3: string;
  /** L2 keys under `<account>.directoryConfigurations`, in the order bwdc reads them. */
  readonly l2: readonly string[];
  /** L1 top-level key. */
  readonly l1: string;
  /** Settings without which bwdc cannot connect (the secret is checked on its own). */
  readonly required: readonly string[];
  readonly secret: string;
  /** `bwdc config <setting>` that stores the secret. */
  readonly setting: string;
  readonly strings: readonly string[];
  readonly booleans: readonly string[];
}

const INCOMPLETE = 'Directory configuration incomplete.';
const NO_CREDENTIALS = 'Username/password are not configured.';

export const DIRECTORIES: readonly DirectorySpec[] = [
  {
    type: 0,
    label: 'Active Directory / LDAP',
    l3: 'directoryLdap',
    l2: ['ldap'],
    l1: 'directoryConfig_0',
    required: ['hostname', 'port', 'rootPath', 'username'],
    secret: 'password',
    setting: 'ldap.password',
    strings: ['id', 'hostname', 'domain', 'rootPath', 'username', 'password', 'tlsCaPath', 'sslCertPath', 'sslKeyPath', 'sslCaPath'],
    booleans: ['ssl', 'startTls', 'sslAllowUnauthorized', 'currentUser', 'ad', 'pagedSearch'],
  },
  {
    type: 1,
    label: 'Entra ID',
    l3: 'directoryEntra',
    l2: ['entra', 'azure'],
    l1: 'directoryConfig_1',
    required: ['tenant', 'applicationId'],
    secret: 'key',
    setting: 'entra.key',
    strings: ['id', 'identityAuthority', 'tenant', 'applicationId', 'key'],
    booleans: [],
  },
  {
    type: 2,
    label: 'Google Workspace',
    l3: 'directoryGsuite',
    l2: ['gsuite'],
    l1: 'directoryConfig_2',
    required: ['clientEmail', 'domain', 'adminUser'],
    secret: 'privateKey',
    setting: 'gsuite.key',
    strings: ['id', 'clientEmail', 'privateKey', 'domain', 'adminUser', 'customer'],
    booleans: [],
  },
  {
    type: 3,
    label: 'Okta',
    l3: 'directoryOkta',
    l2: ['okta'],
    l1: 'directoryConfig_3',
    required: ['orgUrl'],
    secret: 'token',
    setting: 'okta.token',
    strings: ['id', 'orgUrl', 'token'],
    booleans: [],
  },
  {
    type: 4,
    label: 'OneLogin',
    l3: 'directoryOnelogin',
    l2: ['oneLogin'],
    l1: 'directoryConfig_4',
    required: ['clientId'],
    secret: 'clientSecret',
    setting: 'onelogin.secret',
    strings: ['id', 'clientId', 'clientSecret', 'region'],
    booleans: [],
  },
];

const CERTIFICATE_PATHS = ['sslCertPath', 'sslKeyPath', 'sslCaPath', 'tlsCaPath'];
const IDENTITY_AUTHORITIES = ['login.microsoftonline.com', 'login.microsoftonline.us'];
const ONELOGIN_REGIONS = ['us', 'eu'];

/** The directory directoryType selects. A quoted digit ("0") is reported, and the rest is checked as the directory it means. */
export function selectedDirectory(typeValue: JsonNode | undefined): DirectorySpec | undefined {
  if (typeValue?.type === 'number') return DIRECTORIES.find((candidate) => candidate.type === typeValue.value);
  if (typeValue?.type === 'string' && /^[0-4]$/.test(typeValue.value as string)) return DIRECTORIES[Number(typeValue.value)];
  return undefined;
}

export function checkDirectoryType(reporter: Reporter, typeProperty: JsonNode | undefined, value: JsonNode | undefined, anchor: Span): void {
  const choices = t('0 (Active Directory / LDAP), 1 (Entra ID), 2 (Google Workspace), 3 (Okta) or 4 (OneLogin)');
  if (!value || value.type === 'null') {
    reporter.report(
      reporter.nodeRange(value ?? (typeProperty ? keyOf(typeProperty) : anchor)),
      'error',
      'data-directory-type-missing',
      t(
        'No directoryType is set, so bwdc sync stops with "No directory configured." Choose the directory in the Directory Connector, or set directoryType to {0}.',
        choices,
      ),
    );
    return;
  }
  if (value.type !== 'number') {
    const digit = value.type === 'string' && /^[0-4]$/.test(value.value as string) ? (value.value as string) : undefined;
    reporter.report(
      reporter.nodeRange(value),
      'error',
      'data-directory-type-not-number',
      digit !== undefined
        ? t(
            'directoryType is the string "{0}", but bwdc compares it with the number {0} (===), so no directory matches and the sync fails. Write it without quotes: {0}.',
            digit,
          )
        : t('directoryType must be a number, not {0}: bwdc compares it with ===, so no directory matches. Use {1}.', kindOf(value), choices),
      digit !== undefined
        ? [{ title: t('Change to the number {0}', digit), edits: [{ range: reporter.nodeRange(value), newText: digit }], preferred: true }]
        : undefined,
    );
    return;
  }
  if (!DIRECTORIES.some((spec) => spec.type === value.value)) {
    reporter.report(
      reporter.nodeRange(value),
      'error',
      'data-directory-type-range',
      t('directoryType {0} is not a directory bwdc knows ("Invalid Directory Type"). Use {1}.', quote(reporter.source(value)), choices),
    );
  }
}

/** Summary facts about the selected directory: never a secret, never a user name. */
export function describeDirectory(spec: DirectorySpec, config: JsonNode, summary: Mutable<DataJsonSummary>): void {
  const text = (key: string): string | undefined => {
    const value = member(config, key);
    return value?.type === 'string' && value.value !== '' ? (value.value as string) : undefined;
  };
  let server: string | undefined;
  switch (spec.type) {
    case 0: {
      const host = text('hostname');
      if (host) {
        const ldaps = truthy(member(config, 'ssl')) && !truthy(member(config, 'startTls'));
        const port = member(config, 'port');
        const portText = port?.type === 'number' || (port?.type === 'string' && port.value !== '') ? `:${String(port.value)}` : '';
        server = `${ldaps ? 'ldaps' : 'ldap'}://${host}${portText}`;
        if (truthy(member(config, 'ssl')) && truthy(member(config, 'startTls'))) summary.startTls = true;
      }
      break;
    }
    case 1:
      server = text('tenant');
      break;
    case 2:
      server = text('domain');
      break;
    case 3:
      server = text('orgUrl');
      break;
    case 4:
      server = text('region');
      break;
  }
  if (server) summary.server = withoutUserInfo(server);
}

/**
 * Whether the selected directory has a configuration object to check. Reports it when it is
 * missing or something else, since bwdc then has no settings to connect with.
 */
export function hasConfigObject(
  reporter: Reporter,
  spec: DirectorySpec,
  typeValue: JsonNode,
  config: JsonNode | undefined,
  configPath: string,
): config is JsonNode {
  if (!config || config.type === 'null') {
    reporter.report(
      config ? reporter.nodeRange(config) : reporter.nodeRange(typeValue),
      'error',
      'data-directory-config-missing',
      t(
        "directoryType {0} selects {1}, but '{2}' is missing, so bwdc has no {1} settings to connect with and the sync fails. Configure {1} in the Directory Connector, or add '{2}'.",
        spec.type,
        spec.label,
        configPath,
      ),
    );
    return false;
  }
  if (config.type !== 'object') {
    reporter.fieldType(config, configPath, t('an object'), t('bwdc reads the {0} settings from it.', spec.label));
    return false;
  }
  return true;
}

/** The settings of the selected directory, except its secret (the secrets' own check, which depends on the mode). */
export function checkDirectory(
  reporter: Reporter,
  spec: DirectorySpec,
  configProperty: JsonNode,
  config: JsonNode,
  pathKind: ((path: string) => PathKind) | undefined,
): void {
  reporter.fieldTypes(config, spec.strings, 'string');
  reporter.fieldTypes(config, spec.booleans, 'boolean');
  for (const key of spec.required) {
    const found = property(config, key);
    const value = valueOf(found);
    if (value && value.type !== 'null' && !(value.type === 'string' && value.value === '')) continue;
    reporter.report(
      value ? reporter.nodeRange(value) : reporter.nodeRange(keyOf(configProperty)),
      'error',
      'data-field-missing',
      t(
        "The {0} setting '{1}' is {2}, so bwdc sync would stop with {3} Set '{1}' to {4}.",
        spec.label,
        key,
        value ? (value.type === 'null' ? 'null' : t('empty')) : t('missing'),
        missingSettingError(spec, key),
        hint(key),
      ),
    );
  }
  if (spec.type === 0) checkLdap(reporter, config, pathKind);
  if (spec.type === 1) checkIdentityAuthority(reporter, config);
  if (spec.type === 4) checkRegion(reporter, config);
}

/** What bwdc sync stops with when the setting `key` of this directory is missing. */
export function missingSettingError(spec: DirectorySpec, key: string): string {
  if (spec.type === 0 && key === 'rootPath') return t('a TypeError (it reads rootPath without checking it).');
  return `"${spec.type === 0 && (key === 'username' || key === spec.secret) ? NO_CREDENTIALS : INCOMPLETE}"`;
}

function hint(key: string): string {
  switch (key) {
    case 'hostname':
      return t('the name of the domain controller or LDAP server');
    case 'port':
      return t('389 (LDAP, StartTLS) or 636 (LDAPS)');
    case 'rootPath':
      return t('the search base, for example dc=example,dc=com');
    case 'username':
      return t('the bind user, for example CN=bwdc,CN=Users,DC=example,DC=com');
    case 'tenant':
      return t('the directory (tenant) ID or domain');
    case 'applicationId':
      return t('the application (client) ID of the app registration');
    case 'clientEmail':
      return t("the service account's e-mail address");
    case 'domain':
      return t('your Google Workspace domain');
    case 'adminUser':
      return t('the e-mail address of an admin the service account acts as');
    case 'orgUrl':
      return t('your Okta address, for example https://example.okta.com');
    case 'clientId':
      return t('the client ID of the OneLogin API credential');
    default:
      return t('its value');
  }
}

function checkLdap(reporter: Reporter, config: JsonNode, pathKind: ((path: string) => PathKind) | undefined): void {
  const ssl = truthy(member(config, 'ssl'));
  const startTlsValue = member(config, 'startTls');
  const startTls = truthy(startTlsValue);
  if (startTls && !ssl) {
    reporter.report(
      reporter.nodeRange(startTlsValue!),
      'warning',
      'data-ldap-starttls-ignored',
      t(
        'startTls takes effect only together with ssl: with ssl false, bwdc ignores it and connects with plain ldap://, sending the bind password unencrypted. Set ssl to true as well for StartTLS, or ssl true and startTls false for LDAPS.',
      ),
    );
  }
  const port = member(config, 'port');
  if (port && port.type !== 'null' && !(port.type === 'string' && port.value === '')) {
    if (port.type !== 'number' && port.type !== 'string') {
      reporter.fieldType(port, 'port', t('a port number'), t('bwdc builds the server address from it; write a number such as 389 or 636.'));
    } else {
      const number = port.type === 'number' ? (port.value as number) : /^\d{1,5}$/.test(port.value as string) ? Number(port.value) : NaN;
      if (!Number.isInteger(number) || number < 1 || number > 65535) {
        reporter.report(
          reporter.nodeRange(port),
          'warning',
          'data-ldap-port',
          t(
            '{0} is not a TCP port (a whole number from 1 to 65535), so bwdc cannot connect. LDAP and StartTLS use 389, LDAPS 636.',
            quote(reporter.source(port)),
          ),
        );
      } else if (ssl && !startTls && number === 389) {
        reporter.report(
          reporter.nodeRange(port),
          'warning',
          'data-ldap-port',
          t(
            'ssl is on without startTls, so bwdc connects with ldaps://, but 389 is the plain LDAP port; LDAPS usually listens on 636. Use port 636, or set startTls to true for StartTLS on 389.',
          ),
        );
      } else if (!(ssl && !startTls) && number === 636) {
        reporter.report(
          reporter.nodeRange(port),
          'warning',
          'data-ldap-port',
          t(
            '636 is the LDAPS port, but bwdc connects with {0} here. Set ssl to true and startTls to false for LDAPS, or use port 389.',
            ssl ? t('ldap:// and StartTLS') : 'ldap://',
          ),
        );
      }
    }
  }
  if (!pathKind) return;
  for (const key of CERTIFICATE_PATHS) {
    const value = member(config, key);
    if (value?.type !== 'string' || !isAbsolutePath(value.value as string)) continue;
    let kind: PathKind | undefined;
    try {
      kind = pathKind(value.value as string);
    } catch {
      kind = undefined;
    }
    if (kind === undefined || kind === 'file') continue;
    reporter.report(
      reporter.nodeRange(value),
      'warning',
      'data-cert-missing',
      kind === 'directory'
        ? t(
            "'{0}' names a folder, '{1}', not a file. bwdc silently skips it and connects without it, so the TLS connection may fail. Point '{0}' at the certificate file.",
            key,
            quote(value.value as string),
          )
        : t(
            "No file at '{1}' on this machine. bwdc silently skips a missing '{0}' file and connects without it, so the TLS connection may fail. Correct the path or copy the file there.",
            key,
            quote(value.value as string),
          ),
    );
  }
}

function checkIdentityAuthority(reporter: Reporter, config: JsonNode): void {
  const value = member(config, 'identityAuthority');
  if (value?.type !== 'string' || IDENTITY_AUTHORITIES.includes(value.value as string)) return;
  const normalized = (value.value as string)
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  const match = IDENTITY_AUTHORITIES.find((authority) => authority === normalized);
  reporter.report(
    reporter.nodeRange(value),
    'error',
    'data-identity-authority',
    t(
      'bwdc accepts only login.microsoftonline.com (public cloud) or login.microsoftonline.us (US government) as identityAuthority, or null for the public cloud; with {0} the sync stops with "Directory configuration incomplete."',
      quote(JSON.stringify(value.value)),
    ),
    match
      ? [{ title: t('Change to "{0}"', match), edits: [{ range: reporter.nodeRange(value), newText: JSON.stringify(match) }], preferred: true }]
      : undefined,
  );
}

function checkRegion(reporter: Reporter, config: JsonNode): void {
  const value = member(config, 'region');
  if (!value || (value.type === 'string' && ONELOGIN_REGIONS.includes(value.value as string))) return;
  if (value.type !== 'string' && value.type !== 'null') return; // reported as a type error
  const lower = value.type === 'string' ? (value.value as string).trim().toLowerCase() : '';
  const match = ONELOGIN_REGIONS.find((region) => region === lower);
  reporter.report(
    reporter.nodeRange(value),
    'warning',
    'data-onelogin-region',
    t(
      'OneLogin regions are "us" and "eu"; bwdc builds the address https://api.<region>.onelogin.com from this value, so {0} will not reach OneLogin.',
      value.type === 'null' ? 'null' : quote(JSON.stringify(value.value)),
    ),
    match
      ? [{ title: t('Change to "{0}"', match), edits: [{ range: reporter.nodeRange(value), newText: JSON.stringify(match) }], preferred: true }]
      : undefined,
  );
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
