import { t } from '../l10n';
import type { DataJsonSummary } from './api';
import { DIRECTORIES, missingSettingError, type DirectorySpec } from './directories';
import { arrayStrings, keyOf, member, property, valueOf, type JsonNode } from './json';
import type { Reporter } from './reporter';

/**
 * Where bwdc keeps its secrets decides which value is right: in secure mode (its default) it
 * reads them from the OS keychain and data.json holds a placeholder; in plaintext mode
 * (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true) it reads them from data.json itself.
 */

/** What the Directory Connector writes in place of a secret it keeps in the OS keychain. */
export const STORED_SECURELY = '[STORED SECURELY]';

/** Secrets bwdc itself keeps in data.json, outside the directory configurations (plaintext mode, or L1/L2 by design). */
const TOP_LEVEL_SECRETS = ['accessToken', 'refreshToken', 'apiKeyClientSecret', 'apikey_clientSecret', 'clientSecret', 'twoFactorToken'];
/** Keys of an L2 account object that hold secrets, by sub-object. */
const ACCOUNT_SECRETS: readonly (readonly [string, readonly string[]])[] = [
  ['keys', ['apiKeyClientSecret']],
  ['tokens', ['accessToken', 'refreshToken']],
];

/** For the summary: which kind of value the directory secret holds, never the value. */
export function secretState(spec: DirectorySpec, config: JsonNode): NonNullable<DataJsonSummary['directorySecret']> {
  const secret = member(config, spec.secret);
  return secret?.type === 'string' && secret.value !== '' ? (secret.value === STORED_SECURELY ? 'placeholder' : 'plaintext') : 'absent';
}

/** Plaintext mode: the selected directory's secret must be the real one. */
export function checkPlaintextSecret(reporter: Reporter, spec: DirectorySpec, configProperty: JsonNode, config: JsonNode, plaintext: boolean): void {
  if (!plaintext) return;
  const found = property(config, spec.secret);
  const value = valueOf(found);
  if (value?.type === 'string' && value.value === STORED_SECURELY) {
    reporter.report(
      reporter.nodeRange(value),
      'error',
      'data-secret-placeholder',
      t(
        'bwdc runs in plaintext mode here (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true), so it reads \'{0}\' from this file and would send the text "{1}" as the {2} secret. Write the real secret here (and keep the file mode 600), or run bwdc without plaintext mode so it uses the OS keychain.',
        spec.secret,
        STORED_SECURELY,
        spec.label,
      ),
    );
  } else if (!value || value.type === 'null' || (value.type === 'string' && value.value === '')) {
    reporter.report(
      value ? reporter.nodeRange(value) : reporter.nodeRange(keyOf(configProperty)),
      'warning',
      'data-secret-missing',
      t(
        "bwdc runs in plaintext mode here (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true), so it reads '{0}' only from this file, and it is {1}: the sync would stop with {2} Write the secret into '{0}' (and keep the file mode 600).",
        spec.secret,
        value ? t('empty') : t('missing'),
        missingSettingError(spec, spec.secret),
      ),
    );
  }
}

/** Secure mode: a real secret written into the file is ignored, and now sits in a file. */
export function checkIgnoredSecrets(reporter: Reporter, configs: readonly (readonly [DirectorySpec, JsonNode])[], plaintext: boolean): void {
  if (plaintext) return;
  for (const [spec, configProperty] of configs) {
    const value = member(valueOf(configProperty), spec.secret);
    if (!isRealSecret(value)) continue;
    reporter.report(
      reporter.nodeRange(value!),
      'warning',
      'data-secret-ignored',
      t(
        'This {0} secret is written into the file, but bwdc runs in secure mode, so it ignores it and reads the secret from the OS keychain; meanwhile the secret sits in data.json in plain text. Store it with bwdc config {1} (or the desktop app) and put "{2}" here, or run bwdc in plaintext mode (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true) if you mean to keep it in the file.',
        spec.label,
        spec.setting,
        STORED_SECURELY,
      ),
      [
        {
          title: t('Replace the secret with "{0}"', STORED_SECURELY),
          edits: [{ range: reporter.nodeRange(value!), newText: JSON.stringify(STORED_SECURELY) }],
          preferred: false,
        },
      ],
    );
  }
}

/** Any plaintext secret in a file others can read: one warning, on the first such key. */
export function checkReadableSecrets(reporter: Reporter, root: JsonNode, fileMode: number | undefined): void {
  if (fileMode === undefined || (fileMode & 0o044) === 0) return;
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
  for (const id of arrayStrings(reporter.text, member(root, 'authenticatedAccounts'))) accounts.add(id);
  for (const id of accounts) {
    const account = member(root, id);
    if (account?.type !== 'object') continue;
    for (const [holder, names] of ACCOUNT_SECRETS) collect(member(account, holder), names);
    const configurations = member(account, 'directoryConfigurations');
    for (const spec of DIRECTORIES) for (const key of spec.l2) collect(member(configurations, key), [spec.secret]);
  }
  if (keys.length === 0) return;
  const first = keys.reduce((a, b) => (b.offset < a.offset ? b : a));
  const octal = (fileMode & 0o777).toString(8).padStart(3, '0');
  reporter.report(
    reporter.nodeRange(first),
    'warning',
    'data-secret-readable',
    t(
      'data.json holds a secret in plain text ({0}) and its mode {1} lets other users on this machine read it. Run chmod 600 on data.json so only its owner can (bwdc creates it that way).',
      String(first.value),
      octal,
    ),
  );
}

function isRealSecret(node: JsonNode | undefined): boolean {
  return node?.type === 'string' && node.value !== '' && node.value !== STORED_SECURELY;
}
