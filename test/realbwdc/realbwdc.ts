import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Finding and running the REAL Bitwarden Directory Connector CLI.
 *
 * locateRealBwdc(): with BWDC_REAL=/path/to/bwdc, that one bwdc (a user-installed release),
 * asked for its version; otherwise the releases scripts/real-bwdc.sh builds from the source
 * tarballs in ../shared/directory-connector (cached outside the clone; the first build takes a
 * few minutes, later calls cost nothing). When the tarballs are absent it answers
 * `{ skip: reason }` so that tests skip with that reason.
 *
 * 2026.6.x built here runs with a stand-in for its keychain addon (scripts/real-bwdc/
 * dc-native-standin.c, a keychain that reports itself unavailable); everything else is the
 * release's own code. Plaintext-secrets mode never touches the keychain.
 */

export interface RealBwdc {
  readonly version: string;
  /** An executable that cron can run with PATH=/usr/bin:/bin. */
  readonly path: string;
}

export type Located = readonly RealBwdc[] | { readonly skip: string };

export interface BwdcRun {
  readonly args: readonly string[];
  /** Exit code; null when killed (see signal, timedOut). */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

/** The repository's root, from the compiled file (out/test/realbwdc) or the source. */
export function repoRoot(): string {
  for (const up of ['../../..', '../..']) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(path.join(candidate, 'scripts', 'real-bwdc.sh'))) return candidate;
  }
  return process.cwd();
}

interface Ran {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** spawn, not spawnSync: the stand-in server answering bwdc lives in this process. */
function runAsync(command: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/** The environment cron gives a job (PATH=/usr/bin:/bin, HOME, SHELL, LOGNAME), nothing else. */
export function cronLikeEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: '/usr/bin:/bin', HOME: home, SHELL: '/bin/sh', LOGNAME: os.userInfo().username };
}

export interface RunOptions {
  /** The Directory Connector instance folder (BITWARDENCLI_CONNECTOR_APPDATA_DIR). */
  readonly appData: string;
  /** Added to (or, when undefined, removed from) the defaults: cron's environment plus
   *  BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true and BW_NOINTERACTION=true. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Killed (SIGKILL) after this long; default 120 s. */
  readonly timeoutMs?: number;
}

/** Runs the real bwdc the way a scheduled script does: stdin /dev/null, cron's environment. */
export async function runBwdc(bwdc: RealBwdc, args: readonly string[], options: RunOptions): Promise<BwdcRun> {
  const env: NodeJS.ProcessEnv = {
    ...cronLikeEnv(path.dirname(options.appData)),
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: options.appData,
    BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
    BW_NOINTERACTION: 'true',
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const started = process.hrtime.bigint();
  const ran = await runAsync(bwdc.path, args, { env, cwd: options.appData, timeoutMs: options.timeoutMs ?? 120_000 });
  return { args, ...ran, ms: Number((process.hrtime.bigint() - started) / 1_000_000n) };
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/**
 * The real bwdc releases to test: BWDC_REAL's, or those scripts/real-bwdc.sh builds, or a
 * reason to skip. Synchronous, so that a test file can make one `describe` per release; it
 * talks to no server. Throws when BWDC_REAL does not run, or when the build fails for another
 * reason than missing tarballs (its stderr is then shown).
 */
export function locateRealBwdc(): Located {
  const given = process.env.BWDC_REAL;
  if (given) {
    const bwdcPath = path.resolve(given);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-real-version-'));
    try {
      const ran = spawnSync(bwdcPath, ['--version'], {
        env: { ...cronLikeEnv(scratch), BITWARDENCLI_CONNECTOR_APPDATA_DIR: scratch, BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true' },
        cwd: scratch,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
      const version = lastLine(ran.stdout ?? '');
      if (ran.status !== 0 || !/^\d+\.\d+\.\d+/.test(version)) {
        throw new Error(
          `BWDC_REAL=${given}: \`bwdc --version\` exited ${ran.status ?? String(ran.error)} and printed ${JSON.stringify(`${ran.stdout ?? ''}${ran.stderr ?? ''}`)}`,
        );
      }
      return [{ version, path: bwdcPath }];
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  const script = path.join(repoRoot(), 'scripts', 'real-bwdc.sh');
  const started = Date.now();
  const ran = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  const stderr = ran.stderr ?? '';
  if (ran.status === 3) return { skip: lastLine(stderr).replace(/^real-bwdc: /, '') };
  // A build (minutes, the first time) shows what it did.
  if (ran.status !== 0 || Date.now() - started > 10_000)
    process.stderr.write(
      stderr
        .split('\n')
        .filter((line) => line.startsWith('real-bwdc:'))
        .join('\n') + '\n',
    );
  if (ran.status !== 0) {
    throw new Error(`scripts/real-bwdc.sh exited ${ran.status ?? String(ran.error ?? ran.signal)}:\n${stderr.split('\n').slice(-30).join('\n')}`);
  }
  const found: RealBwdc[] = [];
  for (const line of (ran.stdout ?? '').trim().split('\n')) {
    const match = /^bwdc (\S+) (\/.+)$/.exec(line.trim());
    if (match?.[1] && match[2]) found.push({ version: match[1], path: match[2] });
  }
  if (found.length === 0) throw new Error(`scripts/real-bwdc.sh printed no \`bwdc <version> <path>\` line:\n${ran.stdout}`);
  return found;
}
