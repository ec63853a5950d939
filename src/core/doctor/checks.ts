import { cronAccess, ALLOW_FILE, DENY_FILE } from '../crontab/access';
import { t } from '../l10n';
import { shellQuote } from '../script/quote';
import type { CronFacts, DoctorSnapshot, InstalledFacts, PathFacts, SystemdFacts, TaskFacts } from './snapshot';

/**
 * `bwdc-schedule doctor` / "bwdc: Check Setup": every precondition of a scheduled sync that works,
 * judged from a snapshot of the machine (./snapshot.ts), each with what to do when it fails. Pure:
 * the same snapshot gives the same checks, in the order an admin would fix them.
 */

export type CheckSeverity = 'error' | 'warning';

/** One line of the report; the JSON of `doctor --json` has exactly these fields. */
export interface Check {
  /** Stable: scripts may key on it. Per-instance checks end in the instance's number (1-based). */
  readonly id: string;
  readonly ok: boolean;
  readonly severity: CheckSeverity;
  readonly message: string;
  /** What to do about a failed check; null when it passed. */
  readonly fix: string | null;
}

export interface DoctorReport {
  /** No error-severity check failed. */
  readonly ok: boolean;
  readonly checks: readonly Check[];
}

const ROOT_UID = 0;
const PLAINTEXT_VARIABLE = 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS';
/** data.json findings about plaintext vs keyring mode: reported under keyring-mode, not as data.json errors. */
const KEYRING_CODES = new Set(['data-secret-placeholder', 'data-secret-ignored', 'data-secret-missing']);

export function doctorReport(checks: readonly Check[]): DoctorReport {
  return { ok: !checks.some((check) => !check.ok && check.severity === 'error'), checks };
}

export function runChecks(snapshot: DoctorSnapshot): DoctorReport {
  return doctorReport(new Checker(snapshot).all());
}

class Checker {
  private readonly checks: Check[] = [];
  private readonly file: string;
  private readonly user: string;

  constructor(private readonly snapshot: DoctorSnapshot) {
    this.file = word(snapshot.job.scheduleFile);
    this.user = snapshot.runAs.name;
  }

  all(): Check[] {
    const scheduler = this.snapshot.scheduler;
    if (scheduler.kind === 'cron') this.cron(scheduler);
    else if (scheduler.kind === 'systemd') this.systemd(scheduler);
    else this.task(scheduler);
    this.runAs(scheduler.kind === 'cron' ? scheduler : undefined);
    this.script();
    this.secret();
    this.bwdc();
    this.instances();
    this.log();
    this.keyring();
    if (scheduler.kind === 'cron') this.timezone(scheduler);
    if (this.snapshot.accessUnchecked) {
      this.add(
        'run-as-access',
        'warning',
        false,
        t(
          'What {0} may read, write and run was not checked: you are {1}, and only root or {0} can ask as {0}.',
          this.user,
          this.snapshot.accessUnchecked.currentUser,
        ),
        t('Run the check as root: {0}', `sudo bwdc-schedule doctor ${this.file}`),
      );
    }
    return this.checks;
  }

  private add(id: string, severity: CheckSeverity, ok: boolean, message: string, fix: string): void {
    this.checks.push({ id, ok, severity, message, fix: ok ? null : fix });
  }

  // ---- the scheduler ------------------------------------------------------------------------

  private cron(facts: CronFacts): void {
    if (facts.daemonUnchecked !== undefined)
      this.add(
        'cron-daemon',
        'warning',
        false,
        t('Whether the cron daemon runs could not be checked: {0}', facts.daemonUnchecked),
        t('Check it yourself: {0}', 'pgrep -x cron'),
      );
    else
      this.add(
        'cron-daemon',
        'error',
        facts.daemon !== undefined,
        facts.daemon ? t('The cron daemon is running (pid {0}).', facts.daemon.pid) : t('No cron daemon is running, so nothing starts the job at its times.'),
        t('Start it and have it start at boot: {0} (without systemd: {1}).', 'sudo systemctl enable --now cron', 'sudo service cron start'),
      );
    this.installed(
      facts.installed,
      t('the crontab of {0}', this.user),
      `${this.snapshot.accessUnchecked ? 'sudo ' : ''}bwdc-schedule crontab install ${this.file}`,
    );
  }

