import type { InstanceRecord } from '../history/parse';
import { t } from '../l10n';
import { escapeMarkdown } from '../schedule/hover';

/**
 * What a test run (the sync script with `--test`, `bwdc test` in place of `bwdc sync`) found per
 * instance, read from the script's stdout (src/core/script/bash.ts, testFunctions): per instance
 *
 *   bwdc-schedule test output begin N        (N: the instance's number, from 1)
 *   <what bwdc test printed on stdout: one JSON object>
 *   bwdc-schedule test output end N
 *   bwdc-schedule test result N {"label":…,"folder":…,"result":"ok"|"failed"|"skipped","message":…}
 *
 * bwdc's answer (test/realbwdc/FACTS.md "bwdc test printed"):
 * `{"groups":[{externalId, displayName, userIds}], "enabledUsers":[{externalId, displayName}],
 * "disabledUsers":[…], "deletedUsers":[…], "object":"test"}`. Read tolerantly: fields this code
 * does not know are kept as they are, a missing list is empty, an answer that is no JSON object
 * is a message for its instance.
 */

export type UserState = 'enabled' | 'disabled' | 'deleted';

/** A user as bwdc listed it, every field of bwdc's kept, with the list it was in as `state`. */
export interface TestUser {
  readonly [field: string]: unknown;
  readonly state: UserState;
  readonly externalId?: unknown;
  readonly displayName?: unknown;
}

/** A group as bwdc listed it, every field kept (`userIds`: its members' externalIds). */
export interface TestGroup {
  readonly [field: string]: unknown;
  readonly externalId?: unknown;
  readonly displayName?: unknown;
  readonly userIds?: unknown;
}

/** One instance of `bwdc-schedule test --json`. */
export interface TestedInstance {
  readonly instance: string;
  readonly folder: string | null;
  /** bwdc test answered for it, and its answer was understood. */
  readonly ok: boolean;
  /** Why it is not ok (or a note beside a good answer); null when there is nothing to say. */
  readonly message: string | null;
  readonly users: readonly TestUser[];
  readonly groups: readonly TestGroup[];
}

export type TestAnswer = { readonly users: readonly TestUser[]; readonly groups: readonly TestGroup[] } | { readonly error: string };

const LISTS: readonly { readonly key: string; readonly state: UserState }[] = [
  { key: 'enabledUsers', state: 'enabled' },
  { key: 'disabledUsers', state: 'disabled' },
  { key: 'deletedUsers', state: 'deleted' },
];

/** The most of bwdc's text quoted in a message: an answer may be megabytes. */
const QUOTE_MAX_CHARS = 200;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** bwdc test's answer as users (each with its state) and groups, or what is wrong with it. */
export function parseTestAnswer(text: string): TestAnswer {
  const trimmed = text.trim();
  if (trimmed === '') return { error: t('bwdc test printed nothing.') };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { error: t('bwdc test printed no JSON: {0}', quote(trimmed)) };
  }
  if (!isObject(value)) return { error: t('bwdc test printed JSON that is not an object: {0}', quote(trimmed)) };
  if (!LISTS.some(({ key }) => key in value) && !('groups' in value)) {
    return { error: t('bwdc test printed an object without users or groups: {0}', quote(trimmed)) };
  }
  const users: TestUser[] = [];
  for (const { key, state } of LISTS) {
    for (const entry of listOf(value[key])) users.push({ ...entry, state });
  }
  return { users, groups: listOf(value['groups']) };
}

/** The objects of a list (anything else in it is no user or group and is left out). */
function listOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function quote(text: string): string {
  const line = text.split('\n')[0]!;
  return line.length > QUOTE_MAX_CHARS ? `${line.slice(0, QUOTE_MAX_CHARS)}…` : line;
}

/** What the script printed for one instance, by its number (from 1). */
export interface ScriptTestOutput {
  readonly answers: ReadonlyMap<number, string>;
  readonly results: ReadonlyMap<number, Partial<InstanceRecord>>;
}

const BEGIN = 'bwdc-schedule test output begin ';
const END = 'bwdc-schedule test output end ';
const RESULT = 'bwdc-schedule test result ';

