import * as assert from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { repositoryRoot, runAsync } from '../cli/fakeIo';
import { posixLayout, renderSchedule, secretLine, VALUES, type SecretScheme } from '../script/support';
import { useTemporaryFolders } from './support';

const ROOT = repositoryRoot();
const BUNDLE = path.join(ROOT, 'dist', 'cli.js');

/** A schedule file for `secret store`, in its own folder; returns its path and where the secret goes. */
function scheduleFile(root: string, scheme: SecretScheme, extra = ''): { file: string; secretFile: string } {
  const layout = posixLayout(root, 'hostile');
  fs.mkdirSync(layout.top, { recursive: true, mode: 0o700 });
  const text = renderSchedule('job.template.bwdc-schedule', {
    platform: 'linux',
    bwdc: layout.bwdc,
    secret: secretLine(scheme, layout),
    instances: [],
    env: [],
    log: layout.log,
  });
  fs.writeFileSync(layout.scheduleFile, text + extra);
  return { file: layout.scheduleFile, secretFile: layout.secretFile };
}

/** A SecretInput that answers once with `answer`, remembering the prompts. */
function input(answer: string): { prompts: string[]; readSecret(prompt: string): Promise<string> } {
  const prompts: string[] = [];
  return {
    prompts,
    readSecret(prompt) {
      prompts.push(prompt);
      return Promise.resolve(answer);
    },
  };
}

