import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateScript } from '../../../src/core/script/generate';
import { parseExecve, traceExecs, type Exec } from './strace';
import {
  calls,
  jobOf,
  logLines,
  prepareRun,
  readLog,
  requireTool,
  runScript,
  SECRET_VARIABLE,
  TEST_VERSION,
  useSandboxes,
  VALID,
  VALUES,
  type NameSet,
  type SecretScheme,
} from './support';

const JOB = 'script-test';

describe('the generated bash script, executed with the bwdc stand-in: where the secret goes', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();
  before(() => requireTool('strace', 'strace'));

  const traced: { readonly platform: 'linux' | 'macos'; readonly secret: SecretScheme; readonly names: NameSet }[] = [
    { platform: 'linux', secret: 'file', names: 'plain' },
    { platform: 'linux', secret: 'env', names: 'plain' },
    { platform: 'macos', secret: 'env', names: 'hostile' },
    { platform: 'macos', secret: 'file', names: 'hostile' },
  ];
  for (const { platform, secret, names } of traced) {
    it(`${platform}, ${secret}: source, ${names} paths: under strace, the secret is in no argv and in no environment but bwdc login's`, () => {
      const root = sandbox();
      const run = prepareRun({ root, platform, secret, names, instances: [VALID, VALID], runAs: os.userInfo().username });
      // An existing log and a run-as line make the script start processes (id, wc) before it reads the secret.
      fs.mkdirSync(run.layout.logFolder, { mode: 0o700 });
      fs.writeFileSync(run.layout.log, '2025-01-01T12:00:00+00:00 [script-test] an earlier run\n', { mode: 0o600 });
      const env = { ...run.env, ...(secret === 'env' ? { [SECRET_VARIABLE]: run.secret } : {}) };
      const { result, execs } = traceExecs(run.script, env, path.join(root, 'strace'));

      assert.deepStrictEqual(result, { status: 0, stdout: '', stderr: '' });
      const own = execs.filter((exec) => exec.path === run.script);
      assert.strictEqual(own.length, 1, 'the script itself is started once');
      const others = execs.filter((exec) => exec !== own[0]);
      assert.ok(others.length >= 8, `only ${others.length} execs traced`);

      for (const exec of execs) {
        assert.ok(!exec.argv.some((arg) => arg.includes(run.secret)), `the secret is in the argv of ${shown(exec)}`);
      }
      if (secret === 'file') assert.ok(!own[0]!.envp.some((entry) => entry.includes(run.secret)));

      const bwdc = others.filter((exec) => exec.path === run.layout.bwdc);
      assert.deepStrictEqual(
        bwdc.map((exec) => exec.argv.slice(1).join(' ')).sort(),
        ['login', 'login', 'logout', 'logout', 'sync', 'sync'],
        'bwdc was traced by its exact (possibly hostile) path',
      );
      for (const exec of others) {
        const carrying = exec.envp.filter((entry) => entry.includes(run.secret));
        const isLogin = exec.path === run.layout.bwdc && exec.argv[1] === 'login';
        assert.deepStrictEqual(carrying, isLogin ? [`BW_CLIENTSECRET=${run.secret}`] : [], `the environment of ${shown(exec)}`);
        assert.ok(!exec.envp.some((entry) => entry.startsWith(`${SECRET_VARIABLE}=`)), `${SECRET_VARIABLE} is inherited by ${shown(exec)}`);
      }
      const before = others.filter((exec) => exec.path !== run.layout.bwdc).map((exec) => path.basename(exec.argv[0] ?? ''));
      assert.ok(before.includes('id'), `the run-as check ran a process: ${before.join(' ')}`);

      const everything = [
        readLog(run),
        result.stdout,
        result.stderr,
        fs
          .readFileSync(run.record, 'utf8')
          .split('\n')
          .filter((line) => !line.includes('"login"'))
          .join('\n'),
      ];
      for (const text of everything) assert.ok(!text.includes(run.secret), 'the secret is in the log, the output or a non-login call');
    });
  }

  it('reads the strace notation exactly: octal and hex escapes, quotes, backslashes, UTF-8', () => {
    const exec = parseExecve(7, String.raw`execve("/a b/\303\274\"q\"", ["x", "\\n\t\x41", ""], ["K=\342\200\231"]) = 0`);
    assert.deepStrictEqual(exec, { pid: 7, path: '/a b/ü"q"', argv: ['x', '\\n\tA', ''], envp: ['K=’'] });
  });

  const echoed: { readonly name: string; readonly secret: string }[] = [
    { name: 'an API-key-like secret', secret: VALUES.secret },
    { name: 'a secret with glob, quote and replacement characters', secret: VALUES.oddSecret },
  ];
  for (const { name, secret } of echoed) {
    it(`masks ${name} in bwdc output before it reaches the log, and passes exactly that secret to login`, () => {
      const run = prepareRun({ root: sandbox(), instances: [{ data: 'echo-secret.json' }], secretFileContent: `${secret}\n` });
      const outcome = runScript(run, { BWDC_STANDIN_EXPECTED_SECRET: secret });

      assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
      const log = readLog(run);
      assert.ok(!log.includes(secret), 'the secret is in the log');
      const masked = logLines(log, [JOB, 'instance-1']).filter((line) => line.message.startsWith('bwdc: debug: client_secret='));
      assert.deepStrictEqual(
        masked.map((line) => line.message),
        [
          'bwdc: debug: client_secret=[secret removed] (once more:[secret removed])',
          'bwdc: debug: client_secret=[secret removed] (once more:[secret removed])',
        ],
        'both the stdout and the stderr line, every occurrence',
      );
      assert.strictEqual(calls(run).find((call) => call.argv[0] === 'login')!.clientSecret, secret);
    });
  }

  it('with an env: secret, bwdc inherits the variable nowhere and gets the secret only as BW_CLIENTSECRET of login', () => {
    const run = prepareRun({ root: sandbox(), secret: 'env', instances: [VALID, VALID] });
    const outcome = runScript(run, { [SECRET_VARIABLE]: run.secret, BWDC_STANDIN_EXPECTED_SECRET: run.secret });

    assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
    const made = calls(run);
    assert.strictEqual(made.length, 6);
    for (const call of made) {
      assert.ok(!(SECRET_VARIABLE in call.environment), `bwdc ${call.argv.join(' ')} inherited ${SECRET_VARIABLE}`);
      const holding = Object.entries(call.environment)
        .filter(([key, value]) => value.includes(run.secret) && key !== 'BWDC_STANDIN_EXPECTED_SECRET')
        .map(([key]) => key);
      assert.deepStrictEqual(holding, call.argv[0] === 'login' ? ['BW_CLIENTSECRET'] : [], `bwdc ${call.argv.join(' ')}`);
    }
  });

  it('reads an env: secret even when the scheduler calls the variable BW_CLIENTSECRET', () => {
    const run = prepareRun({ root: sandbox(), secret: 'env', instances: [VALID] });
    const text = fs.readFileSync(run.layout.scheduleFile, 'utf8').replace(`env:${SECRET_VARIABLE}`, 'env:BW_CLIENTSECRET');
    const scriptText = generateScript(jobOf(text, run.layout.scheduleFile), TEST_VERSION).text;
    fs.writeFileSync(run.script, scriptText, { mode: 0o700 });
    const outcome = runScript(run, { BW_CLIENTSECRET: run.secret, BWDC_STANDIN_EXPECTED_SECRET: run.secret });

    assert.deepStrictEqual(outcome, { status: 0, stdout: '', stderr: '' });
    const made = calls(run);
    assert.deepStrictEqual(
      made.map((call) => [call.argv[0], call.clientSecret]),
      [
        ['login', run.secret],
        ['sync', null],
        ['logout', null],
      ],
    );
  });
});

function shown(exec: Exec): string {
  return JSON.stringify(exec.argv.slice(0, 3));
}
