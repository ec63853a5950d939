import { ParseErrorCode, printParseErrorCode } from 'jsonc-parser';
import type { PathKind, QuickFix, Severity } from '../schedule/diagnose';
import { t } from '../l10n';
import type { Position, Range } from '../text';
import type { DataJsonContext, DataJsonDiagnostic, DataJsonReport, DataJsonSummary, DirectoryType, Layout } from './api';
import { arrayStrings, childrenOf, keyOf, member, parseJson, property, valueOf, type JsonNode, type JsonProblem } from './json';

/**
 * The data.json checks that a JSON schema cannot express (BWDC-FACTS §5): what bwdc will do
 * with this file — reset it, ignore it, or stop a sync — with stable codes and exact ranges.
 * Pure and total: any text in, a report out; it never throws and never quotes a secret.
 */

/** What the Directory Connector writes in place of a secret it keeps in the OS keychain. */
export const STORED_SECURELY = '[STORED SECURELY]';

interface DirectorySpec {
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

const DIRECTORIES: readonly DirectorySpec[] = [
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

const SYNC_BOOLEANS = ['users', 'groups', 'removeDisabled', 'overwriteExisting', 'largeImport', 'useEmailPrefixSuffix', 'inviteUsersAfterProvisioning'];
const SYNC_STRINGS = [
  'userFilter',
  'groupFilter',
  'groupObjectClass',
  'userObjectClass',
  'groupPath',
  'userPath',
  'groupNameAttribute',
  'userEmailAttribute',
  'memberAttribute',
  'emailPrefixAttribute',
  'emailSuffix',
  'creationDateAttribute',
  'revisionDateAttribute',
];
const CERTIFICATE_PATHS = ['sslCertPath', 'sslKeyPath', 'sslCaPath', 'tlsCaPath'];
const IDENTITY_AUTHORITIES = ['login.microsoftonline.com', 'login.microsoftonline.us'];
const ONELOGIN_REGIONS = ['us', 'eu'];
/** Top-level keys only the L3 layout has. */
const L3_ONLY = ['directoryLdap', 'directoryEntra', 'directoryGsuite', 'directoryOkta', 'directoryOnelogin', 'sync'];
const L1_KEY = /^(?:directoryConfig_\d+|syncConfig)$/;
/** Secrets bwdc itself keeps in data.json, outside the directory configurations (plaintext mode, or L1/L2 by design). */
const TOP_LEVEL_SECRETS = ['accessToken', 'refreshToken', 'apiKeyClientSecret', 'apikey_clientSecret', 'clientSecret', 'twoFactorToken'];
/** Keys of an L2 account object that hold secrets, by sub-object. */
const ACCOUNT_SECRETS: readonly (readonly [string, readonly string[]])[] = [
  ['keys', ['apiKeyClientSecret']],
  ['tokens', ['accessToken', 'refreshToken']],
];
const L2_CONFIG_KEYS = ['ldap', 'entra', 'azure', 'gsuite', 'okta', 'oneLogin'];
/** Longest value quoted in a message or summary. */
const QUOTE_LIMIT = 80;

/** Checks a data.json text. Never throws: a failure of the check itself becomes an information diagnostic. */
export function validateDataJson(text: string, context: DataJsonContext = {}): DataJsonReport {
  try {
    return new Validator(String(text), context).run();
  } catch (error) {
    return {
      diagnostics: [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 'information',
          code: 'data-check-failed',
          message: t('bwdc Schedule could not finish checking this data.json ({0}). Please report this as a bug.', error instanceof Error ? error.name : typeof error),
        },
      ],
    };
  }
}

/** The label of a layout, with the Directory Connector versions that write it. */
export function layoutLabel(layout: Layout): string {
  switch (layout) {
    case 'L1':
      return t('flat legacy layout (Directory Connector v2.9.8 and earlier)');
    case 'L2':
      return t('account-scoped layout (Directory Connector v2.9.9 – v2026.4.0)');
    case 'L3':
      return t('flat state-service layout (Directory Connector v2026.6.0 and later)');
    case 'empty':
      return t('empty: no directory configured yet');
    default:
      return t('not a layout the Directory Connector writes');
  }
}

/** Where bwdc reads the settings of the selected directory, in one layout. */
interface Settings {
  /** The object holding directoryType, the sync configuration and the sync state; undefined when absent. */
  readonly holder: JsonNode | undefined;
  /** Where to point when the holder lacks something (offsets: positions are computed only when reported). */
  readonly anchor: Span;
  readonly syncKey: string;
  /** The property (key and value) of a directory's configuration. */
  readonly config: (spec: DirectorySpec) => JsonNode | undefined;
  /** How a message names that configuration, e.g. `directoryLdap`. */
  readonly configPath: (spec: DirectorySpec) => string;
  /** Every directory configuration property present, for secrets left in the file. */
  readonly configs: readonly (readonly [DirectorySpec, JsonNode])[];
}

class Validator {
  private readonly diagnostics: DataJsonDiagnostic[] = [];
  private lineStarts: number[] | undefined;
  private readonly plaintext: boolean;

