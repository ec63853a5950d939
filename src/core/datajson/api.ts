import type { Diagnostic, PathKind } from '../diagnostic';

/**
 * The data.json validator's contract, shared by the editor, the CLI and the tests. Pure: the
 * caller supplies what only the machine knows (paths, the file's mode).
 */

export type DataJsonDiagnostic = Diagnostic;

export interface DataJsonContext {
  /**
   * Whether bwdc runs with BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true (a schedule's `env`
   * line); undefined when no schedule file says, which means bwdc's default, secure mode.
   */
  readonly plaintextSecrets?: boolean;
  /** Looks certificate paths up on this machine; omitted, nothing is checked on disk. */
  readonly pathKind?: (path: string) => PathKind;
  /** POSIX permission bits of the file, when known (for the readable-by-others warning). */
  readonly fileMode?: number;
}

/** L1 flat legacy (≤ v2.9.8), L2 account-scoped (v2.9.9–v2026.4.0), L3 flat state service (v2026.6.0+). */
export type Layout = 'empty' | 'L1' | 'L2' | 'L3' | 'unknown';

export type DirectoryType = 0 | 1 | 2 | 3 | 4;

/** What a data.json configures, for hovers and the status item. Never holds a secret. */
export interface DataJsonSummary {
  readonly layout: Layout;
  /** e.g. "account-scoped layout (Directory Connector v2.9.9 – v2026.4.0)". */
  readonly layoutLabel: string;
  /** True for an L3 file that still holds the L2 keys it was migrated from. */
  readonly upgradedFromL2: boolean;
  readonly stateVersion?: number;
  readonly directoryType?: DirectoryType;
  /** "Active Directory / LDAP", "Entra ID", "Google Workspace", "Okta", "OneLogin". */
  readonly directoryLabel?: string;
  /** LDAP `ldaps://host:636` style URL, Entra tenant, Google domain, Okta org URL, OneLogin region. */
  readonly server?: string;
  /** LDAP: ssl and startTls are both on, so `server` (ldap://) is upgraded with StartTLS. */
  readonly startTls?: boolean;
  /** The Bitwarden server bwdc logs in to (`environmentUrls`); absent means the bitwarden.com cloud. */
  readonly bitwardenServer?: string;
  readonly users?: boolean;
  readonly groups?: boolean;
  readonly userFilter?: string;
  readonly groupFilter?: string;
  readonly lastUserSync?: string;
  readonly lastGroupSync?: string;
  readonly organizationId?: string;
  /** Whether the directory secret is the "[STORED SECURELY]" placeholder, a plaintext value, or absent. */
  readonly directorySecret?: 'placeholder' | 'plaintext' | 'absent';
}

export interface DataJsonReport {
  readonly diagnostics: readonly DataJsonDiagnostic[];
  /** Undefined when the text is not a JSON object bwdc could read. */
  readonly summary?: DataJsonSummary;
}

export const DATA_JSON_SOURCE = 'bwdc-data-json';

/** Every diagnostic code the validator reports; stable, as for schedule files. */
export const DATA_JSON_CODES = [
  'data-json-syntax',
  'data-json-comment',
  'data-json-trailing-comma',
  'data-json-bom',
  'data-not-object',
  'data-unconfigured',
  'data-layout-legacy',
  'data-state-too-old',
  'data-no-active-account',
  'data-directory-type-missing',
  'data-directory-type-not-number',
  'data-directory-type-range',
  'data-directory-config-missing',
  'data-field-missing',
  'data-field-type',
  'data-identity-authority',
  'data-onelogin-region',
  'data-ldap-starttls-ignored',
  'data-ldap-port',
  'data-cert-missing',
  'data-nothing-synced',
  'data-filter-prefix',
  'data-secret-ignored',
  'data-secret-placeholder',
  'data-secret-missing',
  'data-secret-readable',
  // Only when the validator itself fails on some input (it never throws); tests assert it never appears.
  'data-check-failed',
] as const;

export type DataJsonCode = (typeof DATA_JSON_CODES)[number];
