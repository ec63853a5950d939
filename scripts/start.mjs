#!/usr/bin/env node
// Sets up, builds and opens VS Code with this extension loaded as a development extension and
// the example/ workspace folder open.
//
//   - a desktop `code` on PATH: `code --extensionDevelopmentPath=<repo> example/`;
//   - otherwise the offline VS Code (code-server's VS Code server, installed by
//     setup-vscode-offline.mjs) on http://127.0.0.1:$PORT (default 8080; PORT=0 picks a free
//     port): prints the URL to open, opens it in chromium when $DISPLAY is set, and runs until
//     Ctrl+C, then removes everything it started.
//
// --check: starts the offline route headless, opens the example file from the explorer and
// verifies that the workbench shows it in the bwdc Schedule language mode and that the
// extension activated; exits 0 when so, 1 otherwise.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SessionError, exitCodeOf, firstLine, firstSettled, onTerminationSignal, repoRoot, signalExitCode, sleep } from './lib/helpers.mjs';
import { OfflineVSCode, remoteUri, workbenchUrl } from './offline-vscode.mjs';
import { ensureOfflineVSCode, isSetupError } from './setup-vscode-offline.mjs';

/** @typedef {import('./setup-vscode-offline.mjs').OfflinePaths} OfflinePaths */

const exampleFolder = path.join(repoRoot, 'example');
const exampleFile = 'weekly-sync.bwdc-schedule';
const EXTENSION_ID = 'bwdc-schedule.bwdc-schedule';
const LANGUAGE_NAME = 'bwdc Schedule'; // the first alias in package.json: what the status bar shows

const check = process.argv.includes('--check');
const verbose = process.argv.includes('--verbose');
const say = (/** @type {string} */ message) => console.log(`[start] ${message}`);

/** The executable `command` in a folder of PATH, or undefined. */
function findOnPath(/** @type {string} */ command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function build() {
  say('building the extension (npm run build)');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new SessionError('`npm run build` failed (see above)');
}

/** Desktop VS Code: its CLI starts (or reuses) a window and returns at once. */
function openDesktop(/** @type {string} */ code) {
  build();
  say(`opening VS Code (${code}) with the extension and example/`);
  const result = spawnSync(code, [`--extensionDevelopmentPath=${repoRoot}`, exampleFolder], { stdio: 'inherit' });
  return result.status ?? 1;
}

/**
 * Offline VS Code: runs until Ctrl+C, or with --check until the check is done.
 * @returns {Promise<number>} the exit code
 */
async function openOffline() {
  const requestedPort = Number(process.env.PORT ?? (check ? 0 : 8080));
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new SessionError(`PORT=${process.env.PORT} is not a port number`);
  }
  const paths = ensureOfflineVSCode();
  build();
  const session = new OfflineVSCode({ verbose });
  /** @type {import('./lib/helpers.mjs').FirstSettled<number>} */
  const { promise: stopped, settle: stop } = firstSettled();
  // Ctrl+C is the normal way to stop: exit code 0 then.
  const removeSignalHandlers = onTerminationSignal((signal) => stop(signal === 'SIGINT' ? 0 : signalExitCode(signal)));
  /** @type {((code: number | null, signal: NodeJS.Signals | null) => void) | undefined} */
  let onServerExit;
  /**
   * Settles with undefined when a signal (or the server's exit) comes before `promise`.
   * @template T
   * @param {Promise<T>} promise
   * @returns {Promise<T | undefined>}
   */
  const untilStopped = (promise) => Promise.race([promise, stopped.then(() => undefined)]);
  try {
    const port = await untilStopped(
      session
        .startServer(paths, {
          port: requestedPort,
          // Makes the built workbench honour the `payload` URL parameter, which loads the
          // extension from the repository as a development extension.
          args: ['--enable-smoke-test-driver'],
        })
        .catch((error) => {
          if (!/EADDRINUSE/.test(error.message)) throw error;
          throw new SessionError(`${error.message}; choose another one with PORT=<port> (PORT=0: any free port)`);
        }),
    );
    if (port === undefined) return await stopped; // a signal came first
    onServerExit = (code, signal) => {
      console.error(`[start] the VS Code server exited (${signal ?? `code ${code}`})`);
      stop(1);
    };
    session.server?.on('exit', onServerExit);
    // The payload names paths on the server as vscode-remote://127.0.0.1:PORT/...; open this
    // exact URL (127.0.0.1, not localhost) so that the authority matches.
    const url = workbenchUrl(port, {
      folder: exampleFolder,
      payload: [['extensionDevelopmentPath', remoteUri(port, repoRoot)]],
    });
    if (check) {
      const result = await untilStopped(runCheck(session, paths, url));
      return result ?? (await stopped);
    }

    say(`VS Code is running with the extension and example/ - open:\n\n    ${url}\n`);
    if (process.env.DISPLAY) {
      const page = await session.openBrowser(paths, { headless: false });
      session.browser?.on('disconnected', () => {
        if (!session.disposing) say('the browser window was closed; VS Code keeps running');
      });
      await page.goto(url);
    }
    say('press Ctrl+C to stop');
    return await stopped;
  } finally {
    removeSignalHandlers();
    if (onServerExit) {
      session.server?.off('exit', onServerExit); // stopping it is expected now
      say('stopping VS Code');
    }
    await session.dispose();
  }
}

