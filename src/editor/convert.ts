import vscode = require('vscode');
import type { Range } from '../core/text';
import type { Severity } from '../core/diagnostic';

export const SCHEDULE_SELECTOR: vscode.DocumentSelector = { language: 'bwdc-schedule' };

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}

/** The platform of the machine the extension host runs on (the remote one over SSH). */
export { hostPlatform } from '../core/schedule/paths';
