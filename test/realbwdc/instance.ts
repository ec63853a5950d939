import * as fs from 'fs';
import * as path from 'path';
import { runBwdc, type BwdcRun, type RealBwdc } from './realbwdc';
import type { Slapd } from './slapd';

/**
 * A Directory Connector instance folder (BITWARDENCLI_CONNECTOR_APPDATA_DIR) prepared for the
 * real bwdc the way the desktop app leaves it after an admin configured an LDAP directory and
 * logged out: server URL, organization, directory type, LDAP connection (password in
 * plaintext: BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true) and sync settings, no session.
 *
 * `bwdc config server <url>` sets the server, as an admin would. The rest is written into
 * data.json, because the CLI cannot set it, or not in every release:
 * - 2026.4.0 (layout L2, account-scoped, `global` + one object per organization id): `config
 *   directory` before any login fails (`Cannot read properties of null (reading
 *   'directorySettings')`); in plaintext mode `config ldap.password` and the directory half of
 *   every `config` save nothing (StateService.setDirectory has no plaintext branch); and the
 *   CLI's login never sets directorySettings.organizationId (only the desktop app's does), so a
 *   CLI-only set-up fails `sync` with `Organization not set.` What the desktop app leaves after
 *   logout is the account object under the organization id with `settings`,
 *   `directorySettings` and `directoryConfigurations` (its resetAccount keeps those three); a
 *   CLI login copies them into the new session (scaffoldNewAccountDiskStorage).
 * - 2026.6.1 (layout L3, flat keys: StorageKeys in libs/models/state.model.ts): the CLI login
 *   sets organizationId itself; `config directory` would also apply Active Directory defaults
 *   to the sync settings (ConnectorUtils.adjustConfigForSave, since a new LdapConfiguration has
 *   `ad: true`), so the LDAP and sync settings are written directly here too.
 */

export type Layout = 'L2' | 'L3';

export interface InstanceSetup {
  readonly bwdc: RealBwdc;
  /** The instance folder; created when missing. */
  readonly appData: string;
  /** The Bitwarden server (the API stand-in's url). */
  readonly serverUrl: string;
  /** The organization's id: the `<uuid>` of its API key's client_id `organization.<uuid>`. */
  readonly organizationId: string;
  readonly ldap: Pick<Slapd, 'host' | 'port' | 'baseDn' | 'bindDn' | 'bindPassword' | 'syncPaths'>;
  /** Sync option "Remove disabled users" (imports disabled users as deleted); default true. */
  readonly removeDisabled?: boolean;
}

export interface PreparedInstance {
  readonly appData: string;
  readonly dataJson: string;
  readonly layout: Layout;
  /** The `bwdc config server` run that created data.json. */
  readonly configServer: BwdcRun;
}

export function dataJsonPath(appData: string): string {
  return path.join(appData, 'data.json');
}

export function readDataJson(appData: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(dataJsonPath(appData), 'utf8')) as Record<string, unknown>;
}

