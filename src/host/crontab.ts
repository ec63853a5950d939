import * as fs from 'fs';
import * as path from 'path';
import { t } from '../core/l10n';
import { stripListingHeader, unfaithfulListingLines } from '../core/crontab/block';
import { writeFileAtomic } from './files';
import type { ProcessRunner } from './process';
import { sameAccount, type UserInfo } from './accounts';

/**
 * A user's crontab through crontab(1) — never the spool files directly — with every refusal
 * explained. Reads list with CRONTAB_NOHEADER=N (Debian otherwise hides up to three leading
 * comment lines, which may be the user's own); the exact header lines are stripped instead.
 */

export class CrontabError extends Error {
  constructor(
    message: string,
    readonly reason:
      'not-installed' | 'not-allowed' | 'unknown-user' | 'not-root' | 'unfaithful' | 'changed' | 'verify-failed' | 'rejected' | 'not-ours' | 'other',
  ) {
    super(message);
  }
}

/** Whose crontab, and the `-u` argument when it is not ours. */
export interface CrontabTarget {
  readonly user: string;
  readonly viaRoot: boolean;
}

/** The crontab to use for `run-as`, or a refusal with the exact command an admin can run. */
export function crontabTarget(runAs: string | undefined, current: UserInfo, commandForAdmin: string): CrontabTarget {
  if (!runAs || sameAccount(runAs, current.name)) return { user: current.name, viaRoot: false };
  if (current.uid === 0) return { user: runAs, viaRoot: true };
  throw new CrontabError(
    t(
      "This job runs as {0}, but you are {1}, and only root may change another user's crontab. Run it as root ({2}) or as {0} ({3}).",
      runAs,
      current.name,
      `sudo ${commandForAdmin}`,
      `sudo -u ${runAs} ${commandForAdmin}`,
    ),
    'not-root',
  );
}

const CRONTAB_ENV = { CRONTAB_NOHEADER: 'N', LC_ALL: 'C' };

/** What Debian's `crontab -l` prints for a crontab holding these bytes. */
function escapeLikeListing(text: string): string {
  return text.replace(/\r/g, '\\r').replaceAll('\u0008', '\\b');
}

export class Crontab {
  constructor(
    private readonly runner: ProcessRunner,
    readonly target: CrontabTarget,
    /** Where Debian keeps crontabs; read only to tell an escaped `\r` from a real one. */
    private readonly spoolFolder = '/var/spool/cron/crontabs',
  ) {}

  private userArgs(): string[] {
    return this.target.viaRoot ? ['-u', this.target.user] : [];
  }

  /** The crontab's text without the header; '' when there is none. */
  async read(): Promise<string> {
    const result = await this.run([...this.userArgs(), '-l']);
    if (result.code === 0) return this.faithful(stripListingHeader(result.stdout));
    if (/no crontab for/i.test(result.stderr)) return '';
    throw this.explain(result.stderr, result.code);
  }

  /** Replaces the crontab; an empty text removes it, as it was before anything was installed. */
  async write(text: string): Promise<void> {
    if (text.length === 0) {
      const removed = await this.run([...this.userArgs(), '-r']);
      if (removed.code !== 0 && !/no crontab for/i.test(removed.stderr)) throw this.explain(removed.stderr, removed.code);
      return;
    }
    const result = await this.run([...this.userArgs(), '-'], text);
    if (result.code !== 0) throw this.explain(result.stderr, result.code);
  }

