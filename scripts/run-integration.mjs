#!/usr/bin/env node
// Runs the compiled integration suite (out/test/integration/index.js) in a real VS Code
// extension host, with this repository as the development extension and
// test/fixtures/workspace as the workspace folder. `npm run test:integration` builds first.
//
// Routes:
//   default     offline: the VS Code server inside the code-server npm package (set up by
//               setup-vscode-offline.mjs) with its workbench in Debian's chromium, driven by
//               playwright-core. Needs only the npm registry and Debian packages.
//   --electron  @vscode/test-electron (or BWDC_INTEGRATION_ELECTRON=1): downloads a desktop
//               VS Code, so it needs internet access.
//
// Options: --timeout=SECONDS (or BWDC_INTEGRATION_TIMEOUT; default 300) for the whole
// session, --verbose to also print the server's and the workbench's logs, --locale=de to run
// the suite of that display language instead (out/test/integration-de/index.js) in a VS Code
// whose display language it is (see useDisplayLanguage in offline-vscode.mjs).
//
// The suite's spec reporter appends to the file named by BWDC_INTEGRATION_LOG (see
// test/integration/index.ts); this script streams that file to stdout and exits with the
// suite's exit code: 0 when every test passed. Only a numeric 0 from the VS Code session is a
// pass: an exit code that is not a number (undefined, NaN, a string) fails the run. The suite
// itself fails when it finds no tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  SessionError,
  SessionFolder,
  exitCodeOf,
  firstLine,
  firstSettled,
  onTerminationSignal,
  readTail,
  repoRoot,
  signalExitCode,
  sleep,
} from './lib/helpers.mjs';
import { OfflineVSCode, remoteUri, useDisplayLanguage, workbenchUrl, writeUserSettings } from './offline-vscode.mjs';
import { ensureOfflineVSCode, isSetupError } from './setup-vscode-offline.mjs';

const workspaceFolder = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const LOG_FILE_VARIABLE = 'BWDC_INTEGRATION_LOG'; // same name in test/integration/index.ts

const args = process.argv.slice(2);
const options = {
  electron: args.includes('--electron') || process.env.BWDC_INTEGRATION_ELECTRON === '1',
  verbose: args.includes('--verbose'),
  locale: args.find((arg) => arg.startsWith('--locale='))?.slice('--locale='.length),
  timeoutSeconds: Number(args.find((arg) => arg.startsWith('--timeout='))?.slice('--timeout='.length) ?? process.env.BWDC_INTEGRATION_TIMEOUT ?? 300),
};

// The suite's module without `.js`, which VS Code adds.
const suiteModule = path.join(repoRoot, 'out', 'test', options.locale ? `integration-${options.locale}` : 'integration', 'index');

const say = (/** @type {string} */ message) => console.log(`[integration] ${message}`);

/**
 * How a session ended: the exit code, why it failed, and whether it failed before the suite
 * could start (then "the suite reported nothing" is no news).
 * @typedef {{ code: number, reason?: string, beforeSuite?: boolean }} Outcome
 */

/**
 * What the workbench passes to window.codeAutomationExit when run() settled: 0 when it
 * resolved, 1 when it rejected. Anything that is not a number fails the run.
 * @param {unknown} code
 * @returns {Outcome}
 */
function outcomeOfExit(code) {
  if (typeof code !== 'number' || Number.isNaN(code)) {
    return { code: 1, reason: `the VS Code session ended with an exit code that is not a number (${JSON.stringify(code) ?? String(code)})` };
  }
  const exitCode = exitCodeOf(code);
  return exitCode === 0 ? { code: 0 } : { code: exitCode, reason: `the suite failed (extension host exit code ${code})` };
}

/** Streams the growth of a file to stdout (polling: fs.watch misses appends on some systems). */
function tailFile(/** @type {string} */ file) {
  let offset = 0;
  const flush = () => {
    /** @type {number} */
    let fd;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return; // not created yet
    }
    try {
      const buffer = Buffer.alloc(64 * 1024);
      let read;
      while ((read = fs.readSync(fd, buffer, 0, buffer.length, offset)) > 0) {
        process.stdout.write(buffer.subarray(0, read));
        offset += read;
      }
    } finally {
      fs.closeSync(fd);
    }
  };
  const timer = setInterval(flush, 200);
  return {
    /** Prints what is left and stops; tells whether the suite wrote anything at all. */
    stop() {
      clearInterval(timer);
      flush();
      return offset > 0;
    },
  };
}

