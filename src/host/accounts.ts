import type { ProcessRunner } from './process';

export interface UserInfo {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The account this process runs as. */
export function currentUser(): UserInfo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not during activation
  const user = (require('os') as typeof import('os')).userInfo();
  return { name: user.username, uid: user.uid, gid: user.gid };
}

export interface AccountIds {
  readonly uid: number;
  readonly gid: number;
}

/** A local account's uid and primary gid (`id`), or undefined when there is no such account. */
export async function accountIds(name: string, runner: ProcessRunner): Promise<AccountIds | undefined> {
  return parseIds(await runner.run('id', ['-u', '--', name]), await runner.run('id', ['-g', '--', name]));
}

/** accountIds for the synchronous CLI commands (`script`). */
export function accountIdsSync(name: string): AccountIds | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not during activation
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const ask = (flag: string): { code: number | null; stdout: string } => {
    const result = spawnSync('id', [flag, '--', name], { encoding: 'utf8' });
    return { code: result.error ? null : result.status, stdout: result.stdout ?? '' };
  };
  return parseIds(ask('-u'), ask('-g'));
}

/** A local account's home folder from the passwd database (`getent passwd`), or undefined when there is no such account. */
export function accountHomeSync(name: string): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use, not during activation
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const result = spawnSync('getent', ['passwd', '--', name], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const home = (result.stdout ?? '').split('\n')[0]!.split(':')[5];
  return home && home.startsWith('/') ? home : undefined;
}

function parseIds(uid: { code: number | null; stdout: string }, gid: { code: number | null; stdout: string }): AccountIds | undefined {
  if (uid.code !== 0 || gid.code !== 0 || !/^\d+\s*$/.test(uid.stdout) || !/^\d+\s*$/.test(gid.stdout)) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Who must own what root writes for a job that runs as someone else (its script, its secret, the
 * folders made for them): the run-as account, or undefined when we write for ourselves.
 */
export function writesOnBehalf(runAs: string | undefined, current: UserInfo): runAs is string {
  return current.uid === 0 && runAs !== undefined && !sameAccount(runAs, current.name);
}

/** `bwdc`, `HOST\bwdc` and `bwdc@domain` name the same account for our purpose. */
export function sameAccount(a: string, b: string): boolean {
  const bare = (name: string): string => (name.split('\\').pop() ?? name).split('@')[0]!.toLowerCase();
  return bare(a) === bare(b);
}
