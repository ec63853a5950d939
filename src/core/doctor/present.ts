import { t } from '../l10n';
import { escapeMarkdown } from '../schedule/hover';
import type { DoctorReport } from './checks';

export interface SetupPresentation {
  readonly scheduleFile: string;
  readonly job: string;
  readonly runAs: string;
}

/**
 * The report of "bwdc: Check Setup" as Markdown for the preview: a verdict first, then what
 * failed with its fix (errors before warnings), then what passed.
 */
export function setupMarkdown(report: DoctorReport, presentation: SetupPresentation): string {
  const name = presentation.scheduleFile.split(/[\\/]/).pop() ?? presentation.scheduleFile;
  const errors = report.checks.filter((check) => !check.ok && check.severity === 'error');
  const warnings = report.checks.filter((check) => !check.ok && check.severity === 'warning');
  const passed = report.checks.filter((check) => check.ok);
  const lines = [
    `# ${escapeMarkdown(t('Check Setup: {0}', name))}`,
    '',
    escapeMarkdown(t('The job {0}, run as {1}, from {2}.', presentation.job, presentation.runAs, presentation.scheduleFile)),
    '',
    `**${escapeMarkdown(
      errors.length > 0
        ? errors.length === 1
          ? t('1 problem keeps the scheduled sync from working.')
          : t('{0} problems keep the scheduled sync from working.', errors.length)
        : warnings.length > 0
          ? t('Nothing keeps the scheduled sync from working; look at the warnings below.')
          : t('Everything the scheduled sync needs is in place ({0} checks).', passed.length),
    )}**`,
    '',
  ];
  const failedSection = (title: string, icon: string, checks: typeof report.checks): void => {
    if (checks.length === 0) return;
    lines.push(`## ${escapeMarkdown(title)}`, '');
    for (const check of checks) {
      lines.push(`- ${icon} ${escapeMarkdown(check.message)} (\`${check.id}\`)`);
      if (check.fix) lines.push(`  - ${escapeMarkdown(t('Fix: {0}', check.fix))}`);
    }
    lines.push('');
  };
  failedSection(t('Problems'), '❌', errors);
  failedSection(t('Warnings'), '⚠️', warnings);
  if (passed.length > 0) {
    lines.push(`## ${escapeMarkdown(t('In place'))}`, '');
    for (const check of passed) lines.push(`- ✅ ${escapeMarkdown(check.message)}`);
    lines.push('');
  }
  lines.push(escapeMarkdown(t('The same check on a server: bwdc-schedule doctor {0}', presentation.scheduleFile)), '');
  return lines.join('\n');
}
