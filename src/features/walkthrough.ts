import vscode = require('vscode');

export const WALKTHROUGH = 'bwdc-schedule.bwdc-schedule#bwdcSchedule.gettingStarted';
const ANNOUNCED = 'bwdcSchedule.walkthroughAnnounced';

/**
 * Tells a newcomer, once, that the walkthrough exists, and opens it only when asked.
 *
 * The extension starts when a schedule file is opened or the workspace holds one, so at that
 * moment the user is usually reaching for a file: a walkthrough opened then replaced the
 * file's preview tab and took its focus. A notification takes neither. Installed from the
 * Marketplace, VS Code opens the walkthrough by itself (behind a focused editor); this covers
 * an extension that was already there (installed from a .vsix or by an administrator).
 */
export function announceWalkthrough(context: vscode.ExtensionContext): void {
  if (context.globalState.get<boolean>(ANNOUNCED)) return;
  void context.globalState.update(ANNOUNCED, true);
  const open = vscode.l10n.t('Open Walkthrough');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('bwdc Schedule: the walkthrough "Get started with bwdc Schedule" goes from a schedule file to an installed job in five steps.'),
      open,
    )
    .then((choice) => {
      // Beside a visible file, so the file keeps its tab and the focus.
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, vscode.window.visibleTextEditors.length > 0);
    });
}
