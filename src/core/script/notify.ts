import { pingUrls, type NotifyTarget } from '../schedule/notify';
import type { SyncJob } from '../schedule/job';
import { powerShellQuote, shellQuote } from './quote';

/**
 * The generated scripts' side of `notify` lines (src/core/schedule/notify.ts): a ping to each
 * monitor when a run starts and when it ends, and the exec programs after a failed run. A job
 * without notify lines gets none of this, so its script stays as it was.
 *
 * What is sent is the run's summary: on success the "run finished" summary, on failure exactly
 * what the script printed for cron to mail. Both are built from the script's own sentences and
 * bwdc's output with the secret already masked, and are masked once more before they leave. The
 * text goes in the request body, fed on stdin — never on a command line, where any user on the
 * machine could read it in ps.
 */

/** Seconds per HTTP try; retries start only within the same span, so a ping blocks at most about twice this. */
export const PING_LIMIT_SECONDS = 10;
/** Seconds an exec program may run before it is stopped. */
export const NOTIFY_EXEC_LIMIT_SECONDS = 60;

/** The HTTP clients the bash script uses, by absolute path (cron's PATH is minimal): curl, else wget. */
export const BASH_CURL = '/usr/bin/curl';
export const BASH_WGET = '/usr/bin/wget';

interface Split {
  readonly pings: readonly string[];
  readonly programs: readonly string[];
}

function split(job: SyncJob): Split {
  const targets: readonly NotifyTarget[] = job.notify ?? [];
  return {
    // Only http(s) URLs reach a script: diagnostics refuse others, and a job is built only from a file without errors.
    pings: targets.flatMap((target) => (target.kind === 'ping' && /^https?:\/\/[^\s]/i.test(target.url) ? [target.url] : [])),
    programs: targets.flatMap((target) => (target.kind === 'exec' && target.path.length > 0 ? [target.path] : [])),
  };
}

export function hasNotify(job: SyncJob): boolean {
  const { pings, programs } = split(job);
  return pings.length > 0 || programs.length > 0;
}

/** The line `say` adds, so that a failure ping and an exec program get what cron mails. */
export function bashSayRecord(job: SyncJob): string[] {
  return hasNotify(job) ? ['  SAID+="bwdc sync $JOB: $1"$\'\\n\''] : [];
}

/** After `run started`: the start ping (never in a test run). */
export function bashStartPing(job: SyncJob): string[] {
  return split(job).pings.length > 0 ? ['if [ -z "$TEST_MODE" ]; then ping_all start "bwdc sync $JOB: run started (pid $$)"; fi'] : [];
}

/** Before the run's last log line: how it ended, to every notify line. */
export function bashNotifyEnd(job: SyncJob, indent: string, status: string, reason?: string): string[] {
  return hasNotify(job) ? [`${indent}notify_end ${status}${reason ? ` ${reason}` : ''}`] : [];
}

