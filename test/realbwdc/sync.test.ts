/**
 * The generated sync script against the REAL Bitwarden Directory Connector CLI: both releases
 * built from ../shared/directory-connector (scripts/real-bwdc.sh; 2026.6.1 with a stand-in for
 * its keychain addon only, see realbwdc.ts), the tests' own slapd as the directory, and local
 * stand-ins for the Bitwarden server (apiStandIn.ts) — one per behaviour a run must survive.
 *
 * Each test runs both releases at the same time (2 cores; each bwdc call costs 2–5 s), with
 * cron's environment, as the user running the tests (root). The first scenario, two instances
 * that sync, runs under Debian's cron daemon as a throwaway run-as user, installed with the CLI
 * at the start and awaited at the end, so that cron's minute passes while the others run.
 *
 *   npx tsc -p tsconfig.test.json && npx mocha --no-config --timeout 900000 out/test/realbwdc/sync.test.js
 */
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveJob } from '../../src/core/schedule/job';
import { generateScript } from '../../src/core/script/generate';
import { testReport } from '../../src/core/test/report';
import { startApiStandIn, type ApiStandIn, type ImportBody } from './apiStandIn';
import { prepareInstance, setServerUrl, storedSession } from './instance';
import { cronLikeEnv, locateRealBwdc, repoRoot, type RealBwdc } from './realbwdc';
import { startSlapd, type Slapd } from './slapd';
import { chownTree, cronPids, ensureCronDaemon, poll, stopCronDaemon, type StartedCron } from '../system/daemon/support';
import { createUser, crontabOf, removeUser, type ThrowawayUser } from '../system/users';

const ORGANIZATION_ID = '6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';
const CLIENT_ID = `organization.${ORGANIZATION_ID}`;
const CLIENT_SECRET = crypto
  .randomBytes(30)
  .toString('base64')
  .replace(/[^A-Za-z0-9]/g, 'q')
  .slice(0, 30);
const REFUSED = 'The import failed: the organization has no seats left.';

/** Unparsable data.json files, as an admin's editor leaves them: each must be left byte for byte. */
const BROKEN: Readonly<Record<string, string>> = {
  'trailing-comma': '{\n  "directoryType": 0,\n}\n',
  comment: '{\n  // the LDAP server\n  "directoryType": 0\n}\n',
  'byte-order-mark': '\uFEFF{"directoryType": 0}\n',
  empty: '',
  truncated: '{"directoryType": 0, "directoryLdap": {"hostname": "ldap.exa',
};

interface Servers {
  readonly ok: ApiStandIn;
  readonly rejecting: ApiStandIn;
  readonly failing: ApiStandIn;
  readonly refusing: ApiStandIn;
  readonly hanging: ApiStandIn;
  /** Only for the jobs cron runs, so that their imports are theirs alone. */
  readonly cron: ApiStandIn;
  /** A port nothing listens on. */
  readonly closed: string;
}

interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly log: string;
}

/** A job's folder: instance folders from the release's template, a secret, the script. */
class Job {
  readonly folder: string;
  readonly log: string;
  script = '';

  constructor(
    readonly bwdc: RealBwdc,
    private readonly template: string,
    root: string,
    readonly name: string,
  ) {
    this.folder = path.join(root, name);
    fs.mkdirSync(path.join(this.folder, 'secret'), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(this.folder, 'secret', 'client_secret'), `${CLIENT_SECRET}\n`, { mode: 0o600 });
    this.log = path.join(this.folder, 'bwdc.log');
  }

  /** An instance folder cloned from the template (data.json as the desktop app leaves it), pointed at `url`. */
  instance(label: string, url: string): string {
    const folder = path.join(this.folder, label);
    fs.cpSync(this.template, folder, { recursive: true });
    setServerUrl(folder, url);
    return folder;
  }

  /** An instance folder whose data.json does not parse. */
  broken(label: string, text: string): string {
    const folder = path.join(this.folder, label);
    fs.mkdirSync(folder, { mode: 0o700 });
    fs.writeFileSync(path.join(folder, 'data.json'), text, { mode: 0o600 });
    return folder;
  }