  constructor(
    private readonly text: string,
    private readonly context: DataJsonContext,
  ) {
    this.plaintext = context.plaintextSecrets === true;
  }

  run(): DataJsonReport {
    const parsed = parseJson(this.text);
    this.syntax(parsed.problems);
    const broken = parsed.problems.some((problem) => problem.kind === 'syntax');
    const root = parsed.root;
    let summary: DataJsonSummary | undefined;
    if (root?.type === 'object') {
      summary = this.object(root, broken);
      this.readable(root);
    } else if (root && !broken) {
      const where = root.type === 'array' ? this.span(root.offset, 1) : this.nodeRange(root);
      this.report(where, 'error', 'data-not-object', t('bwdc expects data.json to hold one JSON object ({0}), not {1}: it cannot read any setting from this file. Restore the object the Directory Connector wrote, or delete the file and configure the Directory Connector again.', '{ … }', this.kind(root)));
    }
    this.diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return summary ? { diagnostics: this.diagnostics, summary } : { diagnostics: this.diagnostics };
  }

  // ---------------------------------------------------------------- syntax

  private syntax(problems: readonly JsonProblem[]): void {
    // Measured with 2026.4.0 and 2026.6.1 (test/realbwdc/FACTS.md): the reset is certain, the backup a race.
    const consequence = t('bwdc (2026.4 and 2026.6 alike) would reset it to its defaults, losing every setting and the server address, and its copy in data.json.bak is not to be trusted (it races the reset and often holds only {0}): the configuration would be gone and nothing would sync.', '{}');
    for (const problem of problems) {
      const where = this.span(problem.offset, problem.length);
      switch (problem.kind) {
        case 'bom':
          this.report(where, 'error', 'data-json-bom', t('data.json starts with a byte order mark (BOM), which JSON.parse rejects: {0} Save the file as UTF-8 without BOM (in VS Code: Save with Encoding → UTF-8).', consequence));
          break;
        case 'comment':
          this.report(where, 'error', 'data-json-comment', t('JSON has no comments: {0} Remove the comment.', consequence), [{ title: t('Remove the comment'), edits: [{ range: where, newText: '' }], preferred: true }]);
          break;
        case 'trailing-comma':
          this.report(where, 'error', 'data-json-trailing-comma', t('JSON allows no comma before a closing bracket: {0} Remove the comma.', consequence), [{ title: t('Remove the trailing comma'), edits: [{ range: where, newText: '' }], preferred: true }]);
          break;
        case 'syntax': {
          const endsInside = problem.error === ParseErrorCode.UnexpectedEndOfString || problem.error === ParseErrorCode.UnexpectedEndOfNumber;
          const atEnd = problem.offset >= this.text.length || (endsInside && problem.offset + problem.length >= this.text.length);
          const what = atEnd ? t('the file ends too early; it may have been cut off') : this.syntaxError(problem.error);
          this.report(where, 'error', 'data-json-syntax', t('This is not valid JSON ({0}): {1} Correct the JSON here.', what, consequence));
          break;
        }
      }
    }
  }

  private syntaxError(error: ParseErrorCode | undefined): string {
    switch (error) {
      case ParseErrorCode.InvalidSymbol:
        return t('unexpected character; strings and names need double quotes');
      case ParseErrorCode.InvalidNumberFormat:
      case ParseErrorCode.UnexpectedEndOfNumber:
        return t('incomplete or invalid number');
      case ParseErrorCode.PropertyNameExpected:
        return t('a property name in double quotes was expected');
      case ParseErrorCode.ValueExpected:
        return t('a value was expected');
      case ParseErrorCode.ColonExpected:
        return t("':' was expected");
      case ParseErrorCode.CommaExpected:
        return t("',' was expected");
      case ParseErrorCode.CloseBraceExpected:
        return t("'}' was expected");
      case ParseErrorCode.CloseBracketExpected:
        return t("']' was expected");
      case ParseErrorCode.EndOfFileExpected:
        return t('nothing may follow the top-level object');
      case ParseErrorCode.UnexpectedEndOfString:
        return t('unterminated string; a string cannot span lines');
      case ParseErrorCode.InvalidUnicode:
        return t('invalid \\u escape');
      case ParseErrorCode.InvalidEscapeCharacter:
        return t('invalid escape; write a backslash as \\\\');
      case ParseErrorCode.InvalidCharacter:
        return t('control character inside a string; write it as an escape such as \\t');
      default:
        return error === undefined ? t('unreadable') : printParseErrorCode(error);
    }
  }

  // ---------------------------------------------------------------- layout

