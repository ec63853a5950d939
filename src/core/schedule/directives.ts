import { t } from '../l10n';

/** The directives of format v1, with the documentation hovers and completion show. */

export type DirectiveKey =
  | 'name'
  | 'schedule'
  | 'timezone'
  | 'platform'
  | 'run-as'
  | 'bwdc'
  | 'client-id'
  | 'secret'
  | 'instance'
  | 'env'
  | 'log'
  | 'script'
  | 'timeout'
  | 'scheduler'
  | 'catch-up'
  | 'random-delay'
  | 'notify';

export interface DirectiveInfo {
  readonly key: DirectiveKey;
  readonly required: boolean;
  readonly repeatable: boolean;
  /** Markdown, in the user's language (the table's getters translate when read). */
  readonly summary: string;
  /** Markdown, in the user's language. */
  readonly defaultText: string;
  readonly example: string;
  /** Snippet body for completion (after the key and its blanks). */
  readonly snippet: string;
}

export const DIRECTIVES: readonly DirectiveInfo[] = [
  {
    key: 'name',
    required: false,
    repeatable: false,
    get summary() {
      return t(
        'The job name. It names the crontab block, the Task Scheduler task (`\\bwdc\\<name>`) and the default script and log files. Letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters.',
      );
    },
    get defaultText() {
      return t('the file name without `.bwdc-schedule`');
    },
    example: 'name weekly-sync',
    snippet: '${1:weekly-sync}',
  },
  {
    key: 'schedule',
    required: true,
    repeatable: true,
    get summary() {
      return t(
        'When the sync runs: a 5-field cron expression (minute hour day-of-month month day-of-week) read exactly as Debian cron reads it, or a macro (`@daily`, `@weekly`, `@reboot`, …). Several `schedule` lines mean "run at any of these times".',
      );
    },
    get defaultText() {
      return t('none — required');
    },
    example: 'schedule 0 12 * * 1',
    snippet: '${1:0 12 * * 1}',
  },
  {
    key: 'timezone',
    required: false,
    repeatable: false,
    get summary() {
      return t(
        "The IANA time zone of the machine that runs the job (for example `Europe/Berlin`). Used to show next run times; cron itself always uses the machine's zone.",
      );
    },
    get defaultText() {
      return t("this machine's time zone");
    },
    example: 'timezone Europe/Berlin',
    snippet: '${1:UTC}',
  },
  {
    key: 'platform',
    required: false,
    repeatable: false,
    get summary() {
      return t('Where the job runs: `linux` or `macos` (cron and a bash script) or `windows` (Task Scheduler and a PowerShell script).');
    },
    get defaultText() {
      return t('the operating system VS Code runs on');
    },
    example: 'platform linux',
    snippet: '${1|linux,macos,windows|}',
  },
  {
    key: 'run-as',
    required: false,
    repeatable: false,
    get summary() {
      return t(
        'The account the job runs as. Bitwarden recommends a dedicated `bwdc` user that may use cron (`/etc/cron.allow`) or, on Windows, runs the task "whether the user is logged on or not".',
      );
    },
    get defaultText() {
      return t('the current user');
    },
    example: 'run-as bwdc',
    snippet: '${1:bwdc}',
  },
  {
    key: 'bwdc',
    required: false,
    repeatable: false,
    get summary() {
      return t("The absolute path of the `bwdc` executable. cron's PATH is minimal, so the script always calls bwdc by an absolute path.");
    },
    get defaultText() {
      return t('the `bwdc` found on PATH when the script is generated');
    },
    example: 'bwdc /usr/local/bin/bwdc',
    snippet: '${1:/usr/local/bin/bwdc}',
  },
  {
    key: 'client-id',
    required: true,
    repeatable: false,
    get summary() {
      return t(
        "The organization API key's `client_id`: `organization.` followed by the organization's UUID (Admin Console → Settings → Organization info → API key). It is not a secret; the `client_secret` never goes in this file.",
      );
    },
    get defaultText() {
      return t('none — required');
    },
    example: 'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    snippet: 'organization.${1:00000000-0000-0000-0000-000000000000}',
  },
  {
    key: 'secret',
    required: true,
    repeatable: false,
    get summary() {
      return t(
        'Where the sync script reads the API key `client_secret` at run time — never the secret itself: `file:PATH` (a file only `run-as` can read, mode 0600), `env:NAME` (already in the environment), `keychain:SERVICE` (macOS keychain) or `dpapi:PATH` (Windows, written by Export-Clixml as `run-as`).',
      );
    },
    get defaultText() {
      return t('none — required');
    },
    example: 'secret file:/home/bwdc/.config/bwdc/client_secret',
    snippet: '${1|file:,env:,keychain:,dpapi:|}${2:/home/bwdc/.config/bwdc/client_secret}',
  },
  {
    key: 'instance',
    required: false,
    repeatable: true,
    get summary() {
      return t(
        "A Directory Connector app-data folder holding a `data.json`. Each is synced in the order given, with `BITWARDENCLI_CONNECTOR_APPDATA_DIR` set to it. Relative paths are resolved against this file's folder.",
      );
    },
    get defaultText() {
      return t("none: one sync with the Directory Connector's default app-data folder");
    },
    example: 'instance ./instance-1',
    snippet: '${1:./instance-1}',
  },
  {
    key: 'env',
    required: false,
    repeatable: true,
    get summary() {
      return t(
        'Extra environment for the `bwdc` processes, as `NAME=VALUE` — for example `BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true` (needed on headless Linux, where bwdc cannot reach a keyring under cron) or `NODE_EXTRA_CA_CERTS=/etc/ssl/private-ca.pem`. The script manages `BW_CLIENTID`, `BW_CLIENTSECRET`, `BITWARDENCLI_CONNECTOR_APPDATA_DIR` and `BW_NOINTERACTION` itself.',
      );
    },
    get defaultText() {
      return t('none');
    },
    example: 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
    snippet: '${1:BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS}=${2:true}',
  },
  {
    key: 'log',
    required: false,
    repeatable: false,
    get summary() {
      return t('The log file the script appends to: every line time-stamped and tagged with its instance, rotated when it grows large.');
    },
    get defaultText() {
      return t('`bwdc.log` beside the script');
    },
    example: 'log /home/bwdc/bwdc.log',
    snippet: '${1:/home/bwdc/bwdc.log}',
  },
  {
    key: 'script',
    required: false,
    repeatable: false,
    get summary() {
      return t('Where the generated sync script is written.');
    },
    get defaultText() {
      return t('`bwdcSyncService.sh` (`.ps1` for windows) beside this file');
    },
    example: 'script /home/bwdc/bwdcSyncService.sh',
    snippet: '${1:./bwdcSyncService.sh}',
  },
  {
    key: 'timeout',
    required: false,
    repeatable: false,
    get summary() {
      return t(
        'The longest one instance\'s bwdc calls may take (`30s`, `20m`, `2h`, `1h30m`; 10 seconds to 24 hours). bwdc has no time limit of its own: a sync waiting on a server that never answers would hold its lock for ever and every later run would be skipped. Past the limit the script stops bwdc and everything it started, logs "timed out", releases the lock and goes on with the next instance. On Windows the task\'s run-time limit follows from it.',
      );
    },
    get defaultText() {
      return t('`30m` per instance');
    },
    example: 'timeout 20m',
    snippet: '${1:30m}',
  },
  {
    key: 'scheduler',
    required: false,
    repeatable: false,
    get summary() {
      return t(
        'What starts the job: `cron` (a crontab entry; linux and macos), `systemd` (a timer and a service, `bwdc-schedule systemd units`; linux) or `task` (Task Scheduler; windows). A systemd timer can catch up on runs missed while the machine was off, delay runs at random, follow the `timezone` line and hand the secret file to the job as a credential.',
      );
    },
    get defaultText() {
      return t('`cron` on linux and macos, `task` on windows');
    },
    example: 'scheduler systemd',
    snippet: '${1|cron,systemd,task|}',
  },
  {
    key: 'catch-up',
    required: false,
    repeatable: false,
    get summary() {
      return t(
        'Whether a run missed while the machine was off is made up as soon as it is back: `yes` or `no`. systemd: Persistent=; Task Scheduler: "Run task as soon as possible after a scheduled start is missed". cron has no catch-up.',
      );
    },
    get defaultText() {
      return t('`yes` with systemd and Task Scheduler');
    },
    example: 'catch-up yes',
    snippet: '${1|yes,no|}',
  },
  {
    key: 'random-delay',
    required: false,
    repeatable: false,
    get summary() {
      return t(
        'systemd only: start each run up to this long after its time, at random (`5m`, `1h`; 1 second to 24 hours), so that many machines do not sync at the same moment. RandomizedDelaySec= of the timer.',
      );
    },
    get defaultText() {
      return t('none: on time');
    },
    example: 'random-delay 5m',
    snippet: '${1:5m}',
  },
  {
    key: 'notify',
    required: false,
    repeatable: true,
    get summary() {
      return t(
        "How you hear about a run without reading the log. `ping:URL` pings a monitor such as healthchecks.io: `URL/start` when a run starts, `URL` when it succeeds, `URL/fail` when it fails, the run's summary as the body (10 seconds per try, the secret never in it; a failed ping is logged and changes nothing). `exec:PATH` runs a program after a failed run with the failure summary on its stdin (at most 60 seconds). Test runs notify no one. Independently, cron mails what the script prints, and it prints only when a run fails.",
      );
    },
    get defaultText() {
      return t('none: only the log, and the mail cron sends when a run fails');
    },
    example: 'notify ping:https://hc-ping.com/6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    // The common case; value completion offers exec: as well.
    snippet: 'ping:${1:https://hc-ping.com/uuid}',
  },
];

