import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { RunResult } from './support';

/** One execve(2) as strace saw it: the program, its argv and its whole environment. */
export interface Exec {
  readonly pid: number;
  readonly path: string;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
}

/**
 * Runs `command` under `strace -f -e trace=execve -s 65536 -v` (one output file per process,
 * so lines of different processes never interleave) and returns every execve of the run.
 */
export function traceExecs(command: string, env: NodeJS.ProcessEnv, traceFolder: string): { result: RunResult; execs: Exec[] } {
  fs.mkdirSync(traceFolder, { recursive: true });
  const prefix = path.join(traceFolder, 'trace');
  const spawned = spawnSync('strace', ['-f', '-ff', '-e', 'trace=execve', '-s', '65536', '-v', '-o', prefix, command], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (spawned.error) throw spawned.error;
  const execs: Exec[] = [];
  for (const name of fs.readdirSync(traceFolder)) {
    const pid = Number(name.slice('trace.'.length));
    for (const line of fs.readFileSync(path.join(traceFolder, name), 'latin1').split('\n')) {
      if (line.startsWith('execve(')) execs.push(parseExecve(pid, line));
    }
  }
  return { result: { status: spawned.status, stdout: spawned.stdout, stderr: spawned.stderr }, execs };
}

/** `execve("/bin/x", ["x", "a"], ["K=V", ...]) = 0`, strings in strace's C notation. */
export function parseExecve(pid: number, line: string): Exec {
  const parser = new Parser(line, 'execve('.length);
  const file = parser.string();
  parser.expect(', ');
  const argv = parser.array();
  parser.expect(', ');
  const envp = parser.array();
  parser.expect(')');
  return { pid, path: file, argv, envp };
}

class Parser {
  constructor(
    private readonly text: string,
    private at: number,
  ) {}

  expect(literal: string): void {
    assert.strictEqual(this.text.slice(this.at, this.at + literal.length), literal, `strace line, at ${this.at}: ${this.text.slice(0, 200)}`);
    this.at += literal.length;
  }

  array(): string[] {
    const values: string[] = [];
    this.expect('[');
    while (this.text[this.at] !== ']') {
      if (values.length > 0) this.expect(', ');
      values.push(this.string());
    }
    this.expect(']');
    return values;
  }

  /** A C string literal; the file was read as latin1, so each char is one byte. */
  string(): string {
    this.expect('"');
    const bytes: number[] = [];
    for (;;) {
      const c = this.text[this.at++];
      assert.ok(c !== undefined, 'unterminated string in the strace output');
      if (c === '"') break;
      if (c !== '\\') {
        bytes.push(c.charCodeAt(0));
        continue;
      }
      const e = this.text[this.at++]!;
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '\\': 92, '"': 34 };
      if (e in simple) bytes.push(simple[e]!);
      else if (e === 'x') {
        bytes.push(parseInt(this.text.slice(this.at, this.at + 2), 16));
        this.at += 2;
      } else if (/[0-7]/.test(e)) {
        const digits = /^[0-7]{0,2}/.exec(this.text.slice(this.at))![0];
        bytes.push(parseInt(e + digits, 8));
        this.at += digits.length;
      } else assert.fail(`unknown escape \\${e} in the strace output`);
    }
    assert.notStrictEqual(this.text.slice(this.at, this.at + 3), '...', 'strace cut a string short: raise -s');
    return Buffer.from(bytes).toString('utf8');
  }
}
