#!/usr/bin/env bash
# Builds the real Bitwarden Directory Connector CLI (`bwdc`) of each release whose source
# tarball is in ../shared/directory-connector/ (git archives of the release tags; see the
# README there), so that tests can run the real product instead of a stand-in.
#
#   bash scripts/real-bwdc.sh        # last lines of stdout: `bwdc <version> <path>`, one per release
#
# Builds go to a cache outside the clone, keyed by the tarball's bytes:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/bwdc-schedule/real-bwdc/<version>-<sha256 of tarball, 12 hex>/
#     bin/bwdc          a #!/bin/sh wrapper that cron can run with PATH=/usr/bin:/bin
#     bin/bwdc.js       the release's webpack bundle (build-cli/), with its locales/
#     bin/<native>.node the keychain module, beside bwdc as the packaged release ships it:
#                       2026.6.x dc_native.linux-x64-gnu.node (a STAND-IN, see below),
#                       <= 2026.4 keytar.node (the real keytar, built here with node-gyp)
#     node_modules/     production dependencies, only for releases whose bundle needs them
#     .built            written last: a folder without it is an interrupted build, redone
# A built release costs nothing on later calls. Build chatter goes to stderr.
#
# 2026.6.x's keychain addon `dc-native` is Rust whose crates come from outside the
# registries reachable here, so it cannot be built; scripts/real-bwdc/dc-native-standin.c
# is a real N-API addon with the same API whose keychain reports itself unavailable. That
# is enough for BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true (the mode a scheduled
# headless sync uses); anything reported from such a run must say so.
#
# Environment: BWDC_SHARED_DIR  the `shared` folder (default: the clone's sibling `shared`);
#                               the tarballs are in its directory-connector/ (or in it).
#
# Exit codes: 0 built (or already built); 3 no tarball found (one line on stderr says
# where it looked; callers skip with that reason); 1 anything else, with a message.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="${BWDC_SHARED_DIR:-$(dirname "$ROOT")/shared}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/bwdc-schedule/real-bwdc"
STANDIN_SOURCE="$HERE/real-bwdc/dc-native-standin.c"
NODE="$(command -v node || true)"
RELEASES=(2026.6.1 2026.4.0)

