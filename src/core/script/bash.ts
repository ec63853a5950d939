import type { Platform } from '../schedule/directives';
import type { SyncJob } from '../schedule/job';
import { formatDuration } from '../duration';
import { bashJsonCheckFunction } from './jsonCheck';
import { headerComment, type ScriptHeader } from './header';
import { bashNotifyEnd, bashNotifyFunctions, bashSayRecord, bashStartPing } from './notify';
import { shellQuote } from './quote';

/**
 * The bash sync script for Linux and macOS. It runs unattended under cron, so it never
 * prompts, calls everything by absolute path, and keeps going after a failed instance.
 * macOS ships bash 3.2 and no flock(1): its variant avoids bash 4 features and takes the same
 * flock(2) lock through perl.
 */

/** Rotate the log beyond this size, keeping this many old files. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_KEEP = 3;

export function generateBashScript(job: SyncJob, header: ScriptHeader): string {
  const macos = job.platform === 'macos';
  const labels = instanceLabels(job.instances, job.platform);
  const plaintext = job.env.some((variable) => variable.name === 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS' && variable.value === 'true');
  const lines: string[] = [];
  const add = (...more: string[]): void => {
    lines.push(...more);
  };

  add('#!/bin/bash', ...headerComment(job, header), '');
  if (job.secret.scheme === 'env') {
    // First of all: the variable may have any name, also one this script sets below (INSTANCES,
    // CLIENT_ID), so it is read before anything else, into the script's own name, and removed,
    // so that no process this script starts (id, wc, date) inherits it.
    const target = job.secret.target;
    add(
      "# The secret's variable is read first, before this script sets any variable of its own, and",
      '# removed, so that no process started here inherits it; read_secret checks it.',
      `SECRET=\${${target}-}`,
      // The same name as ours: keep the value, but stop exporting it.
      target === 'SECRET' ? 'export -n SECRET' : `unset ${target}`,
      '',
    );
  }
  add(
    'set -u',
    'set -o pipefail',
    'umask 077',
    // A fixed PATH: cron's is minimal anyway, and nothing found on it should depend on the caller.
    "PATH='/usr/bin:/bin:/usr/sbin:/sbin'",
    'export PATH',
    '',
    `JOB=${shellQuote(job.name)}`,
    `BWDC=${shellQuote(job.bwdc)}`,
    `CLIENT_ID=${shellQuote(job.clientId)}`,
    `LOG_FILE=${shellQuote(job.log)}`,
    `LOG_MAX_BYTES=${LOG_MAX_BYTES}`,
    `LOG_KEEP=${LOG_KEEP}`,
    `RUN_AS=${shellQuote(job.runAs ?? '')}`,
    `# The limit for one instance's bwdc calls (the schedule file's timeout): ${formatDuration(job.timeoutSeconds)}.`,
    `TIMEOUT=${job.timeoutSeconds}`,
    `TIMEOUT_TEXT=${shellQuote(formatDuration(job.timeoutSeconds))}`,
    `# Plaintext secrets mode (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true): bwdc keeps its session in data.json.`,
    `PLAINTEXT=${plaintext ? '1' : "''"}`,
  );
  if (job.instances.length > 0) {
    add('INSTANCES=(');
    for (const folder of job.instances) add(`  ${shellQuote(folder)}`);
    add(')', 'LABELS=(');
    for (const label of labels) add(`  ${shellQuote(label)}`);
    add(')');
  }
  add('');
  if (job.secret.scheme !== 'env') add('SECRET=');
  add(
    '# Variables bwdc must not inherit from whoever started us.',
    'unset BW_CLIENTID BW_CLIENTSECRET BW_SESSION BITWARDENCLI_CONNECTOR_APPDATA_DIR',
    'LOCK_HELD=',
    'LOG_BUFFER=',
    'SUMMARY=',
    'FAILED=0',
    'BWDC_VERSION=',
    'VERSION_NOTED=',
    'NO_SESSION=',
    'STEP_DIR=',
    'STEP_PID=',
    'WATCHDOG_PID=',
    'STEP_OUTPUT=',
    'STEP_STATUS=0',
    'DEADLINE=0',
    '# What <log>.last.json is made of (write_last_json): the run, and each instance as it reports.',
    'RUN_START=',
    'RUN_END=',
    'STOP_REASON=',
    'BEGUN=0',
    'CURRENT_LABEL=',
    'CURRENT_FOLDER=',
    'MESSAGE=',
    'REPORTED_JSON=',
    'OK_COUNT=0',
    'FAILED_COUNT=0',
    'SKIPPED_COUNT=0',
    '',
  );

  add(...timestampFunction(macos));
  add(
    "# To the log, or while another run holds it, to this run's own buffer (see take_log).",
    'log() { # label message',
    '  timestamp',
    `  printf '%s [%s] %s\\n' "$STAMP" "$1" "$2" >> "\${LOG_BUFFER:-$LOG_FILE}"`,
    '  # Under systemd stdout is the journal (it sets JOURNAL_STREAM): the same line goes to journald too.',
    `  if [ -n "\${JOURNAL_STREAM:-}" ]; then printf '%s [%s] %s\\n' "$STAMP" "$1" "$2" || true; fi`,
    '}',
    '',
    '# bwdc\'s own words, line by line after "bwdc: ", with the secret masked in case it ever appears;',
    '# with a third argument, without the lines a successful step always prints.',
    'log_bwdc() { # label text [quiet]',
    '  local line',
    '  while IFS= read -r line || [ -n "$line" ]; do',
    '    if [ -n "${3:-}" ]; then',
    '      case $line in',
    "        'You are logged in!' | 'You have logged out.' | 'Syncing complete.' | 'Synced '*' group(s) and '*' user(s).') continue ;;",
    '      esac',
    '    fi',
    '    if [ -n "$SECRET" ]; then line=${line//"$SECRET"/[secret removed]}; fi',
    '    if [ -n "$line" ]; then log "$1" "bwdc: $line"; fi',
    '  done <<< "$2"',
    '}',
    '',
    '# Where cron mails output, and when the log itself cannot be written.',
    'say() {',
    `  printf 'bwdc sync %s: %s\\n' "$JOB" "$1" >&2`,
    ...bashSayRecord(job),
    '}',
    '',
    'fail() { # message: logs it and stops the whole run',
    '  STOP_REASON=$1',
    ...bashNotifyEnd(job, '  ', '1', '"$1"'),
    '  log "$JOB" "run stopped: $1; exit 1"',
    '  RUN_END=$STAMP',
    '  say "$1"',
    '  finish 1',
    '}',
    '',
    'finish() { # status',
    "  trap '' INT TERM HUP",
    '  stop_step',
    '  release_lock',
    '  if [ -n "$STEP_DIR" ]; then rm -rf -- "$STEP_DIR"; fi',
    '  flush_log',
    '  write_last_json "$1"',
    '  SECRET=',
    '  exit "$1"',
    '}',
    '',
    'rotate_log() {',
    '  local size i',
    '  [ -f "$LOG_FILE" ] || return 0',
    '  size=$(wc -c < "$LOG_FILE") || return 0',
    '  size=${size//[!0-9]/}',
    '  [ "${size:-0}" -gt "$LOG_MAX_BYTES" ] || return 0',
    '  for ((i = LOG_KEEP - 1; i >= 1; i--)); do',
    '    if [ -f "$LOG_FILE.$i" ]; then mv -f -- "$LOG_FILE.$i" "$LOG_FILE.$((i + 1))"; fi',
    '  done',
    '  mv -f -- "$LOG_FILE" "$LOG_FILE.1"',
    '}',
    '',
  );
  add(...historyFunctions(job));
  add(...lockFunctions(macos));
  add(bashJsonCheckFunction(), '');
  add(...readSecretFunction(job));
  add(...bwdcFunctions(job));
  add(...bashNotifyFunctions(job));
  add(...stepFunctions());
  add(...explainFunction());
  add(...testFunctions());
  add(
    '# Logs in; a session an earlier, interrupted run left makes bwdc refuse, so that one is ended first.',
    'log_in() { # folder label',
    '  bwdc_step "$1" login login && return 0',
    '  case $STEP_OUTPUT in',
    "    *'already logged in'*)",
    '      log "$2" "a session of an earlier run was still open (it was stopped halfway); logging it out first"',
    '      bwdc_step "$1" plain logout',
    '      bwdc_step "$1" login login',
    '      ;;',
    '    *) return 1 ;;',
    '  esac',
    '}',
    '',
    "# bwdc's version, from data.json, where bwdc records it at every start: no call of its own.",
    'note_version() { # folder',
    '  [ -z "$VERSION_NOTED" ] || return 0',
    '  VERSION_NOTED=1',
    '  BWDC_VERSION=$(sed -n \'s/.*"installedVersion"[[:space:]]*:[[:space:]]*"\\([^"]*\\)".*/\\1/p\' "$1/data.json" 2> /dev/null | head -n 1)',
    '  BWDC_VERSION=${BWDC_VERSION%% (*}',
    '  log "$JOB" "bwdc ${BWDC_VERSION:-(version not recorded)} ($BWDC)"',
    '}',
    '',
    "# How a failed step ends the instance: logged as a sentence, bwdc's words beside it, then",
    '# logged out (with a minute of its own if the time is up).',
    'step_failed() { # folder label step',
    '  explain "$3"',
    '  reason "$2" "$3 failed: $WHY${FIX:+; $FIX}"',
    '  log_bwdc "$2" "$STEP_OUTPUT"',
    '  DETAIL=$(last_line "$STEP_OUTPUT")',
    '  RESULT="failed: $3: $WHY"',
    '  if [ "$3" != login ]; then',
    '    if [ "$((DEADLINE - SECONDS))" -lt 60 ]; then DEADLINE=$((SECONDS + 60)); fi',
    '    bwdc_step "$1" plain logout || log "$2" "logout failed too (exit $STEP_STATUS); the next run ends that session first"',
    '  fi',
    '  release_lock',
    '}',
    '',
    'last_line() { # text: its last line that is not blank, at most 300 characters',
    '  local line last=',
    '  while IFS= read -r line || [ -n "$line" ]; do',
    '    if [ -n "${line//[[:space:]]/}" ]; then last=$line; fi',
    '  done <<< "$1"',
    '  printf \'%s\' "${last:0:300}"',
    '}',
    '',
    'sync_instance() { # folder label',
    '  local folder=$1 label=$2 status counts groups users',
    '  DETAIL=',
    '  FIX=',
    '  begin_instance "$label" "$folder"',
    '  if [ ! -d "$folder" ]; then',
    '    reason "$label" "skipped: the instance folder $folder does not exist"',
    '    RESULT="skipped: no instance folder"',
    '    return 1',
    '  fi',
    '  acquire_lock "$folder"',
    '  status=$?',
    '  if [ "$status" -eq 2 ]; then',
    '    reason "$label" "skipped: cannot create the lock file in $folder; $(id -un) needs write access to the instance folder"',
    '    RESULT="skipped: instance folder not writable"',
    '    return 1',
    '  elif [ "$status" -ne 0 ]; then',
    '    reason "$label" "skipped: another run is using this instance folder (lock $folder/.bwdc-schedule.lock)"',
    '    RESULT="skipped: locked by another run"',
    '    return 1',
    '  fi',
    '  if [ ! -f "$folder/data.json" ]; then',
    '    reason "$label" "skipped: $folder has no data.json; configure the Directory Connector for it first"',
    '    RESULT="skipped: no data.json"',
    '    release_lock',
    '    return 1',
    '  fi',
    '  json_ok "$folder/data.json"',
    '  status=$?',
    '  if [ "$status" -eq 2 ]; then',
    '    reason "$label" "skipped: cannot read $folder/data.json as $(id -un) (bwdc was not run)"',
    '    RESULT="skipped: data.json not readable"',
    '    release_lock',
    '    return 1',
    '  elif [ "$status" -ne 0 ]; then',
    '    reason "$label" "skipped: $folder/data.json is not valid JSON, and bwdc would reset it to its defaults, losing the configuration; fix it first (bwdc was not run)"',
    '    RESULT="skipped: data.json is not valid JSON"',
    '    release_lock',
    '    return 1',
    '  fi',
    '  DEADLINE=$((SECONDS + TIMEOUT))',
    '  if ! log_in "$folder" "$label"; then',
    '    step_failed "$folder" "$label" login',
    '    return 1',
    '  fi',
    '  note_version "$folder"',
    // In plaintext mode bwdc keeps its session in data.json: none there means it has none.
    '  if [ -n "$PLAINTEXT" ] && ! grep -q \'"accessToken"[[:space:]]*:[[:space:]]*"\' "$folder/data.json" 2> /dev/null; then',
    '    NO_SESSION=1',
    '    step_failed "$folder" "$label" login',
    '    NO_SESSION=',
    '    return 1',
    '  fi',
    '  log "$label" "logged in"',
    '  log_bwdc "$label" "$STEP_OUTPUT" quiet',
    '  if [ -n "$TEST_MODE" ]; then',
    '    test_instance "$folder" "$label" || return 1',
    '  elif ! bwdc_step "$folder" plain sync; then',
    '    step_failed "$folder" "$label" sync',
    '    return 1',
    '  else',
    // "Synced N group(s) and M user(s)." is the last thing bwdc sync prints on success.
    '    counts=${STEP_OUTPUT##*Synced }',
    '    groups=${counts%% group(s)*}',
    '    users=${counts#* and }',
    '    users=${users%% user(s)*}',
    '    case $groups$users in',
    "      *[!0-9]*|'') RESULT='synced' ;;",
    "      00) RESULT='synced: nothing changed since the last sync (0 groups, 0 users)' ;;",
    '      *) RESULT="synced: $groups groups, $users users" ;;',
    '    esac',
    '    log "$label" "$RESULT"',
    '    log_bwdc "$label" "$STEP_OUTPUT" quiet',
    '  fi',
    '  if bwdc_step "$folder" plain logout; then',
    '    log "$label" "logged out"',
    '    log_bwdc "$label" "$STEP_OUTPUT" quiet',
    '  else',
    '    explain logout',
    '    reason "$label" "logout failed: $WHY; the next run ends that session first"',
    '    log_bwdc "$label" "$STEP_OUTPUT"',
    '  fi',
    '  release_lock',
    '  return 0',
    '}',
    '',
    '# --- the run ---',
    '',
    '# `--test` (bwdc-schedule test): a test run, every step of a run but `bwdc test` in place of',
    '# `bwdc sync`. cron starts the script without arguments; anything else is a mistake.',
    'TEST_MODE=',
    'if [ "$#" -eq 1 ] && [ "$1" = --test ]; then',
    '  TEST_MODE=1',
    'elif [ "$#" -ne 0 ]; then',
    '  say "unknown arguments: $*; the script takes none, or --test for a test run (bwdc test instead of bwdc sync)"',
    '  exit 2',
    'fi',
    'if [ -n "$RUN_AS" ] && [ "$(id -un)" != "$RUN_AS" ]; then',
    '  # Writing the log or data.json as another user would break the next scheduled run.',
    '  say "this job runs as $RUN_AS, not as $(id -un); run it with: sudo -u $RUN_AS $0${TEST_MODE:+ --test}"',
    '  exit 1',
    'fi',
    'LOG_DIR=${LOG_FILE%/*}',
    'if [ -n "$LOG_DIR" ] && [ ! -d "$LOG_DIR" ] && ! mkdir -p -- "$LOG_DIR"; then',
    '  say "cannot create the log folder $LOG_DIR"',
    '  exit 1',
    'fi',
    "# Only a log this script wrote is appended to: never data.json or someone else's file.",
    'if [ -s "$LOG_FILE" ]; then',
    '  LOG_FIRST=',
    '  IFS= read -r LOG_FIRST < "$LOG_FILE" 2>/dev/null || true',
    '  case $LOG_FIRST in',
    "    [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' ['*) ;;",
    '    *)',
    '      say "the log $LOG_FILE exists and was not written by this script; nothing is appended to it. Set another log path in the schedule file."',
    '      exit 1',
    '      ;;',
    '  esac',
    'fi',
    'if ! { : >> "$LOG_FILE"; } 2>/dev/null; then',
    '  say "cannot write the log $LOG_FILE"',
    '  exit 1',
    'fi',
    'take_log',
    'if [ -n "$TEST_MODE" ]; then log "$JOB" "run started in test mode (pid $$)"; else log "$JOB" "run started (pid $$)"; fi',
    'RUN_START=$STAMP',
    ...bashStartPing(job),
    'trap \'fail "stopped by a signal (INT)"\' INT',
    'trap \'fail "stopped by a signal (TERM)"\' TERM',
    'trap \'fail "stopped by a signal (HUP)"\' HUP',
    'if [ ! -x "$BWDC" ]; then fail "bwdc not found or not executable at $BWDC"; fi',
    'STEP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bwdc-sync.XXXXXX") || fail "cannot create a temporary folder for bwdc\'s output"',
    'read_secret',
    '',
  );
  if (job.instances.length > 0) {
    add(
      'for ((index = 0; index < ${#INSTANCES[@]}; index++)); do',
      '  RESULT=',
      '  if ! sync_instance "${INSTANCES[$index]}" "${LABELS[$index]}"; then',
      '    FAILED=1',
      '    say "${LABELS[$index]}: $RESULT${FIX:+ — $FIX}${DETAIL:+ (bwdc: $DETAIL)}"',
      '  fi',
      '  report "${LABELS[$index]}" "$RESULT"',
      '  SUMMARY="${SUMMARY:+$SUMMARY; }${LABELS[$index]}: $RESULT"',
      'done',
    );
  } else {
    add(...defaultFolder(macos));
    add(
      'RESULT=',
      'if ! sync_instance "$DEFAULT_FOLDER" default; then',
      '  FAILED=1',
      '  say "default: $RESULT${FIX:+ — $FIX}${DETAIL:+ (bwdc: $DETAIL)}"',
      'fi',
      'report default "$RESULT"',
      'SUMMARY="default ($DEFAULT_FOLDER): $RESULT"',
    );
  }
  add(
    '',
    'if [ "$FAILED" -eq 0 ]; then',
    ...bashNotifyEnd(job, '  ', '0'),
    '  log "$JOB" "run finished: $SUMMARY; exit 0"',
    '  RUN_END=$STAMP',
    'else',
    // Said before the last log line, so that the notify lines get it (notify_end).
    '  say "some instances did not sync: $SUMMARY (details in $LOG_FILE)"',
    ...bashNotifyEnd(job, '  ', '1'),
    '  log "$JOB" "run finished with failures: $SUMMARY; exit 1"',
    '  RUN_END=$STAMP',
    'fi',
    'finish "$FAILED"',
    '',
  );
  return lines.join('\n');
}