  private systemd(facts: SystemdFacts): void {
    const ok = facts.systemctl && facts.booted;
    this.add(
      'systemd-timers',
      'error',
      ok,
      ok
        ? t('systemd runs this machine and systemctl is there, so timers can start the job.')
        : !facts.systemctl
          ? t('systemctl is not on PATH: this machine has no systemd to run timers.')
          : t('systemd is not running this machine (no /run/systemd/system), so timers never fire.'),
      t("Use 'scheduler cron' on this machine, or run the job where systemd is the init system."),
    );
    this.installed(facts.installed, '/etc/systemd/system', `sudo bwdc-schedule systemd install ${this.file}`);
  }

  private task(facts: TaskFacts): void {
    const service = facts.service;
    this.add(
      'task-scheduler',
      typeof service === 'object' ? 'warning' : 'error',
      service === 'running',
      service === 'running'
        ? t('The Task Scheduler service (Schedule) is running.')
        : service === 'stopped'
          ? t('The Task Scheduler service (Schedule) is not running, so no task starts.')
          : t('Whether the Task Scheduler service runs could not be checked: {0}', service.unknown),
      t('Start it in an elevated PowerShell: {0}', 'Start-Service Schedule'),
    );
    this.installed(facts.installed, t('Task Scheduler'), `bwdc-schedule task install ${this.file}`);
  }

  private installed(facts: InstalledFacts, where: string, install: string): void {
    const name = this.snapshot.job.name;
    const fix = t('Install it: {0}', install);
    switch (facts.state) {
      case 'current':
        return this.add('job-installed', 'error', true, t('{0} is installed in {1} as the schedule file says.', name, where), fix);
      case 'missing':
        return this.add('job-installed', 'error', false, t('{0} is not installed in {1}.', name, where), fix);
      case 'different':
        return this.add(
          'job-installed',
          'error',
          false,
          facts.detail
            ? t('{0} in {1} differs from the schedule file: {2}.', name, where, facts.detail)
            : t('{0} in {1} differs from the schedule file.', name, where),
          t('Install it again: {0}', install),
        );
      case 'damaged':
        return this.add(
          'job-installed',
          'error',
          false,
          t('The block of {0} in {1} is damaged: {2}.', name, where, facts.detail),
          t('Install it again: {0}', install),
        );
      case 'unknown':
        return this.add(
          'job-installed',
          'warning',
          false,
          t('Whether {0} is installed in {1} could not be checked: {2}', name, where, facts.reason),
          t('Run the check as root: {0}', `sudo bwdc-schedule doctor ${this.file}`),
        );
    }
  }

  // ---- the account --------------------------------------------------------------------------

  private runAs(cron: CronFacts | undefined): void {
    const prepare = cron ? t('Create it: {0}', `sudo bwdc-schedule crontab prepare-user ${this.file}`) : t('Create the account {0} first.', this.user);
    this.add(
      'run-as-exists',
      'error',
      this.snapshot.runAs.exists,
      this.snapshot.runAs.exists ? t('The account {0} exists.', this.user) : t('The account {0} does not exist on this machine.', this.user),
      prepare,
    );
    if (!cron) return;
    const files = cron.accessFiles;
    if ('unreadable' in files) {
      this.add(
        'cron-access',
        'warning',
        false,
        t('Whether {0} may use cron could not be checked: {1} or {2} is not readable ({3}).', this.user, ALLOW_FILE, DENY_FILE, files.unreadable),
        t('Run the check as root: {0}', `sudo bwdc-schedule doctor ${this.file}`),
      );
      return;
    }
    const verdict = cronAccess(this.user, files);
    const fix = t('Let {0} use cron: {1}', this.user, `sudo bwdc-schedule crontab prepare-user ${this.file}`);
    if (verdict.allowed) {
      const why =
        verdict.why === 'root'
          ? t('it is root')
          : verdict.why === 'listed-in-allow'
            ? t('{0} lists it', ALLOW_FILE)
            : verdict.why === 'not-in-deny'
              ? t('{0} does not list it', DENY_FILE)
              : t('neither {0} nor {1} exists, so everyone may', ALLOW_FILE, DENY_FILE);
      this.add('cron-access', 'error', true, t('{0} may use cron ({1}).', this.user, why), fix);
    } else {
      this.add(
        'cron-access',
        'error',
        false,
        verdict.why === 'listed-in-deny'
          ? t('{0} may not use cron: {1} lists it, so cron ignores its crontab.', this.user, DENY_FILE)
          : t('{0} may not use cron: {1} exists and does not list it, so cron ignores its crontab.', this.user, ALLOW_FILE),
        verdict.why === 'listed-in-deny'
          ? t('{0} (or remove the line {1} from {2} by hand).', fix, this.user, DENY_FILE)
          : t('{0} (or add the line {1} to {2} by hand).', fix, this.user, ALLOW_FILE),
      );
    }
  }

