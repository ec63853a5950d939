import type * as childProcess from 'child_process';
import * as fs from 'fs';
import { t } from '../core/l10n';
import { shellQuote } from '../core/script/quote';
import { sameAccount, type UserInfo } from './accounts';

/**
 * Runs a job's sync script once, now, as the scheduler would (`bwdc-schedule run`, `test`, and the
 * editor's Run Sync Now / Test Sync): as the run-as user, with cron's environment only (HOME,
 * LOGNAME, SHELL=/bin/sh, PATH=/usr/bin:/bin; Debian cron sets these and nothing else without
 * crontab variables, CRON-FACTS), in the home folder, stdin closed. So a job that "works in my
 * shell" but needs something of that shell fails here as it would under cron.
 *
 * As root for another run-as user: `setpriv --reuid --regid --init-groups`, which execs the script
 * in the same process (no PAM session, no fork like runuser's or su's), so the pid we start is the
 * script's: it is the pid its log line `run started (pid N)` names, and a TERM we send reaches the
 * script itself, whose trap stops bwdc, releases the locks and logs "run stopped". Neither root
 * nor that user: nothing is run; the caller prints the `sudo -u` command to use.
 *
 * Progress is read from the log, not from the script's output: the script prints nothing on
 * success (so cron mails only failures) and must keep doing so; the log is where its lines go
 * anyway, and the run-as user or root can read it.
 */

export interface Account {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

export type ScriptRunPlan =
  | {
      readonly kind: 'run';
      readonly command: string;
      readonly args: readonly string[];
      readonly env: Readonly<Record<string, string>>;
      readonly cwd: string;
      readonly account: Account;
    }
  | { readonly kind: 'sudo'; readonly runAs: string }
  | { readonly kind: 'problem'; readonly message: string };

/** cron's environment for an account: the variables Debian's cron sets for a job. */
export function cronEnvironment(account: Account): Record<string, string> {
  return { HOME: account.home, LOGNAME: account.name, SHELL: '/bin/sh', PATH: '/usr/bin:/bin' };
}

/**
 * How to run `script args` as the job's user: directly when we are that user (or the job names
 * none), through setpriv as root, else not at all (`sudo`).
 */
export function planScriptRun(
  script: string,
  args: readonly string[],
  runAs: string | undefined,
  current: UserInfo,
  lookup: (name: string) => Account | undefined,
): ScriptRunPlan {
  const asSelf = runAs === undefined || sameAccount(runAs, current.name);
  if (!asSelf && current.uid !== 0) return { kind: 'sudo', runAs };
  const name = asSelf ? current.name : runAs;
  const account = lookup(name);
  if (!account) return { kind: 'problem', message: t('the run-as user {0} does not exist on this machine', name) };
  if (!isFolder(account.home)) {
    return { kind: 'problem', message: t("{0}'s home folder {1} does not exist; cron could not start the job there either", account.name, account.home) };
  }
  const env = cronEnvironment(account);
  if (asSelf) return { kind: 'run', command: script, args, env, cwd: account.home, account };
  return {
    kind: 'run',
    command: 'setpriv',
    args: [`--reuid=${account.uid}`, `--regid=${account.gid}`, '--init-groups', '--', script, ...args],
    env,
    cwd: account.home,
    account,
  };
}

/**
 * The PowerShell script run directly by its run-as account (`-File`, so its pid is powershell's and
 * its log line names it), with this session's environment: Task Scheduler gives a task its
 * account's own environment, not a fixed one as cron does.
 */
export function planPowerShellScript(script: string, args: readonly string[], account: Account): Extract<ScriptRunPlan, { kind: 'run' }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return {
    kind: 'run',
    command: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', script, ...args],
    env,
    cwd: account.home,
    account,
  };
}

/** The exact command a user who is neither root nor the run-as user runs instead. */
export function sudoCommand(runAs: string, argv: readonly string[]): string {
  return ['sudo', '-u', runAs, '--', ...argv].map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : shellQuote(word))).join(' ');
}