/**
 * The lines the run history reads (src/core/history/parse.ts) and `<log>.last.json`, the last
 * run as one element of `bwdc-schedule history --json`, written at the end of every run that
 * started: a temporary file beside it, then mv, so a monitoring tool never reads half of it.
 * JSON is built here without jq, and read back by the tests against the history parser.
 */
function historyFunctions(job: SyncJob): string[] {
  // Instances that never began when the run stopped: failed, for the run's reason.
  const unseen =
    job.instances.length > 0
      ? ['  for ((i = BEGUN; i < ${#LABELS[@]}; i++)); do', '    instance_json "${LABELS[$i]}" "${INSTANCES[$i]}" failed "$STOP_REASON" "" ""', '  done']
      : ['  if [ "$BEGUN" -eq 0 ]; then instance_json default "" failed "$STOP_REASON" "" ""; fi'];
  return [
    '# An instance begins: its folder, for the history.',
    'begin_instance() { # label folder',
    '  CURRENT_LABEL=$1',
    '  CURRENT_FOLDER=$2',
    '  MESSAGE=',
    '  BEGUN=$((BEGUN + 1))',
    '  log "$1" "instance folder: $2"',
    '}',
    '',
    "# A line that says why an instance failed or was skipped: the instance's message in the history.",
    'reason() { # label message',
    '  log "$1" "$2"',
    '  MESSAGE=${2#skipped: }',
    '}',
    '',
    "# An instance's result line, and its entry in <log>.last.json.",
    'report() { # label result',
    "  local kind users='' groups='' message=$MESSAGE",
    '  log "$1" "result: $2"',
    '  case $2 in',
    '    synced*)',
    '      kind=ok',
    '      OK_COUNT=$((OK_COUNT + 1))',
    '      case $2 in',
    "        'synced: nothing changed'*) users=0 groups=0 ;;",
    "        'synced: '*' groups, '*' users')",
    '          groups=${2#synced: }',
    '          groups=${groups%% groups, *}',
    '          users=${2##*, }',
    '          users=${users% users}',
    '          if [[ $groups =~ ^[0-9]+$ && $users =~ ^[0-9]+$ ]]; then',
    '            users=$((10#$users)) groups=$((10#$groups))',
    '          else',
    "            users='' groups=''",
    '          fi',
    '          ;;',
    '      esac',
    '      ;;',
    '    tested*)',
    '      kind=ok',
    '      OK_COUNT=$((OK_COUNT + 1))',
    '      if [[ $2 =~ $TESTED_PATTERN ]]; then users=$((10#${BASH_REMATCH[1]})) groups=$((10#${BASH_REMATCH[2]})); fi',
    '      ;;',
    '    failed*) kind=failed FAILED_COUNT=$((FAILED_COUNT + 1)) message=${MESSAGE:-$2} ;;',
    '    *) kind=skipped SKIPPED_COUNT=$((SKIPPED_COUNT + 1)) message=${MESSAGE:-$2} ;;',
    '  esac',
    '  instance_json "$1" "$CURRENT_FOLDER" "$kind" "$message" "$users" "$groups"',
    // The caller of a test run learns each instance's result on stdout (see test_instance).
    `  if [ -n "$TEST_MODE" ]; then printf 'bwdc-schedule test result %s %s\\n' "$BEGUN" "$INSTANCE_JSON"; fi`,
    '  CURRENT_LABEL=',
    '  CURRENT_FOLDER=',
    '  MESSAGE=',
    '}',
    '',
    '# Sets the variable to the text as a JSON string (backslash, quote and control characters',
    '# escaped), or to null for an empty text. Character by character: the same in bash 3.2 and 5.',
    'json_string() { # text variable',
    "  local text=$1 out='' char code i",
    '  if [ -z "$text" ]; then',
    '    printf -v "$2" \'%s\' null',
    '    return',
    '  fi',
    '  for ((i = 0; i < ${#text}; i++)); do',
    '    char=${text:i:1}',
    '    case $char in',
    '      \\" | \\\\) out+="\\\\$char" ;;',
    '      [[:cntrl:]])',
    `        printf -v code '\\\\u%04x' "'$char"`,
    '        out+=$code',
    '        ;;',
    '      *) out+=$char ;;',
    '    esac',
    '  done',
    `  printf -v "$2" '"%s"' "$out"`,
    '}',
    '',
    '# Tokens shaped like an API secret (24 to 64 letters and digits, mixed case, a digit) replaced, as',
    "# the history output does (src/core/redact.ts): bwdc's words reach .last.json, read by other tools.",
    'redact_tokens() { # text variable',
    "  local rest=$1 out='' token",
    '  while [[ $rest =~ [A-Za-z0-9]{24,} ]]; do',
    '    token=${BASH_REMATCH[0]}',
    '    out+=${rest%%"$token"*}',
    '    rest=${rest#*"$token"}',
    `    if [ "\${#token}" -le 64 ] && [[ $token =~ [a-z] ]] && [[ $token =~ [A-Z] ]] && [[ $token =~ [0-9] ]]; then token='[secret removed]'; fi`,
    '    out+=$token',
    '  done',
    `  printf -v "$2" '%s' "$out$rest"`,
    '}',
    '',
    'instance_json() { # label folder result message users groups',
    '  local label folder message entry text',
    '  json_string "$1" label',
    '  json_string "$2" folder',
    '  redact_tokens "$4" text',
    '  json_string "$text" message',
    `  printf -v entry '{"label":%s,"folder":%s,"result":"%s","message":%s,"users":%s,"groups":%s}' "$label" "$folder" "$3" "$message" "\${5:-null}" "\${6:-null}"`,
    '  INSTANCE_JSON=$entry',
    '  REPORTED_JSON+="${REPORTED_JSON:+,}$entry"',
    '}',
    '',
    'write_last_json() { # status',
    '  local result start end version target="$LOG_FILE.last.json" temporary',
    '  [ -n "$RUN_START" ] || return 0',
    '  if [ -n "$STOP_REASON" ]; then',
    '    # The instance it was in, and those it never began: failed, for the reason it stopped.',
    '    if [ -n "$CURRENT_LABEL" ]; then instance_json "$CURRENT_LABEL" "$CURRENT_FOLDER" failed "$STOP_REASON" "" ""; fi',
    ...unseen,
    '    result=failed',
    '  elif [ "$FAILED_COUNT" -gt 0 ]; then result=failed',
    '  elif [ "$OK_COUNT" -gt 0 ] && [ "$SKIPPED_COUNT" -eq 0 ]; then result=ok',
    '  elif [ "$SKIPPED_COUNT" -gt 0 ]; then result=skipped',
    '  elif [ "$1" -eq 0 ]; then result=ok',
    '  else result=failed',
    '  fi',
    `  if [ -n "$TEST_MODE" ]; then result='test'; fi`,
    '  json_string "$RUN_START" start',
    '  json_string "$RUN_END" end',
    '  json_string "$BWDC_VERSION" version',
    '  if [ -d "$target" ]; then',
    '    say "cannot write $target: it is a folder"',
    '    return 0',
    '  fi',
    '  if ! temporary=$(mktemp "$target.XXXXXX" 2> /dev/null); then',
    '    say "cannot write $target"',
    '    return 0',
    '  fi',
    `  if ! { printf '{"start":%s,"end":%s,"result":"%s","bwdcVersion":%s,"instances":[%s]}\\n' "$start" "$end" "$result" "$version" "$REPORTED_JSON" > "$temporary" && mv -f -- "$temporary" "$target"; }; then`,
    '    rm -f -- "$temporary"',
    '    say "cannot write $target"',
    '  fi',
    '}',
    '',
  ];
}