  // ---- the script ---------------------------------------------------------------------------

  private script(): void {
    const script = this.snapshot.script;
    if (this.unseen('script-exists', script)) return;
    const generate = this.snapshot.scheduler.kind === 'cron' ? `bwdc-schedule crontab install ${this.file}` : `bwdc-schedule script ${this.file}`;
    if (script.kind !== 'file') {
      this.add(
        'script-exists',
        'error',
        false,
        script.kind === 'missing' ? t('The sync script {0} does not exist.', script.path) : t('The sync script {0} is not a file.', script.path),
        t('Generate it: {0}', generate),
      );
      return;
    }
    this.add('script-exists', 'error', true, t('The sync script {0} exists.', script.path), '');
    this.add(
      'script-current',
      'error',
      script.state === 'current',
      script.state === 'current'
        ? t('The sync script is the one the schedule file generates now.')
        : script.state === 'outdated'
          ? t('The sync script is out of date: it was generated from an older version of the schedule file.')
          : t('The sync script was not generated by bwdc Schedule (it has no fingerprint).'),
      t('Generate it again: {0}', generate),
    );
    if (this.snapshot.job.platform !== 'windows' && script.canRead !== undefined) {
      const runs = script.canRead && script.canExecute === true;
      this.add(
        'script-runnable',
        'error',
        runs,
        runs ? t('{0} can read and run the sync script.', this.user) : t('{0} cannot read or run the sync script.', this.user),
        t(
          'Make it readable and executable for {0}: {1}',
          this.user,
          `sudo chown ${word(this.user)} ${word(script.path)} && sudo chmod 700 ${word(script.path)}`,
        ),
      );
    }
    if (this.snapshot.job.platform !== 'windows') this.scriptPrivate(script);
  }

  /** Anyone else who can change the script runs their code as run-as at the next sync, with the API key. */
  private scriptPrivate(script: PathFacts): void {
    const folder = this.snapshot.scriptFolder;
    const problems: string[] = [];
    const fixes: string[] = [];
    const quoted = word(script.path);
    if (script.mode !== undefined && (script.mode & 0o022) !== 0) {
      problems.push(t('the script is writable by its group or by everyone (mode {0})', octal(script.mode)));
      fixes.push(`sudo chmod go-w ${quoted}`);
    }
    if (script.uid !== undefined && !this.trustedOwner(script.uid)) {
      problems.push(t('the script is owned by uid {0}, neither root nor {1}', script.uid, this.user));
      fixes.push(`sudo chown ${word(this.user)} ${quoted}`);
    }
    // A writable folder lets others replace the file; the sticky bit (as on /tmp) prevents that.
    if (folder.mode !== undefined && (folder.mode & 0o022) !== 0 && (folder.mode & 0o1000) === 0) {
      problems.push(t('its folder {0} is writable by others (mode {1}), who could replace it', folder.path, octal(folder.mode)));
      fixes.push(`sudo chmod go-w ${word(folder.path)}`);
    }
    if (folder.uid !== undefined && !this.trustedOwner(folder.uid)) {
      problems.push(t('its folder {0} is owned by uid {1}, neither root nor {2}', folder.path, folder.uid, this.user));
      fixes.push(t('move the script to a folder owned by root or {0} (the script line of the schedule file)', this.user));
    }
    this.add(
      'script-private',
      'error',
      problems.length === 0,
      problems.length === 0 ? t('Only root and {0} can change the sync script.', this.user) : t('Others can change the sync script: {0}.', problems.join('; ')),
      fixes.join(' && '),
    );
  }

  /** Root or run-as; any owner while run-as does not exist (run-as-exists fails then, and says so). */
  private trustedOwner(uid: number): boolean {
    return uid === ROOT_UID || this.snapshot.runAs.uid === undefined || uid === this.snapshot.runAs.uid;
  }

  // ---- the secret ---------------------------------------------------------------------------

