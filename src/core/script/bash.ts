import type { Platform } from '../schedule/directives';
import type { SyncJob } from '../schedule/job';
import { bashJsonCheckFunction } from './jsonCheck';
import { headerComment, type ScriptHeader } from './header';
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
    'SUMMARY=',
    'FAILED=0',
    '',
  );

  add(...timestampFunction(macos));
  add(
    'log() { # label message',
    '  timestamp',
    `  printf '%s [%s] %s\\n' "$STAMP" "$1" "$2" >> "$LOG_FILE"`,
    '}',
    '',
    '# Logs what a command prints, line by line, with the secret masked in case it ever appears.',
    'log_output() { # label',
    '  local line',
    "  while IFS= read -r line || [ -n \"$line\" ]; do",
    '    if [ -n "$SECRET" ]; then line=${line//"$SECRET"/[secret removed]}; fi',
    '    log "$1" "$line"',
    '  done',
    '}',
    '',
    '# Where cron mails output, and when the log itself cannot be written.',
    'say() {',
    `  printf 'bwdc sync %s: %s\\n' "$JOB" "$1" >&2`,
    '}',
    '',
    'fail() { # message: logs it and stops the whole run',
    '  log "$JOB" "$1"',
    '  say "$1"',
    '  finish 1',
    '}',
    '',
    'finish() { # status',
    '  release_lock',
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
  add(...lockFunctions(macos));
  add(bashJsonCheckFunction(), '');
  add(...readSecretFunction(job));
  add(...bwdcFunctions(job));
  add(
    '# Runs one step with its output logged; returns the step\'s exit status.',
    'run_step() { # label, command...',
    '  local label=$1',
    '  shift',
    '  "$@" < /dev/null 2>&1 | log_output "$label"',
    '  return "${PIPESTATUS[0]}"',
    '}',
    '',
    'sync_instance() { # folder label',
    '  local folder=$1 label=$2 status',
    '  if [ ! -d "$folder" ]; then',
    '    log "$label" "skipped: the instance folder $folder does not exist"',
    '    RESULT="skipped (no folder)"',
    '    return 1',
    '  fi',
    '  acquire_lock "$folder"',
    '  status=$?',
    '  if [ "$status" -eq 2 ]; then',
    '    log "$label" "skipped: cannot create the lock file in $folder; $(id -un) needs write access to the instance folder"',
    '    RESULT="skipped (instance folder not writable)"',
    '    return 1',
    '  elif [ "$status" -ne 0 ]; then',
    '    log "$label" "skipped: another run is using this instance folder (lock $folder/.bwdc-schedule.lock)"',
    '    RESULT="skipped (locked by another run)"',
    '    return 1',
    '  fi',
    '  if [ ! -f "$folder/data.json" ]; then',
    '    log "$label" "skipped: $folder has no data.json; configure the Directory Connector for it first"',
    '    RESULT="skipped (no data.json)"',
    '    release_lock',
    '    return 1',
    '  fi',
    '  json_ok "$folder/data.json"',
    '  status=$?',
    '  if [ "$status" -eq 2 ]; then',
    '    log "$label" "skipped: cannot read $folder/data.json as $(id -un) (bwdc was not run)"',
    '    RESULT="skipped (data.json not readable)"',
    '    release_lock',
    '    return 1',
    '  elif [ "$status" -ne 0 ]; then',
    '    log "$label" "skipped: $folder/data.json is not valid JSON, and bwdc would replace it with {}; fix it first (bwdc was not run)"',
    '    RESULT="skipped (data.json is not valid JSON)"',
    '    release_lock',
    '    return 1',
    '  fi',
    '  # login refuses to run while a session exists; "You are not logged in." is fine here.',
    '  run_step "$label" bwdc_plain "$folder" logout',
    '  run_step "$label" bwdc_login "$folder"',
    '  status=$?',
    '  if [ "$status" -ne 0 ]; then',
    '    log "$label" "login failed (exit $status)"',
    '    RESULT="failed (login exit $status)"',
    '    release_lock',
    '    return 1',
    '  fi',
    '  run_step "$label" bwdc_plain "$folder" sync',
    '  status=$?',
    '  if [ "$status" -ne 0 ]; then',
    '    log "$label" "sync failed (exit $status)"',
    '    RESULT="failed (sync exit $status)"',
    '    run_step "$label" bwdc_plain "$folder" logout',
    '    release_lock',
    '    return 1',
    '  fi',
    '  run_step "$label" bwdc_plain "$folder" logout',
    '  RESULT="synced"',
    '  release_lock',
    '  return 0',
    '}',
    '',
    '# --- the run ---',
    '',
    'if [ -n "$RUN_AS" ] && [ "$(id -un)" != "$RUN_AS" ]; then',
    '  # Writing the log or data.json as another user would break the next scheduled run.',
    '  say "this job runs as $RUN_AS, not as $(id -un); run it with: sudo -u $RUN_AS $0"',
    '  exit 1',
    'fi',
    'LOG_DIR=${LOG_FILE%/*}',
    'if [ -n "$LOG_DIR" ] && [ ! -d "$LOG_DIR" ] && ! mkdir -p -- "$LOG_DIR"; then',
    '  say "cannot create the log folder $LOG_DIR"',
    '  exit 1',
    'fi',
    '# Only a log this script wrote is appended to: never data.json or someone else\'s file.',
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
    'trap \'finish 1\' INT TERM HUP',
    'rotate_log',
    'log "$JOB" "run started (pid $$)"',
    'if [ ! -x "$BWDC" ]; then fail "bwdc not found or not executable at $BWDC"; fi',
    'read_secret',
    '',
  );
  if (job.instances.length > 0) {
    add(
      'for ((index = 0; index < ${#INSTANCES[@]}; index++)); do',
      '  RESULT=',
      '  if ! sync_instance "${INSTANCES[$index]}" "${LABELS[$index]}"; then FAILED=1; fi',
      '  SUMMARY="${SUMMARY:+$SUMMARY; }${LABELS[$index]}: $RESULT"',
      'done',
    );
  } else {
    add(...defaultFolder(macos));
    add(
      'RESULT=',
      'if ! sync_instance "$DEFAULT_FOLDER" default; then FAILED=1; fi',
      'SUMMARY="default ($DEFAULT_FOLDER): $RESULT"',
    );
  }
  add(
    '',
    'if [ "$FAILED" -eq 0 ]; then',
    '  log "$JOB" "run finished: $SUMMARY; exit 0"',
    'else',
    '  log "$JOB" "run finished with failures: $SUMMARY; exit 1"',
    '  say "some instances did not sync: $SUMMARY (details in $LOG_FILE)"',
    'fi',
    'finish "$FAILED"',
    '',
  );
  return lines.join('\n');
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
    ? "  if ! /usr/bin/perl -MFcntl=:flock -e 'open(my $lock, \">>&=\", 9) or exit 2; flock($lock, LOCK_EX | LOCK_NB) or exit 1'; then"
    : '  if ! flock -n 9; then';
  return [
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

function readSecretFunction(job: SyncJob): string[] {
  const secret = job.secret;
  const header = ['# Reads the API key secret into a shell variable: no command line, no environment.', 'read_secret() {'];
  switch (secret.scheme) {
    case 'file':
      return [
        ...header,
        `  local file=${shellQuote(secret.target)} listing mode folder`,
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
        "    -r[w-]-------|-r[w-]-------.|-r[w-]-------@) ;;",
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
    '# shellcheck disable=SC2317 # called through run_step',
    'bwdc_plain() { # folder, arguments...',
    '  local folder=$1',
    '  shift',
    ...prefix(['BITWARDENCLI_CONNECTOR_APPDATA_DIR="$folder"']),
    '    "$BWDC" "$@"',
    '}',
    '',
    '# shellcheck disable=SC2317 # called through run_step',
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