/**
 * Each bwdc call runs in a process group of its own with what is left of the instance's time:
 * past it the whole group (bwdc and whatever it started) gets TERM, and KILL ten seconds later.
 * The call gets no copy of the lock's descriptor, so a bwdc that outlives us cannot hold it.
 */
function stepFunctions(): string[] {
  return [
    '# Runs one bwdc step for an instance within what is left of its time: the output (the secret',
    '# masked) in STEP_OUTPUT, the status in STEP_STATUS, 124 when it timed out.',
    'bwdc_step() { # folder, login|plain, arguments...',
    '  local folder=$1 kind=$2 remaining',
    '  shift 2',
    '  remaining=$((DEADLINE - SECONDS))',
    '  STEP_OUTPUT=',
    '  if [ "$remaining" -le 0 ]; then',
    '    STEP_STATUS=124',
    '    return 124',
    '  fi',
    '  rm -f -- "$STEP_DIR/timed-out"',
    '  set -m',
    '  "bwdc_$kind" "$folder" "$@" < /dev/null > "$STEP_DIR/output" 2>&1 8>&- 9>&- &',
    '  STEP_PID=$!',
    // The watchdog ends with the step, also one this script no longer waits for (a killed run).
    '  (',
    '    end=$((SECONDS + remaining))',
    '    while [ "$SECONDS" -lt "$end" ]; do',
    '      kill -0 -- "-$STEP_PID" 2> /dev/null || exit 0',
    '      sleep 1',
    '    done',
    '    : > "$STEP_DIR/timed-out"',
    '    kill -TERM -- "-$STEP_PID" && sleep 10 && kill -KILL -- "-$STEP_PID"',
    '  ) > /dev/null 2>&1 8>&- 9>&- &',
    '  WATCHDOG_PID=$!',
    '  set +m',
    '  wait "$STEP_PID"',
    '  STEP_STATUS=$?',
    '  STEP_PID=',
    '  kill -TERM -- "-$WATCHDOG_PID" 2> /dev/null',
    '  wait "$WATCHDOG_PID" 2> /dev/null',
    '  WATCHDOG_PID=',
    '  if [ -e "$STEP_DIR/timed-out" ]; then STEP_STATUS=124; fi',
    '  STEP_OUTPUT=$(< "$STEP_DIR/output")',
    '  : > "$STEP_DIR/output"',
    '  if [ -n "$SECRET" ]; then STEP_OUTPUT=${STEP_OUTPUT//"$SECRET"/[secret removed]}; fi',
    '  return "$STEP_STATUS"',
    '}',
    '',
    '# Stops the step that is running (an interrupted run leaves no bwdc behind).',
    'stop_step() {',
    '  if [ -n "$STEP_PID" ]; then',
    '    kill -TERM -- "-$STEP_PID" 2> /dev/null',
    '    STEP_PID=',
    '  fi',
    '  if [ -n "$WATCHDOG_PID" ]; then',
    '    kill -TERM -- "-$WATCHDOG_PID" 2> /dev/null',
    '    WATCHDOG_PID=',
    '  fi',
    '}',
    '',
  ];
}