say() { printf 'real-bwdc: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
# Runs a build step with its output on stderr; on failure names the step and its log.
step() { # description command...
  local what="$1"; shift
  say "$what"
  if ! "$@" >&2; then die "failed: $what"; fi
}

tarball_of() { # version -> path, or nothing
  local name="directory-connector-$1.tar.gz" dir
  for dir in "$SHARED/directory-connector" "$SHARED"; do
    if [[ -f "$dir/$name" ]]; then printf '%s\n' "$dir/$name"; return; fi
  done
}

found=()
for version in "${RELEASES[@]}"; do
  if [[ -n "$(tarball_of "$version")" ]]; then found+=("$version"); fi
done
if [[ ${#found[@]} -eq 0 ]]; then
  say "no Directory Connector source tarball (directory-connector-<version>.tar.gz for ${RELEASES[*]}) in $SHARED/directory-connector or $SHARED; set BWDC_SHARED_DIR to the folder that holds directory-connector/"
  exit 3
fi
for version in "${RELEASES[@]}"; do
  if [[ -z "$(tarball_of "$version")" ]]; then say "skipping $version: directory-connector-$version.tar.gz not found in $SHARED"; fi
done
[[ -n "$NODE" ]] || die "node is not on PATH (Node 20 is needed to build and run bwdc)"
NODE="$(readlink -f "$NODE")"
# Node's headers, for keytar (node-gyp's npm_config_nodedir) and the stand-in addon; node-gyp
# cannot download them here.
NODEDIR="$(cd "$(dirname "$NODE")/.." && pwd)"
[[ -f "$NODEDIR/include/node/node_api.h" ]] || NODEDIR=/usr
[[ -f "$NODEDIR/include/node/node_api.h" ]] || die "Node's headers (include/node/node_api.h) are missing beside $NODE and in /usr"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH"

# Debian packages the builds need, installed only when missing: git (the folder must be a
# work tree for the release's preinstall), a C/C++ tool chain and python3 for node-gyp and
# the stand-in addon, libsecret-1-dev and pkg-config for keytar, flock for the build lock.
ensure_packages() {
  local missing=() package
  for package in git gcc g++ make python3 pkg-config libsecret-1-dev util-linux; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      die "need root or passwordless sudo to install: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})"
    fi
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >&2 || die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

# keytar from source with node-gyp (the release's own node-gyp, else the one npm bundles),
# run in the release folder.
build_keytar() {
  local candidate gyp=""
  for candidate in "$PWD/node_modules/node-gyp/bin/node-gyp.js" "$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"; do
    if [[ -f "$candidate" ]]; then gyp="$candidate"; break; fi
  done
  if [[ -z "$gyp" ]]; then say "node-gyp not found (neither in the release's node_modules nor beside npm)"; return 1; fi
  (cd node_modules/keytar && "$NODE" "$gyp" rebuild --release)
}

# Copies the packages a webpack-node-externals bundle requires, with everything they depend
# on, from one node_modules to another (node runtime-deps BUNDLE FROM TO). Each package folder
# is copied whole, with its nested node_modules. Fails when a package the bundle requires is
# not installed.
RUNTIME_DEPS='
const fs = require("fs"), path = require("path"), { builtinModules } = require("module");
const [bundle, from, to] = process.argv.slice(1);
const builtin = new Set(builtinModules);
const nameOf = (spec) => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");
const wanted = new Set();
for (const m of fs.readFileSync(bundle, "utf8").matchAll(/require\("([^".\/][^"]*)"\)/g)) {
  const spec = m[1];
  if (spec.startsWith("node:") || builtin.has(spec) || builtin.has(nameOf(spec))) continue;
  wanted.add(nameOf(spec));
}
const root = path.resolve(from), top = path.dirname(root);
function find(name, dir) { // node resolution: DIR/node_modules/NAME, then each folder up to the release
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, "node_modules", name);
    if (path.basename(d) !== "node_modules" && fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (d === top || d === path.dirname(d)) return null;
  }
}
const keep = new Set(), queue = [];
for (const name of wanted) {
  const dir = find(name, top);
  if (!dir) { console.error("the bundle requires " + name + ", which is not installed"); process.exit(1); }
  queue.push(dir);
}
while (queue.length) {
  const dir = queue.pop();
  if (keep.has(dir)) continue;
  keep.add(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies })) {
    const found = find(dep, dir);
    if (found) queue.push(found);
  }
}
// Copy outermost folders only (a nested one comes with its parent).
const sorted = [...keep].sort();
let copied = 0;
for (const dir of sorted) {
  if (sorted.some((other) => other !== dir && dir.startsWith(other + path.sep))) continue;
  fs.cpSync(dir, path.join(to, path.relative(root, dir)), { recursive: true, verbatimSymlinks: true });
  copied++;
}
console.error("kept " + copied + " of the installed packages (" + wanted.size + " required by the bundle: " + [...wanted].sort().join(", ") + ")");
'

# The stand-in for 2026.6.x's dc-native, compiled against this Node's headers.
build_standin() { # output
  gcc -shared -fPIC -O2 -Wall -Wextra -Werror -I"$NODEDIR/include/node" -o "$1.tmp" "$STANDIN_SOURCE" >&2 \
    || die "compiling $STANDIN_SOURCE failed"
  mv "$1.tmp" "$1"
}

quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; } # one word for /bin/sh

write_wrapper() { # bin-dir version
  cat >"$1/bwdc" <<EOF
#!/bin/sh
# The real Bitwarden Directory Connector CLI $2, built from its release tag's source by
# scripts/real-bwdc.sh (bwdc-schedule's tests). Runs the bundle with the node it was built for.
exec $(quote "$NODE") $(quote "$1/bwdc.js") "\$@"
EOF
  chmod 755 "$1/bwdc"
}

# Builds one release into $final (absent or incomplete on entry).
build_release() { # version tarball final
  local version="$1" tarball="$2" final="$3"
  local work="$final.work"
  local started=$SECONDS
  rm -rf "$work" "$final"
  mkdir -p "$work/src"
  step "$version: unpacking $(basename "$tarball")" tar -xzf "$tarball" -C "$work/src"
  local src
  src="$(find "$work/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
  [[ -f "$src/package.json" ]] || die "$version: no package.json in $tarball"
  (
    cd "$src"
    export ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm_config_nodedir="$NODEDIR" \
      npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
    # The release's preinstall runs `git submodule update`: the folder must be a work tree.
    git init -q
    step "$version: npm ci --ignore-scripts (from the npm registry)" npm ci --ignore-scripts --no-audit --no-fund
    if [[ -f native/package.json ]]; then
      # 2026.6.x: build:cli:prod bundles everything but the keychain addon.
      step "$version: npm run build:cli:prod" npm run build:cli:prod
    else
      # <= 2026.4: keytar built from source against the local Node headers and libsecret.
      step "$version: building keytar with node-gyp (libsecret, Node headers in $npm_config_nodedir)" build_keytar
      step "$version: npm run build:cli:prod" npm run build:cli:prod
    fi
  )
  [[ -f "$src/build-cli/bwdc.js" ]] || die "$version: the build produced no build-cli/bwdc.js"

  # The release's run-time layout; everything else (sources, dev dependencies) goes.
  mkdir -p "$work/out"
  mv "$src/build-cli" "$work/out/bin"
  rm -f "$work/out/bin/"*.map
  if [[ -f "$src/native/package.json" ]]; then
    build_standin "$work/out/bin/dc_native.linux-x64-gnu.node"
    sha256sum "$STANDIN_SOURCE" | cut -d' ' -f1 >"$work/out/.standin.sha256"
  else
    local keytar="$src/node_modules/keytar/build/Release/keytar.node"
    [[ -f "$keytar" ]] || die "$version: keytar.node was not built"
    # Its bundle keeps node_modules external (webpack-node-externals). `npm prune --omit=dev`
    # cannot be trusted here: the release's package-lock.json marks the direct dependency
    # form-data as dev, and pruning removes it. Keep what the bundle requires instead.
    step "$version: keeping the packages the bundle requires at run time" \
      "$NODE" -e "$RUNTIME_DEPS" "$work/out/bin/bwdc.js" "$src/node_modules" "$work/out/node_modules"
    cp "$src/package.json" "$work/out/package.json"
    # The packaged release ships keytar.node beside bwdc (its zip holds both).
    cp "$work/out/node_modules/keytar/build/Release/keytar.node" "$work/out/bin/keytar.node"
    rm -rf "$work/out/node_modules/keytar/build/Release/obj.target" "$work/out/node_modules/keytar/build/Release/.deps"
  fi
  cp "$src/LICENSE.txt" "$work/out/LICENSE.txt" 2>/dev/null || true
  mv "$work/out" "$final"
  rm -rf "$work"
  write_wrapper "$final/bin" "$version"

  # It must run: ask the built CLI its version, as cron would run it, in a throwaway folder.
  local appdata got
  appdata="$(mktemp -d)"
  got="$(cd "$appdata" && env -i PATH=/usr/bin:/bin HOME="$appdata" BITWARDENCLI_CONNECTOR_APPDATA_DIR="$appdata" \
    BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true "$final/bin/bwdc" --version 2>"$appdata/stderr" | tail -n 1)" || true
  if [[ "$got" != "$version" ]]; then
    cat "$appdata/stderr" >&2
    rm -rf "$appdata"
    die "$version: the built bwdc does not run: \`bwdc --version\` printed '$got' (its stderr is above)"
  fi
  rm -rf "$appdata"
  printf 'version=%s\nsource=%s\nnode=%s\nbuilt=%s\nseconds=%s\n' "$version" "$(basename "$tarball")" "$NODE" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$((SECONDS - started))" >"$final/.built"
  say "$version: built in $((SECONDS - started)) s, $(du -sh "$final" | cut -f1) in $final"
}

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.lock"
flock 9 2>/dev/null || true  # one build at a time (flock is util-linux; absent: no lock)

results=()
for version in "${found[@]}"; do
  tarball="$(tarball_of "$version")"
  key="$version-$(sha256sum "$tarball" | cut -c1-12)"
  final="$CACHE_ROOT/$key"
  if [[ ! -f "$final/.built" ]]; then
    ensure_packages
    build_release "$version" "$tarball" "$final"
  elif [[ -f "$final/.standin.sha256" && "$(cat "$final/.standin.sha256")" != "$(sha256sum "$STANDIN_SOURCE" | cut -d' ' -f1)" ]]; then
    say "$version: the dc-native stand-in's source changed; recompiling it"
    ensure_packages
    build_standin "$final/bin/dc_native.linux-x64-gnu.node"
    sha256sum "$STANDIN_SOURCE" | cut -d' ' -f1 >"$final/.standin.sha256"
  fi
  [[ -x "$final/bin/bwdc" ]] || die "$version: $final/bin/bwdc is missing although $final/.built exists; remove $final to rebuild"
  results+=("bwdc $version $final/bin/bwdc")
done
printf '%s\n' "${results[@]}"
