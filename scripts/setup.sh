#!/usr/bin/env bash
# Installs what building and testing need, only what is missing: Debian packages and the
# npm dependencies (npm ci when package-lock.json changed). Never prompts; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: chromium drives the offline VS Code and libkrb5-dev lets
# code-server's native module build; shellcheck and strace check generated scripts (strace
# proves the secret is in no other process's argv or environment); the awks are the ones
# the generated data.json check must work with (mawk is Debian's default, original-awk is
# what macOS ships, busybox's is Alpine's); gcc, patch, xz-utils and curl build the oracle
# from Debian's cron source; cron's crontab and daemon are what install/remove are tested
# against, and passwd (useradd/userdel) makes the throwaway users those tests use;
# libxml2-utils provides xmllint, which validates every generated Task Scheduler XML against
# the task schema (test/fixtures/task/task-scheduler.xsd), since Windows is not here to import it;
# unzip lists the packaged .vsix; systemd provides systemd-analyze, whose `calendar` is the oracle
# for the timers' OnCalendar= lines and whose `verify` checks every generated unit pair (neither
# needs a running systemd).
packages=(cron passwd chromium libkrb5-dev shellcheck strace original-awk gawk busybox gcc patch xz-utils curl libxml2-utils unzip systemd)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    echo "setup: need root (or passwordless sudo) to install: ${missing[*]}" >&2
    echo "setup: run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file differs from the one installed.
stamp=node_modules/.bwdc-package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