/**
 * What a failed step means, as a sentence for the log and for the mail cron sends: bwdc says
 * `{"response":{"error":"invalid_client"}…}` for a wrong secret and `fetch failed` for a server it
 * cannot reach (test/realbwdc/FACTS.md), which point nowhere near the fix.
 */
function explainFunction(): string[] {
  return [
    '# WHY: what a failed step means, in a few words; FIX: what to do about it.',
    'explain() { # step',
    '  FIX=',
    '  if [ "$STEP_STATUS" -eq 124 ]; then',
    '    WHY="timed out after $TIMEOUT_TEXT"',
    '    FIX="bwdc and everything it started were stopped; if a sync needs longer, raise the timeout line"',
    '    return',
    '  fi',
    '  if [ -n "$NO_SESSION" ]; then',
    '    WHY="bwdc said it logged in, but kept no session in data.json"',
    '    FIX="check that the line \'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\' is in the schedule file, spelt exactly so"',
    '    return',
    '  fi',
    '  case $STEP_OUTPUT in',
    "    *'Cannot autolaunch D-Bus'* | *'locked collection'* | *libsecret* | *'Secret Service'* | *freedesktop.secrets* | *'keychain is unavailable'*)",
    '      WHY="bwdc could not use the OS keyring"',
    '      FIX="a job started by cron has none: add the line \'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\' to the schedule file" ;;',
    '    *invalid_client*)',
    '      WHY="the client secret was rejected"',
    '      FIX="check the client-id line and the secret the secret line points to (Admin Console, Organization info, View API key)" ;;',
    "    *'request to http'* | *'fetch failed'* | *'getaddrinfo'* | *EAI_AGAIN*)",
    '      WHY="the Bitwarden server could not be reached"',
    '      FIX="check the server address (bwdc config server) and the network" ;;',
    "    *'self signed certificate'* | *'self-signed certificate'* | *'unable to verify'* | *'unable to get local issuer'* | *CERT_*)",
    '      WHY="the server\'s TLS certificate is not trusted"',
    '      FIX="for a private CA add the line \'env NODE_EXTRA_CA_CERTS=/path/to/ca.pem\'" ;;',
    "    *'An unhandled server error has occurred'*)",
    '      WHY="the Bitwarden server failed with an internal error"',
    '      FIX="try again later" ;;',
    "    *'You are not logged in'*)",
    '      if [ "$1" = sync ] && [ -z "$PLAINTEXT" ]; then',
    '        # Right after a login that said it worked: the session went to a keyring that is not there.',
    '        WHY="bwdc lost the session it had just opened (it keeps it in the OS keyring)"',
    '        FIX="a job started by cron has no keyring: add the line \'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\' to the schedule file"',
    '      else',
    '        WHY="bwdc had no session"',
    '        FIX="the server ended it, or data.json lost it; the next run logs in afresh"',
    '      fi',
    '      ;;',
    "    *'Organization not set'*)",
    '      WHY="data.json names no organization"',
    '      FIX="log in once with the Directory Connector desktop app (a set-up made only with the CLI of 2026.4 or older never saves it)" ;;',
    "    *'No directory configured'* | *'Directory configuration incomplete'* | *'Username/password are not configured'*)",
    '      WHY="the directory settings in data.json are incomplete"',
    '      FIX="finish them in the Directory Connector" ;;',
    '    *InvalidCredentials*)',
    '      WHY="the directory refused the bind user\'s name or password"',
    '      FIX="correct them in the Directory Connector" ;;',
    '    *ECONNREFUSED* | *ETIMEDOUT* | *ENOTFOUND* | *EHOSTUNREACH*)',
    '      WHY="the directory server could not be reached"',
    '      FIX="check its host and port in data.json" ;;',
    '    *)',
    '      if [ "$1" = sync ] && [ -n "$STEP_OUTPUT" ]; then WHY="the server or the directory refused it"; else WHY="bwdc $1 exited with $STEP_STATUS"; fi',
    '      ;;',
    '  esac',
    '}',
    '',
  ];
}

