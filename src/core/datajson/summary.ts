import { t } from '../l10n';
import type { DataJsonSummary } from './api';

/** Longest value from the file shown in a summary. */
const VALUE_LIMIT = 120;

/**
 * A few Markdown lines about a data.json for a hover: layout, directory, servers, what syncs,
 * filters, last syncs. Built only from the summary, which holds no secret and no user name.
 */
export function summaryMarkdown(summary: DataJsonSummary): string {
  const lines: string[] = [t('**data.json**: {0}', summary.layoutLabel)];
  if (summary.upgradedFromL2) lines.push('', t('Upgraded from the account-scoped layout; the old keys it still holds are no longer read.'));
  const items: string[] = [];
  if (summary.directoryLabel) {
    const where = summary.server && summary.directoryType === 4 ? t('region {0}', code(summary.server)) : summary.server ? code(summary.server) : '';
    const server = where ? ` — ${where}${summary.startTls ? ` ${t('with StartTLS')}` : ''}` : '';
    items.push(t('Directory: {0}', `${summary.directoryLabel}${server}`));
  } else if (summary.layout !== 'empty' && summary.layout !== 'unknown') {
    items.push(t('Directory: not chosen'));
  }
  if (summary.bitwardenServer) items.push(t('Bitwarden server: {0}', code(summary.bitwardenServer)));
  if (summary.directoryLabel || summary.users !== undefined || summary.groups !== undefined) {
    items.push(
      summary.users && summary.groups
        ? t('Syncs: users and groups')
        : summary.users
          ? t('Syncs: users only')
          : summary.groups
            ? t('Syncs: groups only')
            : t('Syncs: nothing (users and groups are both off)'),
    );
  }
  if (summary.userFilter) items.push(t('User filter: {0}', code(summary.userFilter)));
  if (summary.groupFilter) items.push(t('Group filter: {0}', code(summary.groupFilter)));
  if (summary.lastUserSync || summary.lastGroupSync) {
    items.push(
      t(
        'Last sync: users {0}, groups {1}',
        summary.lastUserSync ? code(summary.lastUserSync) : t('never'),
        summary.lastGroupSync ? code(summary.lastGroupSync) : t('never'),
      ),
    );
  }
  if (summary.directorySecret) {
    items.push(
      summary.directorySecret === 'placeholder'
        ? t('Directory secret: in the OS keychain ("[STORED SECURELY]" in the file)')
        : summary.directorySecret === 'plaintext'
          ? t('Directory secret: in data.json as plain text')
          : t('Directory secret: not in the file'),
    );
  }
  if (summary.organizationId) items.push(t('Organization: {0}', code(summary.organizationId)));
  if (summary.layout === 'empty' || summary.layout === 'unknown') items.push(t('No directory configured.'));
  if (items.length > 0) lines.push('', ...items.map((item) => `- ${item}`));
  return lines.join('\n');
}

/** An inline code span that no value can break out of: one line, shortened, fenced by more backticks than it holds. */
function code(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters become spaces
  let flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  if (flat.length > VALUE_LIMIT) flat = `${flat.slice(0, VALUE_LIMIT - 1)}…`;
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
