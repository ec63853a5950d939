import { FileLocks, withLock, type ChangeLocks } from './lock';
import { taskDifferences, taskOutlines, TaskXmlParseError, type TaskPart } from '../core/task/compare';
import { TASK_FOLDER } from '../core/task/xml';
import { t } from '../core/l10n';
import type { ProcessResult, ProcessRunner } from './process';

/**
 * Windows Task Scheduler through Windows PowerShell's ScheduledTasks module (Windows 8/2012+,
 * CRON-FACTS §3.4). Every call is one `powershell.exe … -Command -` whose stdin is a fixed
 * script on ONE line, then the data as JSON on the next line, which the script reads with
 * [Console]::In.ReadLine(). So the run-as password is never on a command line (CRON-FACTS
 * §3.3: `schtasks /RP pw` would put it there), and the script never depends on the data.
 *
 * Why one line: `-Command -` runs stdin statement by statement as if typed at a prompt, and a
 * statement spread over lines is only run after an empty line, or silently not at all
 * (PowerShell/PowerShell#3223, #2068; MicrosoftDocs/PowerShell-Docs#11098). A single complete
 * line runs as soon as it is read; its ReadLine then takes the next stdin line, the data
 * [belief: the console host and [Console]::In share one reader; not run on Windows here].
 *
 * Why the data line is ASCII: Windows PowerShell decodes redirected stdin with the console's
 * OEM code page, not UTF-8, so every non-ASCII character is sent as a JSON \\uXXXX escape,
 * which ConvertFrom-Json decodes. Output comes back the same way: base64 of UTF-8.
 *
 * Failures are decided from what the script prints on its own marker lines — `BWDC-ERROR
 * 0x8007xxxx` (the HRESULT) then exit 3 — never from (localized) message text. The HRESULT is
 * taken from the CIM error's error_Code, the `HRESULT 0x…` in the error's FullyQualifiedErrorId
 * (an identifier, not translated), or the exception's HResult; a CIM "NotFound" status is
 * reported as 0x80070002. Success prints `BWDC-OK` last: a script PowerShell could not parse
 * exits 0 without it (PowerShell/PowerShell#21808), which is then an error, not a success.
 */

export type ScheduledTaskReason = 'access-denied' | 'unknown-user' | 'wrong-password' | 'not-found' | 'powershell-missing' | 'verify-failed' | 'other';

/** A failure with a message meant for the user (never the password). */
export class ScheduledTaskError extends Error {
  constructor(
    message: string,
    readonly reason: ScheduledTaskReason,
  ) {
    super(message);
    this.name = 'ScheduledTaskError';
  }
}

export type TaskStatus = 'installed' | 'different' | 'not-installed';

export const POWERSHELL = 'powershell.exe';
export const POWERSHELL_ARGS: readonly string[] = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', '-'];

/** Exit code of the scripts when they caught an error and printed BWDC-ERROR. */
export const SCRIPT_FAILED = 3;

/**
 * HRESULTs the scripts report, as Win32 errors in facility 7 (0x8007xxxx). Win32 codes from
 * winerror.h (Microsoft "System Error Codes (1300-1699)" and (0-499)): 5 ERROR_ACCESS_DENIED,
 * 1332 ERROR_NONE_MAPPED ("No mapping between account names and security IDs was done"),
 * 1326 ERROR_LOGON_FAILURE ("The user name or password is incorrect"), 2 ERROR_FILE_NOT_FOUND
 * (what Task Scheduler returns for a task or folder that does not exist; CRON-FACTS §3.3
 * "The system cannot find the file specified"), 3 ERROR_PATH_NOT_FOUND (a missing folder).
 */
export const HRESULTS = {
  accessDenied: 0x80070005,
  noneMapped: 0x80070534,
  logonFailure: 0x8007052e,
  fileNotFound: 0x80070002,
  pathNotFound: 0x80070003,
} as const;