/**
 * A test run's step (`--test`): `bwdc test` prints on stdout, as one JSON object, what a sync
 * would send (test/realbwdc/FACTS.md "bwdc test printed"). The log gets only its counts, never
 * the user lists; the JSON goes to the caller on the script's stdout between marker lines.
 */
function testFunctions(): string[] {
  return [
    '# bwdc with its stdout (a JSON answer) apart from its stderr: the file json in STEP_DIR.',
    '# shellcheck disable=SC2317 # called through bwdc_step',
    'bwdc_json() { # folder, arguments...',
    '  bwdc_plain "$@" > "$STEP_DIR/json"',
    '}',
    '',
    '# The counts of `bwdc test`\'s answer: "GROUPS ENABLED DISABLED DELETED ok", from a token stream',
    '# (strings and brackets, grep -o) and a depth count (awk), so a name holding a bracket or a quote',
    '# cannot miscount; without jq or node, which servers may lack. "bad": not a JSON object.',
    'count_test_answer() { # file',
    `  LC_ALL=C grep -oE '"([^"\\\\]|\\\\.)*"|[][{}:]' -- "$1" | LC_ALL=C awk -- '`,
    '    NR == 1 && $0 != "{" { bad = 1 }',
    '    $0 == "{" || $0 == "[" {',
    '      depth++',
    '      if (depth == 2) list = ($0 == "[" ? key : "")',
    '      if (depth == 3 && $0 == "{" && list != "") count[list]++',
    '      next',
    '    }',
    '    $0 == "}" || $0 == "]" { depth--; if (depth < 0) bad = 1; next }',
    '    $0 == ":" { if (depth == 1) key = last; next }',
    '    depth == 1 { last = $0 }',
    '    END {',
    '      printf "%d %d %d %d", count["\\"groups\\""], count["\\"enabledUsers\\""], count["\\"disabledUsers\\""], count["\\"deletedUsers\\""]',
    '      print ((NR > 0 && !bad && depth == 0) ? " ok" : " bad")',
    "    }'",
    '}',
    "TESTED_PATTERN='^tested: ([0-9]+) users .*, ([0-9]+) groups$'",
    '',
    "# A test run's instance: `bwdc test` in place of `bwdc sync`. Its answer goes to this script's",
    '# stdout between marker lines, for the caller (bwdc-schedule test), and never to the log: user',
    '# lists are not log material. Stdout rather than a file in a folder the caller names, because',
    '# the script runs as the run-as user and the caller is often root or someone else: a pipe needs',
    '# no folder both may write, leaves no user list on disk when a run is killed, and cannot be',
    '# read by a third user. cron never passes --test, so its mail stays empty on success.',
    'test_instance() { # folder label',
    '  local groups enabled disabled deleted verdict',
    '  if ! bwdc_step "$1" json test; then',
    '    step_failed "$1" "$2" test',
    '    return 1',
    '  fi',
    '  read -r groups enabled disabled deleted verdict <<< "$(count_test_answer "$STEP_DIR/json")"',
    '  if [ "${verdict:-}" = ok ]; then',
    '    RESULT="tested: $((enabled + disabled + deleted)) users ($enabled enabled, $disabled disabled, $deleted deleted), $groups groups"',
    '  else',
    "    RESULT='tested: bwdc test printed no JSON object (see its answer in bwdc-schedule test)'",
    '  fi',
    '  log "$2" "$RESULT"',
    '  log_bwdc "$2" "$STEP_OUTPUT"',
    '  printf \'bwdc-schedule test output begin %s\\n\' "$BEGUN"',
    '  cat -- "$STEP_DIR/json"',
    '  printf \'\\nbwdc-schedule test output end %s\\n\' "$BEGUN"',
    '  : > "$STEP_DIR/json"',
    '}',
    '',
  ];
}

