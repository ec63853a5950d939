import * as fs from 'fs';
import * as path from 'path';
import { t } from '../core/l10n';

/**
 * Serialises changes to one thing (a user's crontab, the task folder, the unit files) across
 * processes: two editor windows, or a configuration tool running the CLI for several files at
 * once. The lock dies with its holder, so a crashed or killed process never blocks the next one.
 *
 * On Linux and macOS it is flock(2) on a lock file that this process keeps open: flock(1) (or
 * perl, where there is no flock(1)) takes the lock on the descriptor it inherits and exits; the
 * lock belongs to the open file, which only this process holds from then on, and the kernel
 * drops it when that closes, also on a crash. On Windows the file is opened without sharing.
 */

export interface HeldLock {
  release(): void;
}

export interface ChangeLocks {
  /** Waits for the lock named `key`; `what` says in a message what it guards. */
  acquire(key: string, what: string): Promise<HeldLock>;
}

export class LockTimeoutError extends Error {}

/** Folders every account can create lock files in, the first that exists is used. */
const POSIX_LOCK_FOLDERS = ['/run/lock', '/var/lock', '/tmp'];

export function defaultLockFolder(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(process.env['ProgramData'] ?? process.env['TEMP'] ?? 'C:\\ProgramData', 'bwdc-schedule', 'locks');
  return POSIX_LOCK_FOLDERS.find((folder) => fs.existsSync(folder)) ?? '/tmp';
}

/** A changed byte anywhere in a key must give another file name, and no name may escape the folder. */
function lockFileName(key: string): string {
  return `bwdc-schedule-${key.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}.lock`;
}

const PERL_FLOCK = `use Fcntl qw(:flock);
open(my $lock, "<&=", 3) or exit 2;
my $deadline = time + $ARGV[0];
until (flock($lock, LOCK_EX | LOCK_NB)) { exit 1 if time >= $deadline; select(undef, undef, undef, 0.05); }
exit 0;`;

export class FileLocks implements ChangeLocks {
  constructor(
    private readonly folder: string = defaultLockFolder(),
    private readonly timeoutMs = 60_000,
    /** The lockers to try, in order: flock(1), then perl (macOS and systems without util-linux). */
    private readonly lockers: readonly ('flock' | 'perl')[] = ['flock', 'perl'],
  ) {}

  acquire(key: string, what: string): Promise<HeldLock> {
    const file = path.join(this.folder, lockFileName(key));
    return process.platform === 'win32' ? this.acquireExclusive(file, what) : this.acquireFlock(file, what);
  }

  private async acquireFlock(file: string, what: string): Promise<HeldLock> {
    // Never through a symlink: in a folder everyone may write to, it could point anywhere.
    let descriptor: number;
    try {
      descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o644);
    } catch (error) {
      throw new Error(
        t('Cannot open the lock file {0} ({1}), so {2} was not changed.', file, (error as NodeJS.ErrnoException).code ?? (error as Error).message, what),
        { cause: error },
      );
    }
    try {
      // Another account (root and the run-as user) must be able to open it too, whatever our umask.
      if (fs.fstatSync(descriptor).uid === process.getuid?.()) fs.fchmodSync(descriptor, 0o644);
      const seconds = String(Math.max(1, Math.ceil(this.timeoutMs / 1000)));
      let code: number | 'missing' = 'missing';
      for (const locker of this.lockers) {
        code = await (locker === 'flock'
          ? lockOnDescriptor('flock', ['-w', seconds, '3'], descriptor)
          : lockOnDescriptor('perl', ['-e', PERL_FLOCK, seconds], descriptor));
        if (code !== 'missing') break;
      }
      if (code === 'missing') throw new Error(t('Neither flock nor perl is installed, so changes to {0} cannot be serialised.', what));
      if (code !== 0)
        throw new LockTimeoutError(
          t('Another change to {0} has held its lock for {1} seconds ({2}); nothing was changed. Try again when it has finished.', what, seconds, file),
        );
    } catch (error) {
      fs.closeSync(descriptor);
      throw error;
    }
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        fs.closeSync(descriptor);
      },
    };
  }

  private async acquireExclusive(file: string, what: string): Promise<HeldLock> {
    // libuv's UV_FS_O_EXLOCK: opened without FILE_SHARE_*, so no other process can open it.
    const EXLOCK = 0x10000000;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      try {
        const descriptor = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | EXLOCK);
        return { release: () => fs.closeSync(descriptor) };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if ((code !== 'EBUSY' && code !== 'EPERM' && code !== 'EACCES') || Date.now() > deadline) {
          if (Date.now() > deadline)
            throw new LockTimeoutError(
              t(
                'Another change to {0} has held its lock for {1} seconds ({2}); nothing was changed. Try again when it has finished.',
                what,
                String(Math.ceil(this.timeoutMs / 1000)),
                file,
              ),
            );
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

/** Runs a locker on the descriptor as its fd 3; its exit code, or 'missing' when it is not installed. */
function lockOnDescriptor(command: string, args: readonly string[], descriptor: number): Promise<number | 'missing'> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not during activation
  const { spawn } = require('child_process') as typeof import('child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'ignore', 'ignore', descriptor] });
    child.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve('missing') : reject(error)));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Runs `work` holding the lock named `key`, and releases it however `work` ends. */
export async function withLock<T>(locks: ChangeLocks, key: string, what: string, work: () => Promise<T>): Promise<T> {
  const held = await locks.acquire(key, what);
  try {
    return await work();
  } finally {
    held.release();
  }
}
