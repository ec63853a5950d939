import { execFileSync, spawnSync } from 'child_process';
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stripListingHeader } from '../../src/core/crontab/block';

/**
 * Throwaway accounts for the tests that use the real crontab(1) and cron daemon, so that no
 * test ever reads or writes the crontab of the developer (or of root). These tests need
 * root: scripts/test.sh runs them as root (directly or with `sudo -n`).
 */

export interface ThrowawayUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

export function assertRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('The system tests create throwaway users and use their crontabs; they must run as root (scripts/test.sh runs them with sudo -n).');
  }
}

const created: ThrowawayUser[] = [];

/** Creates a user with a fresh home under the temp folder; removed with its crontab by removeUsers(). */
export function createUser(prefix = 'bwdct'): ThrowawayUser {
  assertRoot();
  const name = `${prefix}${crypto.randomBytes(4).toString('hex')}`;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-system-home-'));
  fs.chmodSync(base, 0o755);
  const home = path.join(base, name);
  execFileSync('useradd', ['--create-home', '--home-dir', home, '--shell', '/bin/sh', '--user-group', name], { stdio: 'pipe' });
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  const user = { name, uid, gid, home };
  created.push(user);
  return user;
}

/** Removes a user's crontab, the user and its home. Never throws: cleanup must go on. */
export function removeUser(user: ThrowawayUser): void {
  spawnSync('crontab', ['-u', user.name, '-r'], { stdio: 'ignore' });
  spawnSync('pkill', ['-KILL', '-u', user.name], { stdio: 'ignore' });
  spawnSync('userdel', ['--remove', user.name], { stdio: 'ignore' });
  fs.rmSync(path.dirname(user.home), { recursive: true, force: true });
  const index = created.indexOf(user);
  if (index >= 0) created.splice(index, 1);
}

export function removeUsers(): void {
  for (const user of [...created]) removeUser(user);
}

/**
 * The user's crontab as it was given to crontab(1): listed with the header shown
 * (CRONTAB_NOHEADER=N, so Debian hides none of the user's own leading comments) and the
 * three header lines crontab(1) added removed. Undefined when the user has no crontab.
 */
export function crontabOf(user: string, options: { readonly installLines?: 'keep' | 'check-and-drop' } = {}): string | undefined {
  const listed = spawnSync('crontab', ['-u', user, '-l'], { encoding: 'utf8', env: { ...process.env, CRONTAB_NOHEADER: 'N', LC_ALL: 'C' } });
  if (listed.status !== 0) {
    if (/no crontab for/.test(listed.stderr)) return undefined;
    throw new Error(`crontab -u ${user} -l failed: ${listed.stderr}`);
  }
  const text = stripListingHeader(listed.stdout);
  return options.installLines === 'keep' ? text : withoutInstallLines(text);
}

/**
 * The text without the `# installed TIME by bwdc-schedule VERSION` line of our blocks, after
 * checking each: right after a begin marker, a time that is no later than now. The tests compare
 * the rest byte for byte; the line's own behaviour is tested where it matters
 * (test/system/crontab/installed.test.ts, test/unit/crontab/installed.test.ts).
 */
export function withoutInstallLines(text: string): string {
  return text.replace(/^(# BEGIN bwdc-schedule [^\n]*\n)# installed (\S+) by bwdc-schedule \S+\n/gm, (_, begin: string, time: string) => {
    const instant = Date.parse(time);
    assert.ok(/Z$/.test(time) && Number.isFinite(instant) && instant <= Date.now() + 1000, `an install line with a bad time: ${time}`);
    return begin;
  });
}

/** Sets a user's crontab to exactly these bytes (through crontab(1), as a user would). */
export function setCrontab(user: string, text: string): void {
  const written = spawnSync('crontab', ['-u', user, '-'], { input: text, encoding: 'utf8' });
  if (written.status !== 0) throw new Error(`crontab -u ${user} - failed: ${written.stderr}`);
}

/** The spool file's bytes: what cron itself reads. */
export function spoolBytes(user: string): Buffer | undefined {
  const file = path.join('/var/spool/cron/crontabs', user);
  return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
}

/**
 * Saves files (such as /etc/cron.allow and /etc/cron.deny) and puts them back byte for byte,
 * with their mode, or removes them if they did not exist.
 */
export function preserveFiles(files: readonly string[]): () => void {
  const saved = files.map((file) => {
    if (!fs.existsSync(file)) return { file, bytes: undefined, mode: 0 };
    return { file, bytes: fs.readFileSync(file), mode: fs.statSync(file).mode & 0o7777 };
  });
  return () => {
    for (const { file, bytes, mode } of saved) {
      if (bytes === undefined) fs.rmSync(file, { force: true });
      else {
        fs.writeFileSync(file, bytes);
        fs.chmodSync(file, mode);
      }
    }
  };
}
