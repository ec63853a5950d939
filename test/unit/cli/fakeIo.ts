import * as fs from 'fs';
import * as path from 'path';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import type { Platform } from '../../../src/core/schedule/directives';
import { pathKind, readTextFile } from '../../../src/host/files';
import type { UserInfo } from '../../../src/host/accounts';
import type { ProcessRunner } from '../../../src/host/process';

export interface FakeOptions {
  /** Files by absolute POSIX path; when given, nothing is read from disk. */
  readonly files?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly now?: number;
  readonly hostZone?: string;
  readonly hostPlatform?: Platform;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the path lookup (to make it fail, for example). */
  readonly pathKind?: CliIo['pathKind'];
  /** The processes the command starts (task install|remove|status). */
  readonly runner?: ProcessRunner;
  /** Who runs the tool; default an ordinary user (uid 1000), so nothing is written on anyone's behalf. */
  readonly currentUser?: UserInfo;
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** 2025-01-01T00:00:00Z. */
export const FIXED_NOW = Date.UTC(2025, 0, 1);

export function fakeIo(options: FakeOptions = {}): { io: CliIo; stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  const files = options.files;
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readFile: files
      ? (file) => {
          const text = files[file];
          if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), { code: 'ENOENT' });
          return text;
        }
      : (file, maxBytes) => readTextFile(file, maxBytes),
    pathKind:
      options.pathKind ??
      (files
        ? (file) => (files[file] !== undefined ? 'file' : Object.keys(files).some((known) => known.startsWith(`${file}/`)) ? 'directory' : 'missing')
        : pathKind),
    cwd: options.cwd ?? (files ? '/work' : process.cwd()),
    now: () => options.now ?? FIXED_NOW,
    hostZone: options.hostZone ?? 'UTC',
    hostPlatform: options.hostPlatform ?? 'linux',
    currentUser: options.currentUser ?? { name: 'tester', uid: 1000, gid: 1000 },
    env: options.env ?? {},
    ...(options.runner ? { runner: options.runner } : {}),
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the CLI in-process, as `bwdc-schedule ...argv` would. */
export function run(argv: readonly string[], options: FakeOptions = {}): CliRun {
  const fake = fakeIo(options);
  const code = main(argv, fake.io);
  // The synchronous commands; the ones that wait (secret store) are tested with runAsync.
  if (typeof code !== 'number') throw new Error(`${argv[0]} is asynchronous: use runAsync`);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** Runs any command in-process, awaiting those that wait on stdin or a process. */
export async function runAsync(
  argv: readonly string[],
  options: FakeOptions = {},
  input?: { readSecret(prompt: string): Promise<string>; ask?(question: string): Promise<string | undefined> },
): Promise<CliRun> {
  const fake = fakeIo(options);
  const code = await main(argv, fake.io, input ?? { readSecret: () => Promise.reject(new Error('no stdin in this test')) });
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** The repository root: the nearest folder above this file with package.json and scripts/build.mjs (out/ has a package.json copy). */
export function repositoryRoot(): string {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, 'package.json')) && fs.existsSync(path.join(folder, 'scripts', 'build.mjs'))) return folder;
    if (path.dirname(folder) === folder) return process.cwd();
  }
}
