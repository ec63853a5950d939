#!/usr/bin/env bash
# Build cron-oracle: Debian cron 3.0pl1-162 (orig tarball + every patch in
# debian/patches/series) compiled together with test/oracle/harness.c.
#
#   bash test/oracle/build.sh          # prints the harness path on the last line
#
# Idempotent: downloads, the patched tree and the binary are cached under
# ~/.cache/bwdc-schedule/cron-oracle/cron_3.0pl1-162/ (outside the clone: CI clones
# afresh) and rebuilt only when a harness source or this script changes. No Debian code is written anywhere else.
#
# Exit codes: 0 built (or up to date), 3 download failed, 4 checksum mismatch,
# 5 unpacking or patching failed, 6 compiling failed, 7 a needed tool is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${BWDC_CRON_ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bwdc-schedule/cron-oracle/cron_3.0pl1-162}"
MIRROR="${BWDC_CRON_ORACLE_MIRROR:-http://deb.debian.org/debian/pool/main/c/cron}"

ORIG=cron_3.0pl1.orig.tar.gz
ORIG_SHA256=d931e0688005dfa85cfdb60e19bf0a3848ebfa3ee3415bf2a6ea3ea9e5bcfd21
DEBIAN=cron_3.0pl1-162.debian.tar.xz
DEBIAN_SHA256=72790571714030f0ba9acd98a14ad1cef835d3cc7056f013f67182adf1a83d3a

BIN="$CACHE/bin/cron-oracle"
SRC="$CACHE/src/cron-3.0pl1"
DL="$CACHE/downloads"

say() { printf 'cron-oracle: %s\n' "$*" >&2; }

for tool in gcc patch tar xz sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    say "missing tool: $tool"
    exit 7
  fi
done
if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --retry 2 --connect-timeout 20 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -O "$2" "$1"; }
else
  say "missing tool: curl or wget"
  exit 7
fi

# The stamp names everything the binary is built from.
stamp="$(cat "$HERE/harness.c" "$HERE/cron_main.c" "$HERE/build.sh" | sha256sum | cut -c1-16)"
if [[ -x "$BIN" && -f "$CACHE/bin/stamp" && "$(cat "$CACHE/bin/stamp")" == "$stamp" ]]; then
  say "up to date"
  echo "$BIN"
  exit 0
fi

mkdir -p "$DL" "$CACHE/bin"

download() { # file sha256
  local file="$1" sum="$2" target="$DL/$1"
  if [[ -f "$target" ]] && echo "$sum  $target" | sha256sum -c --status; then
    return 0
  fi
  say "downloading $MIRROR/$file"
  if ! fetch "$MIRROR/$file" "$target.part"; then
    rm -f "$target.part"
    say "download failed: $MIRROR/$file (no network?). The committed table test/fixtures/cron/debian-oracle.json still works."
    exit 3
  fi
  if ! echo "$sum  $target.part" | sha256sum -c --status; then
    say "checksum mismatch for $file: expected $sum, got $(sha256sum "$target.part" | cut -c1-64)"
    rm -f "$target.part"
    exit 4
  fi
  mv "$target.part" "$target"
}

download "$ORIG" "$ORIG_SHA256"
download "$DEBIAN" "$DEBIAN_SHA256"

# Unpack and patch from scratch (cheap), so a half-patched tree never survives.
rm -rf "$CACHE/src"
mkdir -p "$CACHE/src"
if ! tar -xzf "$DL/$ORIG" -C "$CACHE/src"; then say "cannot unpack $ORIG"; exit 5; fi
mv "$CACHE/src/cron-3.0pl1.orig" "$SRC"
if ! tar -xJf "$DL/$DEBIAN" -C "$SRC"; then say "cannot unpack $DEBIAN"; exit 5; fi
applied=0
while IFS= read -r p || [[ -n "$p" ]]; do
  p="${p%%#*}"
  p="$(echo "$p" | tr -d '[:space:]')"
  [[ -z "$p" ]] && continue
  if ! patch -d "$SRC" -p1 -s --no-backup-if-mismatch <"$SRC/debian/patches/$p" >"$CACHE/src/patch.log" 2>&1; then
    say "patch failed: $p"
    cat "$CACHE/src/patch.log" >&2
    exit 5
  fi
  applied=$((applied + 1))
done <"$SRC/debian/patches/series"
say "applied $applied Debian patches"

# Debian's build (debian/rules + Makefile): -DPOSIX -DDEBUGGING=0; PAM and SELinux
# are left out (they only concern running the job, not when it runs).
CFLAGS=(-O2 -g -std=gnu99 -DPOSIX -DDEBUGGING=0 -I"$SRC" -w)
objs=()
build() { # output source...
  local out="$1"; shift
  if ! gcc "${CFLAGS[@]}" -c -o "$out" "$@" 2>"$out.log"; then
    say "compiling $* failed:"
    cat "$out.log" >&2
    exit 6
  fi
  objs+=("$out")
}
OBJ="$CACHE/src/obj"
mkdir -p "$OBJ"
build "$OBJ/entry.o" "$SRC/entry.c"
build "$OBJ/job.o" "$SRC/job.c"
build "$OBJ/misc.o" "$SRC/misc.c"
build "$OBJ/env.o" "$SRC/env.c"
build "$OBJ/compat.o" "$SRC/compat.c"
build "$OBJ/cron_main.o" "$HERE/cron_main.c"
build "$OBJ/harness.o" "$HERE/harness.c"
if ! gcc -o "$BIN.tmp" "${objs[@]}" 2>"$OBJ/link.log"; then
  say "linking failed:"
  cat "$OBJ/link.log" >&2
  exit 6
fi
mv "$BIN.tmp" "$BIN"
echo "$stamp" >"$CACHE/bin/stamp"
say "built $BIN"
echo "$BIN"
