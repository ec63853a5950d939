import { looksLikeApiSecret } from '../redact';
import type { Platform } from './directives';

export { isSecretVariableName, looksLikeApiSecret, redactSecrets, REDACTED } from '../redact';

export type SecretScheme = 'file' | 'env' | 'keychain' | 'dpapi';

export interface SecretSource {
  readonly scheme: SecretScheme;
  /** The path, variable name or keychain service after the colon. */
  readonly target: string;
}

export const SECRET_SCHEMES: readonly SecretScheme[] = ['file', 'env', 'keychain', 'dpapi'];

/** The platforms on which each source can be read by the generated script. */
export const SCHEME_PLATFORMS: Readonly<Record<SecretScheme, readonly Platform[]>> = {
  file: ['linux', 'macos'],
  env: ['linux', 'macos', 'windows'],
  keychain: ['macos'],
  dpapi: ['windows'],
};

export function parseSecretSource(value: string): SecretSource | undefined {
  const match = /^(file|env|keychain|dpapi):(.*)$/.exec(value);
  if (!match) return undefined;
  return { scheme: match[1] as SecretScheme, target: match[2]! };
}

/** The first secret-looking token in free text (comments), as [start, end), or undefined. */
export function findSecretToken(text: string): [number, number] | undefined {
  const pattern = /[A-Za-z0-9]{24,64}/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const before = match.index > 0 ? text[match.index - 1]! : ' ';
    const after = text[match.index + match[0].length] ?? ' ';
    if (/[A-Za-z0-9_\-./\\]/.test(before) || /[A-Za-z0-9_\-./\\]/.test(after)) continue;
    if (looksLikeApiSecret(match[0])) return [match.index, match.index + match[0].length];
  }
  return undefined;
}