  private object(root: JsonNode, broken: boolean): DataJsonSummary {
    const stateVersion = member(root, 'stateVersion');
    const global = member(root, 'global');
    const hasL2 = global?.type === 'object' || property(root, 'authenticatedAccounts') !== undefined || property(root, 'activeUserId') !== undefined;
    const members = childrenOf(root) ?? [];
    const l1Keys = members.filter((child) => L1_KEY.test(String(keyOf(child).value)));
    let layout: Layout;
    if (stateVersion?.type === 'number' && (stateVersion.value as number) >= 5) layout = 'L3';
    else if (hasL2) layout = 'L2';
    else if (l1Keys.length > 0) layout = 'L1';
    else if (stateVersion || property(root, 'directoryType') || L3_ONLY.some((key) => property(root, key))) layout = 'L3';
    else layout = members.length === 0 ? 'empty' : 'unknown';
    const upgradedFromL2 = layout === 'L3' && hasL2;

    const summary: Mutable<DataJsonSummary> = { layout, layoutLabel: layoutLabel(layout), upgradedFromL2 };
    if (layout === 'L3' && stateVersion?.type === 'number') summary.stateVersion = stateVersion.value as number;
    const bitwardenServer = this.bitwardenServer(root, layout);
    if (bitwardenServer) summary.bitwardenServer = bitwardenServer;

    if (!broken && stateVersion && stateVersion.type !== 'number' && stateVersion.type !== 'null') {
      this.fieldType(stateVersion, 'stateVersion', t('a number'), t('bwdc compares it with numbers to decide which upgrades to run on the file.'));
    }
    if (!broken && l1Keys.length > 0 && layout !== 'L2') this.legacy(keyOf(l1Keys[0]!), layout);

    let settings: Settings | undefined;
    if (layout === 'L3' || layout === 'L1') settings = this.flatSettings(root, layout);
    else if (layout === 'L2') {
      if (global?.type === 'object') {
        const version = member(global, 'stateVersion');
        if (version?.type === 'number') {
          summary.stateVersion = version.value as number;
          if (!broken && (version.value as number) < 3) {
            this.report(this.nodeRange(version), 'error', 'data-state-too-old', t('This file is at state version {0}. bwdc v2026.6.0 and later stop with "Your Directory Connector data is too old to migrate (state version {0})." Open it once with a Directory Connector from v2.9.9 to v2026.4.0 so it is upgraded, or configure the Directory Connector again.', String(version.value)));
          }
        }
      }
      settings = this.accountSettings(root, broken);
    }

    if (settings) this.settings(settings, summary, broken);
    else if (!broken && (layout === 'empty' || layout === 'unknown')) this.unconfigured(root);
    return summary;
  }

  private legacy(key: JsonNode, layout: Layout): void {
    this.report(
      this.nodeRange(key),
      'warning',
      'data-layout-legacy',
      layout === 'L1'
        ? t('This is the flat legacy data.json of Directory Connector v2.9.8 and earlier. bwdc v2026.6.0 and later treat it as a fresh install: they ignore directoryConfig_N and syncConfig (only directoryType and organizationId are picked up), so nothing would sync. Versions v2.9.9 to v2026.4.0 still read and upgrade it; with a current bwdc, configure the directory again.')
        : t("'{0}' is left over from the flat legacy layout (v2.9.8 and earlier). bwdc v2026.6.0 and later ignore directoryConfig_N and syncConfig, so these settings are not used: configure the directory again so they are saved where this version reads them.", String(key.value)),
    );
  }

  private flatSettings(root: JsonNode, layout: 'L1' | 'L3'): Settings {
    const configKey = (spec: DirectorySpec): string => (layout === 'L3' ? spec.l3 : spec.l1);
    return {
      holder: root,
      anchor: { offset: root.offset, length: 1 },
      syncKey: layout === 'L3' ? 'sync' : 'syncConfig',
      config: (spec) => property(root, configKey(spec)),
      configPath: configKey,
      configs: DIRECTORIES.flatMap((spec) => {
        const found = property(root, configKey(spec));
        return found ? [[spec, found] as const] : [];
      }),
    };
  }