export function bashNotifyFunctions(job: SyncJob): string[] {
  const { pings, programs } = split(job);
  if (pings.length === 0 && programs.length === 0) return [];
  const urls = pings.map(pingUrls);
  const array = (name: string, values: readonly string[]): string[] => [`${name}=(`, ...values.map((value) => `  ${shellQuote(value)}`), ')'];
  const lines: string[] = [
    '# --- notify lines ---',
    '# What cron mails (every say line): the body of a failure ping and the stdin of exec programs.',
    'SAID=',
    'NOTIFIED=',
  ];
  if (pings.length > 0) {
    lines.push(
      '# notify ping: monitors in the healthchecks.io style: URL/start, URL on success, URL/fail.',
      "# Where each goes, for the log: its scheme, host and port, never its path (the check's key).",
      ...array(
        'PING_NAMES',
        urls.map((url) => url.display),
      ),
      ...array(
        'PING_START',
        urls.map((url) => url.start),
      ),
      ...array(
        'PING_SUCCESS',
        urls.map((url) => url.success),
      ),
      ...array(
        'PING_FAILURE',
        urls.map((url) => url.failure),
      ),
      `# Seconds per try; retries only start within the same span: a monitor that never answers`,
      '# holds a run up for about twice this, and a failed ping only adds a log line.',
      `PING_LIMIT=${PING_LIMIT_SECONDS}`,
      'PING_ERROR=',
      `CURL=${shellQuote(BASH_CURL)}`,
      `WGET=${shellQuote(BASH_WGET)}`,
      '',
      '# Sends the text as the body of a POST to the URL: curl, else wget, by absolute path, the text',
      '# on stdin (wget: in a private temporary file), never on the command line. PING_ERROR: why not.',
      'send_ping() { # url text',
      '  local body status',
      '  PING_ERROR=',
      '  if [ -x "$CURL" ]; then',
      '    PING_ERROR=$("$CURL" -fsS -g -m "$PING_LIMIT" --retry 2 --retry-max-time "$PING_LIMIT" -o /dev/null --data-binary @- "$1" 2>&1 <<< "$2" 8>&- 9>&-)',
      '    status=$?',
      '    [ "$status" -eq 0 ] && return 0',
      '    PING_ERROR=$(last_line "$PING_ERROR")',
      '    PING_ERROR=${PING_ERROR:-curl exited with $status}',
      '    return 1',
      '  fi',
      '  if [ -x "$WGET" ]; then',
      '    if ! body=$(mktemp "${TMPDIR:-/tmp}/bwdc-ping.XXXXXX" 2> /dev/null); then',
      "      PING_ERROR='cannot create a temporary file for the request body'",
      '      return 1',
      '    fi',
      '    printf \'%s\\n\' "$2" > "$body"',
      '    "$WGET" -q -O /dev/null -T "$PING_LIMIT" -t 2 --waitretry=1 --post-file="$body" "$1" < /dev/null > /dev/null 2>&1 8>&- 9>&-',
      '    status=$?',
      '    rm -f -- "$body"',
      '    [ "$status" -eq 0 ] && return 0',
      '    PING_ERROR="wget exited with $status"',
      '    return 1',
      '  fi',
      '  PING_ERROR="no HTTP client: neither $CURL nor $WGET is installed"',
      '  return 1',
      '}',
      '',
      '# Pings every monitor; one that fails is logged, and the run goes on as if it had answered.',
      'ping_all() { # start|success|failure text',
      '  local i url',
      '  for ((i = 0; i < ${#PING_NAMES[@]}; i++)); do',
      '    case $1 in',
      '      start) url=${PING_START[$i]} ;;',
      '      success) url=${PING_SUCCESS[$i]} ;;',
      '      *) url=${PING_FAILURE[$i]} ;;',
      '    esac',
      '    if ! send_ping "$url" "$2"; then',
      '      log "$JOB" "notify: the $1 ping to ${PING_NAMES[$i]} failed: $PING_ERROR (the run goes on)"',
      '    fi',
      '  done',
      '}',
      '',
    );
  }
  if (programs.length > 0) {
    lines.push(
      '# notify exec: programs run after a failed run, the failure summary on stdin.',
      ...array('NOTIFY_EXECS', programs),
      `NOTIFY_EXEC_LIMIT=${NOTIFY_EXEC_LIMIT_SECONDS}`,
      '',
      '# Runs one program in a process group of its own (so the time limit stops what it started',
      '# too), without the log and lock descriptors; a failure, or the limit, is logged.',
      'run_notify_exec() { # program text',
      '  local output pid watchdog status started',
      '  if [ ! -f "$1" ] || [ ! -x "$1" ]; then',
      '    log "$JOB" "notify: $1 is not an executable file of $(id -un); it was not run"',
      '    return 0',
      '  fi',
      '  output=$(mktemp "${TMPDIR:-/tmp}/bwdc-notify.XXXXXX" 2> /dev/null) || output=',
      '  started=$SECONDS',
      '  set -m',
      '  BWDC_SYNC_JOB=$JOB BWDC_SYNC_LOG=$LOG_FILE "$1" <<< "$2" > "${output:-/dev/null}" 2>&1 8>&- 9>&- &',
      '  pid=$!',
      '  (',
      '    end=$((SECONDS + NOTIFY_EXEC_LIMIT))',
      '    while [ "$SECONDS" -lt "$end" ]; do',
      '      kill -0 -- "-$pid" 2> /dev/null || exit 0',
      '      sleep 1',
      '    done',
      '    kill -TERM -- "-$pid" && sleep 5 && kill -KILL -- "-$pid"',
      '  ) > /dev/null 2>&1 8>&- 9>&- &',
      '  watchdog=$!',
      '  set +m',
      '  wait "$pid"',
      '  status=$?',
      '  kill -TERM -- "-$watchdog" 2> /dev/null',
      '  wait "$watchdog" 2> /dev/null',
      '  if [ "$((SECONDS - started))" -ge "$NOTIFY_EXEC_LIMIT" ]; then',
      '    log "$JOB" "notify: $1 was stopped after $NOTIFY_EXEC_LIMIT seconds"',
      '  elif [ "$status" -ne 0 ]; then',
      '    log "$JOB" "notify: $1 failed (exit $status)${output:+: $(last_line "$(< "$output")")}"',
      '  fi',
      '  if [ -n "$output" ]; then rm -f -- "$output"; fi',
      '}',
      '',
    );
  }
  lines.push(
    "# How the run ended, to every notify line, once; called before the run's last log line so that",
    '# what it logs stays with the run in the history. Test runs notify no one.',
    'notify_end() { # status [reason the run stopped]',
    '  local text',
    '  if [ -n "$NOTIFIED" ] || [ -n "$TEST_MODE" ]; then return 0; fi',
    '  NOTIFIED=1',
    '  # A run stopped by a signal: bwdc first, the notifications after.',
    '  stop_step',
    '  if [ "$1" -eq 0 ]; then',
    '    text="bwdc sync $JOB: run finished: $SUMMARY"',
    '  else',
    '    text="$SAID${2:+bwdc sync $JOB: $2}"',
    "    text=${text%$'\\n'}",
    '  fi',
    '  if [ -n "$SECRET" ]; then text=${text//"$SECRET"/[secret removed]}; fi',
  );
  if (pings.length > 0) lines.push('  if [ "$1" -eq 0 ]; then ping_all success "$text"; else ping_all failure "$text"; fi');
  if (programs.length > 0) {
    lines.push(
      '  if [ "$1" -ne 0 ]; then',
      '    local i',
      '    for ((i = 0; i < ${#NOTIFY_EXECS[@]}; i++)); do run_notify_exec "${NOTIFY_EXECS[$i]}" "$text"; done',
      '  fi',
    );
  }
  lines.push('}', '');
  return lines;
}

