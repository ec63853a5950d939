/**
 * Messages for users, localized the way `vscode.l10n.t` does it, without VS Code: the key is
 * the English message itself, `{0}`-style placeholders are filled from the arguments, and a
 * message the installed bundle does not translate stays English.
 *
 * The extension installs `vscode.l10n.bundle` (l10n/bundle.l10n.<language>.json, the file
 * vscode.l10n.t reads too) when it starts, once in each of its bundles: dist/extension.js and
 * dist/commands.js have a copy of this module each. The CLI and the unit tests install none, so
 * they speak English.
 *
 * Every call passes a string literal as the message, never a variable or a concatenation, and
 * plural forms are separate messages: test/unit/l10n.test.ts collects the keys from the source
 * and checks that each one has its translation.
 */

export type Translations = Readonly<Record<string, string>>;

let translations: Translations | undefined;

/** The bundle messages are translated with from now on; undefined: English. */
export function useTranslations(bundle: Translations | undefined): void {
  translations = bundle;
}

/** The message in the installed language, with `{0}`, `{1}`, … replaced by the arguments. */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  const translated = translations?.[message];
  return format(typeof translated === 'string' ? translated : message, args);
}

/**
 * Fills numbered placeholders as vscode.l10n.t does: `{n}` becomes the nth argument, and a
 * placeholder without an argument, or anything else in braces, stays as written.
 */
export function format(template: string, args: ReadonlyArray<string | number | boolean>): string {
  if (args.length === 0) return template;
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}
