import type * as childProcess from 'child_process';

export interface ProcessResult {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the process's stdin, then stdin is closed. The way secrets travel. */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/**
 * Runs a program with an argument array (never through a shell). Implementations in tests
 * record argv and stdin; the real one spawns.
 */
export interface ProcessRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
}

/** Receives a line per process started, for the output channel or a log file. */
export type CommandLog = (line: string) => void;

export class SpawnRunner implements ProcessRunner {
  constructor(private readonly log: CommandLog = () => undefined) {}

  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
    // Arguments never hold secrets (they travel on stdin), so they can be logged as they are.
    this.log(
      `$ ${[command, ...args].map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ')}${options.input !== undefined ? ' < (stdin not shown)' : ''}`,
    );
    // Loaded on first use: child_process costs milliseconds that activation should not pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use (see above)
    const { spawn } = require('child_process') as typeof childProcess;
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
        timeout: options.timeoutMs,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.log(`  not found on PATH=${options.env?.['PATH'] ?? process.env['PATH'] ?? ''}`);
        reject(error);
      });
      child.on('close', (code) => {
        const result = { code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
        if (result.stderr.trim()) this.log(`  stderr: ${result.stderr.trim()}`);
        if (code !== 0) this.log(`  exit ${code}`);
        resolve(result);
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }
}