function timestampFunction(macos: boolean): string[] {
  // %z gives +0100; ISO 8601's extended format (and RFC 3339) write the offset as +01:00.
  const offsetColon = '  STAMP="${STAMP%??}:${STAMP#"${STAMP%??}"}"';
  return macos
    ? ['# An ISO 8601 time with its offset, e.g. 2025-01-01T12:00:00+01:00.', 'timestamp() {', '  STAMP=$(date +%Y-%m-%dT%H:%M:%S%z)', offsetColon, '}', '']
    : [
        '# An ISO 8601 time with its offset, e.g. 2025-01-01T12:00:00+01:00. printf %(...)T is a bash',
        '# builtin: no process per log line.',
        'timestamp() {',
        "  printf -v STAMP '%(%Y-%m-%dT%H:%M:%S%z)T' -1",
        offsetColon,
        '}',
        '',
      ];
}

function lockFunctions(macos: boolean): string[] {
  // macOS has no flock(1), so perl (in every macOS) takes the same flock(2) lock on the file this
  // shell holds open as fd 9. The lock belongs to that open file, not to perl: it holds until the
  // shell closes fd 9 or dies, like flock(1)'s. No PID files, so no stale lock and no race over one.
  const take = macos
    ? '  if ! /usr/bin/perl -MFcntl=:flock -e \'open(my $lock, ">>&=", 9) or exit 2; flock($lock, LOCK_EX | LOCK_NB) or exit 1\'; then'
    : '  if ! flock -n 9; then';
  const takeLog = macos
    ? '  if /usr/bin/perl -MFcntl=:flock -e \'open(my $lock, ">>&=", 8) or exit 2; flock($lock, LOCK_EX | LOCK_NB) or exit 1\'; then return 0; fi'
    : '  if flock -n 8; then return 0; fi';
  return [
    '# One run writes the log at a time (a lock on the log, fd 8, held to the end): a run that starts',
    '# while another holds it (a slow sync, another job with the same log) keeps its lines in a',
    "# buffer and appends them in one piece when it ends, so no two runs' lines interleave. The",
    '# holder rotates the log first, then locks the log it writes from then on.',
    'take_log() {',
    '  if exec 8>> "$LOG_FILE" && lock_log; then',
    '    rotate_log',
    '    exec 8>> "$LOG_FILE" && lock_log && return 0',
    '  fi',
    '  LOG_BUFFER=$(mktemp "${TMPDIR:-/tmp}/bwdc-sync-log.XXXXXX" 2> /dev/null) || LOG_BUFFER=',
    '}',
    '',
    'lock_log() {',
    takeLog,
    '  return 1',
    '}',
    '',
    'flush_log() {',
    '  if [ -n "$LOG_BUFFER" ]; then',
    '    cat -- "$LOG_BUFFER" >> "$LOG_FILE"',
    '    rm -f -- "$LOG_BUFFER"',
    '    LOG_BUFFER=',
    '  fi',
    '}',
    '',
    '# One lock per instance folder (flock, released when the file descriptor closes, also if this',
    '# script is killed), so two runs or two jobs never use one data.json at once.',
    'acquire_lock() { # folder; 1: held by another run, 2: cannot create the lock file',
    '  local lock="$1/.bwdc-schedule.lock"',
    '  { : >> "$lock"; } 2>/dev/null || return 2',
    '  exec 9>> "$lock" || return 2',
    take,
    '    exec 9>&-',
    '    return 1',
    '  fi',
    '  LOCK_HELD=1',
    '}',
    '',
    'release_lock() {',
    '  if [ -n "$LOCK_HELD" ]; then',
    '    exec 9>&-',
    '    LOCK_HELD=',
    '  fi',
    '}',
    '',
  ];
}