describe('bwdc-schedule secret store', function () {
  this.timeout(120_000);
  const folder = useTemporaryFolders();

  describe('in-process, with a fake stdin', () => {
    it('stores the secret read from stdin in the file: path with mode 600 and says where, never what', async () => {
      const { file, secretFile } = scheduleFile(folder(), 'file');
      const stdin = input(`${VALUES.oddSecret}\n`);
      const result = await runAsync(['secret', 'store', file], { hostPlatform: 'linux', cwd: path.dirname(file) }, stdin);

      assert.deepStrictEqual(result, { code: 0, stdout: `Stored the secret in ${secretFile} (mode 600).\n`, stderr: '' });
      assert.deepStrictEqual(stdin.prompts, ['client_secret (not shown): ']);
      assert.strictEqual(fs.readFileSync(secretFile, 'utf8'), `${VALUES.oddSecret}\n`);
      assert.strictEqual(fs.statSync(secretFile).mode & 0o777, 0o600);
    });

    it('reads a relative schedule path against the working folder', async () => {
      const { file, secretFile } = scheduleFile(folder(), 'file');
      const result = await runAsync(['secret', 'store', path.basename(file)], { hostPlatform: 'linux', cwd: path.dirname(file) }, input(VALUES.secret));
      assert.strictEqual(result.code, 0);
      assert.strictEqual(fs.readFileSync(secretFile, 'utf8'), `${VALUES.secret}\n`);
    });

    it('asks for nothing and stores nothing for an env: secret', async () => {
      const { file } = scheduleFile(folder(), 'env');
      const result = await runAsync(['secret', 'store', file], { hostPlatform: 'linux' });
      assert.strictEqual(result.code, 0);
      assert.match(result.stdout, /^Nothing to store: the script reads the secret from the environment variable BWDC_CLIENT_SECRET/);
      assert.strictEqual(result.stderr, '');
    });

    const refusals: { readonly name: string; readonly answer: string; readonly message: string }[] = [
      { name: 'nothing', answer: '', message: 'bwdc-schedule: No secret was given.\n' },
      {
        name: 'two lines',
        answer: `${VALUES.secret}\n${VALUES.secret}`,
        message: 'bwdc-schedule: The secret contains a line break or a control character; paste only the client_secret.\n',
      },
    ];
    for (const { name, answer, message } of refusals) {
      it(`refuses ${name} on stdin with exit 1 and writes no file`, async () => {
        const { file, secretFile } = scheduleFile(folder(), 'file');
        const result = await runAsync(['secret', 'store', file], { hostPlatform: 'linux' }, input(answer));
        assert.deepStrictEqual(result, { code: 1, stdout: '', stderr: message });
        assert.ok(!fs.existsSync(secretFile));
      });
    }

    it('refuses a schedule file with errors (exit 1, diagnostics) before asking for the secret', async () => {
      const { file, secretFile } = scheduleFile(folder(), 'file', `secret     ${VALUES.secret}\n`);
      const stdin = input(VALUES.secret);
      const result = await runAsync(['secret', 'store', file], { hostPlatform: 'linux' }, stdin);

      assert.strictEqual(result.code, 1);
      assert.match(result.stderr, /:\d+:\d+: error [a-z-]+: /);
      assert.match(result.stderr, /The schedule file has errors; fix them first\./);
      assert.ok(!result.stderr.includes(VALUES.secret), 'the diagnostics never echo a pasted secret');
      assert.deepStrictEqual(stdin.prompts, []);
      assert.ok(!fs.existsSync(secretFile));
    });

    const usages: readonly (readonly string[])[] = [
      ['secret'],
      ['secret', 'store'],
      ['secret', 'list', 'x.bwdc-schedule'],
      ['secret', 'store', 'a', 'b'],
      ['secret', 'store', 'a', '--secret', 'x'],
    ];
    for (const argv of usages) {
      it(`is a usage error (exit 2) to call ${argv.join(' ')}`, async () => {
        const result = await runAsync(argv, { hostPlatform: 'linux' });
        assert.strictEqual(result.code, 2);
        assert.match(result.stderr, /^bwdc-schedule: secret: /);
      });
    }
  });

  describe('the built CLI (node dist/cli.js), with the secret piped on stdin', () => {
    before(() => {
      const newest = (dir: string): number =>
        Math.max(
          0,
          ...fs
            .readdirSync(dir, { withFileTypes: true })
            .map((entry) => (entry.isDirectory() ? newest(path.join(dir, entry.name)) : fs.statSync(path.join(dir, entry.name)).mtimeMs)),
        );
      if (!fs.existsSync(BUNDLE) || fs.statSync(BUNDLE).mtimeMs < newest(path.join(ROOT, 'src'))) {
        execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
      }
    });

    it('stores the secret from a pipe; the secret is in neither the argv nor the output', async () => {
      const { file, secretFile } = scheduleFile(folder(), 'file');
      const argv = [BUNDLE, 'secret', 'store', file];
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, argv, {
          stdio: ['pipe', 'pipe', 'pipe'],
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: path.dirname(file) },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(`${VALUES.secret}\n`);
      });

      assert.ok(!argv.some((arg) => arg.includes(VALUES.secret)));
      assert.deepStrictEqual(result, { code: 0, stdout: `Stored the secret in ${secretFile} (mode 600).\n`, stderr: '' });
      assert.strictEqual(fs.readFileSync(secretFile, 'utf8'), `${VALUES.secret}\n`);
      assert.strictEqual(fs.statSync(secretFile).mode & 0o777, 0o600);
    });

    /** `bwdc-schedule secret store FILE` with stdin from a file (or /dev/zero), killed after 20 s. */
    function storeFrom(file: string, stdin: string): { status: number | null; stdout: string; stderr: string } {
      const descriptor = fs.openSync(stdin, 'r');
      try {
        const result = spawnSync(process.execPath, [BUNDLE, 'secret', 'store', file], {
          stdio: [descriptor, 'pipe', 'pipe'],
          encoding: 'utf8',
          timeout: 20_000,
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: path.dirname(file) },
        });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
      } finally {
        fs.closeSync(descriptor);
      }
    }

    const refusedInputs: { readonly name: string; readonly bytes: Buffer | undefined; readonly message: RegExp }[] = [
      { name: 'two lines (only the first used to be stored)', bytes: Buffer.from(`${VALUES.secret}\nsecond line\n`), message: /line break/ },
      {
        name: 'invalid UTF-8 (used to become U+FFFD)',
        bytes: Buffer.concat([Buffer.from(VALUES.secret.slice(0, 10)), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
        message: /not UTF-8 text/,
      },
      { name: 'endless input (/dev/zero)', bytes: undefined, message: /longer than 4096 bytes/ },
    ];
    for (const { name, bytes, message } of refusedInputs) {
      it(`refuses ${name} on a pipe with exit 1, one line, and stores nothing`, () => {
        const root = folder();
        const { file, secretFile } = scheduleFile(root, 'file');
        let stdin = '/dev/zero';
        if (bytes) {
          stdin = path.join(root, 'stdin');
          fs.writeFileSync(stdin, bytes);
        }
        const result = storeFrom(file, stdin);
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stderr, /^bwdc-schedule: [^\n]+\n$/);
        assert.match(result.stderr, message);
        assert.ok(!result.stderr.includes(VALUES.secret.slice(0, 10)));
        assert.strictEqual(result.stdout, '');
        assert.ok(!fs.existsSync(secretFile));
      });
    }
  });
});
