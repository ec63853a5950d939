// One throwaway VS Code session without a desktop VS Code: the VS Code server inside the
// `code-server` npm package (installed by setup-vscode-offline.mjs, run by Node 24) and its
// web workbench in Debian's chromium, driven by playwright-core. Shared by
// run-integration.mjs (tests) and start.mjs (the product); see DEVELOPERS.md, "Real parts".
//
// Why `lib/vscode/out/server-main.js` and not code-server's own CLI: the development
// extension and the tests path reach the built web workbench through the `payload` URL
// parameter, which it honours only when the server runs with --enable-smoke-test-driver, and
// code-server's CLI rejects that flag. (The other known route - code-server's CLI plus a
// Playwright init script whose MutationObserver rewrites the
// <meta id="vscode-workbench-web-configuration"> settings before the workbench reads them -
// works too, but only in a browser we drive, so it could not give `npm start` a URL to open.)
// The extension runs in the server's remote Node extension host, as over Remote-SSH.
//
// Everything a session writes stays in one temp folder (user data, extensions, XDG dirs,
// TMPDIR of the server, the browser and of this process: SessionFolder in lib/helpers.mjs,
// which the test-electron route of run-integration.mjs uses too); dispose() kills the server with
// everything it started and the browser, and removes that folder. Callers run dispose() in
// `finally` and on SIGINT/SIGTERM/SIGHUP; an exit handler kills and removes synchronously as
// a last resort.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SessionError, SessionFolder, firstLine, sleep } from './lib/helpers.mjs';

/** @typedef {import('./setup-vscode-offline.mjs').OfflinePaths} OfflinePaths */

// Settings for a quiet, offline, deterministic workbench. (server-main.js has no
// --disable-workspace-trust flag, hence the trust setting.)
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
};

