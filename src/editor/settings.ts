import vscode = require('vscode');

export interface PresentationSettings {
  readonly locale: string;
  /** undefined: the locale's habit. */
  readonly use24HourTime: boolean | undefined;
  readonly nextRunCount: number;
}

/** How hovers and completion present times, from the bwdcSchedule.* settings. */
export function presentationSettings(scope?: vscode.ConfigurationScope): PresentationSettings {
  const config = vscode.workspace.getConfiguration('bwdcSchedule', scope);
  const locale = config.get<string>('locale', '').trim() || vscode.env.language;
  const format = config.get<string>('timeFormat', 'auto');
  const count = config.get<number>('nextRunCount', 5);
  return {
    locale,
    use24HourTime: format === '24h' ? true : format === '12h' ? false : undefined,
    nextRunCount: Number.isInteger(count) ? Math.min(50, Math.max(1, count)) : 5,
  };
}