function isFolder(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A local account from the passwd database (`getent passwd`), or undefined. */
export function lookupAccount(name: string): Account | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not during activation
  const { spawnSync } = require('child_process') as typeof childProcess;
  const result = spawnSync('getent', ['passwd', '--', name], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    // macOS has no getent: the account we run as, at least, is known to Node.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not during activation
    const me = (require('os') as typeof import('os')).userInfo();
    return me.username === name ? { name, uid: me.uid, gid: me.gid, home: me.homedir } : undefined;
  }
  const fields = (result.stdout ?? '').split('\n')[0]!.split(':');
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  const home = fields[5];
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || !home) return undefined;
  return { name: fields[0]!, uid, gid, home };
}

export interface ScriptRunOptions {
  /** The job's log, followed while the script runs. */
  readonly log: string;
  /** Each new line of the log that belongs to this run, as it is written. */
  readonly onLogLine?: (line: string) => void;
  /** Aborting it stops the run: TERM to the script, KILL after the grace period. */
  readonly signal?: AbortSignal;
  readonly graceMs?: number;
  /** How often the log is looked at (default 200 ms). */
  readonly pollMs?: number;
}

export interface ScriptRunResult {
  /** The script's exit code; null when it was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The run was stopped through the abort signal. */
  readonly cancelled: boolean;
}

/** Runs the plan and follows the log; resolves when the script has ended. */
export function runScriptPlan(plan: Extract<ScriptRunPlan, { kind: 'run' }>, options: ScriptRunOptions): Promise<ScriptRunResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not during activation
  const { spawn } = require('child_process') as typeof childProcess;
  const follower = new LogFollower(options.log, options.onLogLine ?? (() => undefined));
  return new Promise((resolve, reject) => {
    const child = spawn(plan.command, [...plan.args], { cwd: plan.cwd, env: { ...plan.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    follower.pid = child.pid;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => follower.read(), options.pollMs ?? 200);
    const cancel = (): void => {
      if (cancelled || child.exitCode !== null || child.signalCode !== null) return;
      cancelled = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 20_000);
    };
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearInterval(poll);
      options.signal?.removeEventListener('abort', cancel);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearInterval(poll);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', cancel);
      follower.read();
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), cancelled });
    });
  });
}

/**
 * The lines a log gains from now on, those of one run only: from its `run started … (pid N)` line
 * to its `run finished`/`run stopped` line (another job's run may write to the same log before or
 * after). A log rotated meanwhile (renamed, a new file in its place) is read from its start.
 */
export class LogFollower {
  /** The script's pid; 'any' (a run Task Scheduler started, whose pid we never learn): the first run that starts. */
  pid: number | 'any' | undefined;
  private offset: number;
  private inode: number | undefined;
  private partial = '';
  private state: 'before' | 'in' | 'after' = 'before';

  constructor(
    private readonly file: string,
    private readonly onLine: (line: string) => void,
  ) {
    const stat = statOf(file);
    this.offset = stat?.size ?? 0;
    this.inode = stat?.ino;
  }

  /** This run's first line was seen. */
  get started(): boolean {
    return this.state !== 'before';
  }

  read(): void {
    if (this.state === 'after') return;
    const stat = statOf(this.file);
    if (!stat) return;
    if (stat.ino !== this.inode || stat.size < this.offset) {
      this.inode = stat.ino;
      this.offset = 0;
      this.partial = '';
    }
    if (stat.size <= this.offset) return;
    let descriptor: number;
    try {
      descriptor = fs.openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const length = Math.min(stat.size - this.offset, 4 * 1024 * 1024);
      const buffer = Buffer.alloc(length);
      const read = fs.readSync(descriptor, buffer, 0, length, this.offset);
      this.offset += read;
      const text = this.partial + buffer.subarray(0, read).toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      // The PowerShell script ends its lines with CRLF.
      for (const line of lines) this.take(line.endsWith('\r') ? line.slice(0, -1) : line);
    } finally {
      fs.closeSync(descriptor);
    }
  }

  private take(line: string): void {
    if (this.state === 'before') {
      if (this.pid === undefined || !/\] run started( in test mode)? \(pid (\d+)\)$/.test(line)) return;
      if (this.pid !== 'any' && !line.endsWith(`(pid ${this.pid})`)) return;
      this.state = 'in';
    }
    this.onLine(line);
    if (/\] run (finished|finished with failures|stopped): .*; exit \d+$/.test(line)) this.state = 'after';
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
