import * as os from 'os';
import { cleanSecret, SecretStoreError, storeSecret } from '../host/secretStore';
import { SpawnRunner } from '../host/process';
import { parse } from './args';
import type { CliIo } from './io';
import { UsageError } from './io';
import { loadJob } from './job';

export const SECRET_HELP = `Usage: bwdc-schedule secret store FILE

Stores the organization API key's client_secret where the schedule file's
'secret' line says: file: (written atomically, mode 600, owned by run-as when
run as root), keychain: (macOS 'security', fed on stdin), dpapi: (Windows
Export-Clixml as the current account). The secret is read from stdin — typed
without echo on a terminal, or piped — never from the command line.

Exit status: 0 stored (or nothing to store for env:), 1 refused, 2 usage error.
`;

export interface SecretInput {
  /** Reads one line from stdin without echo when it is a terminal. */
  readSecret(prompt: string): Promise<string>;
  /** Asks a question on the terminal; undefined when there is no terminal to ask on. */
  ask?(question: string): Promise<string | undefined>;
}

export async function runSecret(args: readonly string[], io: CliIo, input: SecretInput): Promise<number> {
  const parsed = parse('secret', args, {});
  if (parsed.values['help']) {
    io.stdout(SECRET_HELP);
    return 0;
  }
  const [action, file, ...rest] = parsed.positionals;
  if (action !== 'store' || !file || rest.length > 0) throw new UsageError("secret: usage is 'bwdc-schedule secret store FILE' (the secret comes on stdin).");
  const loaded = loadJob(file, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const user = os.userInfo();
  const host = {
    runner: new SpawnRunner(),
    platform: io.hostPlatform,
    currentUser: { name: user.username, uid: user.uid, gid: user.gid },
  };
  try {
    const raw = loaded.job.secret.scheme === 'env' ? '' : await input.readSecret('client_secret (not shown): ');
    const outcome = await storeSecret(loaded.job, loaded.job.secret.scheme === 'env' ? raw : cleanSecret(raw), host);
    io.stdout(`${outcome.message}\n`);
    return 0;
  } catch (error) {
    if (error instanceof SecretStoreError) {
      io.stderr(`bwdc-schedule: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** stdin as the secret's source: raw mode without echo on a terminal, the first line of a pipe. */
export function processSecretInput(): SecretInput {
  return {
    async ask(question) {
      if (!process.stdin.isTTY) return undefined;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const readline = require('readline') as typeof import('readline');
      const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await new Promise<string>((resolve) => prompt.question(question, resolve));
      } finally {
        prompt.close();
      }
    },
    readSecret(prompt) {
      const stdin = process.stdin;
      return new Promise((resolve, reject) => {
        let buffer = '';
        const done = (value: string): void => {
          stdin.removeListener('data', onData);
          stdin.removeListener('end', onEnd);
          if (stdin.isTTY) {
            stdin.setRawMode(false);
            process.stderr.write('\n');
          }
          stdin.pause();
          resolve(value);
        };
        const onData = (chunk: Buffer): void => {
          for (const character of chunk.toString('utf8')) {
            if (character === '\u0003') {
              if (stdin.isTTY) stdin.setRawMode(false);
              reject(new SecretStoreError('Cancelled.'));
              return;
            }
            if (character === '\n' || character === '\r') return done(buffer);
            if (stdin.isTTY && (character === '\u007f' || character === '\b')) buffer = buffer.slice(0, -1);
            else buffer += character;
          }
        };
        const onEnd = (): void => done(buffer);
        if (stdin.isTTY) {
          process.stderr.write(prompt);
          stdin.setRawMode(true);
        }
        stdin.on('data', onData);
        stdin.on('end', onEnd);
        stdin.resume();
      });
    },
  };
}
