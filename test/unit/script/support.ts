import * as assert from 'assert';
import { spawn, spawnSync, type SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Platform } from '../../../src/core/schedule/directives';
import { resolveJob, type SyncJob } from '../../../src/core/schedule/job';
import { generateScript } from '../../../src/core/script/generate';

/** A folder under test/fixtures, found from the compiled file (out/test/unit/script) or the source. */
function fixtureFolder(name: string): string {
  for (const up of [`../../../../test/fixtures/${name}`, `../../fixtures/${name}`]) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(process.cwd(), 'test/fixtures', name);
}

export const SCRIPT_FIXTURES = fixtureFolder('scripts');
export const STANDIN_SOURCE = path.join(fixtureFolder('bwdc-standin'), 'bwdc.js');

export function scriptFixture(...parts: string[]): string {
  return path.join(SCRIPT_FIXTURES, ...parts);
}

export function readScriptFixture(...parts: string[]): string {
  return fs.readFileSync(scriptFixture(...parts), 'utf8');
}

/** The generator version the tests pass; any string works, it only feeds the fingerprint. */
export const TEST_VERSION = '0.0.0-test';

export interface PosixNames {
  readonly top: string;
  readonly instances: readonly string[];
  readonly bwdcFolder: string;
  readonly bwdcFile: string;
  readonly logFolder: string;
  readonly logFile: string;
  readonly secretFolder: string;
  readonly secretFile: string;
  readonly service: string;
  readonly env: readonly string[];
}

export interface WindowsNames {
  readonly root: string;
  readonly runAs: string;
  readonly instances: readonly string[];
  readonly bwdc: string;
  readonly logFile: string;
  readonly dpapiFile: string;
  readonly env: readonly string[];
}

export type NameSet = 'plain' | 'hostile';

interface Values {
  readonly secret: string;
  readonly oddSecret: string;
  readonly posix: Record<NameSet, PosixNames>;
  readonly windows: Record<NameSet, WindowsNames>;
}

export const VALUES = JSON.parse(readScriptFixture('values.json')) as Values;

/** Every absolute path and value a POSIX job is built from, below `root`. */
export interface PosixLayout {
  readonly names: PosixNames;
  readonly top: string;
  readonly instances: readonly string[];
  /** The instance folders' own names: what the log must label their lines with. */
  readonly labels: readonly string[];
  readonly bwdcFolder: string;
  readonly bwdc: string;
  readonly logFolder: string;
  readonly log: string;
  readonly secretFolder: string;
  readonly secretFile: string;
  readonly scheduleFile: string;
}

export function posixLayout(root: string, set: NameSet): PosixLayout {
  const names = VALUES.posix[set];
  const top = path.posix.join(root, names.top);
  const instances = names.instances.map((name) => path.posix.join(top, name));
  return {
    names,
    top,
    instances,
    labels: names.instances,
    bwdcFolder: path.posix.join(top, names.bwdcFolder),
    bwdc: path.posix.join(top, names.bwdcFolder, names.bwdcFile),
    logFolder: path.posix.join(top, names.logFolder),
    log: path.posix.join(top, names.logFolder, names.logFile),
    secretFolder: path.posix.join(top, names.secretFolder),
    secretFile: path.posix.join(top, names.secretFolder, names.secretFile),
    scheduleFile: path.posix.join(top, 'job.bwdc-schedule'),
  };
}

export interface ScheduleFill {
  readonly platform: Platform;
  readonly runAs?: string;
  readonly bwdc: string;
  readonly secret: string;
  readonly instances: readonly string[];
  readonly env: readonly string[];
  readonly log: string;
}

