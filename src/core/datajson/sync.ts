import { t } from '../l10n';
import type { DataJsonSummary } from './api';
import type { DirectorySpec } from './directories';
import { keyOf, member, valueOf, type JsonNode } from './json';
import type { Mutable, Reporter, Span } from './reporter';
import { truthy } from './values';

/** The sync options: what bwdc sends to Bitwarden, and which users and groups it picks. */

const SYNC_BOOLEANS = ['users', 'groups', 'removeDisabled', 'overwriteExisting', 'largeImport', 'useEmailPrefixSuffix', 'inviteUsersAfterProvisioning'];
const SYNC_STRINGS = [
  'userFilter',
  'groupFilter',
  'groupObjectClass',
  'userObjectClass',
  'groupPath',
  'userPath',
  'groupNameAttribute',
  'userEmailAttribute',
  'memberAttribute',
  'emailPrefixAttribute',
  'emailSuffix',
  'creationDateAttribute',
  'revisionDateAttribute',
];

export function describeSync(sync: JsonNode, summary: Mutable<DataJsonSummary>): void {
  const users = member(sync, 'users');
  const groups = member(sync, 'groups');
  if (users?.type === 'boolean') summary.users = users.value as boolean;
  if (groups?.type === 'boolean') summary.groups = groups.value as boolean;
  for (const key of ['userFilter', 'groupFilter'] as const) {
    const filter = member(sync, key);
    if (filter?.type === 'string' && filter.value) summary[key] = filter.value as string;
  }
}

/**
 * @param syncKey how the layout names the sync options (`sync`, `syncConfig`)
 * @param anchor where to point when the options are absent
 * @param spec the selected directory: bwdc reads the filters of each in its own way
 */
export function checkSync(reporter: Reporter, syncProperty: JsonNode | undefined, syncKey: string, anchor: Span, spec: DirectorySpec | undefined): void {
  const sync = valueOf(syncProperty);
  if (sync && sync.type !== 'null' && sync.type !== 'object') {
    reporter.fieldType(sync, syncKey, t('an object'), t('bwdc reads what to sync from it.'));
    return;
  }
  if (sync?.type === 'object') {
    reporter.fieldTypes(sync, SYNC_BOOLEANS, 'boolean');
    reporter.fieldTypes(sync, SYNC_STRINGS, 'string');
    const interval = member(sync, 'interval');
    if (interval && interval.type !== 'number' && interval.type !== 'null') {
      reporter.fieldType(
        interval,
        'interval',
        t('a number or null'),
        t('the desktop app schedules its syncs by it (minutes, at least 5); the CLI ignores it.'),
      );
    }
  }
  if (!truthy(member(sync, 'users')) && !truthy(member(sync, 'groups'))) {
    reporter.report(
      reporter.nodeRange(syncProperty ? keyOf(syncProperty) : anchor),
      'warning',
      'data-nothing-synced',
      t(
        'Neither users nor groups are set to sync ({0}.users and {0}.groups are false or missing), so bwdc sync would send nothing. Set at least one of them to true.',
        syncKey,
      ),
    );
  }
  if (spec && spec.type !== 0 && sync?.type === 'object') checkFilters(reporter, spec, sync);
}

function checkFilters(reporter: Reporter, spec: DirectorySpec, sync: JsonNode): void {
  for (const key of ['userFilter', 'groupFilter'] as const) {
    const value = member(sync, key);
    if (value?.type !== 'string') continue;
    const first = (value.value as string).split('|')[0]!;
    if (first.trim() === '') continue; // no filter, or only a provider query
    const parts = first.split(':');
    const keyword = parts[0]!.trim().toLowerCase();
    const keywords = ['include', 'exclude'];
    if (spec.type === 1)
      keywords.push(...(key === 'userFilter' ? ['includeGroup', 'excludeGroup'] : ['includeadministrativeunit', 'excludeadministrativeunit']));
    if (parts.length === 2 && keywords.some((allowed) => allowed.toLowerCase() === keyword)) continue;
    const prefixes = keywords.map((allowed) => `${allowed}:`);
    const choices = t('{0} or {1}', prefixes.slice(0, -1).join(', '), prefixes[prefixes.length - 1]!);
    const what = key === 'userFilter' ? t('users') : t('groups');
    reporter.report(
      reporter.nodeRange(value),
      'warning',
      'data-filter-prefix',
      parts.length > 2 && keywords.some((allowed) => allowed.toLowerCase() === keyword)
        ? t(
            "bwdc splits '{0}' at ':' and ignores it when there is more than one ':' before any '|', so it would sync all {1}. Keep one '{2}' followed by a comma-separated list.",
            key,
            what,
            `${parts[0]!.trim()}:`,
          )
        : t(
            "For {0}, bwdc reads '{1}' only when it starts with {2} followed by a comma-separated list, or is a '|' query; otherwise it ignores the filter and syncs all {3}.",
            spec.label,
            key,
            choices,
            what,
          ),
    );
  }
}