  private async run(args: string[], input?: string): ReturnType<ProcessRunner['run']> {
    try {
      return await this.runner.run('crontab', args, { env: { ...process.env, ...CRONTAB_ENV }, ...(input !== undefined ? { input } : {}) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CrontabError(
          t(
            "crontab is not installed on this machine (or not on PATH). On Debian and Ubuntu it comes with the 'cron' package: {0}",
            'sudo apt-get install cron',
          ),
          'not-installed',
        );
      }
      throw error;
    }
  }

  /**
   * The listing when it is the crontab byte for byte; otherwise the real bytes, which only
   * root can read from the spool file, or a refusal — never a text that would change foreign
   * bytes when written back.
   */
  private faithful(listing: string): string {
    if (listing.includes('\uFFFD')) {
      throw new CrontabError(
        t(
          "The crontab of {0} contains bytes that are not UTF-8 text (for example Latin-1 characters in a comment). Writing it back could change them, so nothing was changed. Convert it to UTF-8 with 'crontab -e' first.",
          this.target.user,
        ),
        'unfaithful',
      );
    }
    const suspicious = unfaithfulListingLines(listing);
    if (suspicious.length === 0) return listing;
    const spool = this.spoolText();
    // Debian lists a CR as the two characters \r and a backspace as \b. The spool file tells
    // them apart from a user's own backslashes; it must agree with the listing to be used.
    if (spool !== undefined && escapeLikeListing(spool) === listing) return spool;
    throw new CrontabError(
      t(
        "The crontab of {0} may contain carriage returns or backspaces (line {1}), which 'crontab -l' shows as \\r and \\b and which would be changed by writing it back. Nothing was changed. Remove them with 'crontab -e', or run this as root, which can read the crontab's real bytes.",
        this.target.user,
        suspicious.join(', '),
      ),
      'unfaithful',
    );
  }

  private spoolText(): string | undefined {
    try {
      const text = stripListingHeader(fs.readFileSync(path.join(this.spoolFolder, this.target.user), 'utf8'));
      return text.includes('\uFFFD') ? undefined : text;
    } catch {
      return undefined; // not root, or not Debian's layout: we cannot tell
    }
  }

  private explain(stderr: string, code: number | null): CrontabError {
    const message = stderr.trim();
    if (/not allowed to use this program|cannot use this program/i.test(message)) {
      return new CrontabError(
        t(
          '{0} may not use cron: {1}. Either /etc/cron.allow exists and does not list {0}, or /etc/cron.deny lists it. Add the user to /etc/cron.allow (or remove it from /etc/cron.deny) as root: bwdc-schedule crontab prepare-user FILE, or "bwdc: Prepare Run-as User" in VS Code.',
          this.target.user,
          message.split('\n')[0]!,
        ),
        'not-allowed',
      );
    }
    if (/user .* unknown|unknown user/i.test(message)) {
      return new CrontabError(
        t(
          'The user {0} does not exist on this machine. Create it first: bwdc-schedule crontab prepare-user FILE, or "bwdc: Prepare Run-as User" in VS Code.',
          this.target.user,
        ),
        'unknown-user',
      );
    }
    if (/must be privileged/i.test(message)) return new CrontabError(t("Only root may change {0}'s crontab.", this.target.user), 'not-root');
    if (/errors in crontab file|bad |too long|missing newline/i.test(message))
      return new CrontabError(t('crontab refused the new crontab: {0}', message), 'rejected');
    return message
      ? new CrontabError(t('crontab failed (exit {0}): {1}', String(code), message), 'other')
      : new CrontabError(t('crontab failed (exit {0}): no message', String(code)), 'other');
  }
}

export interface Backups {
  /** Keeps the text; returns where. */
  save(user: string, text: string): string;
}

/** Backups as files in a private folder, the newest 20 per user kept. */
export class FolderBackups implements Backups {
  constructor(private readonly folder: string) {}

  save(user: string, text: string): string {
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safeUser = user.replace(/[^A-Za-z0-9._-]/g, '_');
    // Two saves in one millisecond (a backup, then a restore's) must not overwrite each other.
    let file = path.join(this.folder, `${safeUser}-${stamp}.crontab`);
    for (let count = 2; fs.existsSync(file); count++) file = path.join(this.folder, `${safeUser}-${stamp}_${count}.crontab`);
    writeFileAtomic(file, text, { mode: 0o600 });
    const mine = fs
      .readdirSync(this.folder)
      .filter((name) => name.startsWith(`${safeUser}-`) && name.endsWith('.crontab'))
      .sort();
    for (const old of mine.slice(0, Math.max(0, mine.length - 20))) fs.rmSync(path.join(this.folder, old), { force: true });
    return file;
  }
}
