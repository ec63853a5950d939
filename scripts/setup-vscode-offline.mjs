#!/usr/bin/env node
// Installs what the offline VS Code route needs (see DEVELOPERS.md, "Real parts"), only when
// it is missing:
//   - Debian packages: chromium (the browser that shows the workbench) and libkrb5-dev
//     (code-server's `kerberos` module compiles from source and needs gssapi/gssapi.h);
//   - Node 24 from npm (`node@24`): code-server requires it, the machine has Node 20;
//   - code-server (pinned: the test runner touches VS Code internals), installed by npm
//     running under Node 24 so that its postinstall accepts the user agent and its native
//     modules are built against Node 24's headers.
// Everything goes to ~/.cache/bwdc-schedule/vscode-offline/<versions>/. Each part writes a
// completion stamp as its last step, so an interrupted install is redone from scratch and a
// finished one costs one stat on the next run.
//
// Usage: node scripts/setup-vscode-offline.mjs   (also imported by run-integration/start)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { userCacheDir } from './lib/helpers.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;

// Outside the clone, keyed by what it holds: CI clones afresh each time, and every clone and
// worktree on the machine shares one install (about 1.2 GB, 4 minutes on 2 cores).
export const cacheDir =
  process.env.BWDC_VSCODE_CACHE || path.join(userCacheDir(), 'bwdc-schedule', 'vscode-offline', `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}`);
const nodeDir = path.join(cacheDir, `node${NODE_MAJOR}`);
const codeServerDir = path.join(cacheDir, 'code-server');
const APT_PACKAGES = ['chromium', 'libkrb5-dev'];

const log = (/** @type {string} */ message) => console.log(`[setup] ${message}`);

class SetupError extends Error {}

/**
 * Where the installed parts are: Node 24 (its folder and binary), code-server (its package
 * folder, its CLI and the VS Code server inside it) and chromium.
 * @typedef {{
 *   nodeHome: string,
 *   node: string,
 *   codeServerPackage: string,
 *   codeServerEntry: string,
 *   vscodeServerMain: string,
 *   chromium: string,
 * }} OfflinePaths
 */

/**
 * Paths of the parts, as far as they are installed: `nodeHome` and `node` are undefined until
 * Node 24 is (ensureOfflineVSCode() returns them all).
 * @returns {Omit<OfflinePaths, 'nodeHome' | 'node'> & Partial<Pick<OfflinePaths, 'nodeHome' | 'node'>>}
 */
export function offlinePaths() {
  const platformPackage = `node-${process.platform}-${process.arch}`;
  // npm nests the platform package under `node` or hoists it, depending on the tree.
  const nodeHome = [path.join(nodeDir, 'node_modules', 'node', 'node_modules', platformPackage), path.join(nodeDir, 'node_modules', platformPackage)].find(
    (dir) => fs.existsSync(path.join(dir, 'bin', 'node')),
  );
  const codeServerPackage = path.join(codeServerDir, 'node_modules', 'code-server');
  return {
    nodeHome,
    node: nodeHome && path.join(nodeHome, 'bin', 'node'),
    codeServerPackage,
    codeServerEntry: path.join(codeServerPackage, 'out', 'node', 'entry.js'),
    vscodeServerMain: path.join(codeServerPackage, 'lib', 'vscode', 'out', 'server-main.js'),
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
}

/** true/false on Debian-like systems; undefined where dpkg does not exist. */
function isDebPackageInstalled(/** @type {string} */ name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  if (result.error) return undefined;
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function ensureAptPackages() {
  if (isDebPackageInstalled('dpkg') === undefined) {
    // Not Debian: the packages must come from elsewhere (CHROMIUM_PATH names the browser).
    if (!fs.existsSync(offlinePaths().chromium)) {
      throw new SetupError(`no chromium at ${offlinePaths().chromium}; install it or set CHROMIUM_PATH`);
    }
    return;
  }
  const missing = APT_PACKAGES.filter((name) => !isDebPackageInstalled(name));
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  // Never prompt: as root run apt-get directly, otherwise sudo -n fails instead of asking.
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['apt-get', 'update', '-qq'],
    ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing],
  ]) {
    const [command, ...rest] = [...prefix, ...args];
    const result = spawnSync(command, rest, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (result.status !== 0) {
      throw new SetupError(`\`${args.join(' ')}\` failed${asRoot ? '' : ' (needs root or password-less sudo)'}; ` + `install ${missing.join(' ')} and rerun`);
    }
  }
}

/**
 * This process's environment without the npm_* variables an outer `npm test` or `npm start`
 * sets: npm reads them as its own configuration, so the outer npm's user agent ("node/v20")
 * would reach code-server's postinstall, which then refuses to build.
 */
function environmentWithoutNpm() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

/**
 * Runs `npm install <spec>` in `dir` (recreated empty); the caller writes the stamp when it
 * succeeded. The npm output goes to a log file beside the folder; its tail is shown on failure.
 * @param {string} dir
 * @param {string} spec
 * @param {{ node?: string, env?: NodeJS.ProcessEnv }} [options]
 */