/** A schedule file from a template: `{{key}}` values, and whole `{{key}}` lines that become 0..n lines. */
export function renderSchedule(template: string, fill: ScheduleFill): string {
  const lines = (key: string, values: readonly string[]): string => values.map((value) => `${key.padEnd(10)} ${value}`).join('\n');
  // Functions, not strings, as replacements: a hostile value may hold `$&` or `$'`.
  const text = readScriptFixture(template)
    .replace('{{run-as}}', () => (fill.runAs === undefined ? '' : lines('run-as', [fill.runAs])))
    .replace('{{instances}}', () => lines('instance', fill.instances))
    .replace('{{env}}', () => lines('env', fill.env))
    .replace('{{platform}}', () => fill.platform)
    .replace('{{bwdc}}', () => fill.bwdc)
    .replace('{{secret}}', () => fill.secret)
    .replace('{{log}}', () => fill.log);
  assert.doesNotMatch(text, /\{\{/, `a placeholder is left in ${template}`);
  return text;
}

/** The job of a schedule text, failing the test with the diagnostics when there is none. */
export function jobOf(text: string, scheduleFile: string, hostPlatform: Platform = 'linux'): SyncJob {
  const result = resolveJob(text, { scheduleFile, hostPlatform });
  assert.ok(result.job, `no job: ${'reason' in result ? result.reason : ''} ${JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error'))}`);
  return result.job;
}

export type SecretScheme = 'file' | 'env' | 'keychain';

/** The variable an `env:` job reads its secret from. */
export const SECRET_VARIABLE = 'BWDC_CLIENT_SECRET';

export function secretLine(scheme: SecretScheme, layout: PosixLayout): string {
  switch (scheme) {
    case 'file':
      return `file:${layout.secretFile}`;
    case 'env':
      return `env:${SECRET_VARIABLE}`;
    case 'keychain':
      return `keychain:${layout.names.service}`;
  }
}

/** Temporary folders for one describe block, removed after it. */
export function useSandboxes(): () => string {
  const made: string[] = [];
  after(() => {
    for (const folder of made) fs.rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-script-test-')));
    made.push(folder);
    return folder;
  };
}

/** Writes the bwdc stand-in as an executable with this Node as its interpreter. */
export function installStandin(file: string, mode = 0o755): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!${process.execPath}\n${fs.readFileSync(STANDIN_SOURCE, 'utf8')}`, { mode });
  fs.chmodSync(file, mode);
}

/** What an instance folder holds before the run. */
export type InstanceSetup = { readonly data: string } | { readonly noDataJson: true } | { readonly noFolder: true };

export const VALID: InstanceSetup = { data: 'valid.json' };

export interface PrepareOptions {
  readonly root: string;
  readonly names?: NameSet;
  readonly platform?: 'linux' | 'macos';
  readonly secret?: SecretScheme;
  /** One entry per instance line; undefined: no instance lines (the default folder). */
  readonly instances?: readonly InstanceSetup[];
  readonly runAs?: string;
  readonly withEnvLines?: boolean;
  /** What the secret file holds (default: the secret and a newline). */
  readonly secretFileContent?: string;
}

export interface PreparedRun {
  readonly layout: PosixLayout;
  readonly job: SyncJob;
  readonly script: string;
  readonly scriptText: string;
  readonly secret: string;
  readonly record: string;
  readonly home: string;
  /** The environment cron would give the script (plus the stand-in's record file). */
  readonly env: NodeJS.ProcessEnv;
}

/** Folders, data.json files, the stand-in, the secret, the schedule file and its generated script. */
export function prepareRun(options: PrepareOptions): PreparedRun {
  const layout = posixLayout(options.root, options.names ?? 'plain');
  const secret = VALUES.secret;
  const scheme = options.secret ?? 'file';
  fs.mkdirSync(layout.top, { recursive: true, mode: 0o700 });
  installStandin(layout.bwdc);
  if (scheme === 'file') {
    fs.mkdirSync(layout.secretFolder, { mode: 0o700 });
    fs.writeFileSync(layout.secretFile, options.secretFileContent ?? `${secret}\n`, { mode: 0o600 });
  }
  const setups = options.instances ?? [];
  const folders = layout.instances.slice(0, setups.length);
  assert.strictEqual(folders.length, setups.length, 'values.json names too few instance folders');
  setups.forEach((setup, index) => prepareInstance(folders[index]!, setup));

  const text = renderSchedule('job.template.bwdc-schedule', {
    platform: options.platform ?? 'linux',
    ...(options.runAs !== undefined ? { runAs: options.runAs } : {}),
    bwdc: layout.bwdc,
    secret: secretLine(scheme, layout),
    instances: folders,
    env: options.withEnvLines === false ? [] : layout.names.env,
    log: layout.log,
  });
  fs.writeFileSync(layout.scheduleFile, text);
  const job = jobOf(text, layout.scheduleFile);
  const scriptText = generateScript(job, TEST_VERSION).text;
  fs.writeFileSync(job.script, scriptText, { mode: 0o700 });
  const home = path.join(options.root, 'home');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const record = path.join(options.root, 'record.jsonl');
  const user = os.userInfo().username;
  return {
    layout,
    job,
    script: job.script,
    scriptText,
    secret,
    record,
    home,
    env: { HOME: home, LOGNAME: user, USER: user, SHELL: '/bin/sh', PATH: '/usr/bin:/bin', BWDC_STANDIN_RECORD: record },
  };
}

/**
 * Another job over the same bwdc, secret and log as `run`, with other instance folders: its
 * schedule file and script live in `folder`, so `run`'s script is never rewritten while it runs.
 */
export function prepareOtherJob(run: PreparedRun, folder: string, instances: readonly string[]): PreparedRun {
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const scheduleFile = path.join(folder, 'job.bwdc-schedule');
  const text = renderSchedule('job.template.bwdc-schedule', {
    platform: run.job.platform,
    bwdc: run.layout.bwdc,
    secret: secretLine(run.job.secret.scheme as SecretScheme, run.layout),
    instances,
    env: [],
    log: run.layout.log,
  });
  fs.writeFileSync(scheduleFile, text);
  const job = jobOf(text, scheduleFile);
  const scriptText = generateScript(job, TEST_VERSION).text;
  fs.writeFileSync(job.script, scriptText, { mode: 0o700 });
  return { ...run, job, script: job.script, scriptText, layout: { ...run.layout, instances, labels: instances.map((instance) => path.basename(instance)) } };
}

export function prepareInstance(folder: string, setup: InstanceSetup): void {
  if ('noFolder' in setup) return;
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  if ('data' in setup) fs.copyFileSync(scriptFixture('data', setup.data), path.join(folder, 'data.json'));
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function result(spawned: SpawnSyncReturns<string>): RunResult {
  if (spawned.error) throw spawned.error;
  return { status: spawned.status, stdout: spawned.stdout, stderr: spawned.stderr };
}

/** Runs the generated script as cron would: its own path, no arguments, a minimal environment. */
export function runScript(run: PreparedRun, extraEnv: NodeJS.ProcessEnv = {}): RunResult {
  return result(spawnSync(run.script, [], { env: { ...run.env, ...extraEnv }, encoding: 'utf8', timeout: 30_000 }));
}

/** Starts the script without waiting; resolves when it ends. */
export function startScript(run: PreparedRun, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.script, [], { env: { ...run.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** One call of the stand-in, as it recorded it. */
export interface StandinCall {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly appdata: string | null;
  readonly clientId: string | null;
  readonly clientSecret: string | null;
  readonly noInteraction: string | null;
  readonly plaintext: string | null;
  readonly environment: Readonly<Record<string, string>>;
}

export function calls(run: PreparedRun): StandinCall[] {
  if (!fs.existsSync(run.record)) return [];
  return fs
    .readFileSync(run.record, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StandinCall);
}

/** "logout login sync logout" per folder, in call order. */
export function sequence(list: readonly StandinCall[]): string[] {
  return list.map((call) => `${call.appdata ?? '(none)'}: ${call.argv.join(' ')}`);
}

export function syncSequence(folder: string, steps: readonly string[] = ['login', 'sync', 'logout']): string[] {
  return steps.map((step) => `${folder}: ${step}`);
}

export function readLog(run: PreparedRun): string {
  return fs.existsSync(run.layout.log) ? fs.readFileSync(run.layout.log, 'utf8') : '';
}

export interface LogLine {
  readonly stamp: string;
  readonly label: string;
  readonly message: string;
}

/**
 * The log's lines as `STAMP [label] message`, knowing the labels (a hostile label may hold
 * "] " itself, so the line cannot be split by pattern alone). Fails on a line with no known label.
 */
export function logLines(text: string, labels: readonly string[]): LogLine[] {
  const known = [...labels].sort((a, b) => b.length - a.length);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      const stamp = line.slice(0, space);
      const rest = line.slice(space + 1);
      const label = known.find((candidate) => rest.startsWith(`[${candidate}] `));
      assert.ok(space > 0 && label !== undefined, `a log line without a known label: ${JSON.stringify(line)}`);
      return { stamp, label, message: rest.slice(label.length + 3) };
    });
}

/** Polls until `condition` holds (never a fixed sleep), failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fails with what to install when a tool the tests run is missing (scripts/setup.sh installs them). */
export function requireTool(command: string, debianPackage: string): void {
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8' });
  assert.ok(!probe.error, `${command} is not installed: apt-get install ${debianPackage}`);
}