  /** L2: the settings of the account activeUserId names, or undefined (reported) when there is none. */
  private accountSettings(root: JsonNode, broken: boolean): Settings | undefined {
    const activeProperty = property(root, 'activeUserId');
    const active = valueOf(activeProperty);
    const account = active?.type === 'string' && active.value !== '' ? property(root, active.value as string) : undefined;
    const accountValue = valueOf(account);
    if (!account || accountValue?.type !== 'object') {
      if (broken) return undefined;
      const where = active ? this.nodeRange(active) : activeProperty ? this.nodeRange(keyOf(activeProperty)) : property(root, 'global') ? this.nodeRange(keyOf(property(root, 'global')!)) : this.span(root.offset, 1);
      this.report(
        where,
        'error',
        'data-no-active-account',
        active?.type === 'string' && active.value !== ''
          ? t('activeUserId names an account this file does not hold. bwdc v2.9.9 – v2026.4.0 stop with "Cannot read properties of null (reading \'directorySettings\')". Run bwdc login (it writes the account again), then configure the directory.')
          : t('No account is logged in (activeUserId is missing or empty). bwdc v2.9.9 – v2026.4.0 stop with "Cannot read properties of null (reading \'directorySettings\')". Run bwdc login, then configure the directory.'),
      );
      return undefined;
    }
    const settingsProperty = property(accountValue, 'directorySettings');
    const settingsValue = valueOf(settingsProperty);
    const configurationsProperty = property(accountValue, 'directoryConfigurations');
    const configurations = valueOf(configurationsProperty);
    if (!broken) {
      if (settingsValue && settingsValue.type !== 'object' && settingsValue.type !== 'null') this.fieldType(settingsValue, 'directorySettings', t('an object'), t('bwdc reads the directory type and the sync options from it.'));
      if (configurations && configurations.type !== 'object' && configurations.type !== 'null') this.fieldType(configurations, 'directoryConfigurations', t('an object'), t('bwdc reads the directory settings from it.'));
    }
    const config = (spec: DirectorySpec): JsonNode | undefined => {
      // Entra ID: `entra` first, then the `azure` written before v2025.7.0.
      for (const key of spec.l2) {
        const candidate = valueOf(property(configurations, key));
        if (candidate && candidate.type !== 'null') return property(configurations, key);
      }
      return property(configurations, spec.l2[0]!);
    };
    return {
      holder: settingsValue?.type === 'object' ? settingsValue : undefined,
      anchor: keyOf(settingsProperty ?? account),
      syncKey: 'sync',
      config,
      configPath: (spec) => `directoryConfigurations.${spec.l2[0]!}`,
      configs: L2_CONFIG_KEYS.flatMap((key) => {
        const found = property(configurations, key);
        const spec = DIRECTORIES.find((candidate) => candidate.l2.includes(key))!;
        return found ? [[spec, found] as const] : [];
      }),
    };
  }

  // ---------------------------------------------------------------- settings

  private settings(settings: Settings, summary: Mutable<DataJsonSummary>, broken: boolean): void {
    const holder = settings.holder;
    const typeProperty = property(holder, 'directoryType');
    const typeValue = valueOf(typeProperty);
    const syncProperty = property(holder, settings.syncKey);
    const sync = valueOf(syncProperty);
    const present = (node: JsonNode | undefined): boolean => node !== undefined && node.type !== 'null';
    const configured = present(typeValue) || present(sync) || settings.configs.some(([, config]) => present(valueOf(config)));

    const organization = member(holder, 'organizationId');
    if (organization?.type === 'string' && organization.value) summary.organizationId = organization.value as string;
    for (const key of ['lastUserSync', 'lastGroupSync'] as const) {
      const value = member(holder, key);
      if (value?.type === 'string' && value.value) summary[key] = value.value as string;
    }
    // A quoted digit ("0") is reported, and the rest is checked as the directory it means.
    const type = typeValue?.type === 'number' ? DIRECTORIES.find((candidate) => candidate.type === typeValue.value)?.type : typeValue?.type === 'string' && /^[0-4]$/.test(typeValue.value as string) ? (Number(typeValue.value) as DirectoryType) : undefined;
    const spec = type === undefined ? undefined : DIRECTORIES[type]!;
    const configProperty = spec ? settings.config(spec) : undefined;
    const config = valueOf(configProperty);
    if (spec) {
      summary.directoryType = spec.type;
      summary.directoryLabel = spec.label;
      if (config?.type === 'object') this.describeDirectory(spec, config, summary);
    }
    if (sync?.type === 'object') {
      const users = member(sync, 'users');
      const groups = member(sync, 'groups');
      if (users?.type === 'boolean') summary.users = users.value as boolean;
      if (groups?.type === 'boolean') summary.groups = groups.value as boolean;
      for (const key of ['userFilter', 'groupFilter'] as const) {
        const filter = member(sync, key);
        if (filter?.type === 'string' && filter.value) summary[key] = filter.value as string;
      }
    }

    if (broken) return;
    for (const [candidate, configNode] of settings.configs) this.secretLeft(candidate, configNode);
    if (!configured) {
      if (holder) this.unconfigured(holder);
      else this.report(this.nodeRange(settings.anchor), 'warning', 'data-unconfigured', this.unconfiguredMessage());
      return;
    }

    this.directoryType(typeProperty, typeValue, settings.anchor);
    if (spec && typeValue) {
      if (!config || config.type === 'null') {
        this.report(
          config ? this.nodeRange(config) : this.nodeRange(typeValue),
          'error',
          'data-directory-config-missing',
          t("directoryType {0} selects {1}, but '{2}' is missing, so bwdc has no {1} settings to connect with and the sync fails. Configure {1} in the Directory Connector, or add '{2}'.", spec.type, spec.label, settings.configPath(spec)),
        );
      } else if (config.type !== 'object') {
        this.fieldType(config, settings.configPath(spec), t('an object'), t('bwdc reads the {0} settings from it.', spec.label));
      } else {
        this.directory(spec, configProperty!, config);
      }
    }

    if (sync && sync.type !== 'null' && sync.type !== 'object') {
      this.fieldType(sync, settings.syncKey, t('an object'), t('bwdc reads what to sync from it.'));
      return;
    }
    if (sync?.type === 'object') this.syncTypes(sync);
    const users = member(sync, 'users');
    const groups = member(sync, 'groups');
    if (!truthy(users) && !truthy(groups)) {
      this.report(
        this.nodeRange(syncProperty ? keyOf(syncProperty) : settings.anchor),
        'warning',
        'data-nothing-synced',
        t('Neither users nor groups are set to sync ({0}.users and {0}.groups are false or missing), so bwdc sync would send nothing. Set at least one of them to true.', settings.syncKey),
      );
    }
    if (spec && spec.type !== 0 && sync?.type === 'object') this.filters(spec, sync);
  }

