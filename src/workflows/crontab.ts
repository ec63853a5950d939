import * as fs from 'fs';
import { planAccess, type AccessFiles, type FileEdit, ALLOW_FILE, DENY_FILE } from '../core/crontab/access';
import {
  blockFor,
  blockState,
  installBlock,
  installStamp,
  removeBlock,
  type BlockSpec,
  type BlockState,
  type Change,
  type InstallStamp,
} from '../core/crontab/block';
import { t } from '../core/l10n';
import type { SyncJob } from '../core/schedule/job';
import { accountIds, type UserInfo } from '../host/accounts';
import { Crontab, CrontabError, crontabTarget, type Backups, type CrontabTarget } from '../host/crontab';
import { readTextIfExists, writeFileAtomic } from '../host/files';
import { withLock, type ChangeLocks } from '../host/lock';
import type { ProcessRunner } from '../host/process';
import { ensureScript } from './script';
import type { Outcome, WorkflowOptions, WorkflowUi } from './ui';

export type { Outcome, WorkflowOptions, WorkflowUi } from './ui';

/**
 * The crontab commands' sequence, shared by the CLI and the editor: which crontab, the sync
 * script refreshed first when it is missing or out of date, a preview of every change, a
 * question, and only then the write. The two front ends differ only in how they show a
 * preview and ask.
 */

export interface WorkflowHost {
  readonly runner: ProcessRunner;
  readonly currentUser: UserInfo;
  readonly backups: Backups;
  /** Serialises every change to one crontab (and to cron.allow/cron.deny) across processes. */
  readonly locks: ChangeLocks;
  readonly version: string;
  /** How an admin would run the same command (for messages). */
  readonly commandForAdmin: string;
  /** The clock for the block's install line (UTC milliseconds); default Date.now. */
  readonly now?: () => number;
}

/** Refuses a job that cannot have a crontab entry (platform windows); removing one stays possible after a switch to systemd. */
export function assertCronPlatform(job: SyncJob): void {
  if (job.platform === 'windows') {
    throw new CrontabError(t('This job is for Windows (platform windows): it is scheduled with Task Scheduler, not cron.'), 'other');
  }
}

/** Refuses a job that is not scheduled with cron (platform windows, or scheduler systemd). */
function assertCronJob(job: SyncJob): void {
  assertCronPlatform(job);
  if (job.scheduler === 'systemd') {
    throw new CrontabError(
      t("This job is started by a systemd timer (scheduler systemd), not cron: write its units with 'bwdc-schedule systemd units'."),
      'other',
    );
  }
}

/** A script path that holds someone's own file: refused as the crontab commands refuse. */
function notOursAsCrontabError(message: string): Error {
  return new CrontabError(message, 'not-ours');
}

export async function installCrontab(job: SyncJob, host: WorkflowHost, ui: WorkflowUi, options: WorkflowOptions = {}): Promise<Outcome> {
  assertCronJob(job);
  const target = crontabTarget(job.runAs, host.currentUser, host.commandForAdmin);
  let owner: { uid: number; gid: number } | undefined;
  if (target.viaRoot) {
    owner = await accountIds(target.user, host.runner);
    if (!owner)
      throw new CrontabError(
        t('The user {0} does not exist on this machine. Create it first: {1}', target.user, `bwdc-schedule crontab prepare-user "${job.scheduleFile}"`),
        'unknown-user',
      );
  }
  // Plan first: a crontab that cannot be read or changed (denied user, damaged block) stops
  // the command before the script is written.
  const crontab = new Crontab(host.runner, target);
  // The install line's time: kept by an identical reinstall, new when the schedule lines change.
  const spec = blockFor(job, installStamp((host.now ?? Date.now)(), host.version));
  const plan = await planChange(crontab, { kind: 'install', spec });
  if (
    !(await ensureScript(
      job,
      host.version,
      ui,
      options,
      owner,
      t('cron will run this script; the crontab line calls it by its absolute path.'),
      notOursAsCrontabError,
    ))
  )
    return { done: false, message: t('Nothing was changed: the sync script was not written.') };
  if (!plan.changed)
    return { done: true, message: t('The crontab of {0} already runs {1} as the schedule file says; nothing to change.', target.user, job.name) };
  await ui.preview(t('crontab of {0}', target.user), plan.before, plan.after);
  if (options.dryRun) return { done: false, message: t('Dry run: nothing was written.') };
  if (
    !(await ui.confirm(
      t('Install {0} into the crontab of {1}?', job.name, target.user),
      t('Everything else in the crontab stays as it is; a backup of the current crontab is kept.'),
    ))
  ) {
    return { done: false, message: t('Nothing was changed.') };
  }
  const applied = await withLock(host.locks, `crontab-${target.user}`, t('the crontab of {0}', target.user), () =>
    applyPlan(crontab, plan, host.backups, options),
  );
  if (!applied.written)
    return { done: true, message: t('The crontab of {0} already runs {1} as the schedule file says; nothing to change.', target.user, job.name) };
  return { done: true, message: t('Installed {0} in the crontab of {1}. The previous crontab is kept in {2}.', job.name, target.user, String(applied.backup)) };
}