// Chromium flags for a headless run in a container: no sandbox (we run as root), no GPU, no
// /dev/shm (small in containers), and none of the background traffic that cannot work offline.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Writes USER_SETTINGS as <userDataDir>/User/settings.json (also used for test-electron). */
export function writeUserSettings(/** @type {string} */ userDataDir) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(USER_SETTINGS, null, 2)}\n`);
}

/**
 * Makes `locale` (e.g. `de`) VS Code's display language, offline. VS Code takes a display
 * language only from an installed language pack: without one, `--locale de` falls back to
 * English, and the marketplace that has the packs cannot be reached here. So this registers a
 * pack in <userDataDir>/languagepacks.json, the index VS Code keeps of installed packs, whose
 * workbench translations are empty: the workbench's own texts stay English, but the language
 * is `locale` everywhere else - `vscode.env.language`, the manifest's package.nls.<locale>.json
 * and `vscode.l10n.bundle` (l10n/bundle.l10n.<locale>.json), which is what extensions see.
 * Start VS Code with `--locale <locale>` too. Returns that argument pair.
 * @param {string} userDataDir
 * @param {string} locale
 */
export function useDisplayLanguage(userDataDir, locale) {
  const translations = path.join(userDataDir, `language-pack-${locale}`, 'main.i18n.json');
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  fs.writeFileSync(translations, `${JSON.stringify({ contents: {} })}\n`);
  const pack = {
    hash: `bwdc-schedule-test-${locale}`,
    extensions: [{ extensionIdentifier: { id: `bwdc-schedule-test.language-pack-${locale}` }, version: '0.0.0' }],
    translations: { vscode: translations },
    label: locale,
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), `${JSON.stringify({ [locale]: pack }, null, 2)}\n`);
  return ['--locale', locale];
}

export class OfflineVSCode {
  /** @param {{ verbose?: boolean }} [options] */
  constructor({ verbose = false } = {}) {
    this.verbose = verbose;
    this.folder = new SessionFolder();
    this.dir = this.folder.dir;
    this.userDataDir = this.folder.sub('user-data');
    this.serverDataDir = this.folder.sub('server-data');
    this.extensionsDir = this.folder.sub('extensions');
    this.homeDir = this.folder.sub('home'); // the browser's HOME (chromium creates ~/.pki and more)
    writeUserSettings(this.userDataDir);
    /** Environment for every process of the session. */
    this.env = { ...process.env, ...this.folder.env };
    // playwright-core puts the browser profile and its artifacts in os.tmpdir() of *this*
    // process, which reads TMPDIR on every call.
    this.savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = this.env.TMPDIR;
    this.workbenchLog = path.join(this.dir, 'workbench.log');
    this.serverLog = path.join(this.dir, 'server.log');

    /** @type {import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable> | undefined} */
    this.server = undefined;
    this.serverExited = false;
    /** @type {import('playwright-core').Browser | undefined} */
    this.browser = undefined;
    /** @type {Promise<void> | undefined} a browser launch in progress (see openBrowser) */
    this.launching = undefined;
    this.disposing = false;
    this.disposed = false;

    // Last resort if the process exits without dispose() (an uncaught error, process.exit()):
    // only synchronous work is possible here.
    this.onExit = () => this.disposeSync();
    process.on('exit', this.onExit);
  }

  /** A file path inside the session folder. */
  file(/** @type {string} */ name) {
    return this.folder.file(name);
  }

  /**
   * Starts `lib/vscode/out/server-main.js` of code-server with Node 24, in its own process
   * group (so that dispose() can kill it with its extension host, file watcher and pty host),
   * and resolves with its port once it listens.
   * @param {Pick<OfflinePaths, 'node' | 'vscodeServerMain'>} paths from setup-vscode-offline.mjs
   * @param {{ port?: number, env?: Record<string, string>, args?: string[] }} [options]
   * @returns {Promise<number>}
   */
  async startServer(paths, { port = 0, env = {}, args = [] } = {}) {
    const server = spawn(
      paths.node,
      [
        paths.vscodeServerMain,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        '--telemetry-level',
        'off',
        '--user-data-dir',
        this.userDataDir,
        '--server-data-dir',
        this.serverDataDir,
        '--extensions-dir',
        this.extensionsDir,
        ...args,
      ],
      // The extension host inherits this environment: tests receive variables through `env`.
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...this.env, ...env } },
    );
    this.server = server;
    server.on('exit', () => {
      this.serverExited = true;
    });

    return new Promise((resolve, reject) => {
      let output = ''; // until it listens
      let settled = false;
      const timer = setTimeout(() => fail(new SessionError('the VS Code server did not start listening within 60 s')), 60_000);
      const fail = (/** @type {Error} */ error) => {
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      server.on('error', (error) => fail(new SessionError(`cannot start the VS Code server: ${error.message}`)));
      server.on('exit', (code, signal) => {
        if (settled) return;
        const last = output.trim().split('\n').pop();
        const how = signal ?? `code ${code}`;
        fail(new SessionError(`the VS Code server exited (${how}) before listening${last ? `: ${last}` : ''}`));
      });
      const onOutput = (/** @type {Buffer} */ chunk) => {
        if (this.disposed) return;
        fs.appendFileSync(this.serverLog, chunk);
        if (this.verbose) process.stderr.write(chunk);
        if (settled) return;
        output += chunk.toString();
        // server-main.js prints "Server bound to 127.0.0.1:PORT (IPv4)" once it listens, and
        // when it cannot listen, logs the error and keeps running: fail at once then.
        const bound = /Server bound to [^\s]*:(\d+)/.exec(output);
        const listenError = /Error: listen (\w+)/.exec(output);
        if (bound) {
          settled = true;
          clearTimeout(timer);
          resolve(Number(bound[1]));
        } else if (listenError) {
          const why = listenError[1] === 'EADDRINUSE' ? 'EADDRINUSE (the port is in use)' : listenError[1];
          fail(new SessionError(`the VS Code server cannot listen on 127.0.0.1:${port}: ${why}`));
        }
      };
      server.stdout.on('data', onOutput);
      server.stderr.on('data', onOutput);
    });
  }

  /**
   * Launches chromium through playwright-core with the session's environment and returns a
   * page that logs the workbench's console to workbench.log.
   * @param {Pick<OfflinePaths, 'chromium'>} paths
   * @param {{ headless?: boolean, deviceScaleFactor?: number }} [options]
   * @returns {Promise<import('playwright-core').Page>}
   */
  async openBrowser(paths, { headless = true, deviceScaleFactor = 1 } = {}) {
    const { chromium } = await import('playwright-core');
    // dispose() waits for a launch in progress, so that no browser starts after cleanup.
    const launching = chromium.launch({
      executablePath: paths.chromium,
      headless,
      args: CHROMIUM_ARGS,
      env: { ...this.env, HOME: this.homeDir },
      // This module cleans up on signals itself (the server too, and in order).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    this.launching = launching.then(
      (browser) => {
        this.browser = browser;
      },
      () => {},
    );
    let browser;
    try {
      browser = await launching;
    } catch (error) {
      throw new SessionError(`cannot start chromium (${paths.chromium}): ${firstLine(error)}`);
    }
    // A fixed viewport and pixel ratio: the UI checks and the README's screenshots rely on it.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor });
    page.on('console', (message) => this.logWorkbench(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => this.logWorkbench(`[pageerror] ${error.message}`));
    return page;
  }

  logWorkbench(/** @type {string} */ line) {
    if (this.disposed) return;
    fs.appendFileSync(this.workbenchLog, `${line}\n`);
    if (this.verbose) process.stderr.write(`[workbench] ${line}\n`);
  }

  /**
   * Path of the remote extension host's log, where VS Code logs each extension activation
   * (code-server's server keeps its logs in <user-data-dir>/logs/<time>/exthostN/).
   */
  findExtensionHostLog() {
    return findFiles(path.join(this.userDataDir, 'logs'), (name) => name === 'remoteexthost.log')[0];
  }

  /** Kills the server's process group and the browser, and removes the session folder. */
  async dispose() {
    if (this.disposed || this.disposing) return;
    this.disposing = true; // lets 'exit' and 'disconnected' handlers tell expected from not
    if (this.launching) await Promise.race([this.launching, sleep(30_000)]);
    if (this.browser) {
      // Playwright kills the browser's process group itself if close() hangs or fails.
      await Promise.race([this.browser.close().catch(() => {}), sleep(5000)]);
    }
    if (this.server) await killProcessTree(this.server);
    this.disposeSync();
  }

  disposeSync() {
    if (this.disposed) return;
    this.disposed = true;
    process.removeListener('exit', this.onExit);
    if (this.server?.pid && !this.serverExited) {
      for (const target of [...descendantsOf(this.server.pid), -this.server.pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (this.savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.savedTmpdir;
    this.folder.remove();
  }
}

/**
 * Stops the server with everything it started: SIGTERM, then SIGKILL after 5 s, to its process
 * group *and* to each descendant, because the server starts the extension host in a session
 * of its own (`detached`), outside the group. The descendants are collected before the first
 * signal: once the server is gone they are reparented and cannot be found any more.
 * @param {import('node:child_process').ChildProcess} child
 */
async function killProcessTree(child) {
  const leader = child.pid;
  if (leader === undefined) return; // it never started
  const pids = new Set([leader, ...descendantsOf(leader)]);
  const groupAlive = () => isAlive(-leader);
  /** @type {[NodeJS.Signals, number][]} */
  const steps = [
    ['SIGTERM', 5000],
    ['SIGKILL', 5000],
  ];
  for (const [signal, waitMs] of steps) {
    for (const pid of descendantsOf(leader)) pids.add(pid);
    const remaining = () => [...pids].filter(isAlive);
    if (!groupAlive() && remaining().length === 0) return;
    for (const target of [-leader, ...remaining()]) {
      try {
        process.kill(target, signal);
      } catch {
        // exited meanwhile
      }
    }
    const running = () => groupAlive() || remaining().length > 0;
    for (let waited = 0; waited < waitMs && running(); waited += 100) await sleep(100);
  }
}

/** Whether a process (or, for a negative number, a process group) still runs; zombies do not. */
function isAlive(/** @type {number} */ pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return pid < 0 || processState(pid) !== 'Z';
}

/** Fields of /proc/PID/stat after the command name (which may contain spaces and parentheses). */
function procStat(/** @type {number | string} */ pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const processState = (/** @type {number} */ pid) => procStat(pid)?.[0];

/** All live descendants of `pid` (Linux /proc; empty elsewhere). */
function descendantsOf(/** @type {number} */ pid) {
  /** @type {string[]} */
  let entries;
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const name of entries) {
    const parent = Number(procStat(name)?.[1]);
    const siblings = children.get(parent) ?? [];
    siblings.push(Number(name));
    children.set(parent, siblings);
  }
  /** @type {number[]} */
  const found = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * The workbench's URL with the folder to open and a percent-encoded `payload` parameter (a
 * list of key/value pairs).
 * @param {number} port
 * @param {{ folder: string, payload?: [string, string][] }} options
 */
export function workbenchUrl(port, { folder, payload = [] }) {
  const url = new URL(`http://127.0.0.1:${port}/`);
  url.searchParams.set('folder', folder);
  if (payload.length) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** `vscode-remote://127.0.0.1:PORT/abs/path`: a path on the server as the workbench names it. */
export function remoteUri(/** @type {number} */ port, /** @type {string} */ absolutePath) {
  return `vscode-remote://127.0.0.1:${port}${absolutePath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/**
 * Every file under `dir` whose name `matches`, recursively.
 * @param {string} dir
 * @param {(name: string) => boolean} matches
 * @returns {string[]}
 */
function findFiles(dir, matches) {
  /** @type {string[]} */
  const found = [];
  /** @type {fs.Dirent[]} */
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(full, matches));
    else if (matches(entry.name)) found.push(full);
  }
  return found;
}