/** The marker lines and bwdc's answers between them in a test run's stdout. */
export function parseScriptTestOutput(stdout: string): ScriptTestOutput {
  const answers = new Map<number, string>();
  const results = new Map<number, Partial<InstanceRecord>>();
  const lines = stdout.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith(BEGIN)) {
      const number = Number(line.slice(BEGIN.length));
      const body: string[] = [];
      // JSON holds no raw line break in a string, so no line of an answer is the end line.
      while (++index < lines.length && lines[index] !== `${END}${line.slice(BEGIN.length)}`) body.push(lines[index]!);
      if (Number.isInteger(number)) answers.set(number, body.join('\n'));
    } else if (line.startsWith(RESULT)) {
      const rest = line.slice(RESULT.length);
      const space = rest.indexOf(' ');
      const number = Number(rest.slice(0, space));
      try {
        const record: unknown = JSON.parse(rest.slice(space + 1));
        if (Number.isInteger(number) && isObject(record)) results.set(number, record as Partial<InstanceRecord>);
      } catch {
        // A result line that was cut off: the instance counts as not reported.
      }
    }
  }
  return { answers, results };
}

export interface TestRunOutcome {
  /** The job's instances in order (a job without instance lines: `default`, folder null). */
  readonly instances: readonly { readonly label: string; readonly folder: string | null }[];
  readonly stdout: string;
  /** What the script said on stderr (cron's mail): the reason a run stopped. */
  readonly stderr: string;
  readonly exitCode: number | null;
}

/** Per instance what the test run found: bwdc's users and groups, or why there are none. */
export function testReport(outcome: TestRunOutcome): TestedInstance[] {
  const output = parseScriptTestOutput(outcome.stdout);
  const stopped = lastScriptProblem(outcome.stderr);
  return outcome.instances.map((instance, index) => {
    const number = index + 1;
    const record = output.results.get(number);
    const folder = typeof record?.folder === 'string' ? record.folder : instance.folder;
    const label = instance.label;
    if (!record) {
      const reason =
        stopped ??
        (outcome.exitCode === null
          ? t('the test run was stopped before this instance was tested')
          : t('the test run ended (exit {0}) before this instance was tested', outcome.exitCode));
      return { instance: label, folder, ok: false, message: reason, users: [], groups: [] };
    }
    const message = typeof record.message === 'string' ? record.message : null;
    if (record.result !== 'ok') return { instance: label, folder, ok: false, message: message ?? t('not tested'), users: [], groups: [] };
    const answer = parseTestAnswer(output.answers.get(number) ?? '');
    if ('error' in answer) return { instance: label, folder, ok: false, message: answer.error, users: [], groups: [] };
    return { instance: label, folder, ok: true, message, users: answer.users, groups: answer.groups };
  });
}

/** The script's last message on stderr (`bwdc sync JOB: MESSAGE`), for instances it never reached. */
function lastScriptProblem(stderr: string): string | undefined {
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '');
  const last = lines.at(-1);
  if (last === undefined) return undefined;
  const match = /^bwdc sync .*?: (.*)$/.exec(last);
  return (match ? match[1]! : last).slice(0, 1000);
}

/** "12 users (10 enabled, 1 disabled, 1 deleted), 2 groups" */
export function testCounts(instance: TestedInstance): string {
  const count = (state: UserState): number => instance.users.filter((user) => user.state === state).length;
  return t(
    '{0} users ({1} enabled, {2} disabled, {3} deleted), {4} groups',
    instance.users.length,
    count('enabled'),
    count('disabled'),
    count('deleted'),
    instance.groups.length,
  );
}

/** What to call a user or a group: its displayName, else its externalId, else its JSON. */
export function entryName(entry: { readonly displayName?: unknown; readonly externalId?: unknown }): string {
  if (typeof entry.displayName === 'string' && entry.displayName !== '') return entry.displayName;
  if (typeof entry.externalId === 'string' && entry.externalId !== '') return entry.externalId;
  return JSON.stringify(entry);
}

/** A group's members by name: userIds are externalIds, resolved through the instance's users. */
export function groupMembers(group: TestGroup, users: readonly TestUser[]): string[] {
  const ids = Array.isArray(group.userIds) ? group.userIds : [];
  const byId = new Map(users.filter((user) => typeof user.externalId === 'string').map((user) => [user.externalId as string, user]));
  return ids.map((id) => {
    const user = typeof id === 'string' ? byId.get(id) : undefined;
    return user ? entryName(user) : String(id);
  });
}