export async function removeCrontab(
  name: string,
  runAs: string | undefined,
  host: WorkflowHost,
  ui: WorkflowUi,
  options: WorkflowOptions = {},
): Promise<Outcome> {
  const target = crontabTarget(runAs, host.currentUser, host.commandForAdmin);
  const crontab = new Crontab(host.runner, target);
  const plan = await planChange(crontab, { kind: 'remove', name });
  if (!plan.changed) return { done: true, message: t('{0} is not in the crontab of {1}; nothing to remove.', name, target.user) };
  await ui.preview(t('crontab of {0}', target.user), plan.before, plan.after);
  if (options.dryRun) return { done: false, message: t('Dry run: nothing was written.') };
  if (
    !(await ui.confirm(
      t('Remove {0} from the crontab of {1}?', name, target.user),
      t('Only the lines between its markers are removed; a backup of the current crontab is kept.'),
    ))
  ) {
    return { done: false, message: t('Nothing was changed.') };
  }
  const applied = await withLock(host.locks, `crontab-${target.user}`, t('the crontab of {0}', target.user), () =>
    applyPlan(crontab, plan, host.backups, options),
  );
  if (!applied.written) return { done: true, message: t('{0} is not in the crontab of {1}; nothing to remove.', name, target.user) };
  return { done: true, message: t('Removed {0} from the crontab of {1}. The previous crontab is kept in {2}.', name, target.user, String(applied.backup)) };
}

export interface CrontabStatus {
  readonly installed: boolean;
  readonly upToDate: boolean;
  readonly user: string;
  readonly lines: readonly string[];
  readonly state: BlockState['state'];
  readonly damage?: string;
  /** When the installed block's schedule took effect (its install line); absent in a block written before there was one. */
  readonly installedAt?: InstallStamp;
}

export async function crontabStatus(job: SyncJob, host: Pick<WorkflowHost, 'runner' | 'currentUser' | 'commandForAdmin'>): Promise<CrontabStatus> {
  assertCronJob(job);
  const target = crontabTarget(job.runAs, host.currentUser, host.commandForAdmin);
  const text = await new Crontab(host.runner, target).read();
  const state = blockState(text, blockFor(job));
  return {
    installed: state.state === 'installed',
    upToDate: state.state === 'installed' && state.upToDate,
    user: target.user,
    lines: state.state === 'installed' ? state.lines : [],
    state: state.state,
    ...(state.state === 'damaged' ? { damage: t('{0} (line {1})', state.reason, state.lines.join(', ')) } : {}),
    ...(state.state === 'installed' && state.installed ? { installedAt: state.installed } : {}),
  };
}

/** Reads /etc/cron.allow and /etc/cron.deny; a file that exists but cannot be read is reported. */
export function readAccessFiles(read: (file: string) => string | undefined = readTextIfExists): AccessFiles {
  const allow = read(ALLOW_FILE);
  const deny = read(DENY_FILE);
  return { ...(allow !== undefined ? { allow } : {}), ...(deny !== undefined ? { deny } : {}) };
}

/** Writes an edited system file atomically, keeping its mode and owner. */
function writeSystemFile(edit: FileEdit): void {
  const stat = fs.statSync(edit.file);
  writeFileAtomic(edit.file, edit.after, { mode: stat.mode & 0o7777, owner: { uid: stat.uid, gid: stat.gid } });
}