export const DIRECTIVE_BY_KEY: ReadonlyMap<string, DirectiveInfo> = new Map(DIRECTIVES.map((info) => [info.key, info]));

export const PLATFORMS = ['linux', 'macos', 'windows'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const SCHEDULERS = ['cron', 'systemd', 'task'] as const;
export type Scheduler = (typeof SCHEDULERS)[number];

/** The scheduler of a platform when the file names none: Task Scheduler on Windows, cron elsewhere. */
export function defaultScheduler(platform: Platform): Scheduler {
  return platform === 'windows' ? 'task' : 'cron';
}

/** Whether a scheduler runs on a platform: cron on linux and macos, systemd on linux, task on windows. */
export function schedulerRunsOn(scheduler: Scheduler, platform: Platform): boolean {
  return scheduler === 'task' ? platform === 'windows' : scheduler === 'systemd' ? platform === 'linux' : platform !== 'windows';
}

/** Variables the generated script sets itself; an `env` line may not override them. */
export const MANAGED_ENV = ['BW_CLIENTID', 'BW_CLIENTSECRET', 'BITWARDENCLI_CONNECTOR_APPDATA_DIR', 'BW_NOINTERACTION'] as const;

/**
 * Every variable the generated bash script sets or reads for itself (a unit test holds the
 * script to this list). `secret env:NAME` may not name one: the script would overwrite it,
 * or read its own value as the secret.
 */
export const BASH_SCRIPT_VARIABLES: readonly string[] = [
  'JOB',
  'BWDC',
  'CLIENT_ID',
  'LOG_FILE',
  'LOG_MAX_BYTES',
  'LOG_KEEP',
  'RUN_AS',
  'INSTANCES',
  'LABELS',
  'SECRET',
  'LOCK_HELD',
  'SUMMARY',
  'FAILED',
  'STAMP',
  'RESULT',
  'DEFAULT_FOLDER',
  'LOG_DIR',
  'index',
  'label',
  'folder',
  'status',
  'line',
  'size',
  'i',
  'file',
  'listing',
  'mode',
  'service',
  'lock',
  'LOG_FIRST',
  'BITWARDEN_CONNECTOR_APPDATA_DIR',
  'XDG_CONFIG_HOME',
  'HOME',
  'PATH',
  'BW_SESSION',
  'TIMEOUT',
  'TIMEOUT_TEXT',
  'PLAINTEXT',
  'BWDC_VERSION',
  'STEP_DIR',
  'STEP_PID',
  'STEP_OUTPUT',
  'STEP_STATUS',
  'DEADLINE',
  'DETAIL',
  'WHY',
  'FIX',
  'VERSION_NOTED',
  'NO_SESSION',
  'counts',
  'groups',
  'users',
  'remaining',
  'end',
  'WATCHDOG_PID',
  'kind',
  'last',
  'TMPDIR',
  // The run history's <log>.last.json (write_last_json and its helpers).
  'RUN_START',
  'RUN_END',
  'STOP_REASON',
  'BEGUN',
  'CURRENT_LABEL',
  'CURRENT_FOLDER',
  'MESSAGE',
  'REPORTED_JSON',
  'OK_COUNT',
  'FAILED_COUNT',
  'SKIPPED_COUNT',
  'message',
  'text',
  'out',
  'char',
  'code',
  'entry',
  'rest',
  'token',
  'target',
  'result',
  'start',
  'version',
  'temporary',
  'LOG_BUFFER',
  // Set by systemd for a service with LoadCredential= (scheduler systemd, a file: secret).
  'CREDENTIALS_DIRECTORY',
  // notify lines (ping_all, notify_end, run_notify_exec).
  'PING_NAMES',
  'PING_START',
  'PING_SUCCESS',
  'PING_FAILURE',
  'PING_LIMIT',
  'PING_ERROR',
  'NOTIFY_EXECS',
  'NOTIFY_EXEC_LIMIT',
  'NOTIFIED',
  'SAID',
  'url',
  'body',
  'pid',
  'watchdog',
  'output',
  'BWDC_SYNC_JOB',
  'BWDC_SYNC_LOG',
  'CURL',
  'WGET',
  'started',
  // Test runs (--test: test_instance, count_test_answer, the test result lines).
  'TEST_MODE',
  'TESTED_PATTERN',
  'INSTANCE_JSON',
  'enabled',
  'disabled',
  'deleted',
  'verdict',
];

/** Variables bash keeps for itself (read-only, changed on every use, or read at start-up). */
const SHELL_SPECIAL =
  /^(?:BASH\w*|COMP\w*|LC_\w+|BASHOPTS|BASHPID|COLUMNS|DIRSTACK|ENV|EPOCHREALTIME|EPOCHSECONDS|EUID|FUNCNAME|GROUPS|HISTCMD|HOSTNAME|HOSTTYPE|IFS|LANG|LINENO|LINES|MACHTYPE|OLDPWD|OPTARG|OPTERR|OPTIND|OSTYPE|PIPESTATUS|POSIXLY_CORRECT|PPID|PS[0-4]|PWD|RANDOM|SECONDS|SHELL|SHELLOPTS|SHLVL|SRANDOM|TMOUT|TZ|UID|CDPATH|LOGNAME|USER)$/;

/** Read-only in bash: even a `NAME=value command` prefix fails, so no `env` line may set them. */
export const READ_ONLY_SHELL_VARIABLES: readonly string[] = ['BASHOPTS', 'BASH_VERSINFO', 'EUID', 'PPID', 'SHELLOPTS', 'UID'];

/** Whether `secret env:NAME` would clash with the shell or the generated script. */
export function isReservedSecretVariable(name: string, platform: Platform): boolean {
  if (platform === 'windows') return /^(?:PATH|PATHEXT|SystemRoot|windir|ComSpec|PSModulePath|TEMP|TMP|USERPROFILE|APPDATA)$/i.test(name);
  return BASH_SCRIPT_VARIABLES.includes(name) || SHELL_SPECIAL.test(name);
}

/** Well-known variables offered by completion, with what they do (in the user's language). */
export const KNOWN_ENV: readonly { readonly name: string; readonly value: string; readonly summary: string }[] = [
  {
    name: 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS',
    value: 'true',
    get summary() {
      return t(
        'Keep the session and the directory secrets in data.json instead of the OS keyring. A job started by cron has no desktop keyring (no D-Bus session), so without this bwdc says it logged in and then fails to sync ("Cannot autolaunch D-Bus without X11 $DISPLAY"). Only the exact value `true` counts; keep data.json readable by the run-as user only.',
      );
    },
  },
  {
    name: 'NODE_EXTRA_CA_CERTS',
    value: '/etc/ssl/certs/private-ca.pem',
    get summary() {
      return t("Trust a private CA (a self-hosted Bitwarden server's or the LDAP server's).");
    },
  },
  {
    name: 'https_proxy',
    value: 'http://proxy.example.com:3128',
    get summary() {
      return t('HTTPS proxy for bwdc (lower case only).');
    },
  },
  {
    name: 'http_proxy',
    value: 'http://proxy.example.com:3128',
    get summary() {
      return t('HTTP proxy for bwdc (lower case only).');
    },
  },
  {
    name: 'BITWARDENCLI_CONNECTOR_DEBUG',
    value: 'true',
    get summary() {
      return t("Verbose bwdc output in the log (don't leave it on).");
    },
  },
];