/** Control characters made visible: a directory may hold any name. */
function flat(text: string): string {
  // eslint-disable-next-line no-control-regex -- finds the control characters to make visible
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** The plain-text table `bwdc-schedule test` prints. */
export function testReportTable(report: readonly TestedInstance[]): string {
  const lines: string[] = [];
  for (const instance of report) {
    const where = instance.folder === null ? '' : ` (${flat(instance.folder)})`;
    lines.push(`${flat(instance.instance)}${where}: ${instance.ok ? `ok, ${testCounts(instance)}` : `not tested: ${flat(instance.message ?? '')}`}`);
    if (!instance.ok) {
      lines.push('');
      continue;
    }
    if (instance.message !== null) lines.push(`  note: ${flat(instance.message)}`);
    const width = Math.min(60, Math.max(4, ...instance.users.map((user) => flat(entryName(user)).length)));
    if (instance.users.length > 0) {
      lines.push(`  ${'user'.padEnd(width)}  ${'state'.padEnd(8)}  external id`);
      for (const user of instance.users) {
        lines.push(`  ${flat(entryName(user)).padEnd(width)}  ${user.state.padEnd(8)}  ${typeof user.externalId === 'string' ? flat(user.externalId) : '-'}`);
      }
    } else lines.push('  no users');
    const groupWidth = Math.min(40, Math.max(5, ...instance.groups.map((group) => flat(entryName(group)).length)));
    if (instance.groups.length > 0) {
      lines.push(`  ${'group'.padEnd(groupWidth)}  members`);
      for (const group of instance.groups) {
        const members = groupMembers(group, instance.users);
        lines.push(`  ${flat(entryName(group)).padEnd(groupWidth)}  ${members.length === 0 ? '-' : members.map(flat).join(', ')}`);
      }
    } else lines.push('  no groups');
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A table cell: Markdown escaped, no line break. */
function cell(text: string): string {
  return escapeMarkdown(flat(text));
}

/** The editor's Test Sync view: per instance a table of its users and one of its groups. */
export function testReportMarkdown(report: readonly TestedInstance[], scheduleFile: string): string {
  const name = scheduleFile.split(/[\\/]/).pop() ?? scheduleFile;
  const lines = [
    `# ${escapeMarkdown(t('Test sync: {0}', name))}`,
    '',
    escapeMarkdown(t('What a sync would send to Bitwarden now, from bwdc test. Nothing was synced.')),
    '',
  ];
  for (const instance of report) {
    lines.push(`## ${cell(instance.instance)}`, '');
    if (instance.folder !== null) lines.push(`${escapeMarkdown(t('Folder'))}: ${cell(instance.folder)}`, '');
    if (!instance.ok) {
      lines.push(`**${escapeMarkdown(t('Not tested'))}:** ${cell(instance.message ?? '')}`, '');
      continue;
    }
    lines.push(`**${escapeMarkdown(testCounts(instance))}**`, '');
    if (instance.message !== null) lines.push(cell(instance.message), '');
    if (instance.users.length > 0) {
      lines.push(`| ${t('User')} | ${t('State')} | ${t('External ID')} |`, '|---|---|---|');
      for (const user of instance.users) {
        lines.push(`| ${cell(entryName(user))} | ${stateWord(user.state)} | ${typeof user.externalId === 'string' ? cell(user.externalId) : '–'} |`);
      }
      lines.push('');
    } else lines.push(escapeMarkdown(t('No users.')), '');
    if (instance.groups.length > 0) {
      lines.push(`| ${t('Group')} | ${t('Members')} |`, '|---|---|');
      for (const group of instance.groups) {
        const members = groupMembers(group, instance.users);
        lines.push(`| ${cell(entryName(group))} | ${members.length === 0 ? '–' : members.map(cell).join(', ')} |`);
      }
      lines.push('');
    } else lines.push(escapeMarkdown(t('No groups.')), '');
  }
  return lines.join('\n');
}

function stateWord(state: UserState): string {
  switch (state) {
    case 'enabled':
      return t('enabled');
    case 'disabled':
      return t('disabled');
    case 'deleted':
      return t('deleted');
  }
}
