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
 */
const cronstrueBesideBundle = {
  name: 'cronstrue-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /^cronstrue\/i18n$/ }, () => ({ path: './cronstrue-i18n.js', external: true }));
  },
};

/**
 * The same for the command implementations (script generators, secret store, processes):
 * src/features/commands.ts requires them from dist/commands.js when a command first runs.
 */
const commandsBesideBundle = {
  name: 'commands-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /\/commands\/index$/ }, (args) =>
      args.importer.includes(`${'src'}/features/`) ? { path: './commands.js', external: true } : undefined,
    );
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [cronstrueBesideBundle, commandsBesideBundle],
  },
  {
    ...common,
    entryPoints: ['src/commands/index.ts'],
    outfile: 'dist/commands.js',
    external: ['vscode'],
    plugins: [cronstrueBesideBundle],
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