function npmInstall(dir, spec, { node = process.execPath, env = environmentWithoutNpm() } = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  // Keep npm's and node-gyp's scratch files (and Node 24's compile cache, which npm enables in
  // $TMPDIR) out of /tmp: they go to a folder removed below.
  const tmp = `${dir}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  // Run the npm that ships with the current Node, but under `node` (the user agent npm reports
  // to install scripts, and the Node that node-gyp builds for, follow the running Node).
  const npmCli = findNpmCli();
  const logFile = `${dir}.install.log`;
  const out = fs.openSync(logFile, 'w');
  const result = spawnSync(node, [npmCli, 'install', '--save-exact', '--no-audit', '--no-fund', '--no-update-notifier', spec], {
    cwd: dir,
    stdio: ['ignore', out, out],
    env: { ...env, TMPDIR: tmp, NODE_DISABLE_COMPILE_CACHE: '1' },
  });
  fs.closeSync(out);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (result.status !== 0) {
    const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
    throw new SetupError(`npm install ${spec} failed (full log: ${logFile}):\n${tail}`);
  }
}

function findNpmCli() {
  const candidates = [
    process.env.npm_execpath, // set when started from an npm script
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const found = candidates.find((file) => file?.endsWith('npm-cli.js') && fs.existsSync(file));
  if (!found) throw new SetupError('cannot find npm (npm-cli.js) beside the running Node');
  return found;
}

const stampOf = (/** @type {string} */ dir) => path.join(dir, '.install-complete');
const isStamped = (/** @type {string} */ dir, /** @type {string} */ content) =>
  fs.existsSync(stampOf(dir)) && fs.readFileSync(stampOf(dir), 'utf8') === content;

function ensureNode() {
  const stamp = `node@${NODE_MAJOR}\n`;
  if (isStamped(nodeDir, stamp) && offlinePaths().node) return;
  log(`installing Node ${NODE_MAJOR} (npm i node@${NODE_MAJOR}) into ${nodeDir}/`);
  npmInstall(nodeDir, `node@${NODE_MAJOR}`);
  const { node } = offlinePaths();
  const version = node && spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!version?.startsWith(`v${NODE_MAJOR}.`)) {
    throw new SetupError(`node@${NODE_MAJOR} installed, but no working Node ${NODE_MAJOR} binary was found in it`);
  }
  fs.writeFileSync(stampOf(nodeDir), stamp);
  log(`Node ${version} ready`);
}

function ensureCodeServer() {
  const stamp = `code-server@${CODE_SERVER_VERSION}\n`;
  const paths = offlinePaths();
  if (isStamped(codeServerDir, stamp) && fs.existsSync(paths.codeServerEntry)) return;
  if (!paths.nodeHome || !paths.node) throw new SetupError(`Node ${NODE_MAJOR} is missing in ${nodeDir}/`);
  const where = codeServerDir;
  log(`installing code-server@${CODE_SERVER_VERSION} into ${where}/ (builds native modules, 2-4 min)`);
  const env = {
    ...environmentWithoutNpm(),
    // Node 24 first on PATH: code-server's postinstall and node-gyp run `node` from PATH.
    PATH: `${path.join(paths.nodeHome, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    // ~/.npmrc may set nodedir to Node 20's headers (/usr); native modules need Node 24's.
    npm_config_nodedir: paths.nodeHome,
  };
  npmInstall(codeServerDir, `code-server@${CODE_SERVER_VERSION}`, { node: paths.node, env });
  if (!fs.existsSync(paths.codeServerEntry) || !fs.existsSync(paths.vscodeServerMain)) {
    throw new SetupError(`code-server@${CODE_SERVER_VERSION} installed, but its VS Code server is missing`);
  }
  fs.writeFileSync(stampOf(codeServerDir), stamp);
  log(`code-server ${CODE_SERVER_VERSION} ready`);
}

/**
 * Installs whatever is missing; returns the paths of the parts. Throws SetupError.
 * @returns {OfflinePaths}
 */
export function ensureOfflineVSCode() {
  ensureAptPackages();
  ensureNode();
  ensureCodeServer();
  const { nodeHome, node, ...paths } = offlinePaths();
  if (!nodeHome || !node) throw new SetupError(`Node ${NODE_MAJOR} is missing in ${nodeDir}/`);
  return { nodeHome, node, ...paths };
}

/**
 * Whether `error` is a SetupError: a failure whose message says all (no stack trace).
 * @param {unknown} error
 * @returns {error is Error}
 */
export function isSetupError(error) {
  return error instanceof SetupError;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now();
  try {
    ensureOfflineVSCode();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(`offline VS Code ready in ${cacheDir}/ (${seconds} s)`);
  } catch (error) {
    console.error(`[setup] ${error instanceof SetupError ? error.message : error}`);
    process.exit(1);
  }
}
