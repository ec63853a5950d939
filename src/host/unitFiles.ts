import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic, type WriteOptions } from './files';

/**
 * Writing and deleting the two unit files of a timer as one change: a service that is new
 * beside a timer that is old (or the other way round) is worse than either, so both are
 * staged (written and flushed beside their targets) before either replaces anything, and a
 * rename that fails puts back what was renamed before it.
 */

export interface UnitWrite {
  readonly file: string;
  readonly text: string;
  /** What was there before (undefined: nothing), to put back if a later step fails. */
  readonly before: string | undefined;
}

export function writeUnitsTogether(writes: readonly UnitWrite[], options: WriteOptions): void {
  const staged: { readonly write: UnitWrite; readonly temporary: string }[] = [];
  try {
    for (const write of writes) {
      const folder = path.dirname(write.file);
      // Unit folders are world-readable (systemctl and users read them); never the 700 of makeFolders.
      fs.mkdirSync(folder, { recursive: true, mode: 0o755 });
      const temporary = path.join(folder, `.${path.basename(write.file)}.${process.pid}.${Date.now()}.staged`);
      writeFileAtomic(temporary, write.text, options);
      staged.push({ write, temporary });
    }
  } catch (error) {
    for (const { temporary } of staged) fs.rmSync(temporary, { force: true });
    throw error;
  }
  const renamed: UnitWrite[] = [];
  try {
    for (const { write, temporary } of staged) {
      fs.renameSync(temporary, write.file);
      renamed.push(write);
    }
  } catch (error) {
    for (const { temporary } of staged) fs.rmSync(temporary, { force: true });
    for (const write of renamed) restore(write, options);
    throw error;
  }
}

/** Deletes unit files; a failure part way puts back the ones already deleted. */
export function deleteUnitsTogether(files: readonly { readonly file: string; readonly before: string }[], options: WriteOptions): void {
  const deleted: { file: string; before: string }[] = [];
  try {
    for (const entry of files) {
      fs.rmSync(entry.file, { force: true });
      deleted.push(entry);
    }
  } catch (error) {
    for (const entry of deleted) restore({ file: entry.file, text: '', before: entry.before }, options);
    throw error;
  }
}

function restore(write: UnitWrite, options: WriteOptions): void {
  try {
    if (write.before === undefined) fs.rmSync(write.file, { force: true });
    else writeFileAtomic(write.file, write.before, options);
  } catch {
    // The original error is the one to report; the backup holds the old text.
  }
}

/** Keeps a copy of a unit file before it is replaced or deleted. */
export interface UnitBackups {
  /** Keeps the text; returns where. */
  save(unit: string, text: string): string;
}

/**
 * Backups as files in a private folder (`<unit>-<time>.bak`), the newest 20 per unit kept; in
 * the same state folder as the crontab backups, never in the unit folder, where systemd would
 * see them.
 */
export class FolderUnitBackups implements UnitBackups {
  constructor(readonly folder: string) {}

  save(unit: string, text: string): string {
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safeUnit = unit.replace(/[^A-Za-z0-9@._-]/g, '_');
    let file = path.join(this.folder, `${safeUnit}-${stamp}.bak`);
    for (let count = 2; fs.existsSync(file); count++) file = path.join(this.folder, `${safeUnit}-${stamp}_${count}.bak`);
    writeFileAtomic(file, text, { mode: 0o600 });
    const mine = fs
      .readdirSync(this.folder)
      .filter((name) => name.startsWith(`${safeUnit}-`) && name.endsWith('.bak'))
      .sort();
    for (const old of mine.slice(0, Math.max(0, mine.length - 20))) fs.rmSync(path.join(this.folder, old), { force: true });
    return file;
  }
}
