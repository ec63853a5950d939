import * as assert from 'assert';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { SyncJob } from '../../../src/core/schedule/job';
import { instanceLabels } from '../../../src/core/script/bash';
import { generateScript } from '../../../src/core/script/generate';
import { powerShellQuote } from '../../../src/core/script/quote';
import { bracketProblem, lexPowerShell, shape } from './powershellLexer';
import { jobOf, posixLayout, readScriptFixture, renderSchedule, secretLine, TEST_VERSION, VALUES, type NameSet } from './support';

type WindowsSecret = 'dpapi' | 'env';

interface WindowsCase {
  readonly name: string;
  readonly names: NameSet;
  readonly secret: WindowsSecret;
  readonly instances: number;
  readonly withEnv: boolean;
  readonly job: SyncJob;
  readonly text: string;
}

function windowsCase(names: NameSet, secret: WindowsSecret, instances: number, withEnv: boolean): WindowsCase {
  const values = VALUES.windows[names];
  const join = (...parts: string[]): string => path.win32.join(values.root, ...parts);
  const text = renderSchedule('windows.template.bwdc-schedule', {
    platform: 'windows',
    runAs: values.runAs,
    bwdc: values.bwdc,
    secret: secret === 'dpapi' ? `dpapi:${join(values.dpapiFile)}` : 'env:BWDC_CLIENT_SECRET',
    instances: values.instances.slice(0, instances).map((name) => join(name)),
    env: withEnv ? values.env : [],
    log: join(values.logFile),
  });
  const job = jobOf(text, join('job.bwdc-schedule'), 'windows');
  const name = `${secret}:, ${instances === 0 ? 'no instances' : `${instances} instances`}, ${withEnv ? 'env lines' : 'no env lines'}, ${names} values`;
  return { name, names, secret, instances, withEnv, job, text: generateScript(job, TEST_VERSION).text };
}

const CASES: WindowsCase[] = [];
for (const secret of ['dpapi', 'env'] as const) {
  for (const instances of [0, 2]) {
    for (const withEnv of [false, true]) {
      for (const names of ['plain', 'hostile'] as const) CASES.push(windowsCase(names, secret, instances, withEnv));
    }
  }
}

/** Every value of the job that the script must carry as a string, with what it is. */
function jobValues(job: SyncJob): { readonly what: string; readonly value: string }[] {
  return [
    { what: 'name', value: job.name },
    { what: 'bwdc', value: job.bwdc },
    { what: 'client-id', value: job.clientId },
    { what: 'log', value: job.log },
    { what: 'run-as', value: job.runAs ?? '' },
    ...job.instances.map((value) => ({ what: 'instance', value })),
    ...instanceLabels(job.instances, 'windows').map((value) => ({ what: 'label', value })),
    ...job.env.flatMap((variable) => [
      { what: 'env name', value: variable.name },
      { what: 'env value', value: variable.value },
    ]),
    { what: `${job.secret.scheme}: target`, value: job.secret.target },
  ];
}

const APPROVED_VERBS = new Set(
  readScriptFixture('powershell-approved-verbs.txt')
    .split('\n')
    .filter((line) => line && !line.startsWith('#')),
);

