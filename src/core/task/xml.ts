import * as path from 'path';
import { isoDuration } from '../duration';
import type { CronExpression } from '../cron/parse';
import { t } from '../l10n';
import { assertWithinDay, cronToTriggers, MAX_TRIGGERS, repetitionDurationSeconds, type DaySchedule, type Trigger, type Weekday } from './triggers';

/**
 * What a task is made from: the parts of a sync job Task Scheduler needs. A SyncJob (core/schedule)
 * is one; spelt out here so that this folder does not depend on the schedule file's model.
 */
export interface TaskJob {
  readonly name: string;
  readonly scheduleFile: string;
  readonly schedules: readonly { readonly text: string; readonly expression: CronExpression; readonly line: number }[];
  readonly runAs?: string;
  readonly script: string;
  readonly instances: readonly string[];
  readonly timeoutSeconds: number;
  /** The `catch-up` line (StartWhenAvailable); undefined: yes. */
  readonly catchUp?: boolean;
}

/**
 * The Task Scheduler task (schema 1.2, as Windows exports it) for a sync job. Element order
 * follows the export order, which ../shared/task-scheduler.xsd (dahall/TaskScheduler) requires:
 * in a trigger Repetition, StartBoundary, …, Enabled, then the schedule.
 */

export interface TaskXmlOptions {
  /** The generator's version, named in the description. */
  readonly version: string;
  /**
   * `Password` (default): "Run whether user is logged on or not", password stored by Task
   * Scheduler at registration. `S4U`: no stored password, but no network credentials and no
   * DPAPI, so a `dpapi:` secret cannot be read.
   */
  readonly logonType?: 'Password' | 'S4U';
  /** The StartBoundary date (local, YYYY-MM-DD); triggers are active from then on. */
  readonly startDate?: string;
  /**
   * RegistrationInfo/Date (local, YYYY-MM-DDTHH:MM:SS): when the task was installed, the time
   * its schedule took effect (missed runs are judged from it). A standard element; the task
   * comparison leaves it out (compare.ts), so it never makes an installed task "different".
   */
  readonly registrationDate?: string;
}

export class TaskXmlError extends Error {
  constructor(
    message: string,
    /** The schedule file line (0-based) at fault, when one is. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'TaskXmlError';
  }
}

/** Task Scheduler's folder for our tasks, and a job's task path in it. */
export const TASK_FOLDER = '\\bwdc\\';
/**
 * How long Task Scheduler lets a run go on before it stops it: each instance's `timeout` (the
 * script stops a hung bwdc itself), plus ten minutes for the script's own work. A backstop only.
 */
export function taskTimeLimitSeconds(job: Pick<TaskJob, 'instances' | 'timeoutSeconds'>): number {
  return Math.max(1, job.instances.length) * job.timeoutSeconds + 10 * 60;
}

export function taskPath(job: Pick<TaskJob, 'name'>): string {
  return `${TASK_FOLDER}${job.name}`;
}

const POWERSHELL = '%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const DEFAULT_START_DATE = '2000-01-01';
const MAX_PATH = 260;

/** The triggers of all of a job's schedule lines, duplicates removed; throws TaskXmlError if one cannot be exact. */
export function jobTriggers(job: TaskJob): Trigger[] {
  const triggers: Trigger[] = [];
  const seen = new Set<string>();
  for (const schedule of job.schedules) {
    const plan = cronToTriggers(schedule.expression);
    if (!plan.exact) {
      throw new TaskXmlError(t("schedule '{0}' (line {1}): {2}", schedule.text, schedule.line + 1, plan.reason), schedule.line);
    }
    for (const trigger of plan.triggers) {
      const key = JSON.stringify(trigger);
      if (seen.has(key)) continue;
      seen.add(key);
      triggers.push(trigger);
    }
  }
  if (triggers.length > MAX_TRIGGERS) {
    throw new TaskXmlError(t('The schedule lines together need {0} triggers; Task Scheduler allows {1} per task.', triggers.length, MAX_TRIGGERS));
  }
  return triggers;
}

export function taskXml(job: TaskJob, options: TaskXmlOptions): string {
  const startDate = options.startDate ?? DEFAULT_START_DATE;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) throw new TaskXmlError(t("The start date '{0}' is not YYYY-MM-DD.", startDate));
  const triggers = jobTriggers(job);

  if (job.script.includes('"')) {
    throw new TaskXmlError(t('The script path {0} contains a double quote, which Windows paths cannot contain.', job.script));
  }
  const folder = path.win32.dirname(job.script);
  if (folder.length > MAX_PATH) {
    throw new TaskXmlError(t("The script's folder {0} is longer than {1} characters, the limit of a task's working directory.", folder, MAX_PATH));
  }

  const lines: string[] = [];
  const add = (indent: number, text: string): void => void lines.push(`${'  '.repeat(indent)}${text}`);
  const element = (indent: number, name: string, value: string): void => add(indent, `<${name}>${escapeText(value)}</${name}>`);

  add(0, '<?xml version="1.0" encoding="UTF-16"?>');
  add(0, '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">');
  add(1, '<RegistrationInfo>');
  element(
    2,
    'Description',
    t(
      'bwdc sync job "{0}", generated by bwdc Schedule {1} from {2}. Schedule: {3}. Change the schedule file and reinstall instead of editing this task.',
      job.name,
      options.version,
      job.scheduleFile,
      job.schedules.map((s) => s.text).join('; '),
    ),
  );
  if (options.registrationDate !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(options.registrationDate)) {
      throw new TaskXmlError(t("The registration date '{0}' is not YYYY-MM-DDTHH:MM:SS.", options.registrationDate));
    }
    element(2, 'Date', options.registrationDate);
  }
  element(2, 'URI', taskPath(job));
  add(1, '</RegistrationInfo>');

