import * as fs from 'fs';
import * as path from 'path';
import { t } from '../core/l10n';
import type { Platform } from '../core/schedule/directives';
import type { SyncJob } from '../core/schedule/job';
import { powerShellQuote } from '../core/script/quote';
import { accountIds, sameAccount, type UserInfo } from './accounts';
import { assertOurs, NotOursError, writeFileAtomic } from './files';
import type { ProcessRunner } from './process';

/**
 * Puts the organization API key's client_secret where the schedule's `secret` line says.
 * The secret travels only in memory, on stdin of a child process, or into a file created
 * with owner-only permissions; never on a command line, in a log or in an error message.
 */

export interface SecretStoreHost {
  readonly runner: ProcessRunner;
  readonly platform: Platform;
  readonly currentUser: UserInfo;
}

export type StoreOutcome = { readonly stored: true; readonly message: string } | { readonly stored: false; readonly message: string };

/** A refusal with a message meant for the user (no secret in it). */
export class SecretStoreError extends Error {}

export function cleanSecret(raw: string): string {
  const secret = raw.replace(/\r?\n$/, '').replace(/\r$/, '');
  if (secret.length === 0) throw new SecretStoreError(t('No secret was given.'));
  // eslint-disable-next-line no-control-regex -- rejects a secret with a control character
  if (/[\u0000-\u001f\u007f]/.test(secret))
    throw new SecretStoreError(t('The secret contains a line break or a control character; paste only the client_secret.'));
  return secret;
}

export async function storeSecret(job: SyncJob, rawSecret: string, host: SecretStoreHost): Promise<StoreOutcome> {
  const source = job.secret;
  if (source.scheme === 'env') {
    return {
      stored: false,
      message: t(
        "Nothing to store: the script reads the secret from the environment variable {0}, which whatever starts it must set. cron cannot provide it without writing it into the crontab, which bwdc Schedule never does; on Linux and macOS prefer 'secret file:PATH'.",
        source.target,
      ),
    };
  }
  const secret = cleanSecret(rawSecret);
  const runAs = job.runAs;
  const isMe = (name: string | undefined): boolean => !name || sameAccount(name, host.currentUser.name);
  switch (source.scheme) {
    case 'file':
      return storeInFile(source.target, secret, runAs, host);
    case 'keychain':
      if (host.platform !== 'macos') throw new SecretStoreError(t('keychain: secrets can only be stored on macOS.'));
      if (!isMe(runAs)) throw new SecretStoreError(t("The keychain item must be in {0}'s login keychain: run this as {0}.", String(runAs)));
      return storeInKeychain(source.target, secret, host);
    case 'dpapi':
      if (host.platform !== 'windows') throw new SecretStoreError(t('dpapi: secrets can only be stored on Windows, by the account that will read them.'));
      if (!isMe(runAs)) {
        throw new SecretStoreError(
          t(
            'DPAPI ties the file to the account that writes it, so {0} must store it: start a PowerShell as that account ({1}) and run: {2}',
            String(runAs),
            `runas /user:${runAs} powershell`,
            `bwdc-schedule secret store "${job.scheduleFile}"`,
          ),
        );
      }
      return storeWithDpapi(source.target, secret, host);
  }
}