function writeDataJson(appData: string, data: unknown): void {
  fs.writeFileSync(dataJsonPath(appData), `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
}

/** L2 keeps everything but the schema version under `global`; L3 has `stateVersion` at the top. */
export function layoutOf(data: Record<string, unknown>): Layout {
  return typeof data.global === 'object' && data.global !== null ? 'L2' : 'L3';
}

/** The desktop app's LdapConfiguration for a plain (not Active Directory) LDAP server. */
function ldapConfiguration(setup: InstanceSetup): Record<string, unknown> {
  return {
    ssl: false,
    startTls: false,
    tlsCaPath: null,
    sslAllowUnauthorized: false,
    sslCertPath: null,
    sslKeyPath: null,
    sslCaPath: null,
    hostname: setup.ldap.host,
    port: setup.ldap.port,
    domain: null,
    rootPath: setup.ldap.baseDn,
    currentUser: false,
    username: setup.ldap.bindDn,
    password: setup.ldap.bindPassword,
    ad: false,
    pagedSearch: true,
  };
}

/** The desktop app's SyncConfiguration: users and groups, the tree's classes and paths. */
function syncConfiguration(setup: InstanceSetup): Record<string, unknown> {
  const paths = setup.ldap.syncPaths;
  return {
    users: true,
    groups: true,
    interval: 5,
    userFilter: null,
    groupFilter: null,
    removeDisabled: setup.removeDisabled ?? true,
    overwriteExisting: false,
    largeImport: false,
    groupObjectClass: paths.groupObjectClass,
    userObjectClass: paths.userObjectClass,
    groupPath: paths.groupPath,
    userPath: paths.userPath,
    groupNameAttribute: paths.groupNameAttribute,
    userEmailAttribute: paths.userEmailAttribute,
    memberAttribute: paths.memberAttribute,
    useEmailPrefixSuffix: false,
    emailPrefixAttribute: null,
    emailSuffix: null,
    creationDateAttribute: null,
    revisionDateAttribute: null,
  };
}

const LDAP = 0; // DirectoryType.Ldap in both releases

/** Writes the directory, LDAP and sync settings into an existing data.json (see file comment). */
export function writeDirectorySettings(setup: InstanceSetup): Layout {
  const data = readDataJson(setup.appData);
  const layout = layoutOf(data);
  if (layout === 'L3') {
    Object.assign(data, {
      directoryType: LDAP,
      organizationId: setup.organizationId,
      directoryLdap: ldapConfiguration(setup),
      sync: syncConfiguration(setup),
    });
  } else {
    const id = setup.organizationId;
    const existing = (data[id] ?? {}) as Record<string, unknown>;
    data[id] = {
      // The shape 2026.4.0 leaves after `logout` (keys emptied, settings kept).
      data: { ciphers: {}, folders: {}, sends: {}, collections: {}, policies: {}, passwordGenerationHistory: {} },
      keys: { cryptoSymmetricKey: {}, organizationKeys: {}, providerKeys: {}, privateKey: {} },
      profile: {},
      settings: existing.settings ?? data.tempAccountSettings ?? null,
      tokens: {},
      ...existing,
      directoryConfigurations: { ldap: ldapConfiguration(setup), gsuite: null, azure: null, entra: null, okta: null, oneLogin: null },
      directorySettings: {
        directoryType: LDAP,
        organizationId: id,
        lastUserSync: null,
        lastGroupSync: null,
        lastSyncHash: null,
        syncingDir: null,
        sync: syncConfiguration(setup),
        userDelta: null,
        groupDelta: null,
      },
      clientKeys: {},
    };
  }
  writeDataJson(setup.appData, data);
  return layout;
}

/** `bwdc config server URL` (it creates data.json), then the settings the CLI cannot set. */
export async function prepareInstance(setup: InstanceSetup): Promise<PreparedInstance> {
  fs.mkdirSync(setup.appData, { recursive: true, mode: 0o700 });
  const configServer = await runBwdc(setup.bwdc, ['config', 'server', setup.serverUrl], { appData: setup.appData });
  if (configServer.status !== 0 || !fs.existsSync(dataJsonPath(setup.appData))) {
    throw new Error(`bwdc ${setup.bwdc.version} config server exited ${configServer.status}:\n${configServer.stdout}${configServer.stderr}`);
  }
  const layout = writeDirectorySettings(setup);
  return { appData: setup.appData, dataJson: dataJsonPath(setup.appData), layout, configServer };
}

/** Changes data.json in place (what an admin's editor, or a test, does between two runs). */
export function editDataJson(appData: string, change: (data: Record<string, unknown>, layout: Layout) => void): void {
  const data = readDataJson(appData);
  change(data, layoutOf(data));
  writeDataJson(appData, data);
}

/** Points the instance at another server without running bwdc (L3 `environmentUrls`, L2 `global.environmentUrls`). */
export function setServerUrl(appData: string, url: string): void {
  editDataJson(appData, (data, layout) => {
    const holder = (layout === 'L3' ? data : data.global) as Record<string, unknown>;
    holder.environmentUrls = { ...(holder.environmentUrls as Record<string, unknown>), base: url };
  });
}

export interface StoredSession {
  readonly accessToken?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/** What data.json holds of a session (only the fields present): L3 top-level keys; L2 the
 *  account objects' tokens, profile and keys. */
export function storedSession(appData: string): StoredSession {
  const data = readDataJson(appData);
  const session = (accessToken: unknown, clientId: unknown, clientSecret: unknown): StoredSession => ({
    ...(typeof accessToken === 'string' ? { accessToken } : {}),
    ...(typeof clientId === 'string' ? { clientId } : {}),
    ...(typeof clientSecret === 'string' ? { clientSecret } : {}),
  });
  if (layoutOf(data) === 'L3') return session(data.accessToken, data.apiKeyClientId, data.apiKeyClientSecret);
  for (const value of Object.values(data)) {
    const account = value as { tokens?: Record<string, unknown>; profile?: Record<string, unknown>; keys?: Record<string, unknown> } | null;
    if (typeof account !== 'object' || account === null || !('tokens' in account)) continue;
    const found = session(account.tokens?.accessToken, account.profile?.apiKeyClientId, account.keys?.apiKeyClientSecret);
    if (Object.keys(found).length > 0) return found;
  }
  return {};
}
