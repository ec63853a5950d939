import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProcessResult, ProcessRunner, RunOptions } from '../../../src/host/process';

/** One process the code under test asked for, exactly as asked. */
export interface RecordedRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly input: string | undefined;
}

/** A ProcessRunner that starts nothing: it records argv and stdin and answers from a table. */
export class FakeRunner implements ProcessRunner {
  readonly runs: RecordedRun[] = [];

  constructor(private readonly answer: (run: RecordedRun) => ProcessResult = () => ({ code: 0, stdout: '', stderr: '' })) {}

  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
    const recorded = { command, args: [...args], input: options.input };
    this.runs.push(recorded);
    return Promise.resolve(this.answer(recorded));
  }
}

/** Temporary folders for one describe block, removed after it. */
export function useTemporaryFolders(): () => string {
  const made: string[] = [];
  after(() => {
    for (const folder of made) fs.rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-host-test-')));
    made.push(folder);
    return folder;
  };
}

/** Whether this process may chown files to other users (the tests run as root here). */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
