/**
 * Measures, in a fresh Node process, loading an extension bundle and running activate() with
 * the vscode stand-in, then (for ours, not for the minimal yardstick given `--no-hover`) the
 * opening of a schedule file (which starts the language, dist/language.js) and the first hover,
 * which loads cronstrue. Prints one JSON line.
 */
import Module from 'module';
import * as path from 'path';
import { createVscodeStandIn, type Recorded } from './vscode-standin';

const recorded: Recorded = { hoverProviders: [] };
const standIn = createVscodeStandIn(recorded);
const originalLoad = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
(Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? standIn : originalLoad.call(this, request, ...rest);
};

const bundle = path.resolve(process.argv[2] ?? 'dist/extension.js');
const start = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle under test, a path known at run time
const extension = require(bundle) as { activate(context: unknown): unknown };
const loaded = process.hrtime.bigint();
extension.activate({
  subscriptions: [],
  extension: { packageJSON: { version: 'bench' } },
  globalStorageUri: { fsPath: '/nonexistent/bench-storage' },
  // As on every start after the first: the walkthrough was offered already.
  globalState: { get: () => true, update: async () => undefined },
  extensionMode: 1,
});
const activated = process.hrtime.bigint();

const ms = (from: bigint, to: bigint): number => Number(to - from) / 1e6;
if (process.argv.includes('--no-hover')) {
  process.stdout.write(`${JSON.stringify({ load: ms(start, loaded), activate: ms(loaded, activated), total: ms(start, activated) })}\n`);
  process.exit(0);
}

const text = 'schedule 0 12 * * 1\nclient-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\nsecret env:S\n';
const lines = text.split('\n');
const document = {
  getText: () => text,
  version: 1,
  lineCount: lines.length,
  lineAt: (line: number) => ({ text: lines[line] ?? '' }),
  uri: { scheme: 'untitled', fsPath: '', toString: () => 'untitled:bench' },
  languageId: 'bwdc-schedule',
  isClosed: false,
};
// A schedule file opens: the language starts (dist/language.js) and diagnoses it.
const beforeOpen = process.hrtime.bigint();
(standIn['workspace'] as { textDocuments: unknown[] }).textDocuments.push(document);
for (const listener of [...(recorded.openListeners ?? [])]) listener(document);
const afterOpen = process.hrtime.bigint();
const provider = recorded.hoverProviders[0];
if (!provider) throw new Error('opening a schedule file did not start the language');
const beforeHover = process.hrtime.bigint();
const hover = provider.provideHover(document, { line: 0, character: 10 }) as { contents: { value: string } } | undefined;
const afterHover = process.hrtime.bigint();
if (!hover?.contents.value.includes('Monday')) throw new Error('the first hover did not describe the schedule');

process.stdout.write(
  `${JSON.stringify({ load: ms(start, loaded), activate: ms(loaded, activated), total: ms(start, activated), openFirstFile: ms(beforeOpen, afterOpen), firstHover: ms(beforeHover, afterHover) })}\n`,
);