export function reasonForHresult(hresult: number): ScheduledTaskReason {
  switch (hresult >>> 0) {
    case HRESULTS.accessDenied:
      return 'access-denied';
    case HRESULTS.noneMapped:
      return 'unknown-user';
    case HRESULTS.logonFailure:
      return 'wrong-password';
    case HRESULTS.fileNotFound:
    case HRESULTS.pathNotFound:
      return 'not-found';
    default:
      return 'other';
  }
}

/** `\bwdc\<name>` → TaskPath `\bwdc\` and TaskName `<name>`, as Register-ScheduledTask takes them (CRON-FACTS §3.4). */
export function splitTaskPath(taskPath: string): { folder: string; name: string } {
  const cut = taskPath.lastIndexOf('\\');
  const folder = taskPath.slice(0, cut + 1);
  const name = taskPath.slice(cut + 1);
  // Only our folder: install, read and remove never touch a task outside \bwdc\.
  if (folder.toLowerCase() !== TASK_FOLDER.toLowerCase() || name === '' || name !== name.trim()) {
    throw new ScheduledTaskError(t('{0} is not a bwdc task path ({1}<name>, no leading or trailing space).', taskPath, TASK_FOLDER), 'other');
  }
  return { folder, name };
}

/** The script's statements, run inside one `& { try { … } catch { … } }` on a single line. */
const PROLOGUE = [
  "$ErrorActionPreference = 'Stop'",
  '$d = [Console]::In.ReadLine() | ConvertFrom-Json',
  "function Out-Bwdc([string]$tag, [string]$text) { [Console]::Out.WriteLine($tag + ' ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text))) }",
];

const ACTIONS = {
  install: ['$null = Register-ScheduledTask -Xml $d.xml -TaskName $d.name -TaskPath $d.folder -User $d.user -Password $d.password -Force -ErrorAction Stop'],
  read: [
    '$xml = Export-ScheduledTask -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop',
    "Out-Bwdc 'BWDC-XML' $xml",
    '$u = ([xml]$xml).Task.Principals.Principal.UserId',
    "if ($u -match '^S-1-') { try { $u = (New-Object System.Security.Principal.SecurityIdentifier $u).Translate([System.Security.Principal.NTAccount]).Value } catch { $u = $null } }",
    "if ($u) { Out-Bwdc 'BWDC-ACCOUNT' $u }",
  ],
  remove: ['Unregister-ScheduledTask -TaskName $d.name -TaskPath $d.folder -Confirm:$false -ErrorAction Stop'],
  start: ['Start-ScheduledTask -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop'],
  stop: ['Stop-ScheduledTask -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop'],
  // State is the task's (Get-ScheduledTask), not the info's; enum names and the round-trip
  // date format are not localized. A task that never ran has no LastRunTime (or 1999-11-30).
  info: [
    '$s = (Get-ScheduledTask -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop).State',
    '$i = Get-ScheduledTaskInfo -TaskName $d.name -TaskPath $d.folder -ErrorAction Stop',
    "Out-Bwdc 'BWDC-STATE' ([string]$s)",
    "if ($i.LastRunTime) { Out-Bwdc 'BWDC-LASTRUN' $i.LastRunTime.ToUniversalTime().ToString('o') }",
    "Out-Bwdc 'BWDC-RESULT' ([string]([int64]$i.LastTaskResult -band 0xFFFFFFFFL))",
  ],
} as const;