  /** Writes the schedule file and generates its script, as `bwdc-schedule script` would. */
  generate(instances: readonly string[], extra: readonly string[] = ['env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true']): void {
    const file = path.join(this.folder, `${this.name}.bwdc-schedule`);
    const text = [
      `name ${this.name}`,
      'schedule 0 12 * * 1',
      'platform linux',
      `bwdc ${this.bwdc.path}`,
      `client-id ${CLIENT_ID}`,
      `secret file:${path.join(this.folder, 'secret', 'client_secret')}`,
      ...instances.map((folder) => `instance ${folder}`),
      ...extra,
      `log ${this.log}`,
      `script ${path.join(this.folder, 'sync.sh')}`,
    ].join('\n');
    fs.writeFileSync(file, `${text}\n`);
    const result = resolveJob(text, { scheduleFile: file, hostPlatform: 'linux' });
    assert.ok(result.job, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error')));
    this.script = result.job.script;
    fs.writeFileSync(this.script, generateScript(result.job, 'real-bwdc-test').text, { mode: 0o700 });
  }

  /** Runs the script as cron would (its own process group, cron's environment, no stdin); `--test` for a test run. */
  run(args: readonly string[] = []): Promise<RunResult> & { readonly pid: number } {
    const child = spawn(this.script, [...args], { env: cronLikeEnv(this.folder), cwd: this.folder, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const done = new Promise<RunResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr, log: fs.existsSync(this.log) ? fs.readFileSync(this.log, 'utf8') : '' }));
    });
    return Object.assign(done, { pid: child.pid! });
  }

  /** The log lines of one label, without their time stamps. */
  lines(label: string): string[] {
    const text = fs.existsSync(this.log) ? fs.readFileSync(this.log, 'utf8') : '';
    const prefix = ` [${label}] `;
    return text
      .split('\n')
      .filter((line) => line.includes(prefix))
      .map((line) => line.slice(line.indexOf(prefix) + prefix.length));
  }
}

/** What the directory holds, as bwdc must import it (the disabled user as deleted: "Remove disabled users"). */
function expectedImport(slapd: Slapd): { groups: string[]; members: string[] } {
  const byDn = new Map(slapd.users.map((user) => [user.dn, user]));
  return {
    groups: slapd.groups
      .map(
        (group) =>
          `${group.name}: ${group.memberDns
            .map((dn) => byDn.get(dn)?.email ?? dn)
            .sort()
            .join(', ')}`,
      )
      .sort(),
    members: slapd.users.map((user) => `${user.email.toLowerCase()}${user.disabled ? ' (deleted)' : ''}`).sort(),
  };
}

function imported(body: ImportBody): { groups: string[]; members: string[] } {
  const email = new Map(body.members.map((member) => [member.externalId, member.email]));
  return {
    groups: body.groups
      .map(
        (group) =>
          `${group.name}: ${group.memberExternalIds
            .map((id) => email.get(id) ?? id)
            .sort()
            .join(', ')}`,
      )
      .sort(),
    members: body.members.map((member) => `${member.email}${member.deleted ? ' (deleted)' : ''}`).sort(),
  };
}

/** Imports a server received from one instance folder (its requests carry no folder: by order). */
function importsSince(server: ApiStandIn, count: number): ImportBody[] {
  return server.imports().slice(count);
}

const located = locateRealBwdc();

