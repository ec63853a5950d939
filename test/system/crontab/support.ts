import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { version } from '../../../package.json';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { resolveJob, type SyncJob } from '../../../src/core/schedule/job';
import type { WorkflowHost, WorkflowUi } from '../../../src/workflows/crontab';
import { FolderBackups } from '../../../src/host/crontab';
import { currentUser } from '../../../src/host/accounts';
import { fileHead, pathKind, readTextFile } from '../../../src/host/files';
import { FileLocks } from '../../../src/host/lock';
import { SpawnRunner } from '../../../src/host/process';
import { repositoryRoot } from '../../unit/cli/fakeIo';
import { assertRoot, preserveFiles, removeUsers, spoolBytes, withoutInstallLines, type ThrowawayUser } from '../users';

/**
 * What the crontab system tests share: schedule files written into temporary folders, the CLI
 * run in-process (as root) or as the built bundle under another account (runuser), and the
 * cleanup every test gets — throwaway users and their crontabs removed, users created by
 * `prepare-user` removed, /etc/cron.allow and /etc/cron.deny put back byte for byte.
 */

export const ROOT = repositoryRoot();
export const BUNDLE = path.join(ROOT, 'dist', 'cli.js');
export const ALLOW = '/etc/cron.allow';
export const DENY = '/etc/cron.deny';
export const JOB_NAME = 'nightly-sync';
export const CLIENT_ID = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

/** Accounts made by the code under test (prepare-user's useradd): removed after each test. */
const madeByCode = new Set<string>();
const folders: string[] = [];

/** Registers the per-test cleanup; call once at the top of each file's describe. */
export function useCrontabSystem(): void {
  let restoreAccessFiles: () => void = () => undefined;
  before(() => {
    assertRoot();
    assert.ok(fs.existsSync(BUNDLE), `${BUNDLE} is missing: run node scripts/build.mjs first`);
  });
  beforeEach(() => {
    // preserveFiles keeps bytes and mode; the owner is put back here (tests chown to group crontab).
    const restoreBytes = preserveFiles([ALLOW, DENY]);
    const owners = [ALLOW, DENY].map((file) => ({ file, stat: fs.existsSync(file) ? fs.statSync(file) : undefined }));
    restoreAccessFiles = () => {
      restoreBytes();
      for (const { file, stat } of owners) if (stat) fs.chownSync(file, stat.uid, stat.gid);
    };
  });
  afterEach(() => {
    restoreAccessFiles();
    removeUsers();
    for (const name of madeByCode) removeAccount(name);
    madeByCode.clear();
    for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
  });
}

/** A user name no account has yet; removed after the test if the code under test creates it. */
export function unusedUserName(prefix = 'bwdcp'): string {
  const name = `${prefix}${Math.random().toString(16).slice(2, 10)}`;
  assert.ok(!userExists(name), `${name} already exists`);
  madeByCode.add(name);
  return name;
}

export function userExists(name: string): boolean {
  return spawnSync('id', ['-u', '--', name], { stdio: 'ignore' }).status === 0;
}

function removeAccount(name: string): void {
  if (!userExists(name)) return;
  spawnSync('crontab', ['-u', name, '-r'], { stdio: 'ignore' });
  spawnSync('pkill', ['-KILL', '-u', name], { stdio: 'ignore' });
  spawnSync('userdel', ['--remove', name], { stdio: 'ignore' });
}

/** A fresh temporary folder (mode 755 unless told), removed after the test. */
export function temporaryFolder(mode = 0o755): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-crontab-test-')));
  fs.chmodSync(folder, mode);
  folders.push(folder);
  return folder;
}

export interface ScheduleOptions {
  readonly name?: string;
  readonly schedules?: readonly string[];
  /** The run-as line; null leaves it out (the job runs as whoever installs it). */
  readonly runAs: string | null;
  /** The folder for the script, log and secret (a user's home, usually). */
  readonly home: string;
  readonly platform?: 'linux' | 'windows';
}

export interface ScheduleFile {
  readonly file: string;
  readonly script: string;
  /** Rewrites the file with other options (same path). */
  rewrite(changes: Partial<ScheduleOptions>): void;
}

