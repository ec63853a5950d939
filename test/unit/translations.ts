import * as fs from 'node:fs';
import * as path from 'node:path';
import { useTranslations, type Translations } from '../../src/core/l10n';
import { repositoryRoot } from './cli/fakeIo';

/**
 * Runs `body` with core's messages translated by `translate` (every key, as a bundle that holds
 * them all would), then English again, whatever happens.
 */
export function withTranslations<T>(translate: (message: string) => string, body: () => T): T {
  const everyKey = new Proxy({} as Translations, { get: (_, key) => (typeof key === 'string' ? translate(key) : undefined) });
  return withBundle(everyKey, body);
}

/** Runs `body` with `bundle` installed, then English again. */
export function withBundle<T>(bundle: Translations, body: () => T): T {
  useTranslations(bundle);
  try {
    return body();
  } finally {
    useTranslations(undefined);
  }
}

/** The German bundle the extension ships (l10n/bundle.l10n.de.json). */
export function germanBundle(): Translations {
  return JSON.parse(fs.readFileSync(path.join(repositoryRoot(), 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Translations;
}
