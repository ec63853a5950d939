import { t } from '../l10n';
import type { DataJsonSummary, Layout } from './api';
import { DIRECTORIES, type DirectorySpec } from './directories';
import { childrenOf, keyOf, member, property, valueOf, type JsonNode } from './json';
import type { Mutable, Reporter, Span } from './reporter';
import { withoutUserInfo } from './values';

/**
 * Three Directory Connector generations wrote three layouts (BWDC-FACTS §5), and each bwdc
 * version reads only some of them: the layout decides where the settings are and whether this
 * bwdc reads them at all.
 */

const L1_KEY = /^(?:directoryConfig_\d+|syncConfig)$/;
/** Top-level keys only the L3 layout has. */
const L3_ONLY = [...DIRECTORIES.map((spec) => spec.l3), 'sync'];

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
export interface Settings {
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

export interface LayoutReading {
  /** The summary so far: the layout, its versions and the Bitwarden server. */
  readonly summary: Mutable<DataJsonSummary>;
  /** Undefined when this layout holds no settings, or (reported) no account to read them from. */
  readonly settings: Settings | undefined;
}

/** Tells the layout of a data.json object and reports what the current bwdc makes of it. */
export function readLayout(reporter: Reporter, root: JsonNode, broken: boolean): LayoutReading {
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
  const bitwardenServer = findBitwardenServer(root, layout);
  if (bitwardenServer) summary.bitwardenServer = bitwardenServer;

  if (!broken && stateVersion && stateVersion.type !== 'number' && stateVersion.type !== 'null') {
    reporter.fieldType(stateVersion, 'stateVersion', t('a number'), t('bwdc compares it with numbers to decide which upgrades to run on the file.'));
  }
  if (!broken && l1Keys.length > 0 && layout !== 'L2') reportLegacy(reporter, keyOf(l1Keys[0]!), layout);

  if (layout === 'L3' || layout === 'L1') return { summary, settings: flatSettings(root, layout) };
  if (layout !== 'L2') return { summary, settings: undefined };
  if (global?.type === 'object') {
    const version = member(global, 'stateVersion');
    if (version?.type === 'number') {
      summary.stateVersion = version.value as number;
      if (!broken && (version.value as number) < 3) {
        reporter.report(
          reporter.nodeRange(version),
          'error',
          'data-state-too-old',
          t(
            'This file is at state version {0}. bwdc v2026.6.0 and later stop with "Your Directory Connector data is too old to migrate (state version {0})." Open it once with a Directory Connector from v2.9.9 to v2026.4.0 so it is upgraded, or configure the Directory Connector again.',
            String(version.value),
          ),
        );
      }
    }
  }
  return { summary, settings: accountSettings(reporter, root, broken) };
}

function reportLegacy(reporter: Reporter, key: JsonNode, layout: Layout): void {
  reporter.report(
    reporter.nodeRange(key),
    'warning',
    'data-layout-legacy',
    layout === 'L1'
      ? t(
          'This is the flat legacy data.json of Directory Connector v2.9.8 and earlier. bwdc v2026.6.0 and later treat it as a fresh install: they ignore directoryConfig_N and syncConfig (only directoryType and organizationId are picked up), so nothing would sync. Versions v2.9.9 to v2026.4.0 still read and upgrade it; with a current bwdc, configure the directory again.',
        )
      : t(
          "'{0}' is left over from the flat legacy layout (v2.9.8 and earlier). bwdc v2026.6.0 and later ignore directoryConfig_N and syncConfig, so these settings are not used: configure the directory again so they are saved where this version reads them.",
          String(key.value),
        ),
  );
}

function flatSettings(root: JsonNode, layout: 'L1' | 'L3'): Settings {
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
function accountSettings(reporter: Reporter, root: JsonNode, broken: boolean): Settings | undefined {
  const activeProperty = property(root, 'activeUserId');
  const active = valueOf(activeProperty);
  const account = active?.type === 'string' && active.value !== '' ? property(root, active.value as string) : undefined;
  const accountValue = valueOf(account);
  if (!account || accountValue?.type !== 'object') {
    if (broken) return undefined;
    const where = active
      ? reporter.nodeRange(active)
      : activeProperty
        ? reporter.nodeRange(keyOf(activeProperty))
        : property(root, 'global')
          ? reporter.nodeRange(keyOf(property(root, 'global')!))
          : reporter.span(root.offset, 1);
    reporter.report(
      where,
      'error',
      'data-no-active-account',
      active?.type === 'string' && active.value !== ''
        ? t(
            'activeUserId names an account this file does not hold. bwdc v2.9.9 – v2026.4.0 stop with "Cannot read properties of null (reading \'directorySettings\')". Run bwdc login (it writes the account again), then configure the directory.',
          )
        : t(
            'No account is logged in (activeUserId is missing or empty). bwdc v2.9.9 – v2026.4.0 stop with "Cannot read properties of null (reading \'directorySettings\')". Run bwdc login, then configure the directory.',
          ),
    );
    return undefined;
  }
  const settingsProperty = property(accountValue, 'directorySettings');
  const settingsValue = valueOf(settingsProperty);
  const configurationsProperty = property(accountValue, 'directoryConfigurations');
  const configurations = valueOf(configurationsProperty);
  if (!broken) {
    if (settingsValue && settingsValue.type !== 'object' && settingsValue.type !== 'null')
      reporter.fieldType(settingsValue, 'directorySettings', t('an object'), t('bwdc reads the directory type and the sync options from it.'));
    if (configurations && configurations.type !== 'object' && configurations.type !== 'null')
      reporter.fieldType(configurations, 'directoryConfigurations', t('an object'), t('bwdc reads the directory settings from it.'));
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
    configs: DIRECTORIES.flatMap((spec) =>
      spec.l2.flatMap((key) => {
        const found = property(configurations, key);
        return found ? [[spec, found] as const] : [];
      }),
    ),
  };
}

/** The Bitwarden server bwdc logs in to; undefined for the bitwarden.com cloud. */
function findBitwardenServer(root: JsonNode, layout: Layout): string | undefined {
  let urls = member(root, 'environmentUrls');
  if (layout === 'L2') urls = member(member(root, 'global'), 'environmentUrls');
  for (const key of ['base', 'webVault', 'api']) {
    const value = member(urls, key);
    if (value?.type === 'string' && value.value !== '') return withoutUserInfo(value.value as string);
  }
  return undefined;
}