  private secret(): void {
    const secret = this.snapshot.secret;
    const store = `bwdc-schedule secret store ${this.file}`;
    if (secret.scheme === 'env') {
      this.add(
        'secret-source',
        'warning',
        false,
        t(
          'The secret comes from the environment variable {0}, which doctor cannot see as the scheduler will: whatever starts the script must set it.',
          secret.name,
        ),
        this.snapshot.job.platform === 'windows'
          ? t('Make sure the task gets {0}, or use a dpapi: file instead.', secret.name)
          : t("cron sets only a few variables: prefer 'secret file:PATH' and store the secret with {0}.", store),
      );
      return;
    }
    if (secret.scheme === 'keychain') {
      this.add(
        'secret-source',
        'warning',
        false,
        t("The secret is in {0}'s login keychain (service {1}), which doctor does not read.", this.user, secret.service),
        t('Check it as {0}: {1}', this.user, `security find-generic-password -s ${word(secret.service)}`),
      );
      return;
    }
    const file = secret.file;
    if (this.unseen('secret-readable', file)) return;
    if (file.kind !== 'file') {
      this.add('secret-readable', 'error', false, t('The secret file {0} does not exist.', file.path), t('Store the secret: {0}', store));
      return;
    }
    const readable = file.canRead !== false;
    this.add(
      'secret-readable',
      'error',
      readable,
      file.canRead === undefined
        ? t('The secret file {0} exists (whether {1} can read it was not checked).', file.path, this.user)
        : readable
          ? t('{0} can read the secret file {1}.', this.user, file.path)
          : t('{0} cannot read the secret file {1}.', this.user, file.path),
      t("Store it again, which makes it {0}'s: {1}", this.user, `sudo ${store}`),
    );
    if (secret.scheme === 'dpapi' || file.mode === undefined) return;
    const problems: string[] = [];
    if ((file.mode & 0o077) !== 0) problems.push(t('mode {0} lets others read it (0600 or stricter is needed)', octal(file.mode)));
    if (file.uid !== undefined && this.snapshot.runAs.uid !== undefined && file.uid !== this.snapshot.runAs.uid)
      problems.push(t('it is owned by uid {0}, not by {1}', file.uid, this.user));
    this.add(
      'secret-mode',
      'error',
      problems.length === 0,
      problems.length === 0
        ? t('The secret file is private to {0} (mode {1}).', this.user, octal(file.mode))
        : t('The secret file {0} is not private: {1}.', file.path, problems.join('; ')),
      `sudo chown ${word(this.user)} ${word(file.path)} && sudo chmod 600 ${word(file.path)}`,
    );
  }

  // ---- bwdc ---------------------------------------------------------------------------------

