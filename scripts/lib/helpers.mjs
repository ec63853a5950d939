// The helpers every script of this repository shares (scripts/*.mjs, scripts/ui/, test/ui/,
// test/package/, test/grammar/, test/oracle/): where the repository and the user's cache are,
// the private temp folder and XDG environment of one VS Code session, signals, exit codes and
// one-line error messages. Only Node's own modules: importing this costs nothing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder (this file is scripts/lib/helpers.mjs). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The user's cache folder ($XDG_CACHE_HOME, else ~/.cache): heavy downloads and builds live
 * under <it>/bwdc-schedule/, outside the clone (CI clones afresh; every clone shares them).
 */
export function userCacheDir() {
  return process.env.XDG_CACHE_HOME || path.join(process.env.HOME || os.homedir(), '.cache');
}

/** A failure with a one-line explanation for the user (printed without a stack trace). */
export class SessionError extends Error {}

/** The message of an error, or whatever else was thrown as a string. */
export function errorMessage(/** @type {unknown} */ error) {
  return String(error instanceof Error ? error.message : error);
}

/** The first line of an error's message (Playwright's and npm's messages run on for pages). */
export function firstLine(/** @type {unknown} */ error) {
  return errorMessage(error).split('\n')[0];
}

/** The last `lines` lines of a text file; '' when it cannot be read. */
export function readTail(/** @type {string} */ file, /** @type {number} */ lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Resolves after `ms` milliseconds. */
export const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @template T
 * @typedef {{ promise: Promise<T>, settle: (value: T) => void }} FirstSettled
 */

/**
 * A promise and the function that settles it; the first call wins (later ones are ignored).
 * For "whichever comes first" - the suite's exit, a timeout, a crash, a signal. Declare the
 * result's type: `@type {FirstSettled<Outcome>}`.
 * @template T
 * @returns {FirstSettled<T>}
 */
export function firstSettled() {
  /** @type {(value: T) => void} */
  let settle = () => {};
  /** @type {Promise<T>} */
  const promise = new Promise((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

/** @typedef {'SIGINT' | 'SIGTERM' | 'SIGHUP'} TerminationSignal */

/**
 * Calls `onSignal(signal)` once on SIGINT, SIGTERM or SIGHUP; returns a function that removes
 * the handlers.
 * @param {(signal: TerminationSignal) => void} onSignal
 */
export function onTerminationSignal(onSignal) {
  /** @type {TerminationSignal[]} */
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  /** @param {TerminationSignal} signal */
  const handler = (signal) => {
    remove();
    onSignal(signal);
  };
  const remove = () => signals.forEach((signal) => process.removeListener(signal, handler));
  signals.forEach((signal) => process.on(signal, handler));
  return remove;
}

/** Exit code conventionally used after a signal (128 + its number). */
export function signalExitCode(/** @type {NodeJS.Signals} */ signal) {
  return 128 + (os.constants.signals[signal] ?? 1);
}

/**
 * `value` when it is an exit code (an integer from 0 to 255), otherwise 1: what a session
 * reports is trusted only when it is a number, so that nothing unexpected (undefined, NaN, a
 * string) can ever turn into a success.
 */
export function exitCodeOf(/** @type {unknown} */ value) {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255 ? value : 1;
}

/**
 * The private temp folder of one VS Code session, with the environment that keeps everything
 * the session's processes write inside it: TMPDIR and the XDG folders (otherwise VS Code,
 * code-server and chromium write into ~/.config, ~/.cache and ~/.local and leave sockets in
 * /tmp). A short path under the system temp folder: VS Code puts its IPC sockets in TMPDIR and
 * XDG_RUNTIME_DIR, and Unix socket paths are limited to 107 bytes. remove() deletes it all.
 */
export class SessionFolder {
  constructor(prefix = 'bwdc-vscode-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    /** TMPDIR and XDG_*_HOME/XDG_RUNTIME_DIR inside the folder, to put into an environment. */
    this.env = {
      TMPDIR: this.sub('tmp'),
      XDG_CONFIG_HOME: this.sub('xdg/config'),
      XDG_DATA_HOME: this.sub('xdg/data'),
      XDG_CACHE_HOME: this.sub('xdg/cache'),
      XDG_STATE_HOME: this.sub('xdg/state'),
      XDG_RUNTIME_DIR: this.sub('xdg/runtime'),
    };
  }

  /** Creates (private to this user) and returns the folder `name` inside the session folder. */
  sub(/** @type {string} */ name) {
    const dir = path.join(this.dir, name);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** A file path inside the session folder (not created). */
  file(/** @type {string} */ name) {
    return path.join(this.dir, name);
  }

  remove() {
    fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
