import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Helpers for running the built CLI and Debian's cron daemon in the system tests. The daemon is
 * started only when none runs, and only a daemon these helpers started is ever stopped.
 */

/** The repository's root, found from the compiled file (out/test/system/daemon) or the source. */
function repoRoot(): string {
  for (const up of ['../../../..', '../../..']) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(path.join(candidate, 'package.json')) && fs.existsSync(path.join(candidate, 'src'))) return candidate;
  }
  return process.cwd();
}

export const REPO = repoRoot();
/** The CLI bundle `node scripts/build.mjs` writes. */
export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ARGS` as the current user (root here), with `input` on stdin. */
export function cli(args: readonly string[], options: { readonly input?: string; readonly env?: NodeJS.ProcessEnv } = {}): CliResult {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: build it first with node scripts/build.mjs`);
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Like cli(), failing with the CLI's own output unless it exits 0. */
export function cliOk(args: readonly string[], options: { readonly input?: string; readonly env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = cli(args, options);
  assert.strictEqual(result.status, 0, `bwdc-schedule ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result;
}

const CRON = '/usr/sbin/cron';
const PID_FILE = '/run/crond.pid';
/** Debian's cron creates it at its first start after boot, so that @reboot jobs run once per boot. */
const REBOOT_FILE = '/run/crond.reboot';

/** The PIDs of running `cron` daemons (pgrep -x cron). */
export function cronPids(): number[] {
  const found = spawnSync('pgrep', ['-x', 'cron'], { encoding: 'utf8' });
  if (found.error) throw found.error;
  return found.stdout
    .split('\n')
    .filter((line) => /^\d+$/.test(line.trim()))
    .map(Number);
}

function isCron(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'cron';
  } catch {
    return false;
  }
}

/** A cron daemon this test started (and must stop), or undefined when one was already running. */
export interface StartedCron {
  readonly pid: number;
  /** Whether /run/crond.reboot existed before the start (if not, stopping removes it again). */
  readonly rebootFileExisted: boolean;
}

/**
 * Makes sure Debian's cron daemon runs. Starts /usr/sbin/cron (it daemonizes and writes
 * /run/crond.pid; there is no systemd here) only when `pgrep -x cron` finds none.
 */
export async function ensureCronDaemon(): Promise<StartedCron | undefined> {
  if (cronPids().length > 0) return undefined;
  assert.ok(fs.existsSync(CRON), `${CRON} is missing: apt-get install cron`);
  const rebootFileExisted = fs.existsSync(REBOOT_FILE);
  // stdio ignored: the daemon keeps no pipe of ours open, so this returns when its parent exits.
  const started = spawnSync(CRON, [], { stdio: 'ignore', timeout: 10_000 });
  if (started.error) throw started.error;
  assert.strictEqual(started.status, 0, `${CRON} exited ${started.status}`);
  let pid: number | undefined;
  await poll(
    () => {
      pid = daemonPid();
      return pid !== undefined;
    },
    `${CRON} to write ${PID_FILE}`,
    10_000,
    100,
  );
  return { pid: pid!, rebootFileExisted };
}

function daemonPid(): number | undefined {
  try {
    const pid = Number(fs.readFileSync(PID_FILE, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isCron(pid)) return pid;
  } catch {
    // not written yet
  }
  const pids = cronPids();
  return pids.length === 1 ? pids[0] : undefined;
}

/** Stops the daemon ensureCronDaemon() started (by its PID, never by name) and waits until it is gone. */
export async function stopCronDaemon(started: StartedCron): Promise<void> {
  if (!isCron(started.pid)) return;
  process.kill(started.pid, 'SIGTERM');
  try {
    await poll(() => !isCron(started.pid), `cron (pid ${started.pid}) to stop`, 10_000, 100);
  } catch {
    if (isCron(started.pid)) process.kill(started.pid, 'SIGKILL');
  }
  // A pid file naming our daemon would only mislead the next start; a reboot marker we caused
  // would keep a later first start of cron from running @reboot jobs.
  try {
    if (Number(fs.readFileSync(PID_FILE, 'utf8').trim()) === started.pid) fs.rmSync(PID_FILE, { force: true });
  } catch {
    // already gone
  }
  if (!started.rebootFileExisted) fs.rmSync(REBOOT_FILE, { force: true });
}

/**
 * Debian's cron reloads crontabs when the spool folder's mtime (whole seconds) differs from the
 * one it saw at its last check, at the start of each minute. A crontab written in the very second
 * of that check would keep the old mtime and go unnoticed, so changes to the crontab of a running
 * daemon are made away from the minute's edge.
 */
export async function awayFromMinuteEdge(): Promise<void> {
  await poll(
    () => {
      const second = new Date().getSeconds();
      return second >= 2 && second <= 57;
    },
    'a second away from the start of a minute',
    10_000,
    200,
  );
}

/** Polls `condition` every `intervalMs` until it holds, failing after `timeoutMs` with `explain()`. */
export async function poll(condition: () => boolean, what: string, timeoutMs: number, intervalMs = 1000, explain: () => string = () => ''): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs)
      assert.fail(`timed out after ${Math.round((Date.now() - start) / 1000)} s waiting for ${what}${explain() ? `\n${explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** chown -R, without following symlinks. */
export function chownTree(folder: string, uid: number, gid: number): void {
  fs.lchownSync(folder, uid, gid);
  if (!fs.lstatSync(folder).isDirectory()) return;
  for (const entry of fs.readdirSync(folder)) chownTree(path.join(folder, entry), uid, gid);
}