/**
 * The headless check behind --check: open the example file from the explorer, then wait for
 * the language mode in the status bar and for the activation line in the extension host log.
 * @param {OfflineVSCode} session
 * @param {OfflinePaths} paths
 * @param {string} url
 * @returns {Promise<number>} 0: every check passed (a failure throws)
 */
async function runCheck(session, paths, url) {
  const page = await session.openBrowser(paths);
  await page.goto(url);
  say('workbench loading; opening example/weekly-sync.bwdc-schedule from the explorer');
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: exampleFile });
  await row.first().click({ timeout: 60_000 });

  const mode = page.locator('[id="status.editor.mode"]');
  await mode.filter({ hasText: LANGUAGE_NAME }).waitFor({ timeout: 30_000 });
  say(`status bar language mode: ${(await mode.innerText()).trim()}`);

  // The remote extension host logs each activation ("ExtensionService#_doActivateExtension
  // <id>, startup: ..., activationEvent: '...'") and, when activate() throws, "Activating
  // extension <id> failed due to an error". After the first line, watch 2 s for the second.
  const started = `_doActivateExtension ${EXTENSION_ID},`;
  const failed = new RegExp(`Activating extension '?${EXTENSION_ID.replace(/\./g, '\\.')}'? failed`);
  /** @type {string | undefined} */
  let activation;
  let settledAt = Date.now() + 30_000; // until the activation line appears: the deadline
  for (;;) {
    const logFile = session.findExtensionHostLog();
    const lines = logFile ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
    const failure = lines.find((line) => failed.test(line));
    if (failure) throw new SessionError(`the extension failed to activate: ${failure.trim()}`);
    if (!activation) {
      activation = lines.find((line) => line.includes(started));
      if (activation) settledAt = Date.now() + 2000;
    }
    if (Date.now() > settledAt) {
      if (activation) break;
      throw new SessionError(`${EXTENSION_ID} did not activate within 30 s`);
    }
    await sleep(250);
  }
  say(`extension active (${activation.slice(activation.indexOf('activationEvent')).trim()})`);
  say('check passed');
  return 0;
}

async function main() {
  const code = check ? undefined : findOnPath('code');
  return code ? openDesktop(code) : openOffline();
}

main().then(
  (code) => process.exit(exitCodeOf(code)),
  (error) => {
    const known = error instanceof SessionError || isSetupError(error);
    // Playwright's timeouts are multi-line; the first line names what was awaited.
    console.error(`[start] FAILED: ${known ? error.message : firstLine(error)}`);
    if (verbose && !known) console.error(error);
    process.exit(1);
  },
);