/**
 * Under the systemd service, LoadCredential=client_secret:FILE has systemd (as root) copy the
 * secret file into a folder only this service can read ($CREDENTIALS_DIRECTORY, on a ramfs): the
 * file itself may then stay readable by root alone, and its owner and mode are systemd's concern.
 * Run by hand or by cron, there is no such folder and the file is read as always.
 */
function credentialLines(): string[] {
  return [
    '  if [ -n "${CREDENTIALS_DIRECTORY:-}" ] && [ -f "$CREDENTIALS_DIRECTORY/client_secret" ]; then',
    '    IFS= read -r SECRET < "$CREDENTIALS_DIRECTORY/client_secret" || [ -n "$SECRET" ] || fail "the systemd credential client_secret (from $file) is empty"',
    "    SECRET=${SECRET%$'\\r'}",
    '    if [ -z "$SECRET" ]; then fail "the systemd credential client_secret (from $file) is empty"; fi',
    '    return 0',
    '  fi',
  ];
}

function readSecretFunction(job: SyncJob): string[] {
  const secret = job.secret;
  const header = ['# Reads the API key secret into a shell variable: no command line, no environment.', 'read_secret() {'];
  switch (secret.scheme) {
    case 'file':
      return [
        ...header,
        `  local file=${shellQuote(secret.target)} listing mode folder`,
        ...(job.scheduler === 'systemd' ? credentialLines() : []),
        '  if [ ! -e "$file" ]; then',
        '    # Missing, or behind a folder this user may not enter: say which, they need different fixes.',
        '    folder=${file%/*}',
        '    while [ -n "$folder" ] && [ ! -e "$folder" ]; do folder=${folder%/*}; done',
        '    if [ -d "${folder:-/}" ] && [ ! -x "${folder:-/}" ]; then',
        '      fail "the secret file $file is not readable by $(id -un): it may not enter the folder ${folder:-/} (the folders on the way must belong to $(id -un) or let it in)"',
        '    fi',
        '    fail "the secret file $file does not exist; store the secret with bwdc-schedule secret store"',
        '  fi',
        '  if [ ! -f "$file" ]; then fail "the secret file $file is not a file"; fi',
        '  if [ ! -r "$file" ]; then fail "the secret file $file is not readable by $(id -un); it must belong to $(id -un) with mode 600"; fi',
        '  if [ ! -O "$file" ]; then fail "the secret file $file is not owned by $(id -un); it must belong to the user the job runs as"; fi',
        '  listing=$(LC_ALL=C ls -ldn -- "$file") || fail "cannot inspect the secret file $file"',
        '  mode=${listing%% *}',
        '  case $mode in',
        '    -r[w-]-------|-r[w-]-------.|-r[w-]-------@) ;;',
        '    *) fail "the secret file $file must be readable by its owner only (chmod 600 \\"$file\\"); its mode is $mode" ;;',
        '  esac',
        '  folder=${file%/*}',
        '  listing=$(LC_ALL=C ls -ldn -- "${folder:-/}") || fail "cannot inspect the folder of the secret file"',
        '  mode=${listing%% *}',
        '  case $mode in',
        '    ?????w????*|????????w?*) fail "the folder ${folder:-/} can be written by others, so the secret file could be replaced; use a private folder" ;;',
        '  esac',
        '  IFS= read -r SECRET < "$file" || [ -n "$SECRET" ] || fail "the secret file $file is empty"',
        "  SECRET=${SECRET%$'\\r'}",
        '  if [ -z "$SECRET" ]; then fail "the secret file $file is empty"; fi',
        '}',
        '',
      ];
    case 'env':
      // Taken from the environment at the top of the script; only checked here.
      return [
        ...header,
        `  if [ -z "$SECRET" ]; then fail "the environment variable ${secret.target} is empty or not set; the scheduler must provide it"; fi`,
        '}',
        '',
      ];
    case 'keychain':
      return [
        ...header,
        `  local service=${shellQuote(secret.target)} status`,
        '  SECRET=$(/usr/bin/security find-generic-password -s "$service" -w 2>/dev/null)',
        '  status=$?',
        '  if [ "$status" -ne 0 ] || [ -z "$SECRET" ]; then',
        '    fail "cannot read the keychain item $service (security exit $status): the login keychain is locked when nobody is logged in, or the item does not trust /usr/bin/security"',
        '  fi',
        '}',
        '',
      ];
    case 'dpapi':
      throw new Error('dpapi: secrets are read by the PowerShell script; the bash script cannot use them');
  }
}