/** Finds the HRESULT in the error record and its exception chain; prints it and exits 3. */
const CATCH = [
  '$h = $null',
  '$e = $_.Exception',
  'while ($e -and $h -eq $null) { ' +
    "if ($e.PSObject.Properties['ErrorData'] -and $e.ErrorData -and $e.ErrorData.CimInstanceProperties['error_Code']) { $h = [int64]$e.ErrorData.CimInstanceProperties['error_Code'].Value } " +
    "elseif ($e.PSObject.Properties['NativeErrorCode'] -and [string]$e.NativeErrorCode -eq 'NotFound') { $h = 0x80070002L } " +
    'elseif (($e.HResult -band 0xFFFF0000L) -eq 0x80070000L) { $h = $e.HResult } ' +
    '$e = $e.InnerException }',
  "if ($h -eq $null -and [string]$_.FullyQualifiedErrorId -match 'HRESULT 0x([0-9A-Fa-f]{8})') { $h = [Convert]::ToInt64($Matches[1], 16) }",
  'if ($h -eq $null) { $h = $_.Exception.HResult }',
  "[Console]::Out.WriteLine('BWDC-ERROR 0x' + ([int64]$h -band 0xFFFFFFFFL).ToString('X8'))",
  `exit ${SCRIPT_FAILED}`,
];

export type ScriptAction = keyof typeof ACTIONS;

/** The one-line script for an action. Fixed text: no data is ever spliced into it. */
export function taskScript(action: ScriptAction): string {
  const body = [...PROLOGUE, ...ACTIONS[action], "[Console]::Out.WriteLine('BWDC-OK')", 'exit 0'];
  return `& { try { ${body.join('; ')} } catch { ${CATCH.join('; ')} } }`;
}

/** JSON with every character outside printable ASCII escaped, so the OEM code page cannot garble it. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** stdin for a call: the script line, then the data line. */
export function taskScriptInput(action: ScriptAction, data: Record<string, string>): string {
  return `${taskScript(action)}\r\n${asciiJson(data)}\r\n`;
}

interface ScriptOutput {
  readonly ok: boolean;
  readonly hresult?: number;
  readonly values: ReadonlyMap<string, string>;
}

function parseOutput(stdout: string): ScriptOutput {
  const values = new Map<string, string>();
  let ok = false;
  let hresult: number | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    const marker = /^(BWDC-[A-Z]+)(?: (\S*))?\s*$/.exec(line);
    if (!marker) continue;
    const [, tag, value = ''] = marker;
    if (tag === 'BWDC-OK') ok = true;
    else if (tag === 'BWDC-ERROR' && /^0x[0-9A-Fa-f]{1,8}$/.test(value)) hresult = parseInt(value.slice(2), 16);
    else if (tag !== 'BWDC-ERROR') values.set(tag!, Buffer.from(value, 'base64').toString('utf8'));
  }
  return { ok, ...(hresult !== undefined ? { hresult } : {}), values };
}

