// The .vsix ships exactly what the extension needs: every file it refers to, nothing else
// (no sources, tests, node_modules, source maps or benchmark). Run after `npm run package`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../scripts/lib/helpers.mjs';

const vsix = path.join(repoRoot, 'dist', 'bwdc-schedule.vsix');
if (!existsSync(vsix)) {
  console.error(`${path.relative(process.cwd(), vsix)} is missing: run npm run package first`);
  process.exit(1);
}
const expected = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/dist/cli.js',
  'extension/dist/commands.js',
  'extension/dist/cronstrue-i18n.js',
  'extension/dist/extension.js',
  'extension/dist/language.js',
  'extension/images/icon.png',
  'extension/images/screenshots/diagnostics.png',
  'extension/images/screenshots/hover.png',
  'extension/images/screenshots/install-diff.png',
  'extension/images/screenshots/new-schedule-file.png',
  'extension/images/screenshots/walkthrough.png',
  'extension/l10n/bundle.l10n.de.json',
  'extension/language-configuration.json',
  'extension/package.json',
  'extension/package.nls.de.json',
  'extension/package.nls.json',
  'extension/readme.md',
  'extension/schemas/bwdc-data-json.schema.json',
  'extension/snippets/bwdc-schedule.code-snippets',
  'extension/syntaxes/bwdc-schedule.tmLanguage.json',
  'extension/walkthrough/crontab.md',
  'extension/walkthrough/dataJson.md',
  'extension/walkthrough/schedule.md',
  'extension/walkthrough/script.md',
  'extension/walkthrough/secret.md',
  'extension/walkthrough/systemd.md',
  'extension/walkthrough/task.md',
];
const actual = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
const missing = expected.filter((file) => !actual.includes(file));
const extra = actual.filter((file) => !expected.includes(file));
if (missing.length || extra.length) {
  console.error(`the .vsix differs from what it should hold:\n  missing: ${missing.join(', ') || '-'}\n  extra: ${extra.join(', ') || '-'}`);
  process.exit(1);
}
// Everything the manifest points at is inside.
/**
 * The parts of the packaged package.json that name files.
 * @typedef {{
 *   main: string,
 *   icon?: string,
 *   contributes: {
 *     grammars?: { path: string }[],
 *     snippets?: { path: string }[],
 *     jsonValidation?: { url: string }[],
 *     languages?: { configuration?: string }[],
 *     walkthroughs?: { steps: { media?: Record<string, unknown> }[] }[],
 *   },
 * }} Manifest
 */
/** @type {Manifest} */
const manifest = JSON.parse(execFileSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' }));
const referenced = [
  manifest.main,
  ...(manifest.contributes.grammars ?? []).map((g) => g.path),
  ...(manifest.contributes.snippets ?? []).map((s) => s.path),
  ...(manifest.contributes.jsonValidation ?? []).map((j) => j.url),
  ...(manifest.contributes.languages ?? []).flatMap((l) => (l.configuration ? [l.configuration] : [])),
  ...(manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((s) => Object.values(s.media ?? {}).filter((m) => typeof m === 'string'))),
  ...(manifest.icon ? [manifest.icon] : []),
].map((file) => `extension/${file.replace(/^\.\//, '')}`);
const unresolved = referenced.filter((file) => !actual.includes(file) && !actual.includes(`${file}.js`));
if (unresolved.length) {
  console.error(`package.json refers to files the .vsix lacks: ${unresolved.join(', ')}`);
  process.exit(1);
}
// The README's pictures show on the extension's page in VS Code (which resolves a relative link
// against the installed extension's folder) and on a repository page: so every link is relative
// (packaging must not have rewritten it to some web address) and its file is in the .vsix.
const readme = execFileSync('unzip', ['-p', vsix, 'extension/readme.md'], { encoding: 'utf8' });
const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
const notRelative = images.filter((link) => /^[a-z][a-z0-9+.-]*:|^\//i.test(link));
const notShipped = images.filter((link) => !notRelative.includes(link) && !actual.includes(`extension/${link}`));
if (images.length === 0 || notRelative.length || notShipped.length) {
  console.error(
    `the packaged README's pictures would not show: ${images.length} found; not relative: ${notRelative.join(', ') || '-'}; not in the .vsix: ${notShipped.join(', ') || '-'}`,
  );
  process.exit(1);
}
console.log(
  `vsix: ${actual.length} files, exactly the expected ones; ${referenced.length} manifest references resolved; the README's ${images.length} pictures are relative links to files inside`,
);