async function storeInFile(file: string, secret: string, runAs: string | undefined, host: SecretStoreHost): Promise<StoreOutcome> {
  if (host.platform === 'windows') throw new SecretStoreError(t('file: secrets are for Linux and macOS; on Windows use dpapi:PATH.'));
  let owner: { uid: number; gid: number } | undefined;
  if (runAs && !sameAccount(runAs, host.currentUser.name)) {
    if (host.currentUser.uid !== 0) {
      throw new SecretStoreError(
        t(
          'The secret file must belong to {0}, the user the job runs as. Run this as {0} ({1}) or as root.',
          runAs,
          `sudo -u ${runAs} bwdc-schedule secret store FILE`,
        ),
      );
    }
    owner = await accountIds(runAs, host.runner);
    if (!owner) throw new SecretStoreError(t('The user {0} does not exist on this machine. Create it first (bwdc-schedule crontab prepare-user FILE).', runAs));
  }
  try {
    // `secret file:` naming data.json, the script or any other file: it would be replaced by the secret.
    assertOurs(file, 'secret');
  } catch (error) {
    throw error instanceof NotOursError ? new SecretStoreError(error.message) : error;
  }
  const folder = path.dirname(file);
  if (fs.existsSync(folder)) {
    const mode = fs.statSync(folder).mode;
    if (mode & 0o022) {
      throw new SecretStoreError(
        t('The folder {0} can be written by other users, so the script will refuse a secret stored there. Use a private folder (mode 700).', folder),
      );
    }
  }
  try {
    writeFileAtomic(file, `${secret}\n`, { mode: 0o600, ...(owner ? { owner } : {}) });
  } catch (error) {
    throw new SecretStoreError(t('Cannot write {0}: {1}.', file, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
  }
  return {
    stored: true,
    message: owner ? t('Stored the secret in {0} (mode 600, owned by {1}).', file, String(runAs)) : t('Stored the secret in {0} (mode 600).', file),
  };
}

/** The longest line security(1) reads whole, with its line break, in interactive mode (a 4096-byte buffer). */
const SECURITY_LINE_MAX = 4094;

/**
 * `security -i` reads its commands from stdin, so the secret is never in its argv. Its parser
 * (split_line in security.c) ends a double-quoted word at the next unescaped `"` and takes the
 * character after a backslash literally. It has no quit command: end of input ends it, and its
 * exit status is the last command's.
 */
export function keychainCommand(service: string, account: string, secret: string): { command: string; args: string[]; input: string } {
  const quoted = (value: string): string => `"${value.replace(/(["\\])/g, '\\$1')}"`;
  // -U updates an existing item; -T lets /usr/bin/security read it back without a dialog.
  const line = `add-generic-password -U -a ${quoted(account)} -s ${quoted(service)} -T /usr/bin/security -w ${quoted(secret)}`;
  // A longer line would be cut, and its rest (the secret) read as a command of its own.
  if (Buffer.byteLength(line, 'utf8') > SECURITY_LINE_MAX)
    throw new SecretStoreError(t('The keychain service name is too long for security(1); use a shorter one.'));
  return { command: '/usr/bin/security', args: ['-i'], input: `${line}\n` };
}

async function storeInKeychain(service: string, secret: string, host: SecretStoreHost): Promise<StoreOutcome> {
  const { command, args, input } = keychainCommand(service, host.currentUser.name, secret);
  const result = await host.runner.run(command, args, { input });
  if (result.code !== 0 || /error/i.test(result.stderr)) {
    throw new SecretStoreError(t('security could not store the item "{0}" (exit {1}). Is the login keychain unlocked?', service, String(result.code)));
  }
  return { stored: true, message: t('Stored the secret in the login keychain as "{0}", readable by /usr/bin/security.', service) };
}

/**
 * PowerShell reads the secret from stdin (the script itself is in -EncodedCommand, which
 * holds no secret), encrypts it with DPAPI for the current user and restricts the file's ACL.
 */
export function dpapiCommand(file: string, secret: string): { command: string; args: string[]; input: string } {
  const script = [
    "$ErrorActionPreference = 'Stop'",
    '$plain = [Console]::In.ReadLine()',
    'if (-not $plain) { exit 3 }',
    '$secure = ConvertTo-SecureString -String $plain -AsPlainText -Force',
    '$plain = $null',
    `$path = ${powerShellQuote(file)}`,
    '$folder = [System.IO.Path]::GetDirectoryName($path)',
    'if (-not [System.IO.Directory]::Exists($folder)) { [void][System.IO.Directory]::CreateDirectory($folder) }',
    '$secure | Export-Clixml -LiteralPath $path',
    '$acl = New-Object System.Security.AccessControl.FileSecurity',
    '$acl.SetAccessRuleProtection($true, $false)',
    '$me = [System.Security.Principal.WindowsIdentity]::GetCurrent().User',
    "$system = New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-18'",
    "foreach ($identity in @($me, $system)) { $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($identity, 'FullControl', 'Allow'))) }",
    '[System.IO.File]::SetAccessControl($path, $acl)',
  ].join('\r\n');
  return {
    command: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')],
    input: `${secret}\r\n`,
  };
}

async function storeWithDpapi(file: string, secret: string, host: SecretStoreHost): Promise<StoreOutcome> {
  const { command, args, input } = dpapiCommand(file, secret);
  const result = await host.runner.run(command, args, { input });
  if (result.code !== 0)
    throw new SecretStoreError(t('PowerShell could not write {0} (exit {1}). Does this account have write access there?', file, String(result.code)));
  return { stored: true, message: t('Stored the secret in {0}, encrypted with DPAPI for this account and readable only by it and SYSTEM.', file) };
}