/** PowerShell: the same pings (Invoke-WebRequest) and exec programs; test runs notify no one. */
export function powerShellNotifyFunctions(job: SyncJob): string[] {
  const { pings, programs } = split(job);
  if (pings.length === 0 && programs.length === 0) return [];
  const urls = pings.map(pingUrls);
  const list = (values: readonly string[]): string => `@(${values.map(powerShellQuote).join(', ')})`;
  return [
    '# --- notify lines ---',
    '# What Task Scheduler records (every Write-Problem line): the body of a failure ping and the',
    '# stdin of exec programs.',
    '$Said = New-Object System.Collections.ArrayList',
    '$Notified = $false',
    `$PingNames = ${list(urls.map((url) => url.display))}`,
    `$PingStart = ${list(urls.map((url) => url.start))}`,
    `$PingSuccess = ${list(urls.map((url) => url.success))}`,
    `$PingFailure = ${list(urls.map((url) => url.failure))}`,
    `$PingLimit = ${PING_LIMIT_SECONDS}`,
    `$NotifyExecs = ${list(programs)}`,
    `$NotifyExecLimit = ${NOTIFY_EXEC_LIMIT_SECONDS}`,
    '',
    ...(pings.length > 0 ? powerShellPingFunctions() : []),
    ...(programs.length > 0 ? powerShellExecFunction() : []),
    "# How the run ended, to every notify line, once, before the run's last log line. Test runs",
    '# notify no one. After a run stopped by an error, the reason is the last line.',
    'function Send-RunEnd([int]$Status, [string]$Summary, [string]$Reason) {',
    '  if ($script:Notified -or $Test) { return }',
    '  $script:Notified = $true',
    '  $lines = @($script:Said)',
    "  if ($Reason) { $lines += ('bwdc sync {0}: {1}' -f $Job, $Reason) }",
    "  if ($Status -eq 0) { $text = ('bwdc sync {0}: run finished: {1}' -f $Job, $Summary) } else { $text = ($lines -join [Environment]::NewLine) }",
    '  $text = Hide-Secret $text',
    ...(pings.length > 0 ? ["  if ($Status -eq 0) { Send-AllPings 'success' $text } else { Send-AllPings 'failure' $text }"] : []),
    ...(programs.length > 0 ? ['  if ($Status -ne 0) { foreach ($program in $NotifyExecs) { Invoke-NotifyExec $program $text } }'] : []),
    '}',
    '',
  ];
}