/** A valid Linux schedule file, as an admin would write it. */
export function scheduleText(options: ScheduleOptions): string {
  const name = options.name ?? JOB_NAME;
  const folder = path.join(options.home, 'bwdc');
  return [
    `# ${name}: a test job for the crontab system tests`,
    `name       ${name}`,
    ...(options.schedules ?? ['0 3 * * *']).map((schedule) => `schedule   ${schedule}`),
    `platform   ${options.platform ?? 'linux'}`,
    ...(options.runAs === null ? [] : [`run-as     ${options.runAs}`]),
    'bwdc       /usr/local/bin/bwdc',
    `client-id  ${CLIENT_ID}`,
    `secret     file:${folder}/client_secret`,
    'env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
    `log        ${folder}/bwdc.log`,
    `script     ${folder}/bwdcSyncService.sh`,
    '',
  ].join('\n');
}

/** Writes a schedule file into `folder` (a temporary folder when not given). */
export function writeSchedule(options: ScheduleOptions, folder = temporaryFolder(), owner?: ThrowawayUser): ScheduleFile {
  const file = path.join(folder, `${options.name ?? JOB_NAME}.bwdc-schedule`);
  let current = options;
  const write = (): void => {
    fs.writeFileSync(file, scheduleText(current));
    if (owner) fs.chownSync(file, owner.uid, owner.gid);
  };
  write();
  return {
    file,
    script: path.join(options.home, 'bwdc', 'bwdcSyncService.sh'),
    rewrite(changes) {
      current = { ...current, ...changes };
      write();
    },
  };
}

/** A schedule for a throwaway user: run-as that user, script in its home. */
export function scheduleFor(user: ThrowawayUser, changes: Partial<ScheduleOptions> = {}): ScheduleFile {
  return writeSchedule({ runAs: user.name, home: user.home, ...changes });
}

/** The job of a schedule file, resolved as the CLI resolves it. */
export function jobOf(file: string): SyncJob {
  const result = resolveJob(fs.readFileSync(file, 'utf8'), { scheduleFile: file, hostPlatform: 'linux', pathKind });
  assert.ok(result.job, `${file}: ${result.job ? '' : result.reason} ${JSON.stringify(result.diagnostics)}`);
  return result.job;
}

/** The block bwdc Schedule writes, spelled out here so the tests do not trust the code for it. */
export function expectedBlock(file: ScheduleFile, schedules: readonly string[] = ['0 3 * * *'], name = JOB_NAME): string {
  return [
    `# BEGIN bwdc-schedule ${name} (from ${file.file}; managed by bwdc Schedule, edit that file instead)`,
    ...schedules.map((schedule) => `${schedule} '${file.script}'`),
    `# END bwdc-schedule ${name}`,
    '',
  ].join('\n');
}

/** Root's view of the workflow host: real processes, backups in a folder of the test's. */
export function rootHost(backupFolder = path.join(temporaryFolder(0o700), 'backups')): WorkflowHost & { readonly backupFolder: string } {
  return {
    runner: new SpawnRunner(),
    currentUser: { name: 'root', uid: 0, gid: 0 },
    backups: new FolderBackups(backupFolder),
    locks: new FileLocks(),
    version,
    commandForAdmin: 'bwdc-schedule crontab (test)',
    backupFolder,
  };
}

/** A WorkflowUi that records everything and answers every question with `answer`. */
export class RecordingUi implements WorkflowUi {
  readonly previews: { title: string; before: string; after: string }[] = [];
  readonly questions: string[] = [];
  readonly said: string[] = [];

  constructor(private readonly answer: (question: string) => boolean | Promise<boolean> = () => true) {}

  preview(title: string, before: string, after: string): Promise<void> {
    this.previews.push({ title, before, after });
    return Promise.resolve();
  }

  async confirm(question: string): Promise<boolean> {
    this.questions.push(question);
    return this.answer(question);
  }

  say(message: string): void {
    this.said.push(message);
  }

