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
  const host = {
    runner: new SpawnRunner(),
    platform: io.hostPlatform,
    currentUser: io.currentUser,
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

/** More than any client_secret (30 characters) or Windows password (256): the rest is a mistake. */
const SECRET_INPUT_MAX_BYTES = 4096;

/**
 * stdin as the secret's source: raw mode without echo on a terminal (Enter ends it), or a whole
 * pipe, read to its end but never past SECRET_INPUT_MAX_BYTES (`< /dev/zero` stops there).
 */
export function processSecretInput(): SecretInput {
  return {
    async ask(question) {
      if (!process.stdin.isTTY) return undefined;
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a terminal is asked for the secret
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
        const chunks: Buffer[] = [];
        let size = 0;
        let typed = '';
        const finish = (error?: SecretStoreError): void => {
          stdin.removeListener('data', onData);
          stdin.removeListener('end', onEnd);
          if (stdin.isTTY) {
            stdin.setRawMode(false);
            process.stderr.write('\n');
          }
          stdin.pause();
          if (error) return reject(error);
          if (stdin.isTTY) return resolve(typed);
          try {
            resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size)));
          } catch {
            // Never U+FFFD in a stored secret: bwdc would send the replaced text and fail to log in.
            reject(new SecretStoreError('The input is not UTF-8 text; give the client_secret exactly as Bitwarden shows it.'));
          }
        };
        const onData = (chunk: Buffer): void => {
          if (!stdin.isTTY) {
            // A pipe is read to its end (bounded), so a second line is refused rather than dropped.
            size += chunk.length;
            if (size > SECRET_INPUT_MAX_BYTES)
              return finish(new SecretStoreError(`The input is longer than ${SECRET_INPUT_MAX_BYTES} bytes; give only the client_secret.`));
            chunks.push(chunk);
            return;
          }
          const text = chunk.toString('utf8');
          for (let index = 0; index < text.length; index++) {
            const character = text[index]!;
            if (character === '\u0003') return finish(new SecretStoreError('Cancelled.'));
            if (character === '\n' || character === '\r') {
              // A paste of several lines arrives in one chunk: keep the rest, so it is refused.
              const rest = text.slice(index + 1).replace(/^\n/, '');
              typed += rest.replace(/[\r\n]+$/, '').length > 0 ? `\n${rest}` : '';
              return finish();
            }
            if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
            else typed += character;
            if (typed.length > SECRET_INPUT_MAX_BYTES)
              return finish(new SecretStoreError(`The input is longer than ${SECRET_INPUT_MAX_BYTES} characters; give only the client_secret.`));
          }
        };
        const onEnd = (): void => finish();
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