function powerShellPingFunctions(): string[] {
  return [
    '# One POST, the text as its body; up to three tries within the time limit. A failed ping is',
    '# logged and changes nothing.',
    'function Send-Ping([string]$Url, [string]$Name, [string]$Kind, [string]$Text) {',
    '  $body = $Utf8.GetBytes($Text)',
    '  $deadline = [DateTime]::UtcNow.AddSeconds($PingLimit)',
    '  for ($try = 1; $try -le 3; $try++) {',
    '    try {',
    "      [void](Invoke-WebRequest -Uri $Url -Method Post -Body $body -ContentType 'text/plain; charset=utf-8' -TimeoutSec $PingLimit -UseBasicParsing)",
    '      return',
    '    } catch {',
    '      $why = Hide-Secret $_.Exception.Message',
    '      if ($try -eq 3 -or [DateTime]::UtcNow -ge $deadline) { break }',
    '      Start-Sleep -Seconds $try',
    '    }',
    '  }',
    "  Write-Log $Job ('notify: the {0} ping to {1} failed: {2} (the run goes on)' -f $Kind, $Name, $why)",
    '}',
    '',
    'function Send-AllPings([string]$Kind, [string]$Text) {',
    '  for ($i = 0; $i -lt $PingNames.Count; $i++) {',
    "    if ($Kind -eq 'start') { $url = $PingStart[$i] } elseif ($Kind -eq 'success') { $url = $PingSuccess[$i] } else { $url = $PingFailure[$i] }",
    '    Send-Ping $url $PingNames[$i] $Kind $Text',
    '  }',
    '}',
    '',
  ];
}

function powerShellExecFunction(): string[] {
  return [
    '# Runs one program with the text on stdin and a time limit (its whole process tree is stopped',
    '# past it); a failure is logged.',
    'function Invoke-NotifyExec([string]$Program, [string]$Text) {',
    '  if (-not [System.IO.File]::Exists($Program)) {',
    "    Write-Log $Job ('notify: {0} does not exist; it was not run' -f $Program)",
    '    return',
    '  }',
    '  try {',
    '    $info = New-Object System.Diagnostics.ProcessStartInfo',
    '    $info.FileName = $Program',
    '    $info.UseShellExecute = $false',
    '    $info.CreateNoWindow = $true',
    '    $info.RedirectStandardInput = $true',
    '    $info.RedirectStandardOutput = $true',
    '    $info.RedirectStandardError = $true',
    "    foreach ($name in @('BW_CLIENTID', 'BW_CLIENTSECRET', 'BW_SESSION')) { $info.EnvironmentVariables.Remove($name) }",
    "    $info.EnvironmentVariables['BWDC_SYNC_JOB'] = $Job",
    "    $info.EnvironmentVariables['BWDC_SYNC_LOG'] = $LogFile",
    '    $process = [System.Diagnostics.Process]::Start($info)',
    '    $out = $process.StandardOutput.ReadToEndAsync()',
    '    $err = $process.StandardError.ReadToEndAsync()',
    '    $process.StandardInput.Write($Text)',
    '    $process.StandardInput.Close()',
    '    if (-not $process.WaitForExit($NotifyExecLimit * 1000)) {',
    "      $taskkill = [System.IO.Path]::Combine([Environment]::SystemDirectory, 'taskkill.exe')",
    '      $null = & $taskkill /T /F /PID $process.Id 2>&1',
    "      Write-Log $Job ('notify: {0} was stopped after {1} seconds' -f $Program, $NotifyExecLimit)",
    '      return',
    '    }',
    '    $process.WaitForExit()',
    '    if ($process.ExitCode -ne 0) {',
    "      Write-Log $Job ('notify: {0} failed (exit {1}): {2}' -f $Program, $process.ExitCode, (Get-LastLine (Hide-Secret ($out.Result + $err.Result))))",
    '    }',
    '  } catch {',
    "    Write-Log $Job ('notify: {0} could not be run: {1}' -f $Program, (Hide-Secret $_.Exception.Message))",
    '  }',
    '}',
    '',
  ];
}

/** The line Write-Problem adds, so that a failure ping and an exec program get what Task Scheduler records. */
export function powerShellSayRecord(job: SyncJob): string[] {
  return hasNotify(job) ? ["  [void]$script:Said.Add(('bwdc sync {0}: {1}' -f $Job, $Message))"] : [];
}

export function powerShellStartPing(job: SyncJob): string[] {
  return split(job).pings.length > 0 ? ["if (-not $Test) { Send-AllPings 'start' ('bwdc sync {0}: run started (pid {1})' -f $Job, $PID) }"] : [];
}

/** Before the run's last log line: how it ended, to every notify line. */
export function powerShellNotifyEnd(job: SyncJob, indent: string, status: string, summary: string, reason: string): string[] {
  return hasNotify(job) ? [`${indent}Send-RunEnd ${status} ${summary} ${reason}`] : [];
}