  warn(message: string): void {
    this.said.push(message);
  }
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails on anything that looks like a stack trace or an internal error. */
export function assertNoStackTrace(run: CliRun): void {
  for (const text of [run.stdout, run.stderr]) {
    assert.doesNotMatch(text, /^\s+at .+[(:]\d+/m, `a stack trace:\n${text}`);
    assert.doesNotMatch(text, /internal error|TypeError|ReferenceError|Error: /, `an internal error:\n${text}`);
  }
}

/**
 * `bwdc-schedule ...argv` in this process, as root. Backups go to XDG_STATE_HOME in a
 * temporary folder, never to root's home; `answers` plays the terminal (none: no terminal).
 */
export async function cli(
  argv: readonly string[],
  options: { cwd?: string; answers?: string[]; stateHome?: string } = {},
): Promise<CliRun & { stateHome: string }> {
  let stdout = '';
  let stderr = '';
  const stateHome = options.stateHome ?? temporaryFolder(0o700);
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readFile: (file, maxBytes) => readTextFile(file, maxBytes),
    pathKind,
    readHead: (file) => fileHead(file),
    cwd: options.cwd ?? process.cwd(),
    now: () => Date.now(),
    hostZone: 'UTC',
    hostPlatform: 'linux',
    currentUser: currentUser(),
    env: { PATH: process.env['PATH'], HOME: stateHome, XDG_STATE_HOME: stateHome },
  };
  const answers = options.answers;
  const input = {
    readSecret: () => Promise.reject(new Error('no secret is read here')),
    ...(answers ? { ask: () => Promise.resolve(answers.shift() ?? '') } : {}),
  };
  const code = await main(argv, io, input);
  const run = { code, stdout, stderr, stateHome };
  assertNoStackTrace(run);
  return run;
}

/** The built CLI (dist/cli.js) as a separate process, stdin a pipe (no terminal); as `user` when given. */
export function bundle(argv: readonly string[], options: { user?: ThrowawayUser; cwd?: string; input?: string } = {}): CliRun {
  const home = options.user?.home ?? temporaryFolder(0o700);
  const command = options.user ? 'runuser' : process.execPath;
  const args = options.user ? ['-u', options.user.name, '--', process.execPath, BUNDLE, ...argv] : [BUNDLE, ...argv];
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? home,
    env: { PATH: process.env['PATH'], HOME: home, LC_ALL: 'C' },
    input: options.input ?? '',
    encoding: 'utf8',
  });
  assert.strictEqual(result.error, undefined);
  const run = { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  assertNoStackTrace(run);
  return run;
}

/** The spool file without the three header lines Debian's crontab(1) writes: the stored text. */
export function spoolText(user: string): string | undefined {
  const bytes = spoolBytes(user);
  if (bytes === undefined) return undefined;
  const text = bytes.toString('utf8');
  const header = /^# DO NOT EDIT THIS FILE - edit the master and reinstall\.\n# \(.* installed on .*\)\n# \(Cron version .*\)\n/.exec(text);
  assert.ok(header, `the spool file of ${user} has no Debian header:\n${text}`);
  return withoutInstallLines(text.slice(header[0].length));
}

/** The spool file's identity and mtime: unchanged when crontab(1) was not asked to write. */
export function spoolStamp(user: string): string | undefined {
  const file = path.join('/var/spool/cron/crontabs', user);
  if (!fs.existsSync(file)) return undefined;
  const stat = fs.statSync(file);
  return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
}

/**
 * Puts bytes straight into a user's spool file, header and all, as an admin's editor or an
 * older cron may have left them: the one way to get text crontab(1) itself would refuse.
 */
export function writeSpoolDirectly(user: ThrowawayUser, text: string): void {
  const file = path.join('/var/spool/cron/crontabs', user.name);
  fs.writeFileSync(
    file,
    `# DO NOT EDIT THIS FILE - edit the master and reinstall.\n# (- installed on Mon Jan  6 10:00:00 2025)\n# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)\n${text}`,
    { mode: 0o600 },
  );
  fs.chownSync(file, user.uid, groupId('crontab'));
}

/** What a file is: bytes, mode, owner and identity (to show that it was not rewritten). */
export function fileState(file: string): { bytes: string; mode: number; uid: number; gid: number; stamp: string } | undefined {
  if (!fs.existsSync(file)) return undefined;
  const stat = fs.statSync(file);
  return { bytes: fs.readFileSync(file, 'latin1'), mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid, stamp: `${stat.ino}:${stat.mtimeMs}` };
}

/** Writes /etc/cron.allow or /etc/cron.deny with a given mode and group (restored after the test). */
export function writeAccessFile(file: string, text: string, mode = 0o644, group = 0): void {
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  fs.chownSync(file, 0, group);
}

export function groupId(name: string): number {
  return Number(spawnSync('getent', ['group', name], { encoding: 'utf8' }).stdout.split(':')[2]);
}
