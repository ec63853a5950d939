import * as fs from 'fs';
import type { PathKind } from '../core/schedule/diagnose';

/** What is at a path on this machine (symlinks followed); errors count as missing. */
export function pathKind(path: string): PathKind {
  try {
    const stat = fs.statSync(path);
    return stat.isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}
