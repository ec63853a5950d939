import * as assert from 'assert';
import * as path from 'path';
import { setFlagsFromString } from 'v8';
import * as TreeSitter from '@vscode/tree-sitter-wasm';
import { pingUrls } from '../../../src/core/schedule/notify';
import { generateScript } from '../../../src/core/script/generate';
import { NOTIFY_EXEC_LIMIT_SECONDS, PING_LIMIT_SECONDS } from '../../../src/core/script/notify';
import { powerShellQuote } from '../../../src/core/script/quote';
import { jobOf, readScriptFixture, renderSchedule, TEST_VERSION, VALUES } from './support';

/**
 * `notify` lines in the PowerShell script. PowerShell cannot run here, so the script is parsed
 * with tree-sitter's PowerShell grammar and held to its structure, as powershell.test.ts does.
 */

const PLAIN_URL = 'https://hc-ping.com/6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';
/** Legal in a URL and in a schedule file, and hostile to PowerShell: $, parentheses, a curly quote, @, ;, &. */
const HOSTILE_URL = 'https://hc.example/x$(calc);$env:PATH&y=@(1)‘a’?q=1';
const PROGRAM = 'C:\\ProgramData\\bwdc\\on-failure.exe';
const HOSTILE_PROGRAM = "C:\\Program Files\\x ‘a’ 'b' $env:PATH `$(calc)\\on failure.exe";

function windowsScript(notify: readonly string[]): string {
  const values = VALUES.windows.plain;
  const join = (...parts: string[]): string => path.win32.join(values.root, ...parts);
  const text = `${renderSchedule('windows.template.bwdc-schedule', {
    platform: 'windows',
    runAs: values.runAs,
    bwdc: values.bwdc,
    secret: 'env:BWDC_CLIENT_SECRET',
    instances: values.instances.map((name) => join(name)),
    env: [],
    log: join(values.logFile),
  })}${notify.map((line) => `notify     ${line}\n`).join('')}`;
  return generateScript(jobOf(text, join('job.bwdc-schedule'), 'windows'), TEST_VERSION).text;
}

const APPROVED_VERBS = new Set(
  readScriptFixture('powershell-approved-verbs.txt')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#')),
);

function nodes(root: TreeSitter.Node, type?: string): TreeSitter.Node[] {
  const found: TreeSitter.Node[] = [];
  const visit = (node: TreeSitter.Node): void => {
    if (type === undefined || node.type === type) found.push(node);
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return found;
}

function enclosingFunction(node: TreeSitter.Node): string | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'function_statement') return parent.children.find((child) => child?.type === 'function_name')?.text;
  }
  return undefined;
}

describe('notify lines in the generated PowerShell script (parsed by tree-sitter-powershell)', function () {
  this.timeout(20_000);
  let parser: TreeSitter.Parser;

  before(async () => {
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

  for (const [name, lines] of [
    ['a ping line', [`ping:${PLAIN_URL}`]],
    ['an exec line', [`exec:${PROGRAM}`]],
    ['both', [`ping:${PLAIN_URL}`, `exec:${PROGRAM}`]],
  ] as const) {
    it(`parses without errors and uses approved verbs and built-in cmdlets only: ${name}`, () => {
      const text = windowsScript(lines);
      const root = parse(text);
      assert.deepStrictEqual(
        nodes(root)
          .filter((node) => node.type === 'ERROR' || node.isMissing)
          .map((node) => `${node.type} at ${node.startPosition.row + 1}: ${node.text.slice(0, 80)}`),
        [],
      );
      const functions = new Set(nodes(root, 'function_statement').map((node) => node.children.find((child) => child?.type === 'function_name')!.text));
      const commands = nodes(root, 'command_name').map((node) => node.text);
      for (const command of commands) {
        const verb = /^([A-Z][A-Za-z]+)-[A-Z][A-Za-z]+$/.exec(command)?.[1];
        assert.ok(verb && APPROVED_VERBS.has(verb), `'${command}' is not a Verb-Noun name with an approved verb`);
      }
      const cmdlets = new Set(commands.filter((command) => !functions.has(command)));
      for (const cmdlet of ['Invoke-WebRequest', 'Start-Sleep'])
        assert.strictEqual(
          cmdlets.has(cmdlet),
          lines.some((line) => line.startsWith('ping:')),
          cmdlet,
        );
    });
  }

  it('pings with Invoke-WebRequest, a time limit and basic parsing, the text as a POST body', () => {
    const root = parse(windowsScript([`ping:${PLAIN_URL}`]));
    const calls = nodes(root, 'command').filter((node) => node.text.startsWith('Invoke-WebRequest'));
    assert.strictEqual(calls.length, 1);
    const call = calls[0]!.text;
    for (const parameter of ['-Uri $Url', '-Method Post', '-Body $body', `-TimeoutSec $PingLimit`, '-UseBasicParsing'])
      assert.ok(call.includes(parameter), call);
    assert.strictEqual(enclosingFunction(calls[0]!), 'Send-Ping');
    const text = windowsScript([`ping:${PLAIN_URL}`]);
    assert.ok(text.includes(`$PingLimit = ${PING_LIMIT_SECONDS}\r\n`));
    assert.ok(text.includes(`$NotifyExecLimit = ${NOTIFY_EXEC_LIMIT_SECONDS}\r\n`));
  });

  it("pings at the start outside test runs, and notifies before each of the run's last log lines", () => {
    const lines = windowsScript([`ping:${PLAIN_URL}`, `exec:${PROGRAM}`]).split('\r\n');
    const start = lines.findIndex((line) => line.includes("Send-AllPings 'start'"));
    assert.ok(start > 0 && lines[start]!.startsWith('if (-not $Test) {'), lines[start]);
    assert.ok(start > lines.findIndex((line) => line.includes("'run started (pid {0})'")), 'after the run started line');
    for (const [end, notify] of [
      ["'run stopped: {0}; exit 1'", "Send-RunEnd 1 '' $message"],
      ["'run finished: {0}; exit 0'", "Send-RunEnd 0 ($summary -join '; ') ''"],
      ["'run finished with failures: {0}; exit 1'", "Send-RunEnd 1 '' ''"],
    ]) {
      const at = lines.findIndex((line) => line.includes(end));
      assert.strictEqual(lines[at - 1]!.trim(), notify, `${notify} just before ${end}`);
    }
    const runEnd = lines.findIndex((line) => line.startsWith('function Send-RunEnd'));
    assert.ok(lines[runEnd + 1]!.includes('$Test'), 'a test run notifies no one');
  });

  it('keeps out a script without notify lines entirely', () => {
    const text = windowsScript([]);
    for (const word of ['Send-', 'Invoke-WebRequest', '$Said', 'Notify']) assert.ok(!text.includes(word), word);
  });

  it('sees hostile URLs and program paths as verbatim strings only, and puts the suffix before the query', () => {
    const text = windowsScript([`ping:${HOSTILE_URL}`, `exec:${HOSTILE_PROGRAM}`]);
    const root = parse(text);
    assert.deepStrictEqual(nodes(root).filter((node) => node.type === 'ERROR' || node.isMissing).length, 0);
    const literals = new Set(nodes(root, 'verbatim_string_characters').map((node) => node.text));
    const urls = pingUrls(HOSTILE_URL);
    assert.strictEqual(urls.start, 'https://hc.example/x$(calc);$env:PATH&y=@(1)‘a’/start?q=1');
    for (const value of [urls.start, urls.success, urls.failure, urls.display, HOSTILE_PROGRAM]) {
      assert.ok(literals.has(powerShellQuote(value)), `${value} as one verbatim string`);
    }
  });
});