/**
 * Bitwarden's "cron permissions" step done right: the run-as user exists (created as a system
 * user without a login shell when we are root) and may use cron — adding it to an existing
 * /etc/cron.allow or taking it out of /etc/cron.deny, never creating cron.allow.
 */
export async function prepareUser(job: SyncJob, host: WorkflowHost, ui: WorkflowUi, options: WorkflowOptions = {}, files?: AccessFiles): Promise<Outcome> {
  assertCronJob(job);
  const user = job.runAs;
  if (!user || user === host.currentUser.name) {
    return {
      done: true,
      message: user
        ? t('This job runs as {0} ({1}); there is no other user to prepare.', user, host.currentUser.name)
        : t('This job runs as the current user ({0}); there is no other user to prepare.', host.currentUser.name),
    };
  }
  const exists = (await host.runner.run('id', ['-u', '--', user])).code === 0;
  let access: AccessFiles;
  try {
    access = files ?? readAccessFiles();
  } catch (error) {
    if (host.currentUser.uid !== 0)
      return {
        done: false,
        message: t(
          'Only root can check and prepare {0} ({1} or {2} is not readable for you). An admin can run:\n  {3}',
          user,
          ALLOW_FILE,
          DENY_FILE,
          `sudo ${host.commandForAdmin}`,
        ),
      };
    throw new CrontabError(
      t(
        'Cannot read {0} or {1}: {2}. cron denies everyone but root when it cannot read them.',
        ALLOW_FILE,
        DENY_FILE,
        (error as NodeJS.ErrnoException).code ?? (error as Error).message,
      ),
      'other',
    );
  }
  for (const [file, content] of [
    [ALLOW_FILE, access.allow],
    [DENY_FILE, access.deny],
  ] as const) {
    if (content?.includes('\uFFFD'))
      throw new CrontabError(t('{0} is not UTF-8 text; editing it could change its other bytes. Nothing was changed; fix it by hand.', file), 'unfaithful');
  }
  const plan = planAccess(user, access);
  const createCommand = `useradd --system --create-home --shell /usr/sbin/nologin ${user}`;
  const steps: string[] = [];
  if (!exists) steps.push(t('create the system user {0} (no login shell): {1}', user, createCommand));
  for (const edit of plan.edits) steps.push(edit.file === ALLOW_FILE ? t('add {0} to {1}', user, ALLOW_FILE) : t('remove {0} from {1}', user, DENY_FILE));
  if (steps.length === 0) {
    const why = !plan.verdict.allowed
      ? ''
      : plan.verdict.why === 'listed-in-allow'
        ? t('{0} lists it', ALLOW_FILE)
        : plan.verdict.why === 'no-files'
          ? t('neither {0} nor {1} exists, so everyone may', ALLOW_FILE, DENY_FILE)
          : plan.verdict.why === 'not-in-deny'
            ? t('{0} does not list it', DENY_FILE)
            : t('it is root');
    return { done: true, message: t('{0} exists and may use cron ({1}). Nothing to change.', user, why) };
  }
  if (host.currentUser.uid !== 0) {
    const commands = [
      ...(exists ? [] : [`sudo ${createCommand}`]),
      ...plan.edits.map((edit) =>
        edit.file === ALLOW_FILE
          ? // printf, not echo: a last line without its newline must not swallow the user's name
            `printf '${edit.before.length > 0 && !edit.before.endsWith('\n') ? '\\n' : ''}%s\\n' ${user} | sudo tee -a ${ALLOW_FILE}`
          : `sudo sed -i '/^${user.replace(/[.[\]*^$\\/]/g, '\\$&')}$/d' ${DENY_FILE}`,
      ),
    ];
    return {
      done: false,
      message: t('Only root can prepare {0}. An admin can run:\n  {1}\nor by hand:\n  {2}', user, `sudo ${host.commandForAdmin}`, commands.join('\n  ')),
    };
  }
  for (const edit of plan.edits) {
    await ui.preview(edit.file, edit.before, edit.after);
    for (const note of edit.notes) ui.say(note);
  }
  if (options.dryRun) return { done: false, message: t('Dry run: would {0}.', steps.join('; ')) };
  if (!(await ui.confirm(t('Prepare {0} to run the job?', user), t('This will {0}.', steps.join('; ')))))
    return { done: false, message: t('Nothing was changed.') };
  if (!exists) {
    const created = await host.runner.run('useradd', ['--system', '--create-home', '--shell', '/usr/sbin/nologin', user]);
    if (created.code !== 0) throw new CrontabError(t('useradd failed (exit {0}): {1}', String(created.code), created.stderr.trim()), 'other');
    ui.say(t('Created the system user {0}.', user));
  }
  await withLock(host.locks, 'cron-access', `${ALLOW_FILE} / ${DENY_FILE}`, async () => {
    for (const edit of plan.edits) {
      // Re-read right before writing: someone may have edited the file meanwhile.
      const now = readTextIfExists(edit.file);
      if (now !== edit.before)
        throw new CrontabError(t('{0} changed while you were looking at it. Nothing more was written; try again.', edit.file), 'changed');
      writeSystemFile(edit);
      ui.say(edit.file === ALLOW_FILE ? t('Added {0} to {1}.', user, ALLOW_FILE) : t('Removed {0} from {1}.', user, DENY_FILE));
    }
  });
  return { done: true, message: t('{0} is ready to run the job.', user) };
}

