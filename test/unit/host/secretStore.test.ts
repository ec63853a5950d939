import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Platform } from '../../../src/core/schedule/directives';
import type { SyncJob } from '../../../src/core/schedule/job';
import { powerShellQuote } from '../../../src/core/script/quote';
import { sameAccount, type UserInfo } from '../../../src/host/accounts';
import { cleanSecret, dpapiCommand, keychainCommand, SecretStoreError, storeSecret, type SecretStoreHost } from '../../../src/host/secretStore';
import { lexPowerShell } from '../script/powershellLexer';
import { jobOf, posixLayout, renderSchedule, secretLine, VALUES, type NameSet } from '../script/support';
import { FakeRunner, isRoot, useTemporaryFolders } from './support';

const ROOT_USER: UserInfo = { name: 'root', uid: 0, gid: 0 };
const ALICE: UserInfo = { name: 'alice', uid: 1000, gid: 1000 };

/** Secrets that would break naive quoting somewhere: the shell, security(1)'s parser, PowerShell. */
const SECRETS: readonly string[] = [
  VALUES.secret,
  VALUES.oddSecret,
  'with "double" and \\ backslash\\',
  "with 'single' ‘curly’ quotes",
  '  spaces around  ',
  '-w -U leading dash',
  'ünïcödé 日本 🦀',
];

function host(platform: Platform, runner: FakeRunner, currentUser: UserInfo = ROOT_USER): SecretStoreHost {
  return { runner, platform, currentUser };
}

function posixJob(platform: 'linux' | 'macos', scheme: 'file' | 'env' | 'keychain', root: string, options: { runAs?: string; names?: NameSet } = {}): SyncJob {
  const layout = posixLayout(root, options.names ?? 'plain');
  const text = renderSchedule('job.template.bwdc-schedule', {
    platform,
    ...(options.runAs ? { runAs: options.runAs } : {}),
    bwdc: layout.bwdc,
    secret: secretLine(scheme, layout),
    instances: [],
    env: [],
    log: layout.log,
  });
  return jobOf(text, layout.scheduleFile);
}

function windowsJob(options: { runAs?: string; names?: NameSet } = {}): SyncJob {
  const values = VALUES.windows[options.names ?? 'plain'];
  const text = renderSchedule('windows.template.bwdc-schedule', {
    platform: 'windows',
    ...(options.runAs ? { runAs: options.runAs } : {}),
    bwdc: values.bwdc,
    secret: `dpapi:${path.win32.join(values.root, values.dpapiFile)}`,
    instances: [],
    env: [],
    log: path.win32.join(values.root, values.logFile),
  });
  return jobOf(text, path.win32.join(values.root, 'job.bwdc-schedule'), 'windows');
}

/** The refusal storeSecret gives, checked to be a SecretStoreError that does not hold the secret. */
async function refusal(promise: Promise<unknown>, secret: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SecretStoreError, `not a SecretStoreError: ${String(error)}`);
    assert.ok(!error.message.includes(secret), `the message holds the secret: ${error.message}`);
    return error.message;
  }
  return assert.fail('storeSecret did not refuse');
}

/**
 * security(1)'s split_line (SecurityTool, security.c), line for line: how `security -i` cuts
 * an input line into argv. isspace() is C's, in the C locale.
 */
function securitySplitLine(line: string): string[] {
  const isSpace = (c: string): boolean => ' \t\n\v\f\r'.includes(c);
  const argv: string[] = [];
  let state: 'SKIP_WS' | 'READ_ARG' | 'READ_ARG_ESCAPED' | 'QUOTED_ARG' | 'QUOTED_ARG_ESCAPED' = 'SKIP_WS';
  let quote = '';
  let current = '';
  for (const c of line) {
    if (state === 'SKIP_WS') {
      if (isSpace(c)) continue;
      if (c === '"' || c === "'") {
        quote = c;
        state = 'QUOTED_ARG';
        current = '';
        continue;
      }
      state = 'READ_ARG';
      current = '';
    }
    if (state === 'READ_ARG') {
      if (c === '\\') {
        state = 'READ_ARG_ESCAPED';
        continue;
      } else if (isSpace(c)) {
        argv.push(current);
        state = 'SKIP_WS';
      } else current += c;
    }
    if (state === 'QUOTED_ARG') {
      if (c === '\\') {
        state = 'QUOTED_ARG_ESCAPED';
        continue;
      }
      if (c === quote) {
        argv.push(current);
        state = 'SKIP_WS';
      } else current += c;
    }
    if (state === 'READ_ARG_ESCAPED') {
      current += c;
      state = 'READ_ARG';
    }
    if (state === 'QUOTED_ARG_ESCAPED') {
      current += c;
      state = 'QUOTED_ARG';
    }
  }
  if (state !== 'SKIP_WS') argv.push(current);
  return argv;
}

