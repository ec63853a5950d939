import * as path from 'path';
import vscode = require('vscode');
import { UnitError } from '../core/systemd/units';
import { hostPlatform } from '../editor/convert';
import { commandJob } from '../editor/documents';
import { currentUser } from '../host/accounts';
import { FileLocks } from '../host/lock';
import { SpawnRunner, type ProcessRunner } from '../host/process';
import { LiveSystemctl, RootSystemctl, SystemctlError, type Systemctl } from '../host/systemctl';
import { FolderUnitBackups } from '../host/unitFiles';
import { installSystemdTimer, removeSystemdTimer, SystemdWorkflowError, machineAccounts, type SystemdHost } from '../workflows/systemd';
import type { Outcome } from '../workflows/ui';
import type { CommandContext } from '../editor/context';
import { editorWorkflowUi, workflowFailed } from './workflow';

type Action = 'install' | 'remove';

/**
 * The running systemd. Integration tests (test/integration/systemd.test.ts) run where no systemd
 * runs, so they point the editor at a tree instead, as `--root` does, through this variable.
 */
export function editorSystemctl(runner: ProcessRunner): Systemctl {
  const root = process.env['BWDC_SCHEDULE_TEST_SYSTEMD_ROOT'];
  return root ? new RootSystemctl(root) : new LiveSystemctl(runner);
}

/** The workflow's host in the editor: the running systemd, backups in the extension's storage. */
export function editorSystemdHost(context: CommandContext, commandForAdmin: string): SystemdHost {
  return {
    systemctl: editorSystemctl(new SpawnRunner((line) => context.log.info(line))),
    backups: new FolderUnitBackups(path.join(context.storageFolder, 'systemd-backups')),
    locks: new FileLocks(),
    currentUser: currentUser(),
    version: context.version,
    ...machineAccounts,
    commandForAdmin,
  };
}

/**
 * "bwdc: Install systemd Timer" and "Remove systemd Timer" (Linux hosts): the systemd workflow
 * (workflows/systemd.ts, the CLI's too) with a diff editor and a modal question. Like the
 * crontab commands, the editor never asks for a password: when it does not run as root, the
 * diff is shown and the message names the sudo command that does the rest.
 */
export async function systemdCommand(action: Action, context: CommandContext, argument?: unknown): Promise<Outcome | undefined> {
  const target = await commandJob(argument);
  if (!target) return undefined;
  const { document, job } = target;
  if (hostPlatform() !== 'linux') {
    void vscode.window.showErrorMessage(vscode.l10n.t('systemd timers are for Linux; this machine runs {0}.', hostPlatform()));
    return undefined;
  }
  const host = editorSystemdHost(context, `bwdc-schedule systemd ${action} "${document.uri.fsPath}"`);
  const ui = editorWorkflowUi(context);
  try {
    const outcome = action === 'install' ? await installSystemdTimer(job, host, ui) : await removeSystemdTimer(job.name, host, ui);
    context.log.info(outcome.message);
    if (outcome.stoppedBy === 'declined') return outcome;
    if (outcome.done) void vscode.window.showInformationMessage(outcome.message);
    else void vscode.window.showWarningMessage(outcome.message);
    return outcome;
  } catch (error) {
    const message =
      error instanceof SystemdWorkflowError || error instanceof SystemctlError || error instanceof UnitError
        ? error.message
        : vscode.l10n.t('The systemd command failed: {0}', (error as Error).message);
    return workflowFailed(context, message);
  } finally {
    await context.previews.closeAll();
    context.changed.fire();
  }
}