  add(1, '<Triggers>');
  for (const trigger of triggers) writeTrigger(trigger, startDate, add, element);
  add(1, '</Triggers>');

  add(1, '<Principals>');
  add(2, '<Principal id="Author">');
  if (job.runAs) element(3, 'UserId', job.runAs);
  element(3, 'LogonType', options.logonType ?? 'Password');
  element(3, 'RunLevel', 'LeastPrivilege');
  add(2, '</Principal>');
  add(1, '</Principals>');

  add(1, '<Settings>');
  element(2, 'MultipleInstancesPolicy', 'IgnoreNew');
  element(2, 'DisallowStartIfOnBatteries', 'false');
  element(2, 'StopIfGoingOnBatteries', 'false');
  element(2, 'AllowHardTerminate', 'true');
  element(2, 'StartWhenAvailable', job.catchUp === false ? 'false' : 'true');
  element(2, 'RunOnlyIfNetworkAvailable', 'false');
  add(2, '<IdleSettings>');
  element(3, 'StopOnIdleEnd', 'false');
  element(3, 'RestartOnIdle', 'false');
  add(2, '</IdleSettings>');
  element(2, 'AllowStartOnDemand', 'true');
  element(2, 'Enabled', 'true');
  element(2, 'Hidden', 'false');
  element(2, 'RunOnlyIfIdle', 'false');
  element(2, 'WakeToRun', 'false');
  element(2, 'ExecutionTimeLimit', isoDuration(taskTimeLimitSeconds(job)));
  element(2, 'Priority', '7');
  add(1, '</Settings>');

  add(1, '<Actions Context="Author">');
  add(2, '<Exec>');
  element(3, 'Command', POWERSHELL);
  element(3, 'Arguments', `-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "${job.script}"`);
  element(3, 'WorkingDirectory', folder);
  add(2, '</Exec>');
  add(1, '</Actions>');
  add(0, '</Task>');
  return `${lines.join('\r\n')}\r\n`;
}

type Add = (indent: number, text: string) => void;
type Element = (indent: number, name: string, value: string) => void;

