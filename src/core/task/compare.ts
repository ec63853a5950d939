import { t } from '../l10n';

/**
 * Whether a registered task still does what the generated XML says: the parts that decide
 * when, as whom and what runs (triggers, principal UserId and LogonType, actions, settings).
 * RegistrationInfo (Date, Author, Description, URI), attributes, element order within a part,
 * whitespace, and elements that only state a schema default are ignored, because Windows adds
 * or drops those when it registers and exports a task [belief: Export-ScheduledTask writes
 * IdleSettings Duration/WaitTimeout and similar defaults the input did not have; not run on
 * Windows here]. Defaults are those of ../shared/task-scheduler.xsd and the Win32 Task
 * Scheduler schema reference (CRON-FACTS §3.2 settings table).
 */

export type TaskPart = 'triggers' | 'principal' | 'actions' | 'settings';

interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

export class TaskXmlParseError extends Error {}

/** Elements and their text; enough XML for Task Scheduler documents (no DTD, no CDATA tricks beyond plain CDATA). */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  const pattern =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  const text = xml.replace(/^\uFEFF/, '');
  while ((match = pattern.exec(text)) !== null) {
    end = pattern.lastIndex;
    const top = stack[stack.length - 1]!;
    const [, cdata, closing, opening, , selfClosing, chars] = match;
    if (cdata !== undefined) top.text += cdata;
    else if (chars !== undefined) top.text += decodeEntities(chars);
    else if (closing !== undefined) {
      if (stack.length === 1 || localName(closing) !== top.name) throw new TaskXmlParseError(t('unexpected </{0}>', closing));
      stack.pop();
    } else if (opening !== undefined) {
      const element: XmlElement = { name: localName(opening), children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (end !== text.length || stack.length !== 1) throw new TaskXmlParseError(t('the task XML is not well formed'));
  return root;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity]!;
  });
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/**
 * RegistrationInfo/Date of a task's XML (what `task install` writes: local time, no zone, as
 * Task Scheduler shows it), or undefined when the task has none or the XML cannot be read.
 */
export function registrationDate(xml: string): string | undefined {
  let document: XmlElement;
  try {
    document = parseXml(xml);
  } catch {
    return undefined;
  }
  const date = child(child(child(document, 'Task'), 'RegistrationInfo'), 'Date')?.text.trim();
  return date && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(date) ? date : undefined;
}

/** Values an element may be left out with, by path from its part ('*' is any trigger type). */
const DEFAULTS: Readonly<Record<string, string>> = {
  '*/Enabled': 'true',
  '*/Repetition/StopAtDurationEnd': 'false',
  '*/Delay': 'PT0M',
  MultipleInstancesPolicy: 'IgnoreNew',
  DisallowStartIfOnBatteries: 'true',
  StopIfGoingOnBatteries: 'true',
  AllowHardTerminate: 'true',
  StartWhenAvailable: 'false',
  RunOnlyIfNetworkAvailable: 'false',
  'IdleSettings/StopOnIdleEnd': 'true',
  'IdleSettings/RestartOnIdle': 'false',
  'IdleSettings/Duration': 'PT10M',
  'IdleSettings/WaitTimeout': 'PT1H',
  AllowStartOnDemand: 'true',
  Enabled: 'true',
  Hidden: 'false',
  RunOnlyIfIdle: 'false',
  WakeToRun: 'false',
  ExecutionTimeLimit: 'PT72H',
  Priority: '7',
  DisallowStartOnRemoteAppSession: 'false',
  UseUnifiedSchedulingEngine: 'false',
};

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * `path=value` for every leaf under an element, sorted (order and layout do not matter).
 * With a defaults prefix, leaves whose value is the schema default are left out: '' for
 * Settings, '*' inside a trigger (any trigger type); none for actions.
 */
function leaves(element: XmlElement | undefined, defaultsPrefix?: string): string[] {
  const out: string[] = [];
  const walk = (node: XmlElement, path: string): void => {
    if (node.children.length > 0) {
      for (const c of node.children) walk(c, `${path}/${c.name}`);
      return;
    }
    const value = normalize(node.text);
    const defaultKey = defaultsPrefix === undefined ? undefined : defaultsPrefix ? `${defaultsPrefix}/${path}` : path;
    if (defaultKey === undefined || DEFAULTS[defaultKey] !== value) out.push(`${path}=${value}`);
  };
  for (const c of element?.children ?? []) walk(c, c.name);
  return out.sort();
}

