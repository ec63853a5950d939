import vscode = require('vscode');

export const WALKTHROUGH = 'bwdc-schedule.bwdc-schedule#bwdcSchedule.gettingStarted';
const OFFERED = 'bwdcSchedule.walkthroughOffered';

/**
 * Opens the walkthrough once, the first time the extension starts for this user, so a
 * newcomer lands on its first step; never again (it stays under Help > Welcome), and never
 * in the extension's own test runs, where it would cover the editors under test.
 */
export function offerWalkthrough(context: vscode.ExtensionContext): void {
  if (context.extensionMode === vscode.ExtensionMode.Test || context.globalState.get<boolean>(OFFERED)) return;
  void context.globalState.update(OFFERED, true);
  void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
}
