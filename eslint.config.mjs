// ESLint (flat config): the well-known defaults, @eslint/js recommended everywhere and
// typescript-eslint recommended for the TypeScript, as the VS Code extension generator sets up.
// `npm run lint` and scripts/test.sh run it (npx eslint .). A rule is added or relaxed here only
// with its reason beside it; a single exception in the code is an
// `// eslint-disable-next-line <rule> -- <reason>` comment, and a stale one fails the run.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    // Build output, installed packages, downloaded VS Codes, test reports, packages.
    'dist/',
    'out/',
    'node_modules/',
    'test-results/',
    'bench-results/',
    '.vscode-test/',
    '**/*.vsix',
    // The data among the test fixtures (data.json corpora, Debian's crontab captures, the cron
    // oracle table test/oracle/generate.mjs writes, Task Scheduler XML). No configuration below
    // reads these types; listed so that a JSON or XML plugin added later leaves them alone. The
    // code among the fixtures (bwdc-standin/bwdc.js, crontab/capture-debian.mjs) is linted.
    'test/fixtures/**/*.json',
    'test/fixtures/**/*.xml',
    'test/fixtures/**/*.xsd',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // `import vscode = require('vscode')` is the project's way to import VS Code's API: a
      // namespace import bundles to a copy of the whole API per file, paid at activation
      // (test/unit/imports.test.ts enforces it). A bare require() call is still reported.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      // Leaving a property out by destructuring it beside a rest element
      // (`({ message: _message, ...rest }) => rest`) is how a copy drops a key; tsc's
      // noUnusedLocals, which checks unused names here too, accepts it as well.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // The plain JavaScript that runs as it is under Node: build, setup and runner scripts, check
    // scripts, the oracle generator and this file.
    files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'test/**/*.cjs', '*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // The functions these hand to Playwright's page.evaluate() run in the browser (the same
    // reason tsconfig.scripts.json includes the DOM library).
    files: ['scripts/ui/driver.mjs', 'scripts/screenshots.mjs', 'test/ui/ui.check.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // The stand-in bwdc (test/fixtures/bwdc-standin/bwdc.js): a CommonJS Node program the tests run.
    files: ['test/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
);