describe('the generated sync script with the real bwdc', function () {
  this.timeout(900_000);

  if (!Array.isArray(located)) {
    it(`is skipped: ${(located as { skip: string }).skip}`, function () {
      // One line that says why and how to enable: BWDC_REAL=/path/to/bwdc, or ../shared present.
      this.skip();
    });
    return;
  }
  const releases = located as readonly RealBwdc[];
  let slapd: Slapd;
  let servers: Servers;
  let root: string;
  const templates = new Map<string, string>();

  before(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-real-sync-')));
    // The cron scenario's run-as user must reach its folder below.
    fs.chmodSync(root, 0o755);
    slapd = await startSlapd();
    const credentials = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
    servers = {
      ok: await startApiStandIn(credentials),
      rejecting: await startApiStandIn({ ...credentials, token: 'reject-secret' }),
      failing: await startApiStandIn({ ...credentials, import: 'server-error' }),
      refusing: await startApiStandIn({ ...credentials, import: { status: 400, message: REFUSED } }),
      hanging: await startApiStandIn({ ...credentials, import: 'hang' }),
      cron: await startApiStandIn(credentials),
      closed: 'http://127.0.0.1:9',
    };
    // One bwdc call per release (config server); every instance folder is a copy.
    await Promise.all(
      releases.map(async (bwdc) => {
        const appData = path.join(root, `template-${bwdc.version}`);
        await prepareInstance({ bwdc, appData, serverUrl: servers.ok.url, organizationId: ORGANIZATION_ID, ldap: slapd });
        templates.set(bwdc.version, appData);
      }),
    );
    cronRun = await installCronJobs();
  });

  /**
   * Two instances per release, installed with `bwdc-schedule crontab install` into the crontab of
   * a throwaway user, who runs them: the release is copied where that user can reach it (the cache
   * is in root's home), with its own wrapper.
   */
  interface CronRun {
    readonly user: ThrowawayUser;
    readonly started: StartedCron | undefined;
    readonly jobs: readonly { readonly bwdc: RealBwdc; readonly job: Job; readonly schedule: string; readonly instances: readonly string[] }[];
  }
  let cronRun: CronRun | undefined;

  async function installCronJobs(): Promise<CronRun> {
    const user = createUser('bwdcr');
    // Once, two minutes from now (cron's local time): it has seen the crontab by then, and the
    // jobs run while the other scenarios do, without starting again every minute.
    const at = new Date(Date.now() + 2 * 60_000);
    const when = `${at.getMinutes()} ${at.getHours()} * * *`;
    const home = path.join(root, 'cron');
    fs.mkdirSync(home, { mode: 0o755 });
    const jobs = releases.map((bwdc) => {
      const release = path.dirname(path.dirname(bwdc.path));
      const copy = path.join(home, `bwdc-${bwdc.version}`);
      fs.cpSync(release, copy, { recursive: true });
      spawnSync('chmod', ['-R', 'a+rX', copy]);
      const wrapper = path.join(copy, 'bin', 'bwdc-for-cron');
      fs.writeFileSync(
        wrapper,
        `#!/bin/sh
exec /usr/bin/node '${path.join(copy, 'bin', 'bwdc.js')}' "$@"
`,
        { mode: 0o755 },
      );
      const job = new Job({ version: bwdc.version, path: wrapper }, templates.get(bwdc.version)!, home, `cron-${bwdc.version.replace(/\./g, '-')}`);
      const instances = [job.instance('instance-1', servers.cron.url), job.instance('instance-2', servers.cron.url)];
      chownTree(job.folder, user.uid, user.gid);
      const schedule = path.join(job.folder, `${job.name}.bwdc-schedule`);
      fs.writeFileSync(
        schedule,
        [
          `name ${job.name}`,
          `schedule ${when}`,
          'platform linux',
          `run-as ${user.name}`,
          `bwdc ${wrapper}`,
          `client-id ${CLIENT_ID}`,
          `secret file:${path.join(job.folder, 'secret', 'client_secret')}`,
          ...instances.map((folder) => `instance ${folder}`),
          'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
          `log ${job.log}`,
          `script ${path.join(job.folder, 'sync.sh')}`,
          '',
        ].join('\n'),
      );
      const cli = path.join(repoRoot(), 'dist', 'cli.js');
      const installed = spawnSync(process.execPath, [cli, 'crontab', 'install', schedule, '--yes'], {
        encoding: 'utf8',
        env: { PATH: process.env['PATH'], HOME: home, XDG_STATE_HOME: path.join(home, 'state') },
      });
      assert.strictEqual(installed.status, 0, `crontab install: ${installed.stdout}${installed.stderr}`);
      return { bwdc, job, schedule, instances };
    });
    const started = cronPids().length > 0 ? undefined : await ensureCronDaemon();
    return { user, started, jobs };
  }

  after(async () => {
    if (cronRun) {
      for (const { schedule } of cronRun.jobs)
        spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'crontab', 'remove', schedule, '--yes'], {
          env: { PATH: process.env['PATH'], HOME: root },
        });
      if (cronRun.started) await stopCronDaemon(cronRun.started);
      removeUser(cronRun.user);
    }
    for (const server of Object.values(servers ?? {})) if (typeof server !== 'string') await server.stop();
    await slapd?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** Runs `scenario` for every release at once. */
  function eachRelease(scenario: (bwdc: RealBwdc, job: (name: string) => Job) => Promise<void>): Promise<void> {
    return Promise.all(releases.map((bwdc) => scenario(bwdc, (name) => new Job(bwdc, templates.get(bwdc.version)!, root, `${bwdc.version}-${name}`)))).then(
      () => undefined,
    );
  }

  it("fails each instance for its own reason, in sentences, with bwdc's words in the log and on stderr; skips unparsable data.json untouched; stops a hung sync at the timeout; syncs the rest", async () => {
    await eachRelease(async (bwdc, job) => {
      const run = job('failures');
      const folders = {
        rejected: run.instance('rejected', servers.rejecting.url),
        unreachable: run.instance('unreachable', servers.closed),
        failing: run.instance('server-error', servers.failing.url),
        refused: run.instance('refused', servers.refusing.url),
        ...Object.fromEntries(Object.entries(BROKEN).map(([name, text]) => [name, run.broken(`broken-${name}`, text)])),
        hung: run.instance('hung', servers.hanging.url),
        healthy: run.instance('healthy', servers.ok.url),
      } as Record<string, string>;
      run.generate(Object.values(folders), ['env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true', 'timeout 30s']);
      const importsBefore = servers.ok.imports().length;
      const result = await run.run();
      const context = `bwdc ${bwdc.version}\n${result.log}\n${result.stderr}`;

      assert.strictEqual(result.status, 1, context);
      assert.strictEqual(result.stdout, '');
      const expectations: [string, string, RegExp][] = [
        ['rejected', 'login failed: the client secret was rejected; check the client-id line', /^bwdc: \{"response":\{"error":"invalid_client"\}/],
        [
          'unreachable',
          'login failed: the Bitwarden server could not be reached',
          bwdc.version.startsWith('2026.4') ? /^bwdc: request to http:\/\/127\.0\.0\.1:9\/identity\/connect\/token failed/ : /^bwdc: fetch failed$/,
        ],
        ['server-error', 'sync failed: the Bitwarden server failed with an internal error', /^bwdc: An unhandled server error has occurred\.$/],
        ['refused', 'sync failed: the server or the directory refused it', new RegExp(`^bwdc: ${REFUSED.replace(/\./g, '\\.')}$`)],
        ['hung', 'sync failed: timed out after 30s; bwdc and everything it started were stopped', /^result: failed: sync: timed out after 30s$/],
      ];
      for (const [label, sentence, said] of expectations) {
        const lines = run.lines(label);
        assert.ok(
          lines.some((line) => line.startsWith(sentence)),
          `${label}: no "${sentence}"\n${context}`,
        );
        assert.ok(
          lines.some((line) => said.test(line)),
          `${label}: bwdc's words missing\n${context}`,
        );
        assert.ok(result.stderr.includes(`${label}: failed: `), `${label} is not in what cron mails\n${context}`);
      }
      assert.ok(result.stderr.includes(`(bwdc: ${REFUSED})`), `the server's message reaches what cron mails\n${context}`);
      for (const [name, text] of Object.entries(BROKEN)) {
        const folder = folders[name]!;
        assert.deepStrictEqual(
          fs.readFileSync(path.join(folder, 'data.json'), 'latin1'),
          Buffer.from(text, 'utf8').toString('latin1'),
          `${name}: data.json changed`,
        );
        assert.deepStrictEqual(fs.readdirSync(folder).sort(), ['.bwdc-schedule.lock', 'data.json'], `${name}: bwdc ran there (no data.json.bak, no new file)`);
        assert.ok(run.lines(`broken-${name}`).includes('result: skipped: data.json is not valid JSON'), context);
      }
      assert.ok(run.lines('healthy').includes('result: synced: 2 groups, 4 users'), context);
      const healthyImports = importsSince(servers.ok, importsBefore);
      assert.ok(healthyImports.length >= 1);
      assert.deepStrictEqual(imported(healthyImports.at(-1)!), expectedImport(slapd));
      // The next run starts clean: no instance keeps a session, and no lock is held.
      for (const folder of Object.values(folders)) {
        if (fs.existsSync(path.join(folder, 'data.json')) && !Object.values(BROKEN).includes(fs.readFileSync(path.join(folder, 'data.json'), 'utf8'))) {
          assert.deepStrictEqual(storedSession(folder), {}, `${folder} still holds a session\n${context}`);
        }
        assert.strictEqual(spawnSync('flock', ['-n', path.join(folder, '.bwdc-schedule.lock'), 'true']).status, 0, `${folder} is still locked`);
      }
      assert.ok(!run.lines(run.name).some((line) => line.includes('version not recorded')), context);
      assert.ok(run.lines(run.name).includes(`bwdc ${bwdc.version} (${bwdc.path})`), `the version line\n${context}`);
    });
  });

  it('syncs on the next run after one was killed between login and logout, ending the session it left', async () => {
    await eachRelease(async (bwdc, job) => {
      const run = job('killed');
      const folder = run.instance('instance', servers.hanging.url);
      run.generate([folder]);
      const hangingBefore = servers.hanging.requests.length;
      const first = run.run();
      const deadline = Date.now() + 120_000;
      while (!servers.hanging.requests.slice(hangingBefore).some((request) => request.path === '/api/public/organization/import')) {
        assert.ok(Date.now() < deadline, `bwdc ${bwdc.version} never reached the import`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // The machine goes down: the script, its watchdog and bwdc, all at once.
      spawnSync('pkill', ['-KILL', '-f', run.script]);
      spawnSync('pkill', ['-KILL', '-f', bwdc.path.replace(/\/bin\/bwdc$/, '')]);
      await first;
      assert.ok(storedSession(folder).accessToken, `bwdc ${bwdc.version}: the killed run left its session`);

      setServerUrl(folder, servers.ok.url);
      const second = await run.run();
      const context = `bwdc ${bwdc.version}\n${second.log}\n${second.stderr}`;
      assert.strictEqual(second.status, 0, context);
      assert.ok(run.lines('instance').includes('a session of an earlier run was still open (it was stopped halfway); logging it out first'), context);
      assert.ok(
        run.lines('instance').some((line) => /^result: synced/.test(line)),
        context,
      );
      assert.deepStrictEqual(storedSession(folder), {});
    });
  });

  it("tests without syncing (--test): the directory's users and groups come back to the caller, not into the log; no import is sent", async () => {
    const importsBefore = servers.ok.imports().length;
    await eachRelease(async (bwdc, job) => {
      const run = job('test-mode');
      const folder = run.instance('instance', servers.ok.url);
      run.generate([folder]);
      const result = await run.run(['--test']);
      const context = `bwdc ${bwdc.version}\n${result.log}\n${result.stderr}`;
      assert.deepStrictEqual([result.status, result.stderr], [0, ''], context);
      assert.match(run.lines(run.name)[0]!, /^run started in test mode \(pid \d+\)$/, context);
      assert.ok(run.lines('instance').includes('result: tested: 4 users (3 enabled, 1 disabled, 0 deleted), 2 groups'), context);
      assert.doesNotMatch(result.log, /alice|carol|Engineering/, 'no user or group in the log');
      const [tested] = testReport({ instances: [{ label: 'instance', folder }], stdout: result.stdout, stderr: result.stderr, exitCode: result.status });
      assert.ok(tested?.ok, `${context}\n${result.stdout}`);
      assert.deepStrictEqual(
        tested.users.map((user) => `${String(user.displayName)} ${user.state}`),
        ['alice@bwdc-schedule.test enabled', 'bob@bwdc-schedule.test enabled', 'dave@bwdc-schedule.test enabled', 'carol.jones@bwdc-schedule.test disabled'],
      );
      assert.deepStrictEqual(
        tested.groups.map((group) => [group.displayName, group.userIds]),
        [
          ['Engineering', ['uid=alice,ou=people,dc=bwdc-schedule,dc=test', 'uid=carol,ou=people,dc=bwdc-schedule,dc=test']],
          ['Sales', ['uid=bob,ou=people,dc=bwdc-schedule,dc=test', 'uid=dave,ou=people,dc=bwdc-schedule,dc=test']],
        ],
      );
      assert.deepStrictEqual(storedSession(folder), {}, 'logged out again');
    });
    assert.strictEqual(servers.ok.imports().length, importsBefore, 'nothing was synced: the server received no import');
  });

  it('names the keyring trap and its fix when plaintext mode is off, as it is under cron without the env line', async () => {
    await eachRelease(async (bwdc, job) => {
      const run = job('keyring');
      const folder = run.instance('instance', servers.ok.url);
      run.generate([folder], []);
      const result = await run.run();
      const context = `bwdc ${bwdc.version}\n${result.log}\n${result.stderr}`;
      assert.strictEqual(result.status, 1, context);
      // 2026.4.0 logs in, then cannot read the LDAP password from the keyring; 2026.6.1 (here: its
      // keychain addon's stand-in) cannot even log in.
      const step = bwdc.version.startsWith('2026.4') ? 'sync' : 'login';
      assert.ok(
        run
          .lines('instance')
          .includes(
            `${step} failed: bwdc could not use the OS keyring; a job started by cron has none: add the line 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true' to the schedule file`,
          ),
        context,
      );
      assert.match(result.stderr, /instance: failed: .*bwdc could not use the OS keyring — a job started by cron has none/);
    });
  });

  it("is run by Debian's cron daemon as the run-as user: both instances sync, one import each with exactly the directory's users and groups", async () => {
    const run = cronRun!;
    const finished = (job: Job): boolean => job.lines(job.name).some((line) => line.startsWith('run finished'));
    await poll(
      () => run.jobs.every(({ job }) => finished(job)),
      'cron to run both jobs',
      240_000,
      1000,
      () => run.jobs.map(({ job }) => `${job.name}:\n${fs.existsSync(job.log) ? fs.readFileSync(job.log, 'utf8') : '(no log yet)'}`).join('\n'),
    );
    // The crontab was not touched again since: one block per job.
    const crontab = crontabOf(run.user.name) ?? '';
    for (const { job, instances, bwdc } of run.jobs) {
      assert.ok(crontab.includes(`# BEGIN bwdc-schedule ${job.name} `), crontab);
      const context = `bwdc ${bwdc.version}\n${fs.readFileSync(job.log, 'utf8')}`;
      const finishedLine = job.lines(job.name).find((line) => line.startsWith('run finished'))!;
      assert.strictEqual(finishedLine, 'run finished: instance-1: synced: 2 groups, 4 users; instance-2: synced: 2 groups, 4 users; exit 0', context);
      assert.strictEqual(fs.statSync(job.log).uid, run.user.uid, 'the log was written by the run-as user');
      for (const folder of instances)
        assert.strictEqual(fs.statSync(path.join(folder, 'data.json')).uid, run.user.uid, `${folder}: data.json still belongs to the run-as user`);
    }
    const imports = servers.cron.imports();
    assert.ok(imports.length >= 2 * run.jobs.length, `${imports.length} imports`);
    for (const body of imports) assert.deepStrictEqual(imported(body), expectedImport(slapd));
  });
});