  private unconfiguredMessage(): string {
    return t('No directory is configured in this data.json yet, so bwdc sync has nothing to do ("No directory configured."). Configure the Directory Connector (desktop app, or bwdc config and editing this file) before scheduling syncs.');
  }

  private unconfigured(object: JsonNode): void {
    this.report(this.span(object.offset, 1), 'warning', 'data-unconfigured', this.unconfiguredMessage());
  }

  private directoryType(typeProperty: JsonNode | undefined, value: JsonNode | undefined, anchor: Span): void {
    const choices = t('0 (Active Directory / LDAP), 1 (Entra ID), 2 (Google Workspace), 3 (Okta) or 4 (OneLogin)');
    if (!value || value.type === 'null') {
      this.report(
        this.nodeRange(value ?? (typeProperty ? keyOf(typeProperty) : anchor)),
        'error',
        'data-directory-type-missing',
        t('No directoryType is set, so bwdc sync stops with "No directory configured." Choose the directory in the Directory Connector, or set directoryType to {0}.', choices),
      );
      return;
    }
    if (value.type !== 'number') {
      const digit = value.type === 'string' && /^[0-4]$/.test(value.value as string) ? (value.value as string) : undefined;
      this.report(
        this.nodeRange(value),
        'error',
        'data-directory-type-not-number',
        digit !== undefined
          ? t('directoryType is the string "{0}", but bwdc compares it with the number {0} (===), so no directory matches and the sync fails. Write it without quotes: {0}.', digit)
          : t('directoryType must be a number, not {0}: bwdc compares it with ===, so no directory matches. Use {1}.', this.kind(value), choices),
        digit !== undefined ? [{ title: t('Change to the number {0}', digit), edits: [{ range: this.nodeRange(value), newText: digit }], preferred: true }] : undefined,
      );
      return;
    }
    if (!DIRECTORIES.some((spec) => spec.type === value.value)) {
      this.report(this.nodeRange(value), 'error', 'data-directory-type-range', t('directoryType {0} is not a directory bwdc knows ("Invalid Directory Type"). Use {1}.', quote(this.text.slice(value.offset, value.offset + value.length)), choices));
    }
  }

  /** Summary facts about the selected directory: never a secret, never a user name. */
  private describeDirectory(spec: DirectorySpec, config: JsonNode, summary: Mutable<DataJsonSummary>): void {
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
    const secret = member(config, spec.secret);
    summary.directorySecret = secret?.type === 'string' && secret.value !== '' ? (secret.value === STORED_SECURELY ? 'placeholder' : 'plaintext') : 'absent';
  }

  private bitwardenServer(root: JsonNode, layout: Layout): string | undefined {
    let urls = member(root, 'environmentUrls');
    if (layout === 'L2') urls = member(member(root, 'global'), 'environmentUrls');
    for (const key of ['base', 'webVault', 'api']) {
      const value = member(urls, key);
      if (value?.type === 'string' && value.value !== '') return withoutUserInfo(value.value as string);
    }
    return undefined;
  }

  // ---------------------------------------------------------------- one directory

