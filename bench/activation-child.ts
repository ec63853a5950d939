/**
 * Measures, in a fresh Node process, loading dist/extension.js and running activate() with the
 * vscode stand-in, then the first hover (which loads cronstrue). Prints one JSON line.
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
// eslint-disable-next-line @typescript-eslint/no-require-imports
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

const text = 'schedule 0 12 * * 1\nclient-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\nsecret env:S\n';
const document = { getText: () => text, uri: { scheme: 'untitled', fsPath: '', toString: () => 'untitled:bench' }, languageId: 'bwdc-schedule' };
const provider = recorded.hoverProviders[0]!;
const beforeHover = process.hrtime.bigint();
const hover = provider.provideHover(document, { line: 0, character: 10 }) as { contents: { value: string } } | undefined;
const afterHover = process.hrtime.bigint();
if (!hover?.contents.value.includes('Monday')) throw new Error('the first hover did not describe the schedule');

const ms = (from: bigint, to: bigint): number => Number(to - from) / 1e6;
process.stdout.write(
  `${JSON.stringify({ load: ms(start, loaded), activate: ms(loaded, activated), total: ms(start, activated), firstHover: ms(beforeHover, afterHover) })}\n`,
);
