// Bundles the extension and the CLI with esbuild.
// --production minifies (what `npm run package` ships); otherwise sourcemaps for debugging.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; its
  // "module" entry is plain ESM. Prefer "module" wherever a package has one.
  mainFields: ['module', 'main'],
};

/**
 * cronstrue with its 44 locales is most of the extension's weight, and it is needed only by the
 * first hover. The extension bundle therefore requires it from a file of its own, at first use,
 * so activation never pays for it. (The CLI is one self-contained file for copying to servers.)
 * @type {import('esbuild').Plugin}
 */
const cronstrueBesideBundle = {
  name: 'cronstrue-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /^cronstrue\/i18n$/ }, () => ({ path: './cronstrue-i18n.js', external: true }));
  },
};

/**
 * The same for the command bundle (script generators, secret store, processes):
 * src/extension.ts tells src/editor/commandBundle.ts to require it from dist/commands.js at first use.
 * @type {import('esbuild').Plugin}
 */
const commandsBesideBundle = {
  name: 'commands-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /\/commands\/bundle$/ }, (args) =>
      args.importer.endsWith(`${'src'}/language.ts`) ? { path: './commands.js', external: true } : undefined,
    );
  },
};

/**
 * And for the language (src/language.ts: diagnostics, hovers, CodeLens, status items and the
 * parsers and cron engine behind them): activation (src/extension.ts) only registers commands
 * and requires dist/language.js when a schedule file or data.json is open or a command runs.
 * @type {import('esbuild').Plugin}
 */
const languageBesideBundle = {
  name: 'language-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/language$/ }, (args) =>
      args.importer.endsWith(`${'src'}/extension.ts`) ? { path: './language.js', external: true } : undefined,
    );
  },
};

/**
 * Every module's `import vscode = require('vscode')` becomes one shared module, so a bundle
 * calls the extension host's require('vscode') once instead of once per source file: each
 * call goes through the host's module interceptor, and at activation they added up to a
 * quarter of the shell's load time (npm run bench).
 * @type {import('esbuild').Plugin}
 */
const oneVscodeRequire = {
  name: 'one-vscode-require',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: 'module.exports = require("vscode");', loader: 'js' }));
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [oneVscodeRequire, languageBesideBundle],
  },
  {
    ...common,
    entryPoints: ['src/language.ts'],
    outfile: 'dist/language.js',
    external: ['vscode'],
    plugins: [oneVscodeRequire, cronstrueBesideBundle, commandsBesideBundle],
  },
  {
    ...common,
    entryPoints: ['src/commands/bundle.ts'],
    outfile: 'dist/commands.js',
    external: ['vscode'],
    plugins: [oneVscodeRequire, cronstrueBesideBundle],
  },
  { ...common, entryPoints: ['node_modules/cronstrue/i18n.js'], outfile: 'dist/cronstrue-i18n.js' },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