function bwdcFunctions(job: SyncJob): string[] {
  const extra = job.env.map((variable) => `${variable.name}=${shellQuote(variable.value)}`);
  const prefix = (first: string[]): string[] => [...first, 'BW_NOINTERACTION=true', ...extra].map((assignment) => `  ${assignment} \\`);
  return [
    '# bwdc with its environment set for this one process only (prefix assignments are not exported',
    '# to anything else). The secret goes to `bwdc login` and nowhere else.',
    '# shellcheck disable=SC2317 # called through bwdc_step',
    'bwdc_plain() { # folder, arguments...',
    '  local folder=$1',
    '  shift',
    ...prefix(['BITWARDENCLI_CONNECTOR_APPDATA_DIR="$folder"']),
    '    "$BWDC" "$@"',
    '}',
    '',
    '# shellcheck disable=SC2317 # called through bwdc_step',
    'bwdc_login() { # folder',
    ...prefix(['BW_CLIENTID="$CLIENT_ID"', 'BW_CLIENTSECRET="$SECRET"', 'BITWARDENCLI_CONNECTOR_APPDATA_DIR="$1"']),
    '    "$BWDC" login',
    '}',
    '',
  ];
}

/** The folder bwdc itself would use without BITWARDENCLI_CONNECTOR_APPDATA_DIR (BWDC-FACTS §2.5). */
function defaultFolder(macos: boolean): string[] {
  const platformDefault = macos
    ? '  DEFAULT_FOLDER="$HOME/Library/Application Support/Bitwarden Directory Connector"'
    : '  DEFAULT_FOLDER="${XDG_CONFIG_HOME:-$HOME/.config}/Bitwarden Directory Connector"';
  return [
    '# No instance lines: the folder bwdc would pick by itself, made explicit so it can be locked',
    '# and checked like any other.',
    'if [ -n "${BITWARDEN_CONNECTOR_APPDATA_DIR:-}" ]; then',
    '  DEFAULT_FOLDER=$BITWARDEN_CONNECTOR_APPDATA_DIR',
    'elif [ -d "${BWDC%/*}/bitwarden-connector-appdata" ]; then',
    '  DEFAULT_FOLDER="${BWDC%/*}/bitwarden-connector-appdata"',
    'else',
    platformDefault,
    'fi',
  ];
}

/**
 * Short, unique names for the log: the folder's name, or its whole path when names repeat.
 * Only Windows separates folders with a backslash; on Linux and macOS it is part of a name.
 */
export function instanceLabels(folders: readonly string[], platform: Platform): string[] {
  const separators = platform === 'windows' ? /[\\/]+/ : /\/+/;
  const names = folders.map((folder) => folder.split(separators).filter(Boolean).pop() || folder);
  return names.map((name, index) => (names.indexOf(name) === names.lastIndexOf(name) ? name : folders[index]!));
}