function writeTrigger(trigger: Trigger, startDate: string, add: Add, element: Element): void {
  if (trigger.kind === 'boot') {
    add(2, '<BootTrigger>');
    element(3, 'Enabled', 'true');
    add(2, '</BootTrigger>');
    return;
  }
  assertWithinDay(trigger);
  add(2, '<CalendarTrigger>');
  if (trigger.repetition) {
    add(3, '<Repetition>');
    element(4, 'Interval', minutesDuration(trigger.repetition.intervalMinutes));
    element(4, 'Duration', secondsDuration(repetitionDurationSeconds(trigger.repetition)));
    element(4, 'StopAtDurationEnd', 'false');
    add(3, '</Repetition>');
  }
  const hour = String(Math.floor(trigger.startMinute / 60)).padStart(2, '0');
  const minute = String(trigger.startMinute % 60).padStart(2, '0');
  element(3, 'StartBoundary', `${startDate}T${hour}:${minute}:00`);
  element(3, 'Enabled', 'true');
  writeSchedule(trigger.schedule, add, element);
  add(2, '</CalendarTrigger>');
}

const WEEKDAY_ELEMENTS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTH_ELEMENTS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

function writeSchedule(schedule: DaySchedule, add: Add, element: Element): void {
  const daysOfWeek = (days: readonly Weekday[]): void => {
    add(4, '<DaysOfWeek>');
    // Monday first, as Windows writes them.
    for (const day of [1, 2, 3, 4, 5, 6, 0] as const) if (days.includes(day)) add(5, `<${WEEKDAY_ELEMENTS[day]} />`);
    add(4, '</DaysOfWeek>');
  };
  const months = (list: readonly number[]): void => {
    add(4, '<Months>');
    for (const month of list) add(5, `<${MONTH_ELEMENTS[month - 1]} />`);
    add(4, '</Months>');
  };
  switch (schedule.type) {
    case 'byDay':
      add(3, '<ScheduleByDay>');
      element(4, 'DaysInterval', String(schedule.daysInterval));
      add(3, '</ScheduleByDay>');
      return;
    case 'byWeek':
      add(3, '<ScheduleByWeek>');
      daysOfWeek(schedule.daysOfWeek);
      element(4, 'WeeksInterval', String(schedule.weeksInterval));
      add(3, '</ScheduleByWeek>');
      return;
    case 'byMonth':
      add(3, '<ScheduleByMonth>');
      add(4, '<DaysOfMonth>');
      for (const day of schedule.daysOfMonth) element(5, 'Day', String(day));
      add(4, '</DaysOfMonth>');
      months(schedule.months);
      add(3, '</ScheduleByMonth>');
      return;
    case 'byMonthDayOfWeek':
      add(3, '<ScheduleByMonthDayOfWeek>');
      add(4, '<Weeks>');
      for (const week of schedule.weeks) element(5, 'Week', String(week));
      add(4, '</Weeks>');
      daysOfWeek(schedule.daysOfWeek);
      months(schedule.months);
      add(3, '</ScheduleByMonthDayOfWeek>');
      return;
  }
}

function minutesDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours ? `${hours}H` : ''}${rest || !hours ? `${rest}M` : ''}`;
}

function secondsDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const base = minutesDuration(minutes);
  return rest ? `${minutes ? base : 'PT'}${rest}S` : base;
}

/** Text content and attribute values: the five XML specials, and characters XML 1.0 cannot carry. */
export function escapeText(value: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters XML 1.0 cannot carry
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(value)) {
    throw new TaskXmlError(t('A value contains a control character that XML cannot carry: {0}', JSON.stringify(value)));
  }
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\r/g, '&#13;');
}

/** The file form schtasks /XML expects: UTF-16 little-endian with a byte order mark. */
export function taskXmlUtf16(xml: string): Uint8Array {
  const bytes = new Uint8Array(2 + xml.length * 2);
  bytes[0] = 0xff;
  bytes[1] = 0xfe;
  for (let index = 0; index < xml.length; index++) {
    const code = xml.charCodeAt(index);
    bytes[2 + index * 2] = code & 0xff;
    bytes[3 + index * 2] = code >> 8;
  }
  return bytes;
}