  private directory(spec: DirectorySpec, configProperty: JsonNode, config: JsonNode): void {
    const label = spec.label;
    for (const key of spec.strings) {
      const value = member(config, key);
      if (value && value.type !== 'string' && value.type !== 'null') this.fieldType(value, key, t('a string'), t('bwdc expects text here; write the value in double quotes.'));
    }
    for (const key of spec.booleans) {
      const value = member(config, key);
      if (value && value.type !== 'boolean' && value.type !== 'null') this.fieldType(value, key, t('true or false'), this.booleanConsequence());
    }
    for (const key of spec.required) {
      const found = property(config, key);
      const value = valueOf(found);
      if (value && value.type !== 'null' && !(value.type === 'string' && value.value === '')) continue;
      this.report(
        value ? this.nodeRange(value) : this.nodeRange(keyOf(configProperty)),
        'error',
        'data-field-missing',
        t("The {0} setting '{1}' is {2}, so bwdc sync would stop with {3} Set '{1}' to {4}.", label, key, value ? (value.type === 'null' ? 'null' : t('empty')) : t('missing'), this.bwdcError(spec, key), this.hint(key)),
      );
    }
    if (spec.type === 0) this.ldap(config);
    if (spec.type === 1) this.identityAuthority(config);
    if (spec.type === 4) this.region(config);
    this.secret(spec, configProperty, config);
  }

  private bwdcError(spec: DirectorySpec, key: string): string {
    if (spec.type === 0 && key === 'rootPath') return t('a TypeError (it reads rootPath without checking it).');
    return `"${spec.type === 0 && (key === 'username' || key === spec.secret) ? NO_CREDENTIALS : INCOMPLETE}"`;
  }

  private hint(key: string): string {
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

  private ldap(config: JsonNode): void {
    const ssl = truthy(member(config, 'ssl'));
    const startTlsValue = member(config, 'startTls');
    const startTls = truthy(startTlsValue);
    if (startTls && !ssl) {
      this.report(this.nodeRange(startTlsValue!), 'warning', 'data-ldap-starttls-ignored', t('startTls takes effect only together with ssl: with ssl false, bwdc ignores it and connects with plain ldap://, sending the bind password unencrypted. Set ssl to true as well for StartTLS, or ssl true and startTls false for LDAPS.'));
    }
    const port = member(config, 'port');
    if (port && port.type !== 'null' && !(port.type === 'string' && port.value === '')) {
      if (port.type !== 'number' && port.type !== 'string') {
        this.fieldType(port, 'port', t('a port number'), t('bwdc builds the server address from it; write a number such as 389 or 636.'));
      } else {
        const number = port.type === 'number' ? (port.value as number) : /^\d{1,5}$/.test(port.value as string) ? Number(port.value) : NaN;
        if (!Number.isInteger(number) || number < 1 || number > 65535) {
          this.report(this.nodeRange(port), 'warning', 'data-ldap-port', t('{0} is not a TCP port (a whole number from 1 to 65535), so bwdc cannot connect. LDAP and StartTLS use 389, LDAPS 636.', quote(this.text.slice(port.offset, port.offset + port.length))));
        } else if (ssl && !startTls && number === 389) {
          this.report(this.nodeRange(port), 'warning', 'data-ldap-port', t('ssl is on without startTls, so bwdc connects with ldaps://, but 389 is the plain LDAP port; LDAPS usually listens on 636. Use port 636, or set startTls to true for StartTLS on 389.'));
        } else if (!(ssl && !startTls) && number === 636) {
          this.report(this.nodeRange(port), 'warning', 'data-ldap-port', t('636 is the LDAPS port, but bwdc connects with {0} here. Set ssl to true and startTls to false for LDAPS, or use port 389.', ssl ? t('ldap:// and StartTLS') : 'ldap://'));
        }
      }
    }
    const pathKind = this.context.pathKind;
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
      this.report(
        this.nodeRange(value),
        'warning',
        'data-cert-missing',
        kind === 'directory'
          ? t("'{0}' names a folder, '{1}', not a file. bwdc silently skips it and connects without it, so the TLS connection may fail. Point '{0}' at the certificate file.", key, quote(value.value as string))
          : t("No file at '{1}' on this machine. bwdc silently skips a missing '{0}' file and connects without it, so the TLS connection may fail. Correct the path or copy the file there.", key, quote(value.value as string)),
      );
    }
  }

  private identityAuthority(config: JsonNode): void {
    const value = member(config, 'identityAuthority');
    if (value?.type !== 'string' || IDENTITY_AUTHORITIES.includes(value.value as string)) return;
    const normalized = (value.value as string)
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '');
    const match = IDENTITY_AUTHORITIES.find((authority) => authority === normalized);
    this.report(
      this.nodeRange(value),
      'error',
      'data-identity-authority',
      t('bwdc accepts only login.microsoftonline.com (public cloud) or login.microsoftonline.us (US government) as identityAuthority, or null for the public cloud; with {0} the sync stops with "Directory configuration incomplete."', quote(JSON.stringify(value.value))),
      match ? [{ title: t('Change to "{0}"', match), edits: [{ range: this.nodeRange(value), newText: JSON.stringify(match) }], preferred: true }] : undefined,
    );
  }