describe('the generated PowerShell script (text only: PowerShell cannot run here)', () => {
  describe('lines and settings', () => {
    for (const entry of CASES) {
      it(`uses CRLF line ends only, sets StrictMode and stops on errors: ${entry.name}`, () => {
        assert.doesNotMatch(entry.text, /[^\r]\n|\r[^\n]/, 'a line end other than CRLF');
        assert.ok(entry.text.endsWith('\r\n'));
        const lines = entry.text.split('\r\n');
        const strict = lines.indexOf('Set-StrictMode -Version Latest');
        const stop = lines.indexOf("$ErrorActionPreference = 'Stop'");
        const firstCode = lines.findIndex((line) => line !== '' && !line.startsWith('#'));
        // The param block (the -Test switch) must come first in a script; it runs no code.
        assert.strictEqual(lines[firstCode], 'param([switch]$Test)');
        assert.strictEqual(strict, firstCode + 1, 'StrictMode is the first statement');
        assert.strictEqual(stop, strict + 1);
        assert.ok(lines.includes('#Requires -Version 5.1'));
      });

      it(`logs the lines the history reads and writes <log>.last.json with ConvertTo-Json, atomically: ${entry.name}`, () => {
        const lines = entry.text.split('\r\n').map((line) => line.trim());
        // The bash script's line kinds (src/core/history/parse.ts reads both; test/fixtures/history/powershell.log).
        assert.ok(lines.includes("Write-Log $Label ('instance folder: {0}' -f $Folder)"));
        assert.ok(lines.includes("Write-Log $Job ('run stopped: {0}; exit 1' -f $message)"));
        assert.ok(lines.includes("Write-Log $Label ('result: {0}' -f $Outcome.Result)"));
        assert.ok(lines.some((line) => line.startsWith("Write-Reason $Label ('skipped: ")));
        assert.ok(lines.includes("$target = $LogFile + '.last.json'"));
        assert.ok(
          lines.includes('[System.IO.File]::WriteAllText($temporary, (ConvertTo-Json -InputObject $run -Depth 4 -Compress) + [Environment]::NewLine, $Utf8)'),
        );
        assert.ok(
          lines.includes(
            'if ([System.IO.File]::Exists($target)) { [System.IO.File]::Replace($temporary, $target, $null) } else { [System.IO.File]::Move($temporary, $target) }',
          ),
        );
        assert.deepStrictEqual(lines.slice(-3), ['Write-LastRun $failed', 'exit $failed', ''], 'written at the end of every run that started');
      });
    }
  });

  describe('quoting', () => {
    for (const entry of CASES) {
      it(`has balanced brackets outside strings and comments, and every schedule value only in a verbatim string: ${entry.name}`, () => {
        const tokens = lexPowerShell(entry.text);
        assert.strictEqual(bracketProblem(tokens), undefined);
        const verbatim = tokens.filter((token) => token.kind === 'verbatim');
        for (const { what, value } of jobValues(entry.job)) {
          assert.ok(
            verbatim.some((token) => token.value === value && token.raw === powerShellQuote(value)),
            `${what} ${JSON.stringify(value)} is not written as one verbatim string`,
          );
          if (entry.names === 'hostile' && /[^A-Za-z0-9._-]/.test(value)) {
            const outside = tokens.filter((token) => token.kind !== 'verbatim' && token.kind !== 'comment' && token.raw.includes(value));
            assert.deepStrictEqual(outside, [], `${what} appears outside a verbatim string`);
          }
        }
      });
    }

    for (const entry of CASES.filter((candidate) => candidate.names === 'hostile')) {
      it(`lets no hostile value change the code around it (same tokens as with plain values): ${entry.name}`, () => {
        const plain = CASES.find(
          (candidate) =>
            candidate.names === 'plain' && candidate.secret === entry.secret && candidate.instances === entry.instances && candidate.withEnv === entry.withEnv,
        )!;
        assert.deepStrictEqual(shape(lexPowerShell(entry.text)), shape(lexPowerShell(plain.text)));
      });
    }

    const quotes: { readonly name: string; readonly quote: string }[] = [
      { name: "the ASCII apostrophe '", quote: "'" },
      { name: 'U+2018 ‘', quote: '\u2018' },
      { name: 'U+2019 ’', quote: '\u2019' },
      { name: 'U+201A ‚', quote: '\u201a' },
      { name: 'U+201B ‛', quote: '\u201b' },
    ];
    for (const { name, quote } of quotes) {
      it(`doubles ${name} so that PowerShell reads the value back unchanged`, () => {
        const value = `a${quote}b${quote}${quote}; Remove-Item C:\\ ${quote}`;
        const tokens = lexPowerShell(`$x = ${powerShellQuote(value)}\r\n`);
        assert.deepStrictEqual(
          tokens.map((token) => [token.kind, token.value]),
          [
            ['code', '$x = '],
            ['verbatim', value],
            ['code', '\r\n'],
          ],
        );
      });

      it(`is a check that sees ${name} end a string when it is not doubled (the lexer is not vacuous)`, () => {
        const naive = `'a${quote}; Remove-Item C:\\ ${quote}'`;
        const tokens = lexPowerShell(`$x = ${naive}\r\n`);
        assert.ok(
          tokens.some((token) => token.kind === 'code' && token.raw.includes('Remove-Item')),
          JSON.stringify(tokens),
        );
      });
    }
  });

  describe('the secret', () => {
    for (const entry of CASES.filter((candidate) => candidate.names === 'hostile')) {
      it(`reads it with the ${entry.secret}: reader, into $script:Secret, clearing an env: variable at once: ${entry.name}`, () => {
        const body = functionBody(entry.text, 'Read-Secret');
        const target = powerShellQuote(entry.job.secret.target);
        if (entry.secret === 'dpapi') {
          assert.deepStrictEqual(codeLines(body), [
            `$file = ${target}`,
            "if (-not [System.IO.File]::Exists($file)) { throw ('the secret file {0} does not exist; store the secret with bwdc-schedule secret store' -f $file) }",
            '$secure = Import-Clixml -LiteralPath $file',
            "if ($secure -isnot [System.Security.SecureString]) { throw ('{0} does not hold a SecureString written by Export-Clixml' -f $file) }",
            '$bstr = [System.Runtime.InteropServices.Marshal]::SecureStringToBSTR($secure)',
            'try {',
            '$script:Secret = [System.Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr)',
            '} finally {',
            '[System.Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr)',
            '}',
            "if (-not $script:Secret) { throw ('the secret file {0} is empty' -f $file) }",
          ]);
        } else {
          assert.deepStrictEqual(codeLines(body), [
            `$script:Secret = [Environment]::GetEnvironmentVariable(${target}, 'Process')`,
            `[Environment]::SetEnvironmentVariable(${target}, $null, 'Process')`,
            `if (-not $script:Secret) { throw ${powerShellQuote(`the environment variable ${entry.job.secret.target} is empty or not set; the scheduler must provide it`)} }`,
          ]);
        }
        const main = entry.text.slice(entry.text.indexOf('# --- the run ---'));
        assert.ok(main.indexOf('  Read-Secret\r\n') < main.indexOf('Sync-Instance '), 'the secret is read (and its variable cleared) before any bwdc runs');
      });
    }

    it('cannot be read from file: or keychain: by a Windows script', () => {
      for (const { platform, scheme } of [
        { platform: 'linux', scheme: 'file' },
        { platform: 'macos', scheme: 'keychain' },
      ] as const) {
        const layout = posixLayout('/srv/bwdc-test', 'plain');
        const text = renderSchedule('job.template.bwdc-schedule', {
          platform,
          bwdc: layout.bwdc,
          secret: secretLine(scheme, layout),
          instances: [],
          env: [],
          log: layout.log,
        });
        const job = jobOf(text, layout.scheduleFile);
        assert.throws(() => generateScript(job, TEST_VERSION, 'windows'), new RegExp(`^Error: ${scheme}: secrets cannot be read by the Windows script$`));
      }
    });
  });

  describe('parsed by tree-sitter-powershell (from @vscode/tree-sitter-wasm)', function () {
    this.timeout(20_000);
    let parser: TreeSitter.Parser;

    before(async () => {
      // Without this, V8 spends some ten seconds of CPU optimizing the grammar's huge parse
      // function in the background after a few parses, and keeps the test run from ending.
      setFlagsFromString('--liftoff-only');
      await TreeSitter.Parser.init();
      const wasm = path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm')), 'tree-sitter-powershell.wasm');
      parser = new TreeSitter.Parser();
      parser.setLanguage(await TreeSitter.Language.load(wasm));
    });

    const parse = (text: string): TreeSitter.Node => {
      const tree = parser.parse(text);
      assert.ok(tree);
      return tree.rootNode;
    };

    it('reports a syntax error in a broken script (the parser is not vacuous)', () => {
      const broken = CASES[0]!.text.replace("if ($Command -eq 'login') {", "if ($Command -eq 'login' {");
      assert.ok(parse(broken).hasError);
    });

    for (const entry of CASES) {
      it(`parses without errors, calls commands by full Verb-Noun names only, and hands the secret to login only: ${entry.name}`, () => {
        const root = parse(entry.text);
        const problems = nodes(root).filter((node) => node.type === 'ERROR' || node.isMissing);
        assert.deepStrictEqual(
          problems.map((node) => `${node.type} at ${node.startPosition.row + 1}:${node.startPosition.column + 1}: ${node.text.slice(0, 80)}`),
          [],
        );

        const functions = new Set(nodes(root, 'function_statement').map((node) => node.children.find((child) => child?.type === 'function_name')!.text));
        const commands = nodes(root, 'command_name').map((node) => node.text);
        assert.ok(commands.length > 10);
        for (const command of commands) {
          const verb = /^([A-Z][A-Za-z]+)-[A-Z][A-Za-z]+$/.exec(command)?.[1];
          assert.ok(verb && APPROVED_VERBS.has(verb), `'${command}' is not a Verb-Noun name with an approved verb (an alias?)`);
        }
        assert.deepStrictEqual(
          [...new Set(commands.filter((command) => !functions.has(command)))].sort(),
          ['ConvertFrom-Json', 'ConvertTo-Json', 'Get-Date', 'Import-Clixml', 'New-Object', 'Set-StrictMode', 'Write-Verbose'].filter(
            (command) => entry.secret === 'dpapi' || command !== 'Import-Clixml',
          ),
          'the cmdlets used, all built into Windows PowerShell 5.1',
        );

        for (const variable of nodes(root, 'variable').filter((node) => /^\$(script:)?Secret$/i.test(node.text))) {
          const where = enclosingFunction(variable);
          if (variable.text === '$script:Secret') {
            assert.strictEqual(where, 'Read-Secret', 'only Read-Secret sets $script:Secret');
            continue;
          }
          const assignment = ancestor(variable, 'assignment_expression');
          const target = assignment?.children[0];
          if (target && isWithin(variable, target)) {
            assert.strictEqual(assignment!.text, '$Secret = $null', 'the only writes of $Secret clear it');
            continue;
          }
          if (where === 'Hide-Secret') continue;
          assert.strictEqual(where, 'Invoke-Bwdc', `$Secret read at line ${variable.startPosition.row + 1}`);
          assert.strictEqual(assignment?.text, "$info.EnvironmentVariables['BW_CLIENTSECRET'] = $Secret");
          const condition = ancestor(variable, 'if_statement')?.children.find((child) => child?.type === 'pipeline');
          assert.strictEqual(condition?.text, "$Command -eq 'login'", 'the secret goes to the login process only');
        }
      });
    }

    for (const entry of CASES.filter((candidate) => candidate.instances > 0 && candidate.names === 'plain' && !candidate.withEnv)) {
      it(`catches an unexpected error per instance, so the next instance still runs: ${entry.name}`, () => {
        const calls = nodes(parse(entry.text), 'command_name').filter((node) => node.text === 'Sync-Instance');
        assert.strictEqual(calls.length, 1);
        const guard = ancestor(calls[0]!, 'try_statement');
        const loop = ancestor(calls[0]!, 'for_statement');
        assert.ok(guard && loop && isWithin(guard, loop), 'Sync-Instance is called inside a try within the loop');
        assert.ok(nodes(guard, 'catch_clause').length === 1);
      });
    }

    it('sees every hostile value as one verbatim string literal, never as code', () => {
      for (const entry of CASES.filter((candidate) => candidate.names === 'hostile')) {
        const literals = new Set(nodes(parse(entry.text), 'verbatim_string_characters').map((node) => node.text));
        for (const { what, value } of jobValues(entry.job)) {
          assert.ok(literals.has(powerShellQuote(value)), `${entry.name}: ${what} ${JSON.stringify(value)}`);
        }
      }
    });
  });
});

/** The lines between `function NAME {` and its closing `}` at the start of a line. */
function functionBody(text: string, name: string): string {
  const start = text.indexOf(`function ${name} {\r\n`);
  assert.ok(start >= 0, `no function ${name}`);
  const bodyStart = text.indexOf('\r\n', start) + 2;
  return text.slice(bodyStart, text.indexOf('\r\n}\r\n', bodyStart));
}

/** The lines of a piece of script without comments and indentation. */
function codeLines(text: string): string[] {
  return text
    .split('\r\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

function nodes(root: TreeSitter.Node, type?: string): TreeSitter.Node[] {
  const found: TreeSitter.Node[] = [];
  const visit = (node: TreeSitter.Node): void => {
    if (type === undefined || node.type === type) found.push(node);
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return found;
}

function ancestor(node: TreeSitter.Node, type: string): TreeSitter.Node | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent.type === type) return parent;
  return undefined;
}

function isWithin(node: TreeSitter.Node, container: TreeSitter.Node): boolean {
  return node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

function enclosingFunction(node: TreeSitter.Node): string | undefined {
  return ancestor(node, 'function_statement')?.children.find((child) => child?.type === 'function_name')?.text;
}
