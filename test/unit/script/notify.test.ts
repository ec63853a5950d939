import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import * as path from 'path';
import { BASH_SCRIPT_VARIABLES } from '../../../src/core/schedule/directives';
import { pingUrls } from '../../../src/core/schedule/notify';
import type { SyncJob } from '../../../src/core/schedule/job';
import { generateScript } from '../../../src/core/script/generate';
import { BASH_CURL, BASH_WGET, NOTIFY_EXEC_LIMIT_SECONDS, PING_LIMIT_SECONDS } from '../../../src/core/script/notify';
import { shellQuote } from '../../../src/core/script/quote';
import {
  jobOf,
  prepareRun,
  readLog,
  requireTool,
  startScript,
  TEST_VERSION,
  useSandboxes,
  VALID,
  VALUES,
  waitFor,
  type PreparedRun,
  type RunResult,
} from './support';

/**
 * `notify` lines in the generated bash script, executed with real bash, the bwdc stand-in and a
 * local HTTP listener on 127.0.0.1 that records every request. The script runs with spawn (not
 * spawnSync): the listener answers from this process's event loop.
 */

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

interface Listener {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly requests: Recorded[];
  close(): Promise<void>;
}

/** A monitor: answers 200 "OK" (as healthchecks.io does), or reads the request and never answers. */
function listen(answer: 'ok' | 'never'): Promise<Listener> {
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      if (answer === 'ok') response.end('OK');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The run's schedule file with notify lines added, and its script generated again. */
function withNotify(run: PreparedRun, targets: readonly string[]): PreparedRun {
  const text = `${fs.readFileSync(run.layout.scheduleFile, 'utf8')}${targets.map((target) => `notify     ${target}\n`).join('')}`;
  fs.writeFileSync(run.layout.scheduleFile, text);
  return withJob(run, jobOf(text, run.layout.scheduleFile));
}

function withJob(run: PreparedRun, job: SyncJob): PreparedRun {
  const scriptText = generateScript(job, TEST_VERSION).text;
  fs.writeFileSync(job.script, scriptText, { mode: 0o700 });
  return { ...run, job, scriptText };
}

/** The generated script with one of its lines replaced (to stand for a machine without curl, or a shorter limit). */
function rewriteScript(run: PreparedRun, from: string, to: string): void {
  assert.ok(run.scriptText.includes(from), `the script has no line ${from}`);
  fs.writeFileSync(run.script, run.scriptText.replace(from, to), { mode: 0o700 });
}

/** A program for `notify exec:` that records its stdin, arguments and environment. */
function recorder(folder: string, exitWith = 0): { readonly program: string; readonly stdin: string; readonly environment: string } {
  const program = path.join(folder, 'on-failure');
  const stdin = path.join(folder, 'exec-stdin.txt');
  const environment = path.join(folder, 'exec-env.txt');
  fs.writeFileSync(
    program,
    [
      '#!/bin/bash',
      `cat > ${shellQuote(stdin)}`,
      `env > ${shellQuote(environment)}`,
      exitWith === 0 ? 'exit 0' : `echo 'the mail relay refused the message' >&2; exit ${exitWith}`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return { program, stdin, environment };
}

function logText(run: PreparedRun): string {
  return readLog(run);
}

async function timed(promise: Promise<RunResult>): Promise<RunResult & { readonly seconds: number }> {
  const start = Date.now();
  const outcome = await promise;
  return { ...outcome, seconds: (Date.now() - start) / 1000 };
}

const CHECK = '/ping/6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

describe('notify lines in the generated bash script, executed with the stand-in and a local HTTP listener', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();
  let listener: Listener;

  afterEach(async () => {
    await listener?.close();
  });

  it('pings URL/start and then URL on a good run, the summary as the body, and prints nothing for cron to mail', async () => {
    listener = await listen('ok');
    const run = withNotify(prepareRun({ root: sandbox(), instances: [VALID, VALID] }), [`ping:${listener.origin}${CHECK}`]);
    const outcome = await startScript(run);

    assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
    assert.deepStrictEqual(
      listener.requests.map((request) => `${request.method} ${request.path}`),
      [`POST ${CHECK}/start`, `POST ${CHECK}`],
    );
    assert.match(listener.requests[0]!.body, /^bwdc sync script-test: run started \(pid \d+\)\n$/);
    assert.strictEqual(
      listener.requests[1]!.body,
      'bwdc sync script-test: run finished: instance-1: synced: 2 groups, 5 users; instance-2: synced: 2 groups, 5 users\n',
    );
    assert.doesNotMatch(logText(run), /notify/, 'a ping that worked adds nothing to the log');
  });

  it('pings URL/start and URL/fail on a failed run, the body being exactly what cron mails', async () => {
    listener = await listen('ok');
    const run = withNotify(prepareRun({ root: sandbox(), instances: [{ data: 'fail-sync.json' }, VALID] }), [`ping:${listener.origin}${CHECK}`]);
    const outcome = await startScript(run);

    assert.strictEqual(outcome.status, 1);
    assert.strictEqual(outcome.stdout, '');
    assert.match(outcome.stderr, /instance-1: failed: sync: the Bitwarden server failed with an internal error/);
    assert.deepStrictEqual(
      listener.requests.map((request) => `${request.method} ${request.path}`),
      [`POST ${CHECK}/start`, `POST ${CHECK}/fail`],
    );
    assert.strictEqual(listener.requests[1]!.body, outcome.stderr);
    assert.match(listener.requests[1]!.body, /some instances did not sync: instance-1: failed: sync: .*; instance-2: synced: 2 groups, 5 users/);
  });

  it('pings URL/fail with the reason when the run stops before any instance (no secret file)', async () => {
    listener = await listen('ok');
    const root = sandbox();
    const run = withNotify(prepareRun({ root, instances: [VALID] }), [`ping:${listener.origin}${CHECK}`]);
    fs.rmSync(run.layout.secretFile);
    const outcome = await startScript(run);

    assert.strictEqual(outcome.status, 1);
    assert.deepStrictEqual(
      listener.requests.map((request) => request.path),
      [`${CHECK}/start`, `${CHECK}/fail`],
    );
    assert.match(listener.requests[1]!.body, /^bwdc sync script-test: the secret file .* does not exist; store the secret with bwdc-schedule secret store\n$/);
    const lines = logText(run).trim().split('\n');
    assert.match(lines.at(-1)!, /\[script-test\] run stopped: the secret file .* does not exist/, 'the run still ends with its "run stopped" line');
  });

  it('keeps the query of a URL after the suffix and pings every ping line', async () => {
    listener = await listen('ok');
    const run = withNotify(prepareRun({ root: sandbox(), instances: [VALID] }), [`ping:${listener.origin}/one?create=1`, `ping:${listener.origin}/two/`]);
    const outcome = await startScript(run);

    assert.strictEqual(outcome.status, 0);
    assert.deepStrictEqual(
      listener.requests.map((request) => request.path),
      ['/one/start?create=1', '/two/start', '/one?create=1', '/two/'],
    );
  });

  it('never sends the secret: a bwdc that prints it, and a failure summary that quotes that output, are masked before the ping', async function () {
    this.timeout(90_000);
    listener = await listen('ok');
    const root = sandbox();
    const run = withNotify(prepareRun({ root, instances: [VALID] }), [`ping:${listener.origin}${CHECK}`]);
    // A login that prints the secret and then hangs: the timeout's message quotes bwdc's last line.
    const dataFile = path.join(run.layout.instances[0]!, 'data.json');
    const data = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(dataFile, JSON.stringify({ ...data, standinEcho: 'debug: client_secret={secret}', standinLogin: 'hang' }));
    const text = `${fs.readFileSync(run.layout.scheduleFile, 'utf8')}timeout    10s\n`;
    fs.writeFileSync(run.layout.scheduleFile, text);
    const timedOut = withJob(run, jobOf(text, run.layout.scheduleFile));
    const outcome = await startScript(timedOut);

    assert.strictEqual(outcome.status, 1);
    assert.match(outcome.stderr, /\(bwdc: debug: client_secret=\[secret removed\]\)/, 'the mail quotes the masked line');
    assert.strictEqual(listener.requests.length, 2);
    assert.strictEqual(listener.requests[1]!.body, outcome.stderr);
    for (const request of listener.requests) {
      const everything = `${request.method} ${request.path}\n${JSON.stringify(request.headers)}\n${request.body}`;
      assert.ok(!everything.includes(VALUES.secret), `the secret in a request: ${everything}`);
    }
    assert.ok(!outcome.stderr.includes(VALUES.secret));
  });

  it('does not hang on a monitor that never answers: each ping gives up after its limit, is logged, and changes nothing', async function () {
    this.timeout(120_000);
    listener = await listen('never');
    const run = withNotify(prepareRun({ root: sandbox(), instances: [VALID] }), [`ping:${listener.origin}${CHECK}`]);
    const outcome = await timed(startScript(run));

    assert.strictEqual(outcome.status, 0);
    assert.strictEqual(outcome.stdout, '');
    assert.strictEqual(outcome.stderr, '', 'a monitor that is down is no reason for cron to mail');
    // Two pings (start and success), each at most the limit plus a retry that began within it.
    assert.ok(outcome.seconds < 4 * PING_LIMIT_SECONDS + 5, `the run took ${outcome.seconds} s`);
    assert.ok(outcome.seconds >= 2 * PING_LIMIT_SECONDS - 1, `each ping waited its limit: ${outcome.seconds} s`);
    assert.deepStrictEqual(
      listener.requests.map((request) => request.path),
      [`${CHECK}/start`, `${CHECK}`],
      'each ping reached the listener once (a timed-out try is not retried past the limit)',
    );
    const log = logText(run);
    assert.match(log, /\[script-test\] notify: the start ping to http:\/\/127\.0\.0\.1:\d+ failed: curl: \(28\) Operation timed out/);
    assert.match(log, /\[script-test\] notify: the success ping to http:\/\/127\.0\.0\.1:\d+ failed: curl: \(28\) Operation timed out/);
    assert.ok(!log.includes(CHECK), "the log names the monitor's host, never its key");
    assert.match(log.trim().split('\n').at(-1)!, /run finished: instance-1: synced: 2 groups, 5 users; exit 0$/, 'the ping lines come before the end line');
    const last = JSON.parse(fs.readFileSync(`${run.layout.log}.last.json`, 'utf8')) as { result: string };
    assert.strictEqual(last.result, 'ok');
  });

  it('logs a monitor that refuses the ping (HTTP 404) and still exits 0', async () => {
    const server = http.createServer((_request, response) => {
      response.statusCode = 404;
      response.end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    listener = {
      origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      requests: [],
      close: () => new Promise((done) => server.close(() => done())),
    };
    const run = withNotify(prepareRun({ root: sandbox(), instances: [VALID] }), [`ping:${listener.origin}${CHECK}`]);
    const outcome = await startScript(run);

    assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
    assert.match(logText(run), /notify: the success ping to http:\/\/127\.0\.0\.1:\d+ failed: curl: \(22\) The requested URL returned error: 404/);
  });

  it('falls back to wget without curl, and logs that there is no HTTP client without either', async () => {
    listener = await listen('ok');
    const run = withNotify(prepareRun({ root: sandbox(), instances: [VALID] }), [`ping:${listener.origin}${CHECK}`]);
    rewriteScript(run, `CURL=${shellQuote(BASH_CURL)}`, "CURL='/nonexistent/curl'");
    const withWget = await startScript(run);

    assert.deepStrictEqual(withWget, { status: 0, stdout: '', stderr: '' });
    assert.deepStrictEqual(
      listener.requests.map((request) => `${request.method} ${request.path}`),
      [`POST ${CHECK}/start`, `POST ${CHECK}`],
    );
    assert.match(listener.requests[1]!.body, /^bwdc sync script-test: run finished: instance-1: synced/);

    const bare = withNotify(prepareRun({ root: sandbox(), instances: [VALID] }), [`ping:${listener.origin}${CHECK}`]);
    fs.writeFileSync(
      bare.script,
      bare.scriptText.replace(`CURL=${shellQuote(BASH_CURL)}`, "CURL='/nonexistent/curl'").replace(`WGET=${shellQuote(BASH_WGET)}`, "WGET='/nonexistent/wget'"),
      { mode: 0o700 },
    );
    const without = await startScript(bare);
    assert.deepStrictEqual(without, { status: 0, stdout: '', stderr: '' });
    assert.match(
      readLog(bare),
      /notify: the start ping to http:\/\/127\.0\.0\.1:\d+ failed: no HTTP client: neither \/nonexistent\/curl nor \/nonexistent\/wget is installed/,
    );
    assert.strictEqual(listener.requests.length, 2, 'nothing more reached the listener');
  });

  it('runs an exec program after a failed run only, with the failure summary on its stdin', async () => {
    const root = sandbox();
    const exec = recorder(root);
    const good = withNotify(prepareRun({ root: sandbox(), instances: [VALID] }), [`exec:${exec.program}`]);
    const success = await startScript(good);
    assert.deepStrictEqual(success, { status: 0, stdout: '', stderr: '' });
    assert.ok(!fs.existsSync(exec.stdin), 'not run after a good run');

    const bad = withNotify(prepareRun({ root: sandbox(), instances: [{ data: 'fail-login.json' }] }), [`exec:${exec.program}`]);
    const failure = await startScript(bad);
    assert.strictEqual(failure.status, 1);
    assert.strictEqual(fs.readFileSync(exec.stdin, 'utf8'), failure.stderr, 'stdin is what cron mails');
    assert.match(failure.stderr, /instance-1: failed: login: the client secret was rejected/);
    const environment = fs.readFileSync(exec.environment, 'utf8');
    assert.match(environment, /^BWDC_SYNC_JOB=script-test$/m);
    assert.match(environment, new RegExp(`^BWDC_SYNC_LOG=${bad.layout.log.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.ok(!environment.includes(VALUES.secret), 'the program inherits no secret');
    assert.doesNotMatch(readLog(bad), /notify/, 'a program that worked adds nothing to the log');
  });

  it("logs an exec program's failure with its last words, and a missing program, without changing the exit status", async () => {
    const root = sandbox();
    const failing = recorder(root, 3);
    const run = withNotify(prepareRun({ root: sandbox(), instances: [{ data: 'fail-sync.json' }] }), [
      `exec:${failing.program}`,
      `exec:${path.join(root, 'missing-program')}`,
    ]);
    const outcome = await startScript(run);

    assert.strictEqual(outcome.status, 1);
    const log = readLog(run);
    assert.ok(log.includes(`notify: ${failing.program} failed (exit 3): the mail relay refused the message`), log);
    assert.ok(log.includes(`notify: ${path.join(root, 'missing-program')} is not an executable file of`), log);
    assert.ok(!outcome.stderr.includes('notify'), 'what cron mails is the failure, not the notification');
  });

  it('stops an exec program (and what it started) at the time limit', async function () {
    this.timeout(60_000);
    const root = sandbox();
    const program = path.join(root, 'hangs');
    const marker = path.join(root, 'child-pid');
    fs.writeFileSync(program, `#!/bin/bash\nsleep 300 &\necho $! > ${shellQuote(marker)}\nwait\n`, { mode: 0o755 });
    const run = withNotify(prepareRun({ root: sandbox(), instances: [{ data: 'fail-sync.json' }] }), [`exec:${program}`]);
    // The limit is 60 s in a real script; 2 s here, so the test does not wait a minute.
    rewriteScript(run, `NOTIFY_EXEC_LIMIT=${NOTIFY_EXEC_LIMIT_SECONDS}`, 'NOTIFY_EXEC_LIMIT=2');
    const outcome = await timed(startScript(run));

    assert.strictEqual(outcome.status, 1);
    assert.ok(outcome.seconds < 20, `the run took ${outcome.seconds} s`);
    assert.match(readLog(run), /notify: .*hangs was stopped after 2 seconds/);
    const child = Number(fs.readFileSync(marker, 'utf8'));
    // Gone, or a zombie nobody has reaped yet (in a container, PID 1 may never reap it).
    const stopped = (): boolean => {
      try {
        return fs
          .readFileSync(`/proc/${child}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .startsWith('Z');
      } catch {
        return true;
      }
    };
    await waitFor(stopped, "the program's own child to be stopped too");
  });

  it('notifies no one in a test run (--test)', async () => {
    listener = await listen('ok');
    const root = sandbox();
    const exec = recorder(root);
    const run = withNotify(prepareRun({ root: sandbox(), instances: [{ data: 'fail-login.json' }] }), [
      `ping:${listener.origin}${CHECK}`,
      `exec:${exec.program}`,
    ]);
    const outcome = await new Promise<RunResult>((resolve, reject) => {
      const child = spawn(run.script, ['--test'], { env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

    assert.strictEqual(outcome.status, 1, 'the test run failed (the login is rejected)');
    assert.match(readLog(run), /run started in test mode/);
    assert.deepStrictEqual(listener.requests, []);
    assert.ok(!fs.existsSync(exec.stdin));
  });

  it('quotes a hostile URL safely: the monitor gets it byte for byte and the shell runs none of it', async () => {
    listener = await listen('ok');
    const root = sandbox();
    const marker = path.join(root, 'PWNED');
    // Accepted by the diagnostics ($, parentheses, ; and & are legal in a URL)...
    const legal = `/x$(touch$IFS${marker});id&y=$HOME`;
    // ...and one they refuse (a quote), given to the generator directly as if they had been bypassed.
    const refused = `/a'$(touch$IFS${marker})'b`;
    const run = withNotify(prepareRun({ root, instances: [VALID] }), [`ping:${listener.origin}${legal}`]);
    const job: SyncJob = { ...run.job, notify: [...run.job.notify!, { kind: 'ping', url: `${listener.origin}${refused}` }] };
    const hostile = withJob(run, job);
    const outcome = await startScript(hostile);

    assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
    assert.deepStrictEqual(
      listener.requests.map((request) => request.path),
      [`${legal}/start`, `${refused}/start`, legal, refused],
    );
    assert.ok(!fs.existsSync(marker), 'no command in a URL ran');
  });

  it('sets no variable missing from BASH_SCRIPT_VARIABLES (so no secret env: name can clash with one)', () => {
    // The names the notify parts add: those of the script with notify lines, less those without.
    const assigned = (scriptText: string): Set<string> => {
      const names = new Set<string>();
      for (const line of scriptText.split('\n')) {
        if (/^\s*#/.test(line)) continue;
        for (const match of line.matchAll(/(?:^|[\s;(])([A-Za-z_][A-Za-z0-9_]*)\+?=/g)) names.add(match[1]!);
        const declared = /^\s*(?:local|read -r|unset)\s+(.+)$/.exec(line);
        if (declared) for (const word of declared[1]!.split(/\s+/)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) names.add(word);
        const loop = /for \(\((\w+) =/.exec(line);
        if (loop) names.add(loop[1]!);
      }
      return names;
    };
    const plain = prepareRun({ root: sandbox(), instances: [VALID] });
    const before = assigned(plain.scriptText);
    const added = [...assigned(withNotify(plain, ['ping:https://hc-ping.com/x', 'exec:/usr/local/bin/on-failure']).scriptText)].filter(
      (name) => !before.has(name),
    );
    assert.ok(added.includes('PING_START') && added.includes('BWDC_SYNC_JOB'), `the check sees the notify variables: ${added.join(' ')}`);
    assert.deepStrictEqual(
      added.filter((name) => !BASH_SCRIPT_VARIABLES.includes(name)),
      [],
    );
  });

  it('gives cron something to mail only when a run fails: nothing on a good run, the summary on a failed one (no notify lines)', async () => {
    const good = prepareRun({ root: sandbox(), instances: [VALID, VALID] });
    assert.deepStrictEqual(await startScript(good), { status: 0, stdout: '', stderr: '' });

    const bad = prepareRun({ root: sandbox(), instances: [{ data: 'fail-login.json' }, VALID] });
    const failed = await startScript(bad);
    assert.strictEqual(failed.status, 1);
    assert.strictEqual(failed.stdout, '', 'stdout stays empty: everything cron mails is on stderr');
    assert.deepStrictEqual(failed.stderr.split('\n'), [
      'bwdc sync script-test: instance-1: failed: login: the client secret was rejected — check the client-id line and the secret the secret line points to (Admin Console, Organization info, View API key) (bwdc: {"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400})',
      `bwdc sync script-test: some instances did not sync: instance-1: failed: login: the client secret was rejected; instance-2: synced: 2 groups, 5 users (details in ${bad.layout.log})`,
      '',
    ]);
  });

  it('leaves the script of a job without notify lines without any of it', () => {
    const run = prepareRun({ root: sandbox(), instances: [VALID] });
    assert.doesNotMatch(run.scriptText, /notify|PING_|SAID/);
    assert.strictEqual(run.job.notify, undefined);
  });
});

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly code: number;
  readonly level: string;
  readonly message: string;
}

function shellcheck(file: string): Finding[] {
  const result = spawnSync('shellcheck', ['-S', 'style', '-f', 'json1', file], { encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, `shellcheck failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { comments: Finding[] }).comments;
}

describe('shellcheck -S style on the notify parts of generated bash scripts', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();
  const hostileUrl = 'https://hc.example/x$(id);y&z=$HOME/`?q=[a]';
  const hostileProgram = '/opt/bwdc \'q\' "d" $HOME `id` ;&*/on failure';

  for (const platform of ['linux', 'macos'] as const) {
    for (const names of ['plain', 'hostile'] as const) {
      it(`adds no finding but SC2016 inside a quoted notify value: ${platform}, ${names} values`, () => {
        requireTool('shellcheck', 'shellcheck');
        const root = sandbox();
        const run = prepareRun({ root, names, platform, instances: [VALID, VALID] });
        const url = names === 'plain' ? 'https://hc-ping.com/6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11' : hostileUrl.replace('`', '');
        const program = names === 'plain' ? '/usr/local/bin/bwdc-failed' : hostileProgram;
        // The generator is given the values directly: the diagnostics would refuse some of the hostile ones.
        const job: SyncJob = {
          ...run.job,
          notify: [
            { kind: 'ping', url },
            { kind: 'exec', path: program },
          ],
        };
        const without = path.join(root, 'without.sh');
        const withNotifyFile = path.join(root, 'with.sh');
        fs.writeFileSync(without, generateScript(run.job, TEST_VERSION).text);
        const text = generateScript(job, TEST_VERSION).text;
        fs.writeFileSync(withNotifyFile, text);
        const lines = text.split('\n');
        const key = (finding: Finding, source: readonly string[]): string => `SC${finding.code} ${source[finding.line - 1]}`;
        const before = new Set(shellcheck(without).map((finding) => key(finding, fs.readFileSync(without, 'utf8').split('\n'))));
        const added = shellcheck(withNotifyFile).filter((finding) => !before.has(key(finding, lines)));
        const quoted = [url, ...Object.values(pingUrls(url)), program].map(shellQuote);
        const unexpected = added.filter((finding) => !(finding.code === 2016 && quoted.some((value) => lines[finding.line - 1]!.trim() === value)));
        assert.deepStrictEqual(
          unexpected.map((finding) => `line ${finding.line}: SC${finding.code} (${finding.level}) ${finding.message}: ${lines[finding.line - 1]}`),
          [],
        );
        assert.ok(text.includes(shellQuote(program)) && text.includes(shellQuote(pingUrls(url).failure)), 'the values are in the script, single-quoted');
      });
    }
  }
});
