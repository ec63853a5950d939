import type { ArtifactKind } from '../core/origin';
import { NotOursError, writeOwnFile } from '../host/files';
import type { CliIo } from './io';

/**
 * Writes a file bwdc Schedule makes (never over one it did not write) and says so on stdout;
 * on failure says why on stderr and gives the exit code: 1 not ours, 2 unwritable.
 */
export function writeArtifact(io: CliIo, target: string, content: string | Buffer, kind: ArtifactKind): number | undefined {
  try {
    writeOwnFile(target, content, kind, { mode: 0o644 });
  } catch (error) {
    if (error instanceof NotOursError) {
      io.stderr(`bwdc-schedule: ${error.message}\n`);
      return 1;
    }
    io.stderr(`bwdc-schedule: cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 2;
  }
  io.stdout(`wrote ${target}\n`);
  return undefined;
}