/** The offline route: one VS Code server + one headless chromium page, cleaned up always. */
async function runOffline() {
  const paths = ensureOfflineVSCode();
  const started = Date.now();
  const session = new OfflineVSCode({ verbose: options.verbose });
  const logFile = session.file('mocha.log');
  const tail = tailFile(logFile);

  /**
   * Settles the session: the first of exit / timeout / crash / signal wins.
   * @type {import('./lib/helpers.mjs').FirstSettled<Outcome>}
   */
  const { promise: finished, settle: finish } = firstSettled();
  const removeSignalHandlers = onTerminationSignal((signal) => finish({ code: signalExitCode(signal), reason: `interrupted by ${signal}` }));
  const timer = setTimeout(
    () => finish({ code: 1, reason: `the suite did not finish within ${options.timeoutSeconds} s (--timeout=SECONDS)` }),
    options.timeoutSeconds * 1000,
  );

  try {
    say('starting the VS Code server (code-server) and chromium');
    const start = (async () => {
      const port = await session.startServer(paths, {
        env: {
          [LOG_FILE_VARIABLE]: logFile,
          ...(process.stdout.isTTY ? { BWDC_INTEGRATION_COLOR: '1' } : {}),
        },
        // Makes the built workbench honour the `payload` URL parameter below; code-server's
        // own CLI rejects this flag, which is why the server is started directly.
        args: ['--enable-smoke-test-driver', ...(options.locale ? useDisplayLanguage(session.userDataDir, options.locale) : [])],
      });
      session.server?.on('exit', (code, signal) => finish({ code: 1, reason: `the VS Code server exited unexpectedly (${signal ?? `code ${code}`})` }));
      const page = await session.openBrowser(paths);
      page.on('crash', () => finish({ code: 1, reason: 'the workbench page crashed in chromium' }));
      session.browser?.on('disconnected', () => finish({ code: 1, reason: 'chromium exited unexpectedly' }));
      // When the extension host exits after run() settled, the workbench calls
      // window.codeAutomationExit(code) - the hook VS Code's smoke tests use - with 0 when run()
      // resolved and 1 when it rejected. codeAutomationLog receives the workbench's log lines.
      await page.exposeFunction('codeAutomationExit', (/** @type {unknown} */ code) => finish(outcomeOfExit(code)));
      await page.exposeFunction('codeAutomationLog', (/** @type {unknown} */ level, /** @type {unknown} */ messages) =>
        session.logWorkbench(`[log ${level}] ${Array.isArray(messages) ? messages.join(' ') : messages}`),
      );
      const url = workbenchUrl(port, {
        folder: workspaceFolder,
        payload: [
          ['extensionDevelopmentPath', remoteUri(port, repoRoot)],
          ['extensionTestsPath', remoteUri(port, suiteModule)],
          ['skipWelcome', 'true'],
        ],
      });
      if (options.verbose) say(`workbench: ${url}`);
      await page.goto(url);
    })();
    start.catch((error) => finish({ code: 1, reason: describeError(error), beforeSuite: true }));

    const { code, reason, beforeSuite } = await finished;
    const reported = tail.stop();
    if (code !== 0) {
      if (!reported && !beforeSuite) {
        // Nothing from mocha: the suite did not load or the extension host did not start.
        const workbench = readTail(session.workbenchLog, 15);
        const server = readTail(session.serverLog, 5);
        if (workbench) console.error(`[integration] last workbench log lines:\n${workbench}`);
        if (server) console.error(`[integration] last server log lines:\n${server}`);
      }
      const note = reported || beforeSuite ? '' : ' - the suite reported nothing';
      console.error(`[integration] FAILED: ${reason}${note}`);
    } else {
      say(`passed (VS Code session ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    return code;
  } finally {
    clearTimeout(timer);
    tail.stop();
    await session.dispose();
    removeSignalHandlers();
  }
}

/** The desktop route for machines with internet access: @vscode/test-electron. */
async function runElectron() {
  const { runTests, TestRunFailedError } = await import('@vscode/test-electron');
  // The same isolation as the offline route: nothing in ~/.config, ~/.cache or /tmp.
  const folder = new SessionFolder();
  const removeFolder = () => folder.remove();
  process.on('exit', removeFolder); // also when test-electron calls process.exit()
  // test-electron starts VS Code with this process's environment.
  const savedEnv = Object.fromEntries(Object.keys(folder.env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, folder.env);
  const userDataDir = folder.sub('user-data');
  writeUserSettings(userDataDir);
  const localeArgs = options.locale ? useDisplayLanguage(userDataDir, options.locale) : [];
  const logFile = folder.file('mocha.log');
  const tail = tailFile(logFile);

  // test-electron closes VS Code when this process gets SIGINT (and force-kills it on the
  // second one); emitting SIGINT reuses that for timeouts and SIGTERM. The no-op listener keeps
  // test-electron from calling process.exit() itself, so that the cleanup below runs.
  const keepAlive = () => {};
  process.on('SIGINT', keepAlive);
  const closeVSCode = () => process.emit('SIGINT', 'SIGINT');
  /** @type {import('./lib/helpers.mjs').FirstSettled<Outcome>} */
  const { promise: stopped, settle: stop } = firstSettled();
  const removeSignalHandlers = onTerminationSignal((signal) => {
    if (signal !== 'SIGINT') closeVSCode();
    stop({ code: signalExitCode(signal), reason: `interrupted by ${signal}` });
  });
  const timer = setTimeout(() => {
    closeVSCode();
    stop({ code: 1, reason: `the suite did not finish within ${options.timeoutSeconds} s (--timeout=SECONDS)` });
  }, options.timeoutSeconds * 1000);

  try {
    const run = runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteModule,
      launchArgs: [
        workspaceFolder,
        '--disable-extensions', // other installed extensions stay out of the test window
        `--user-data-dir=${userDataDir}`,
        `--extensions-dir=${folder.sub('extensions')}`,
        ...localeArgs,
      ],
      extensionTestsEnv: {
        [LOG_FILE_VARIABLE]: logFile,
        ...(process.stdout.isTTY ? { BWDC_INTEGRATION_COLOR: '1' } : {}),
      },
    }).then(
      // runTests resolves with VS Code's exit code (it rejects on a non-zero one): 0 passes,
      // and anything that is not a number fails.
      (code) => outcomeOfExit(code),
      /** @returns {Outcome} */
      (error) =>
        error instanceof TestRunFailedError
          ? { code: 1, reason: `the suite failed (${error.message})` }
          : { code: 1, reason: describeError(error), beforeSuite: true }, // e.g. the download failed
    );
    const result = await Promise.race([run, stopped]);
    // After a timeout or a signal, give VS Code a moment to close.
    if (result.code !== 0) await Promise.race([run, sleep(10_000)]);
    const reported = tail.stop();
    if (result.code !== 0) {
      const note = reported || result.beforeSuite ? '' : ' - the suite reported nothing';
      console.error(`[integration] FAILED: ${result.reason}${note}`);
    }
    return result.code;
  } finally {
    clearTimeout(timer);
    tail.stop();
    removeSignalHandlers();
    process.removeListener('SIGINT', keepAlive);
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    removeFolder();
  }
}

/** A one-line explanation of a failure of the runner itself (not of the suite). */
function describeError(/** @type {unknown} */ error) {
  if (error instanceof SessionError || isSetupError(error)) return error.message;
  const message = firstLine(error);
  if (options.electron && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo/.test(message)) {
    return `${message} (--electron downloads VS Code; without internet, run without --electron)`;
  }
  return message;
}

async function main() {
  if (options.locale !== undefined && !/^[a-z]{2}(-[a-z]+)?$/.test(options.locale)) throw new SessionError('--locale needs a language such as de');
  for (const [file, hint] of [
    [`${suiteModule}.js`, 'npm run compile:tests'],
    [path.join(repoRoot, 'dist', 'extension.js'), 'npm run build'],
  ]) {
    if (!fs.existsSync(file)) throw new SessionError(`${path.relative(repoRoot, file)} is missing; run \`${hint}\` first`);
  }
  if (!(options.timeoutSeconds > 0)) throw new SessionError('--timeout needs a positive number of seconds');
  return options.electron ? runElectron() : runOffline();
}

main().then(
  (code) => process.exit(exitCodeOf(code)),
  (error) => {
    console.error(`[integration] FAILED: ${describeError(error)}`);
    if (options.verbose && !(error instanceof SessionError) && !isSetupError(error)) console.error(error);
    process.exit(1);
  },
);