export type Operation = { readonly kind: 'install'; readonly spec: BlockSpec } | { readonly kind: 'remove'; readonly name: string };

export interface Plan extends Change {
  readonly operation: Operation;
  readonly target: CrontabTarget;
}

/** What the crontab would become: read it, change the text; nothing is written. */
export async function planChange(crontab: Crontab, operation: Operation): Promise<Plan> {
  const before = await crontab.read();
  const change = operation.kind === 'install' ? installBlock(before, operation.spec) : removeBlock(before, operation.name);
  return { ...change, operation, target: crontab.target };
}

export interface Applied {
  readonly backup?: string;
  readonly written: boolean;
}

export interface ApplyOptions {
  /**
   * When the crontab changed since the preview, plan the same operation again on what it is now
   * instead of refusing: for `--yes`, where nobody looks at the preview before the write.
   */
  readonly replanIfChanged?: boolean;
}

/** The operation on a crontab text; undefined when it cannot be applied (a damaged block). */
function replan(text: string, operation: Operation): Change | undefined {
  try {
    return operation.kind === 'install' ? installBlock(text, operation.spec) : removeBlock(text, operation.name);
  } catch {
    return undefined;
  }
}

/**
 * Writes a plan the user has seen. Callers hold the crontab's change lock (host/lock.ts), so no
 * other bwdc Schedule process writes in between; it re-reads first and stops (or plans again,
 * with replanIfChanged) if the crontab changed since the preview; keeps a backup; writes; reads
 * back. What is read back is never overwritten: if someone outside the lock (crontab -e) wrote
 * meanwhile, their text stays, and the change counts as done only if it is still in it.
 */
export async function applyPlan(crontab: Crontab, plan: Plan, backups: Backups, options: ApplyOptions = {}): Promise<Applied> {
  if (!plan.changed) return { written: false };
  let change: Change = plan;
  const now = await crontab.read();
  if (now !== plan.before) {
    const again = options.replanIfChanged ? replan(now, plan.operation) : undefined;
    if (!again)
      throw new CrontabError(t('The crontab of {0} changed since the preview. Nothing was written; look at it again and retry.', plan.target.user), 'changed');
    if (!again.changed) return { written: false };
    change = again;
  }
  const backup = backups.save(plan.target.user, change.before);
  try {
    await crontab.write(change.after);
  } catch (error) {
    throw error instanceof CrontabError ? new CrontabError(t('{0} The crontab was left as it was (backup: {1}).', error.message, backup), error.reason) : error;
  }
  const written = await crontab.read().catch(() => undefined);
  if (written === change.after) return { backup, written: true };
  if (written !== undefined && replan(written, plan.operation)?.changed === false) return { backup, written: true };
  throw new CrontabError(
    t(
      'The crontab of {0} was changed by someone else right after this change was written, and the change is not in it any more. Nothing was put back, so their change is kept; run the command again (the crontab before this change: {1}).',
      plan.target.user,
      backup,
    ),
    'verify-failed',
  );
}