  private region(config: JsonNode): void {
    const value = member(config, 'region');
    if (!value || (value.type === 'string' && ONELOGIN_REGIONS.includes(value.value as string))) return;
    if (value.type !== 'string' && value.type !== 'null') return; // reported as a type error
    const lower = value.type === 'string' ? (value.value as string).trim().toLowerCase() : '';
    const match = ONELOGIN_REGIONS.find((region) => region === lower);
    this.report(
      this.nodeRange(value),
      'warning',
      'data-onelogin-region',
      t('OneLogin regions are "us" and "eu"; bwdc builds the address https://api.<region>.onelogin.com from this value, so {0} will not reach OneLogin.', value.type === 'null' ? 'null' : quote(JSON.stringify(value.value))),
      match ? [{ title: t('Change to "{0}"', match), edits: [{ range: this.nodeRange(value), newText: JSON.stringify(match) }], preferred: true }] : undefined,
    );
  }

  // ---------------------------------------------------------------- secrets

  /** Plaintext mode: the selected directory's secret must be the real one. */
  private secret(spec: DirectorySpec, configProperty: JsonNode, config: JsonNode): void {
    if (!this.plaintext) return;
    const found = property(config, spec.secret);
    const value = valueOf(found);
    if (value?.type === 'string' && value.value === STORED_SECURELY) {
      this.report(
        this.nodeRange(value),
        'error',
        'data-secret-placeholder',
        t(
          'bwdc runs in plaintext mode here (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true), so it reads \'{0}\' from this file and would send the text "{1}" as the {2} secret. Write the real secret here (and keep the file mode 600), or run bwdc without plaintext mode so it uses the OS keychain.', spec.secret, STORED_SECURELY, spec.label),
      );
    } else if (!value || value.type === 'null' || (value.type === 'string' && value.value === '')) {
      this.report(
        value ? this.nodeRange(value) : this.nodeRange(keyOf(configProperty)),
        'warning',
        'data-secret-missing',
        t(
          "bwdc runs in plaintext mode here (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true), so it reads '{0}' only from this file, and it is {1}: the sync would stop with {2} Write the secret into '{0}' (and keep the file mode 600).", spec.secret, value ? t('empty') : t('missing'), this.bwdcError(spec, spec.secret)),
      );
    }
  }

  /** Secure mode: a real secret written into the file is ignored, and now sits in a file. */
  private secretLeft(spec: DirectorySpec, configProperty: JsonNode): void {
    if (this.plaintext) return;
    const value = member(valueOf(configProperty), spec.secret);
    if (!isRealSecret(value)) return;
    this.report(
      this.nodeRange(value!),
      'warning',
      'data-secret-ignored',
      t('This {0} secret is written into the file, but bwdc runs in secure mode, so it ignores it and reads the secret from the OS keychain; meanwhile the secret sits in data.json in plain text. Store it with bwdc config {1} (or the desktop app) and put "{2}" here, or run bwdc in plaintext mode (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true) if you mean to keep it in the file.', spec.label, spec.setting, STORED_SECURELY),
      [{ title: t('Replace the secret with "{0}"', STORED_SECURELY), edits: [{ range: this.nodeRange(value!), newText: JSON.stringify(STORED_SECURELY) }], preferred: false }],
    );
  }

  /** Any plaintext secret in a file others can read: one warning, on the first such key. */
  private readable(root: JsonNode): void {
    const mode = this.context.fileMode;
    if (mode === undefined || (mode & 0o044) === 0) return;
    const keys: JsonNode[] = [];
    const collect = (object: JsonNode | undefined, names: readonly string[]): void => {
      for (const name of names) {
        const found = property(object, name);
        if (found && isRealSecret(valueOf(found))) keys.push(keyOf(found));
      }
    };
    collect(root, TOP_LEVEL_SECRETS);
    for (const spec of DIRECTORIES) {
      collect(member(root, spec.l3), [spec.secret]);
      collect(member(root, spec.l1), [spec.secret]);
    }
    const accounts = new Set<string>();
    const active = member(root, 'activeUserId');
    if (active?.type === 'string') accounts.add(active.value as string);
    for (const id of arrayStrings(this.text, member(root, 'authenticatedAccounts'))) accounts.add(id);
    for (const id of accounts) {
      const account = member(root, id);
      if (account?.type !== 'object') continue;
      for (const [holder, names] of ACCOUNT_SECRETS) collect(member(account, holder), names);
      const configurations = member(account, 'directoryConfigurations');
      for (const key of L2_CONFIG_KEYS) {
        const spec = DIRECTORIES.find((candidate) => candidate.l2.includes(key))!;
        collect(member(configurations, key), [spec.secret]);
      }
    }
    if (keys.length === 0) return;
    const first = keys.reduce((a, b) => (b.offset < a.offset ? b : a));
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    this.report(
      this.nodeRange(first),
      'warning',
      'data-secret-readable',
      t('data.json holds a secret in plain text ({0}) and its mode {1} lets other users on this machine read it. Run chmod 600 on data.json so only its owner can (bwdc creates it that way).', String(first.value), octal),
    );
  }

  // ---------------------------------------------------------------- sync

