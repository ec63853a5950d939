import * as fs from 'fs';
import * as path from 'path';
import type { PathKind } from '../core/schedule/diagnose';

/** What is at a path on this machine (symlinks followed); errors count as missing. */
export function pathKind(target: string): PathKind {
  try {
    const stat = fs.statSync(target);
    return stat.isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

export function readTextIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export interface WriteOptions {
  /** POSIX permission bits of the new file, applied before it becomes visible. */
  readonly mode: number;
  /** Give the file (and a folder we create) to this uid/gid; only root can. */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

/**
 * Writes a file so that readers see either the old content or the new one, never a part:
 * a private temporary file in the same folder, flushed, then renamed over the target. A
 * failure leaves the old file untouched.
 */
export function writeFileAtomic(target: string, content: string | Buffer, options: WriteOptions): void {
  const folder = path.dirname(target);
  if (!fs.existsSync(folder)) {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (options.owner) fs.chownSync(folder, options.owner.uid, options.owner.gid);
  }
  const temporary = path.join(folder, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const descriptor = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, options.mode);
  try {
    fs.writeSync(descriptor, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    if (process.platform !== 'win32') fs.fchmodSync(descriptor, options.mode);
    if (options.owner) fs.fchownSync(descriptor, options.owner.uid, options.owner.gid);
    fs.fsyncSync(descriptor);
  } catch (error) {
    fs.closeSync(descriptor);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(descriptor);
  try {
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** The first executable called `name` on PATH (with PATHEXT on Windows), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const folders = (env['PATH'] ?? env['Path'] ?? '').split(path.delimiter).filter(Boolean);
  const extensions = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const folder of folders) {
    for (const extension of extensions) {
      const candidate = path.join(folder, name + extension.toLowerCase());
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