const hex = (hresult: number): string => `0x${(hresult >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

/** What (re)installing changes, for a preview: the registered task's parts and the new ones. */
export async function installPreview(
  tasks: ScheduledTasks,
  xml: string,
  taskPath: string,
): Promise<{ readonly registered: string; readonly expected: string; readonly installed: boolean }> {
  const current = await tasks.readWithAccount(taskPath);
  try {
    const outlines = taskOutlines(xml, current?.xml, current?.account ? { registeredAccount: current.account } : {});
    return { ...outlines, installed: current !== undefined };
  } catch (error) {
    if (error instanceof TaskXmlParseError)
      throw new ScheduledTaskError(t('The registered task {0} could not be read: {1}.', taskPath, error.message), 'other');
    throw error;
  }
}

/** A task's run state (Get-ScheduledTask State, Get-ScheduledTaskInfo LastRunTime and LastTaskResult). */
export interface TaskRunInfo {
  /** 'Ready', 'Running', 'Queued', 'Disabled' or 'Unknown'. */
  readonly state: string;
  /** When the last run started (ISO, UTC); undefined when it never ran. */
  readonly lastRun: string | undefined;
  /** The last run's exit code (0x41301 while it runs, 0x41306 when it was terminated). */
  readonly lastResult: number;
}

/** LastTaskResult values Task Scheduler sets itself (winerror.h SCHED_S_*). */
export const TASK_RESULTS = { running: 0x41301, notYetRun: 0x41303, terminated: 0x41306 } as const;

export class ScheduledTasks {
  constructor(
    private readonly runner: ProcessRunner,
    /** Serialises changes to one task across processes (two editor windows, a deployment tool). */
    private readonly locks: ChangeLocks = new FileLocks(),
  ) {}

  /**
   * Registers (or replaces: -Force) the task from the XML as `user` with logon type Password,
   * then reads it back; a registered task that differs from the XML is a 'verify-failed' error.
   */
  install(xml: string, taskPath: string, user: string, password: string): Promise<void> {
    return withLock(this.locks, `task-${taskPath}`, taskPath, () => this.registerAndCheck(xml, taskPath, user, password));
  }

  private async registerAndCheck(xml: string, taskPath: string, user: string, password: string): Promise<void> {
    const { folder, name } = splitTaskPath(taskPath);
    await this.call('install', { xml, folder, name, user, password }, taskPath, user);
    const registered = await this.readWithAccount(taskPath);
    if (!registered) throw new ScheduledTaskError(t('Task Scheduler accepted {0}, but it cannot be read back.', taskPath), 'verify-failed');
    const parts = differences(xml, registered.xml, registered.account);
    if (parts.length > 0) {
      throw new ScheduledTaskError(
        t('{0} was registered, but Task Scheduler reads it back with different {1}. Check it in Task Scheduler (taskschd.msc).', taskPath, parts.join(', ')),
        'verify-failed',
      );
    }
  }

  /** The registered task's XML as Export-ScheduledTask gives it; undefined when there is no such task. */
  async read(taskPath: string): Promise<string | undefined> {
    return (await this.readWithAccount(taskPath))?.xml;
  }

  /** Unregisters our task; false when there was none. */
  remove(taskPath: string): Promise<boolean> {
    const { folder, name } = splitTaskPath(taskPath);
    return withLock(this.locks, `task-${taskPath}`, taskPath, async () => {
      try {
        await this.call('remove', { folder, name }, taskPath);
        return true;
      } catch (error) {
        if (error instanceof ScheduledTaskError && error.reason === 'not-found') return false;
        throw error;
      }
    });
  }

  async status(xml: string, taskPath: string): Promise<TaskStatus> {
    const registered = await this.readWithAccount(taskPath);
    if (!registered) return 'not-installed';
    return differences(xml, registered.xml, registered.account).length === 0 ? 'installed' : 'different';
  }

  /** The parts of the registered task that differ from the XML; undefined when not installed. */
  async drift(xml: string, taskPath: string): Promise<TaskPart[] | undefined> {
    const registered = await this.readWithAccount(taskPath);
    return registered ? differences(xml, registered.xml, registered.account) : undefined;
  }

  /** Starts the registered task now, as Task Scheduler would (its account, its settings). */
  async start(taskPath: string): Promise<void> {
    const { folder, name } = splitTaskPath(taskPath);
    await this.call('start', { folder, name }, taskPath);
  }

  /** Stops the task's running instance (Task Scheduler then records 0x41306, terminated). */
  async stop(taskPath: string): Promise<void> {
    const { folder, name } = splitTaskPath(taskPath);
    await this.call('stop', { folder, name }, taskPath);
  }

  async runInfo(taskPath: string): Promise<TaskRunInfo> {
    const { folder, name } = splitTaskPath(taskPath);
    const values = await this.call('info', { folder, name }, taskPath);
    const state = values.get('BWDC-STATE');
    const result = Number(values.get('BWDC-RESULT'));
    if (state === undefined || !Number.isSafeInteger(result)) {
      throw new ScheduledTaskError(t('PowerShell did not return the run state of {0}.', taskPath), 'other');
    }
    const lastRun = values.get('BWDC-LASTRUN');
    // 1999-11-30 (local) is what Task Scheduler reports for "never ran" on some versions.
    return { state, lastRun: lastRun && !lastRun.startsWith('1999-') ? lastRun : undefined, lastResult: result };
  }

  /** The registered XML and, when its principal is a SID, the account it names; undefined when not installed. */
  async readWithAccount(taskPath: string): Promise<{ xml: string; account?: string } | undefined> {
    const { folder, name } = splitTaskPath(taskPath);
    let values: ReadonlyMap<string, string>;
    try {
      values = await this.call('read', { folder, name }, taskPath);
    } catch (error) {
      if (error instanceof ScheduledTaskError && error.reason === 'not-found') return undefined;
      throw error;
    }
    const xml = values.get('BWDC-XML');
    if (xml === undefined) throw new ScheduledTaskError(t('PowerShell did not return the XML of {0}.', taskPath), 'other');
    const account = values.get('BWDC-ACCOUNT');
    return { xml, ...(account ? { account } : {}) };
  }

  private async call(action: ScriptAction, data: Record<string, string>, taskPath: string, user?: string): Promise<ReadonlyMap<string, string>> {
    let result: ProcessResult;
    try {
      result = await this.runner.run(POWERSHELL, POWERSHELL_ARGS, { input: taskScriptInput(action, data) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ScheduledTaskError(
          t('powershell.exe was not found on PATH; Windows PowerShell 5.1 (with the ScheduledTasks module) is needed.'),
          'powershell-missing',
        );
      }
      throw error;
    }
    const output = parseOutput(result.stdout);
    if (result.code === 0 && output.ok) return output.values;
    // The marker is printed only by the script's catch, which then exits 3; the code is not
    // required to be 3, in case a PowerShell version reports `exit` from -Command - differently.
    if (result.code !== 0 && output.hresult !== undefined) {
      throw new ScheduledTaskError(explain(action, taskPath, output.hresult, user), reasonForHresult(output.hresult));
    }
    throw new ScheduledTaskError(
      t(
        'PowerShell could not {0} {1} (exit {2}). Is the ScheduledTasks module available (Windows 8/Server 2012 or later)?',
        actionWords(action).verb,
        taskPath,
        `${result.code}${output.ok ? '' : t(', no result')}`,
      ),
      'other',
    );
  }
}

function differences(xml: string, registered: string, account: string | undefined): TaskPart[] {
  try {
    return taskDifferences(xml, registered, account ? { registeredAccount: account } : {});
  } catch (error) {
    if (error instanceof TaskXmlParseError) throw new ScheduledTaskError(t('The task XML could not be compared: {0}.', error.message), 'other');
    throw error;
  }
}

/** The action as the verb in a message ("could not install …"). */
function actionWords(action: ScriptAction): { readonly verb: string } {
  switch (action) {
    case 'install':
      return { verb: t('install') };
    case 'read':
      return { verb: t('read') };
    case 'remove':
      return { verb: t('remove') };
    case 'start':
      return { verb: t('start') };
    case 'stop':
      return { verb: t('stop') };
    case 'info':
      return { verb: t('read the run state of') };
  }
}

function explain(action: ScriptAction, taskPath: string, hresult: number, user: string | undefined): string {
  const code = hex(hresult);
  switch (reasonForHresult(hresult)) {
    case 'access-denied':
      return t('Access denied ({0}) when trying to {1} {2}: run it from an elevated (Run as administrator) prompt.', code, actionWords(action).verb, taskPath);
    case 'unknown-user':
      return t(
        'Windows does not know the account {0} ({1}): check the run-as line (HOST\\name or DOMAIN\\name) and that the account exists.',
        user ?? '(run-as)',
        code,
      );
    case 'wrong-password':
      return t(
        'The password for {0} was not accepted ({1}): it is wrong, or the account may not log on as a batch job.',
        user ?? t('the run-as account'),
        code,
      );
    case 'not-found':
      return t('{0} is not registered in Task Scheduler ({1}).', taskPath, code);
    default:
      return t('Task Scheduler could not {0} {1} ({2}).', actionWords(action).verb, taskPath, code);
  }
}