  private syncTypes(sync: JsonNode): void {
    for (const key of SYNC_BOOLEANS) {
      const value = member(sync, key);
      if (value && value.type !== 'boolean' && value.type !== 'null') this.fieldType(value, key, t('true or false'), this.booleanConsequence());
    }
    for (const key of SYNC_STRINGS) {
      const value = member(sync, key);
      if (value && value.type !== 'string' && value.type !== 'null') this.fieldType(value, key, t('a string'), t('bwdc expects text here; write the value in double quotes.'));
    }
    const interval = member(sync, 'interval');
    if (interval && interval.type !== 'number' && interval.type !== 'null') {
      this.fieldType(interval, 'interval', t('a number or null'), t('the desktop app schedules its syncs by it (minutes, at least 5); the CLI ignores it.'));
    }
  }

  private filters(spec: DirectorySpec, sync: JsonNode): void {
    for (const key of ['userFilter', 'groupFilter'] as const) {
      const value = member(sync, key);
      if (value?.type !== 'string') continue;
      const first = (value.value as string).split('|')[0]!;
      if (first.trim() === '') continue; // no filter, or only a provider query
      const parts = first.split(':');
      const keyword = parts[0]!.trim().toLowerCase();
      const keywords = ['include', 'exclude'];
      if (spec.type === 1) keywords.push(...(key === 'userFilter' ? ['includeGroup', 'excludeGroup'] : ['includeadministrativeunit', 'excludeadministrativeunit']));
      if (parts.length === 2 && keywords.some((allowed) => allowed.toLowerCase() === keyword)) continue;
      const prefixes = keywords.map((allowed) => `${allowed}:`);
      const choices = t('{0} or {1}', prefixes.slice(0, -1).join(', '), prefixes[prefixes.length - 1]!);
      const what = key === 'userFilter' ? t('users') : t('groups');
      this.report(
        this.nodeRange(value),
        'warning',
        'data-filter-prefix',
        parts.length > 2 && keywords.some((allowed) => allowed.toLowerCase() === keyword)
          ? t("bwdc splits '{0}' at ':' and ignores it when there is more than one ':' before any '|', so it would sync all {1}. Keep one '{2}' followed by a comma-separated list.", key, what, `${parts[0]!.trim()}:`)
          : t("For {0}, bwdc reads '{1}' only when it starts with {2} followed by a comma-separated list, or is a '|' query; otherwise it ignores the filter and syncs all {3}.", spec.label, key, choices, what),
      );
    }
  }

  // ---------------------------------------------------------------- helpers

  private booleanConsequence(): string {
    return t('bwdc only tests whether the value is truthy, so a string such as "false" counts as true. Write true or false without quotes.');
  }

  private fieldType(value: JsonNode, key: string, expected: string, consequence: string): void {
    this.report(this.nodeRange(value), 'error', 'data-field-type', t("'{0}' must be {1}, not {2}: {3}", key, expected, this.kind(value), consequence));
  }

  private kind(node: JsonNode): string {
    switch (node.type) {
      case 'object':
        return t('an object');
      case 'array':
        return t('an array');
      case 'string':
        return t('a string');
      case 'number':
        return t('a number');
      case 'boolean':
        return t('true/false');
      default:
        return 'null';
    }
  }

  private report(range: Range, severity: Severity, code: string, message: string, fixes?: QuickFix[]): void {
    this.diagnostics.push({ range, severity, code, message, ...(fixes ? { fixes } : {}) });
  }

  private nodeRange(node: Span): Range {
    return this.span(node.offset, node.length);
  }

  private span(offset: number, length: number): Range {
    return { start: this.position(offset), end: this.position(offset + length) };
  }

  /** Zero-based line and UTF-16 character; lines end at \n, \r\n or \r, as in VS Code. */
  private position(offset: number): Position {
    const starts = (this.lineStarts ??= lineStarts(this.text));
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - starts[low]! };
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A stretch of the text: a node, or a bracket. */
interface Span {
  readonly offset: number;
  readonly length: number;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
    return starts;
  }
  const lineBreak = /\r\n?|\n/g;
  for (let match = lineBreak.exec(text); match; match = lineBreak.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

/** How bwdc's `if (value)` sees a JSON value. */
function truthy(node: JsonNode | undefined): boolean {
  if (!node) return false;
  switch (node.type) {
    case 'object':
    case 'array':
      return true;
    case 'null':
      return false;
    case 'number':
      return node.value !== 0 && !Number.isNaN(node.value);
    default:
      return Boolean(node.value);
  }
}

function isRealSecret(node: JsonNode | undefined): boolean {
  return node?.type === 'string' && node.value !== '' && node.value !== STORED_SECURELY;
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** A URL without any `user:password@` part. */
function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

/** A value from the file, safe to put in a one-line message: no control characters, at most QUOTE_LIMIT characters. */
function quote(value: string): string {
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT - 1)}…` : flat;
}