/** One canonical string per trigger (its type and leaves), sorted. */
function triggers(task: XmlElement | undefined): string[] {
  return (child(task, 'Triggers')?.children ?? []).map((trigger) => `${trigger.name}{${leaves(trigger, '*').join(';')}}`).sort();
}

function actions(task: XmlElement | undefined): string[] {
  return (child(task, 'Actions')?.children ?? []).map((action) => `${action.name}{${leaves(action).join(';')}}`);
}

export interface PrincipalIdentity {
  readonly userId: string;
  readonly logonType: string;
}

function principal(task: XmlElement | undefined): PrincipalIdentity {
  const first = child(child(task, 'Principals'), 'Principal');
  return { userId: normalize(child(first, 'UserId')?.text ?? ''), logonType: normalize(child(first, 'LogonType')?.text ?? '') };
}

/** `bwdc`, `HOST\bwdc` and `bwdc@domain` name the same account for our purpose (as sameAccount in host/secretStore). */
function sameUser(a: string, b: string): boolean {
  const bare = (name: string): string => (name.split('\\').pop() ?? name).split('@')[0]!.toLowerCase();
  return bare(a) === bare(b);
}

export interface CompareOptions {
  /**
   * The registered principal's account name when its UserId is a SID: Windows may store and
   * export the principal as a SID (S-1-5-21-…) rather than the name it was registered with.
   */
  readonly registeredAccount?: string;
}

/** The parts in which the registered task differs from the expected one; [] when it does what the XML says. */
export function taskDifferences(expectedXml: string, registeredXml: string, options: CompareOptions = {}): TaskPart[] {
  const expected = child(parseXml(expectedXml), 'Task');
  const registered = child(parseXml(registeredXml), 'Task');
  const differences: TaskPart[] = [];
  if (triggers(expected).join('\n') !== triggers(registered).join('\n')) differences.push('triggers');
  const want = principal(expected);
  const have = principal(registered);
  const haveUsers = [have.userId, ...(options.registeredAccount ? [options.registeredAccount] : [])];
  // No UserId in the expected XML: the account is the one given at registration, which the XML does not say.
  const userMatches = want.userId === '' || haveUsers.some((user) => sameUser(user, want.userId));
  if (!userMatches || want.logonType !== have.logonType) differences.push('principal');
  if (actions(expected).join('\n') !== actions(registered).join('\n')) differences.push('actions');
  if (leaves(child(expected, 'Settings'), '').join('\n') !== leaves(child(registered, 'Settings'), '').join('\n')) differences.push('settings');
  return differences;
}

/**
 * The parts {@link taskDifferences} compares, one readable line per trigger, action and
 * non-default setting, for a preview diff: what changes when the task is (re)installed. The
 * registered principal is written as the expected account when both name the same account.
 */
export function taskOutlines(
  expectedXml: string,
  registeredXml: string | undefined,
  options: CompareOptions = {},
): { readonly expected: string; readonly registered: string } {
  const expected = child(parseXml(expectedXml), 'Task');
  const want = principal(expected);
  let registered = '';
  if (registeredXml !== undefined) {
    const task = child(parseXml(registeredXml), 'Task');
    const have = principal(task);
    const users = [have.userId, ...(options.registeredAccount ? [options.registeredAccount] : [])];
    const user = want.userId !== '' && users.some((u) => sameUser(u, want.userId)) ? want.userId : (options.registeredAccount ?? have.userId);
    registered = outline(task, { userId: user, logonType: have.logonType });
  }
  return { expected: outline(expected, want), registered };
}

function outline(task: XmlElement | undefined, who: PrincipalIdentity): string {
  const lines = [
    `principal: UserId=${who.userId} LogonType=${who.logonType}`,
    ...triggers(task).map((trigger) => `trigger: ${trigger}`),
    ...actions(task).map((action) => `action: ${action}`),
    ...leaves(child(task, 'Settings'), '').map((setting) => `setting: ${setting}`),
  ];
  return `${lines.join('\n')}\n`;
}
