#!/usr/bin/env bash
# Every test, from a clean clone: sets up what is missing, then type-checks, builds and runs
# the unit, grammar and integration suites (the last in a real VS Code). Exits non-zero on
# the first failure. This is what `npm test` and .ci/run call.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step setup
bash scripts/setup.sh

step "type-check (tsc --noEmit, strict)"
npx tsc --noEmit -p .

step build
node scripts/build.mjs
rm -rf out && npx tsc -p tsconfig.test.json

step "unit tests (mocha, plain Node)"
npx mocha

step "grammar tests (vscode-tmgrammar-test)"
npx vscode-tmgrammar-test "test/grammar/**/*.test.bwdc-schedule"
node test/grammar/word-pattern.check.mjs
node test/grammar/snippets.check.mjs

step "integration tests (mocha inside a real VS Code extension host)"
node scripts/run-integration.mjs

step "all tests passed"