  private bwdc(): void {
    const bwdc = this.snapshot.bwdc;
    const path = bwdc.file.path;
    const version = bwdc.version;
    const command = `${word(path)} --version`;
    if (this.unseen('bwdc-runs', bwdc.file)) return;
    if (bwdc.file.kind !== 'file') {
      this.add(
        'bwdc-runs',
        'error',
        false,
        t('bwdc is not at {0}.', path),
        t("Install the Directory Connector CLI there, or put its absolute path on the schedule file's bwdc line."),
      );
    } else if (!version.ran) {
      this.add(
        'bwdc-runs',
        'warning',
        false,
        t('bwdc at {0} was not started as {1}: {2}', path, this.user, version.reason),
        t('Check it yourself: {0}', this.snapshot.accessUnchecked ? `sudo -u ${word(this.user)} ${command}` : command),
      );
    } else {
      const ok = version.code === 0 && !version.timedOut;
      const said = firstLine(version.output);
      this.add(
        'bwdc-runs',
        'error',
        ok,
        ok
          ? t('bwdc {0} runs for {1}.', said || '?', this.user)
          : version.timedOut
            ? t('bwdc --version did not finish in time when run as {0}.', this.user)
            : t('bwdc --version failed as {0} (exit {1}): {2}', this.user, String(version.code), said || t('no output')),
        t('Run it as {0} to see why: {1}', this.user, `sudo -u ${word(this.user)} ${command}`),
      );
    }
    if (bwdc.file.kind === 'file' && bwdc.packaged) {
      const folder = path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) || '.';
      this.add(
        'bwdc-native-module',
        'error',
        bwdc.nativeModule !== undefined,
        bwdc.nativeModule
          ? t('The native module {0} is beside bwdc.', bwdc.nativeModule)
          : t(
              'The native module bwdc loads from its own folder is missing: keytar.node (releases up to 2026.4) or dc_native.<platform>.node (2026.6 and later).',
            ),
        t("Copy it from the same release's zip into {0}.", folder),
      );
    }
  }

  // ---- instance folders, log ----------------------------------------------------------------

  private instances(): void {
    this.snapshot.instances.forEach((instance, index) => {
      const number = index + 1;
      const folder = instance.folder;
      const owner = `sudo chown -R ${word(this.user)} ${word(folder.path)}`;
      if (this.unseen(`instance-${number}-folder`, folder)) return;
      if (folder.kind !== 'directory') {
        this.add(
          `instance-${number}-folder`,
          'error',
          false,
          folder.kind === 'missing' ? t('The instance folder {0} does not exist.', folder.path) : t('The instance folder {0} is not a folder.', folder.path),
          t('Create it and configure the Directory Connector there (data.json), owned by {0}.', this.user),
        );
        return;
      }
      const writable = folder.canWrite !== false && folder.canExecute !== false;
      this.add(
        `instance-${number}-folder`,
        'error',
        writable,
        writable
          ? folder.canWrite === undefined
            ? t('The instance folder {0} is there.', folder.path)
            : t('The instance folder {0} is there and writable by {1}.', folder.path, this.user)
          : t('{0} cannot write to the instance folder {1} (bwdc writes data.json there).', this.user, folder.path),
        t('Give it to {0}: {1}', this.user, owner),
      );
      const dataJson = instance.dataJson;
      if (this.unseen(`instance-${number}-data-json`, dataJson)) return;
      const errors = instance.findings.filter((finding) => finding.severity === 'error' && !KEYRING_CODES.has(finding.code));
      let problem: string | undefined;
      if (dataJson.kind !== 'file') problem = t('{0} does not exist: this folder is not configured.', dataJson.path);
      else if (instance.unreadable) problem = t('{0} cannot be read: {1}', dataJson.path, instance.unreadable);
      else if (dataJson.canWrite === false) problem = t('{0} cannot write {1}.', this.user, dataJson.path);
      else if (errors.length > 0) problem = t('{0} is not valid: {1}', dataJson.path, errors.map((error) => error.message).join(' '));
      this.add(
        `instance-${number}-data-json`,
        'error',
        problem === undefined,
        problem ?? t('{0} is valid.', dataJson.path),
        dataJson.kind !== 'file'
          ? t('Configure the Directory Connector with this folder (bwdc config, or copy a data.json there).')
          : dataJson.canWrite === false
            ? t('Give it to {0}: {1}', this.user, owner)
            : t('Fix it (open it in VS Code for the details, or: {0}).', `bwdc-schedule check ${word(dataJson.path)}`),
      );
    });
  }

  /** The script appends to the log and rotates it (renames it in its folder), so both must be writable. */
  private log(): void {
    const log = this.snapshot.log;
    const folder = this.snapshot.logFolder;
    if (this.unseen('log-writable', log) || this.unseen('log-writable', folder)) return;
    const logFolder = log.path.slice(0, Math.max(log.path.lastIndexOf('/'), log.path.lastIndexOf('\\')));
    const folderWritable = folder.kind === 'directory' && folder.canWrite !== false && folder.canExecute !== false;
    const problems: string[] = [];
    if (log.kind === 'file' && log.canWrite === false) problems.push(t('{0} cannot write the log {1}', this.user, log.path));
    if (log.kind === 'directory' || log.kind === 'other') problems.push(t('the log {0} is not a file', log.path));
    if (folder.kind !== 'directory') problems.push(t('{0} is not a folder', folder.path));
    else if (!folderWritable)
      problems.push(
        folder.path === logFolder
          ? t('{0} cannot write in the log folder {1} (the script rotates the log there)', this.user, folder.path)
          : t('{0} cannot create the log folder {1} in {2}', this.user, logFolder, folder.path),
      );
    const fix =
      folder.path === logFolder
        ? t(
            "Let {0} write in {1} if it is the job's own folder ({2}), or point the log line at a folder {0} owns.",
            this.user,
            folder.path,
            `sudo chown ${word(this.user)} ${word(folder.path)}`,
          )
        : t('Create the log folder, owned by {0}: {1}', this.user, `sudo install -d -o ${word(this.user)} ${word(logFolder)}`);
    this.add(
      'log-writable',
      'error',
      problems.length === 0,
      problems.length > 0
        ? t('The log cannot be written: {0}.', problems.join('; '))
        : log.kind === 'file'
          ? log.canWrite === undefined
            ? t('The log {0} is there.', log.path)
            : t('The log {0} and its folder are writable by {1}.', log.path, this.user)
          : t('The log {0} does not exist yet; the first run creates it.', log.path),
      log.kind === 'file' && log.canWrite === false ? `sudo chown ${word(this.user)} ${word(log.path)}` : fix,
    );
  }

  /**
   * A path doctor could not even look at (a folder on the way is closed to whoever runs it): a
   * warning with the way to check it, instead of calling it missing. True when it was reported.
   */
  private unseen(id: string, facts: PathFacts): boolean {
    if (facts.kind !== 'unknown') return false;
    this.add(
      id,
      'warning',
      false,
      t('{0} could not be looked at: a folder on the way is not open to {1}.', facts.path, this.snapshot.accessUnchecked?.currentUser ?? this.user),
      t('Run the check as root: {0}', `sudo bwdc-schedule doctor ${this.file}`),
    );
    return true;
  }

  // ---- modes and zones ----------------------------------------------------------------------

  /** bwdc keeps secrets in the desktop keyring unless plaintext mode is on; a scheduled job has no keyring on Linux. */
  private keyring(): void {
    const job = this.snapshot.job;
    if (job.platform === 'windows') return;
    const plaintext = job.env.some((line) => line.name === PLAINTEXT_VARIABLE && line.value === 'true');
    const conflicts = this.snapshot.instances.flatMap((instance) =>
      instance.findings.filter((finding) => KEYRING_CODES.has(finding.code)).map((finding) => ({ ...finding, file: instance.dataJson.path })),
    );
    const headless = job.platform === 'linux' && !plaintext;
    const ok = conflicts.length === 0 && !headless;
    // A placeholder sent as the real password breaks every sync; the other findings waste a setting.
    const severity: CheckSeverity = conflicts.some((finding) => finding.severity === 'error') ? 'error' : 'warning';
    const problems = [
      ...(headless
        ? [t('bwdc keeps its session in the desktop keyring, which a job started by the scheduler does not have on Linux (set {0}=true).', PLAINTEXT_VARIABLE)]
        : []),
      ...conflicts.map((finding) => `${finding.file}: ${finding.message}`),
    ];
    this.add(
      'keyring-mode',
      severity,
      ok,
      ok
        ? plaintext
          ? t('Plaintext mode ({0}=true) is on and the data.json files agree.', PLAINTEXT_VARIABLE)
          : t('bwdc uses the keychain, and the data.json files agree.')
        : problems.join(' '),
      headless
        ? t("Add the line 'env {0}=true' to the schedule file, generate the script again and put the directory's password into data.json.", PLAINTEXT_VARIABLE)
        : t('Make data.json match the mode: in plaintext mode it holds the real directory password, otherwise the keyring does.'),
    );
  }

  /** Debian's cron runs every job in the daemon's zone (CRON-FACTS.md): the `timezone` line cannot change that. */
  private timezone(facts: CronFacts): void {
    const wanted = this.snapshot.job.timezone;
    const daemon = facts.daemonZone;
    if (!daemon) {
      this.add(
        'timezone',
        'warning',
        wanted === undefined,
        wanted === undefined
          ? t('The schedule file names no time zone.')
          : t("The cron daemon's time zone could not be found, so {0} could not be compared with it.", wanted),
        t('Check the zone the cron daemon runs in: {0}', 'timedatectl'),
      );
      return;
    }
    const same = wanted === undefined || sameZone(wanted, daemon.zone);
    this.add(
      'timezone',
      'warning',
      same,
      wanted === undefined
        ? t('The schedule file names no time zone; cron runs it in {0} (from {1}).', daemon.zone, daemon.source)
        : same
          ? t('cron runs the job in {0}, the time zone the schedule file names.', daemon.zone)
          : t('cron runs the job in {0} (from {1}), but the schedule file says timezone {2}: the times will be off.', daemon.zone, daemon.source, wanted),
      t(
        "Either change the file's timezone line to {0} and adjust the times, or set the machine's zone ({1}) and restart cron.",
        daemon.zone,
        `sudo timedatectl set-timezone ${word(wanted ?? daemon.zone)}`,
      ),
    );
  }
}

/** Zones that are the same clock: equal names, or the aliases of UTC. */
function sameZone(a: string, b: string): boolean {
  const utc = (zone: string): string => (/^(Etc\/)?(UTC|UCT|Universal|Zulu|GMT|GMT0|GMT\+0|GMT-0|Greenwich)$/.test(zone) ? 'UTC' : zone);
  return utc(a) === utc(b);
}

/** A shell word for a command the user copies: as it is when nothing in it is special, else quoted. */
function word(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : shellQuote(value);
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0]?.trim().slice(0, 200) ?? '';
}
