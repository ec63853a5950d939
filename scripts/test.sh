#!/usr/bin/env bash
# Every test, from a clean clone: sets up what is missing, then type-checks, builds and runs
# the unit, grammar and integration suites (the last in a real VS Code). Exits non-zero on
# the first failure. This is what `npm test` and .ci/run call.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step setup
bash scripts/setup.sh

step "type-check (tsc --noEmit, strict; the .mjs/.cjs scripts from their JSDoc: tsconfig.scripts.json)"
npx tsc --noEmit -p .
npx tsc -p tsconfig.scripts.json

step "lint (eslint, typescript-eslint) and format (prettier --check)"
npx eslint .
npx prettier --check .

step build
node scripts/build.mjs
rm -rf out && npx tsc -p tsconfig.test.json

# Every mocha run below forbids `.only` (.mocharc.json for the unit tests, --forbid-only for
# the others; the integration suites set it in test/integration/index.ts): a focused test left
# in a commit fails the run instead of silently skipping all the others.
step "unit tests (mocha, plain Node)"
npx mocha

step "cron engine against Debian's own cron, compiled from Debian's source (test/oracle)"
# A fresh random corpus on every run, of a seed printed here: a failure is replayed with
# BWDC_CRON_ORACLE_SEED=<seed> (see test/oracle/README.md). The committed table is checked too.
set +e
oracle=$(bash test/oracle/build.sh | tail -n 1)
built=$?
set -e
if [ "$built" -eq 3 ]; then
  echo "oracle: Debian's archive is unreachable; the committed table was still checked by the unit tests"
elif [ "$built" -ne 0 ]; then
  echo "oracle: building the harness failed (exit $built)" >&2
  exit 1
else
  # 1 to 2^30 (0 would make the test pick a seed of its own).
  seed="${BWDC_CRON_ORACLE_SEED:-$(( (RANDOM << 15 | RANDOM) + 1 ))}"
  echo "oracle: random corpus of seed $seed (repeat it: BWDC_CRON_ORACLE_SEED=$seed npm test)"
  if ! BWDC_CRON_ORACLE="$oracle" BWDC_CRON_ORACLE_SEED="$seed" \
    npx mocha --no-config --forbid-only --timeout 60000 --reporter dot out/test/unit/cron/oracle.test.js; then
    echo "oracle: FAILED with the random corpus of seed $seed; replay just this step:" >&2
    echo "  BWDC_CRON_ORACLE=\"$oracle\" BWDC_CRON_ORACLE_SEED=$seed npx mocha --no-config --timeout 60000 out/test/unit/cron/oracle.test.js" >&2
    exit 1
  fi
fi

step "crontab and cron daemon on throwaway users (test/system; needs root)"
# These tests create users, use their crontabs and start Debian's cron daemon if it is not
# running; they never touch the crontab of whoever runs them.
if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo -n env "PATH=$PATH"); fi
"${as_root[@]}" npx mocha --no-config --forbid-only --timeout 180000 --reporter dot 'out/test/system/**/*.test.js'

step "the real Directory Connector CLI (test/realbwdc; needs root)"
# Both releases are built from ../shared/directory-connector into ~/.cache/bwdc-schedule/real-bwdc
# once (about 5 minutes; later runs reuse them), or BWDC_REAL=/path/to/bwdc names an installed one.
# Against the tests' own slapd and a local stand-in for the Bitwarden server: the stand-in bwdc of
# the unit tests answers as the real releases do (conformance), and the generated script survives
# what a scheduled sync meets (sync; one scenario under Debian's cron daemon as a throwaway user).
# Without ../shared the tests say so in one line and are skipped.
"${as_root[@]}" npx mocha --no-config --forbid-only --timeout 900000 --reporter spec out/test/realbwdc/conformance.test.js out/test/realbwdc/sync.test.js

step "grammar tests (vscode-tmgrammar-test)"
npx vscode-tmgrammar-test "test/grammar/**/*.test.bwdc-schedule"
node test/grammar/word-pattern.check.mjs
node test/grammar/snippets.check.mjs

step "integration tests (mocha inside a real VS Code extension host)"
node scripts/run-integration.mjs

step "integration tests in German (a VS Code whose display language is German: l10n/, package.nls.de.json)"
node scripts/run-integration.mjs --locale=de

step "package (the .vsix holds exactly what the extension needs)"
npm run -s package >/dev/null
node test/package/vsix.check.mjs

step "UI check: the packaged .vsix installed into VS Code, used on screen (test/ui)"
# Installs dist/bwdc-schedule.vsix into a fresh offline VS Code and drives the workbench in
# chromium: language mode, the first-start walkthrough, hover, a diagnostic while typing, New
# Schedule File. On failure a screenshot is saved to test-results/ui/.
node test/ui/ui.check.mjs

step "all tests passed"