describe('storing the client secret', () => {
  const folder = useTemporaryFolders();

  describe('keychain: (macOS security -i, the secret on stdin only)', () => {
    for (const secret of SECRETS) {
      it(`runs /usr/bin/security with argv ['-i'] and one input line that security's parser reads back exactly: ${JSON.stringify(secret)}`, async () => {
        const runner = new FakeRunner();
        const job = posixJob('macos', 'keychain', folder(), { names: 'hostile' });
        const outcome = await storeSecret(job, `${secret}\n`, host('macos', runner, { name: 'Jane "J" Doe', uid: 501, gid: 20 }));

        assert.deepStrictEqual(outcome, {
          stored: true,
          message: `Stored the secret in the login keychain as "${job.secret.target}", readable by /usr/bin/security.`,
        });
        assert.strictEqual(runner.runs.length, 1);
        const [run] = runner.runs;
        assert.strictEqual(run!.command, '/usr/bin/security');
        assert.deepStrictEqual(run!.args, ['-i']);
        assert.match(run!.input!, /^[^\n]*\n$/, 'exactly one line: end of input ends security -i (it has no quit command)');
        assert.deepStrictEqual(securitySplitLine(run!.input!.slice(0, -1)), [
          'add-generic-password',
          '-U',
          '-a',
          'Jane "J" Doe',
          '-s',
          job.secret.target,
          '-T',
          '/usr/bin/security',
          '-w',
          secret,
        ]);
      });
    }

    it("reads security's parser the way security.c does (the port is not vacuous)", () => {
      assert.deepStrictEqual(securitySplitLine(`a "b c" 'd"e' f\\ g "h\\"i\\\\"`), ['a', 'b c', 'd"e', 'f g', 'h"i\\']);
    });

    it('refuses a service name so long that security would cut the line and run the rest (the secret) as a command', async () => {
      const runner = new FakeRunner();
      assert.throws(() => keychainCommand('s'.repeat(4050), 'jane', VALUES.secret), SecretStoreError);
      assert.doesNotThrow(() => keychainCommand('s'.repeat(3900), 'jane', VALUES.secret));
      const job = { ...posixJob('macos', 'keychain', folder()), secret: { scheme: 'keychain' as const, target: 'x'.repeat(5000) } };
      await refusal(storeSecret(job, VALUES.secret, host('macos', runner)), VALUES.secret);
      assert.deepStrictEqual(runner.runs, []);
    });

    const failures: { readonly name: string; readonly code: number; readonly stderr: string }[] = [
      {
        name: 'exits 1',
        code: 1,
        stderr: 'security: SecKeychainItemCreateFromContent (<default>): User interaction is not allowed.\nadd-generic-password: returned 1\n',
      },
      { name: 'reports an error on stderr even with exit 0', code: 0, stderr: 'security: error: could not open the keychain\n' },
    ];
    for (const failure of failures) {
      it(`refuses, without the secret in the message, when security ${failure.name}`, async () => {
        const runner = new FakeRunner(() => ({ code: failure.code, stdout: '', stderr: failure.stderr }));
        const message = await refusal(storeSecret(posixJob('macos', 'keychain', folder()), VALUES.secret, host('macos', runner)), VALUES.secret);
        assert.match(message, /security could not store the item "bwdc-client-secret" \(exit \d\)\. Is the login keychain unlocked\?/);
      });
    }

    it('refuses on another OS, and for another run-as user, without running anything', async () => {
      const runner = new FakeRunner();
      assert.match(
        await refusal(storeSecret(posixJob('macos', 'keychain', folder()), VALUES.secret, host('linux', runner)), VALUES.secret),
        /only be stored on macOS/,
      );
      assert.match(
        await refusal(storeSecret(posixJob('macos', 'keychain', folder(), { runAs: 'bwdc' }), VALUES.secret, host('macos', runner, ALICE)), VALUES.secret),
        /must be in bwdc's login keychain: run this as bwdc/,
      );
      assert.deepStrictEqual(runner.runs, []);
    });
  });

  describe('dpapi: (Windows PowerShell, the secret on stdin only)', () => {
    for (const names of ['plain', 'hostile'] as const) {
      for (const secret of SECRETS) {
        it(`passes a script without the secret in -EncodedCommand and the secret as the only stdin line (${names} path): ${JSON.stringify(secret)}`, async () => {
          const runner = new FakeRunner();
          const job = windowsJob({ names });
          const outcome = await storeSecret(job, secret, host('windows', runner, { name: 'svc-bwdc', uid: -1, gid: -1 }));

          assert.strictEqual(outcome.stored, true);
          assert.strictEqual(runner.runs.length, 1);
          const [run] = runner.runs;
          assert.strictEqual(run!.command, 'powershell.exe');
          assert.deepStrictEqual(run!.args.slice(0, -1), ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
          assert.strictEqual(run!.input, `${secret}\r\n`);
          const script = Buffer.from(run!.args.at(-1)!, 'base64').toString('utf16le');
          assert.ok(!script.includes(secret), 'the secret is in the script');
          assert.ok(!run!.args.some((arg) => arg.includes(secret)));
          assert.ok(script.includes('$plain = [Console]::In.ReadLine()'));
          assert.ok(script.includes('$secure | Export-Clixml -LiteralPath $path'));
          const paths = lexPowerShell(script).filter((token) => token.kind === 'verbatim' && token.value === job.secret.target);
          assert.strictEqual(paths.length, 1, 'the file path is one verbatim string, however it is spelled');
          assert.strictEqual(paths[0]!.raw, powerShellQuote(job.secret.target));
        });
      }
    }

    it('builds the same command as dpapiCommand, whose script never depends on the secret', () => {
      const file = 'C:\\ProgramData\\bwdc\\client_secret.xml';
      const one = dpapiCommand(file, VALUES.secret);
      const other = dpapiCommand(file, VALUES.oddSecret);
      assert.deepStrictEqual(one.args, other.args);
      assert.strictEqual(one.input, `${VALUES.secret}\r\n`);
    });

    it('refuses, without the secret in the message, when PowerShell fails; and on another OS; and for another account', async () => {
      const failing = new FakeRunner(() => ({ code: 1, stdout: '', stderr: `ConvertTo-SecureString: cannot convert ${VALUES.secret}` }));
      assert.match(
        await refusal(storeSecret(windowsJob(), VALUES.secret, host('windows', failing)), VALUES.secret),
        /PowerShell could not write .*client_secret\.xml \(exit 1\)/,
      );
      const idle = new FakeRunner();
      assert.match(await refusal(storeSecret(windowsJob(), VALUES.secret, host('linux', idle)), VALUES.secret), /only be stored on Windows/);
      assert.match(
        await refusal(storeSecret(windowsJob({ runAs: 'CORP\\svc-bwdc' }), VALUES.secret, host('windows', idle, ALICE)), VALUES.secret),
        /DPAPI ties the file to the account that writes it, so CORP\\svc-bwdc must store it: .*runas \/user:CORP\\svc-bwdc powershell/,
      );
      assert.deepStrictEqual(idle.runs, []);
    });

    it('takes HOST\\name and name@domain for the current account', async () => {
      const runner = new FakeRunner();
      await storeSecret(windowsJob({ runAs: 'CORP\\svc-bwdc' }), VALUES.secret, host('windows', runner, { name: 'svc-bwdc', uid: -1, gid: -1 }));
      assert.strictEqual(runner.runs.length, 1);
    });
  });

  describe('file: (a real file, written atomically)', () => {
    it('writes the secret and a line break with mode 600, leaving no temporary file', async () => {
      const root = folder();
      const job = posixJob('linux', 'file', root, { names: 'hostile' });
      fs.mkdirSync(path.dirname(job.secret.target), { recursive: true, mode: 0o700 });
      const runner = new FakeRunner();
      const outcome = await storeSecret(job, `${VALUES.oddSecret}\r\n`, host('linux', runner));

      assert.deepStrictEqual(outcome, { stored: true, message: `Stored the secret in ${job.secret.target} (mode 600).` });
      assert.strictEqual(fs.readFileSync(job.secret.target, 'utf8'), `${VALUES.oddSecret}\n`);
      assert.strictEqual(fs.statSync(job.secret.target).mode & 0o777, 0o600);
      assert.deepStrictEqual(fs.readdirSync(path.dirname(job.secret.target)), [path.basename(job.secret.target)]);
      assert.deepStrictEqual(runner.runs, []);
    });

    it('replaces an existing secret file by renaming a new one over it (a reader sees old or new, never a part)', async () => {
      const job = posixJob('linux', 'file', folder());
      fs.mkdirSync(path.dirname(job.secret.target), { recursive: true, mode: 0o700 });
      fs.writeFileSync(job.secret.target, 'Old0Secret1That2Is3Longer4Than5It6Was\n', { mode: 0o644 });
      const reader = fs.openSync(job.secret.target, 'r');
      const before = fs.fstatSync(reader).ino;
      await storeSecret(job, VALUES.secret, host('linux', new FakeRunner()));

      assert.notStrictEqual(fs.statSync(job.secret.target).ino, before, 'a new file, not the old one rewritten in place');
      assert.strictEqual(fs.readFileSync(reader, 'utf8'), 'Old0Secret1That2Is3Longer4Than5It6Was\n', 'the old file is intact for whoever has it open');
      fs.closeSync(reader);
      assert.strictEqual(fs.readFileSync(job.secret.target, 'utf8'), `${VALUES.secret}\n`);
      assert.strictEqual(fs.statSync(job.secret.target).mode & 0o777, 0o600);
    });

    it('creates a missing folder with mode 700', async () => {
      const job = posixJob('linux', 'file', folder());
      await storeSecret(job, VALUES.secret, host('linux', new FakeRunner()));
      assert.strictEqual(fs.statSync(path.dirname(job.secret.target)).mode & 0o777, 0o700);
    });

    for (const mode of [0o770, 0o777, 0o1777, 0o720, 0o702]) {
      it(`refuses a folder with mode ${mode.toString(8)} (the script would refuse the secret there) and writes nothing`, async () => {
        const job = posixJob('linux', 'file', folder());
        const secretFolder = path.dirname(job.secret.target);
        fs.mkdirSync(secretFolder, { recursive: true });
        fs.chmodSync(secretFolder, mode);
        const message = await refusal(storeSecret(job, VALUES.secret, host('linux', new FakeRunner())), VALUES.secret);
        assert.strictEqual(
          message,
          `The folder ${secretFolder} can be written by other users, so the script will refuse a secret stored there. Use a private folder (mode 700).`,
        );
        assert.deepStrictEqual(fs.readdirSync(secretFolder), []);
      });
    }

    it('refuses a run-as user other than the current one unless run as root, without running anything', async () => {
      const job = posixJob('linux', 'file', folder(), { runAs: 'bwdc' });
      const runner = new FakeRunner();
      const message = await refusal(storeSecret(job, VALUES.secret, host('linux', runner, ALICE)), VALUES.secret);
      assert.strictEqual(
        message,
        'The secret file must belong to bwdc, the user the job runs as. Run this as bwdc (sudo -u bwdc bwdc-schedule secret store FILE) or as root.',
      );
      assert.deepStrictEqual(runner.runs, []);
      assert.ok(!fs.existsSync(job.secret.target));
    });

    it('as root, gives the file (and a folder it creates) to the run-as user, looked up with id -u/-g -- NAME', async function () {
      if (!isRoot()) this.skip();
      const job = posixJob('linux', 'file', folder(), { runAs: 'bwdc' });
      const runner = new FakeRunner((run) => ({ code: 0, stdout: run.args[0] === '-u' ? '65534\n' : '65533\n', stderr: '' }));
      const outcome = await storeSecret(job, VALUES.secret, host('linux', runner));

      assert.deepStrictEqual(
        runner.runs.map((run) => [run.command, ...run.args]),
        [
          ['id', '-u', '--', 'bwdc'],
          ['id', '-g', '--', 'bwdc'],
        ],
      );
      assert.ok(runner.runs.every((run) => run.input === undefined));
      assert.strictEqual(outcome.message, `Stored the secret in ${job.secret.target} (mode 600, owned by bwdc).`);
      for (const made of [job.secret.target, path.dirname(job.secret.target)]) {
        const stat = fs.statSync(made);
        assert.deepStrictEqual([stat.uid, stat.gid], [65534, 65533], made);
      }
    });

    it('as root, refuses a run-as user that does not exist', async () => {
      const job = posixJob('linux', 'file', folder(), { runAs: 'nosuchuser' });
      const runner = new FakeRunner(() => ({ code: 1, stdout: '', stderr: "id: 'nosuchuser': no such user" }));
      assert.match(await refusal(storeSecret(job, VALUES.secret, host('linux', runner)), VALUES.secret), /The user nosuchuser does not exist on this machine/);
      assert.ok(!fs.existsSync(job.secret.target));
    });

    it('refuses, without the secret in the message, when the file cannot be written, and leaves no temporary file', async () => {
      const job = posixJob('linux', 'file', folder());
      fs.mkdirSync(job.secret.target, { recursive: true, mode: 0o700 });
      const message = await refusal(storeSecret(job, VALUES.secret, host('linux', new FakeRunner())), VALUES.secret);
      assert.strictEqual(message, `${job.secret.target} is a folder or a device, not a file; nothing was written.`);
      assert.deepStrictEqual(fs.readdirSync(path.dirname(job.secret.target)), [path.basename(job.secret.target)]);
    });

    it('refuses file: on Windows', async () => {
      const job = posixJob('linux', 'file', folder());
      assert.match(
        await refusal(storeSecret(job, VALUES.secret, host('windows', new FakeRunner())), VALUES.secret),
        /file: secrets are for Linux and macOS; on Windows use dpapi:PATH\./,
      );
    });
  });

  describe('env: (nothing to store)', () => {
    it('stores nothing, runs nothing, and explains who must provide the variable', async () => {
      const runner = new FakeRunner();
      const outcome = await storeSecret(posixJob('linux', 'env', folder()), '', host('linux', runner));
      assert.strictEqual(outcome.stored, false);
      assert.match(
        outcome.message,
        /^Nothing to store: the script reads the secret from the environment variable BWDC_CLIENT_SECRET, which whatever starts it must set\./,
      );
      assert.match(outcome.message, /prefer 'secret file:PATH'/);
      assert.deepStrictEqual(runner.runs, []);
    });
  });

  describe('cleanSecret', () => {
    const kept: readonly (readonly [string, string])[] = [
      [`${VALUES.secret}\n`, VALUES.secret],
      [`${VALUES.secret}\r\n`, VALUES.secret],
      [`${VALUES.secret}\r`, VALUES.secret],
      [VALUES.secret, VALUES.secret],
      ['  spaced  \n', '  spaced  '],
    ];
    for (const [raw, clean] of kept) {
      it(`turns ${JSON.stringify(raw)} into ${JSON.stringify(clean)}`, () => {
        assert.strictEqual(cleanSecret(raw), clean);
      });
    }

    const refused: readonly (readonly [string, RegExp])[] = [
      ['', /^No secret was given\.$/],
      ['\n', /^No secret was given\.$/],
      ['\r\n', /^No secret was given\.$/],
      [`${VALUES.secret}\n${VALUES.secret}`, /line break or a control character/],
      [`${VALUES.secret}\t`, /line break or a control character/],
      [`\u001b[2J${VALUES.secret}`, /line break or a control character/],
      [`${VALUES.secret}\u007f`, /line break or a control character/],
      [`${VALUES.secret}\u0000`, /line break or a control character/],
    ];
    for (const [raw, message] of refused) {
      it(`refuses ${JSON.stringify(raw)} without repeating it`, () => {
        assert.throws(
          () => cleanSecret(raw),
          (error: unknown) => error instanceof SecretStoreError && message.test(error.message) && !(raw.trim() && error.message.includes(raw.trim())),
        );
      });
    }
  });

  describe('sameAccount', () => {
    const cases: readonly (readonly [string, string, boolean])[] = [
      ['bwdc', 'bwdc', true],
      ['HOST\\bwdc', 'bwdc', true],
      ['bwdc@corp.example', 'bwdc', true],
      ['CORP\\BWDC', 'bwdc', true],
      ['bwdc', 'bwdc2', false],
      ['CORP\\svc', 'CORP\\bwdc', false],
    ];
    for (const [a, b, same] of cases) {
      it(`says ${a} and ${b} are ${same ? 'the same account' : 'different accounts'}`, () => {
        assert.strictEqual(sameAccount(a, b), same);
        assert.strictEqual(sameAccount(b, a), same);
      });
    }
  });
});
