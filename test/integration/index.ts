// Entry point of the integration suite, loaded by VS Code inside its extension host (the
// `extensionTestsPath` contract): VS Code calls run() and closes the window when the promise
// settles - exit code 0 when it resolved, 1 when it rejected. Both runners use it unchanged:
// scripts/run-integration.mjs (offline: code-server's VS Code in chromium) and
// @vscode/test-electron (desktop VS Code, `--electron`).
//
// Guards: `.only` left in a test fails the run (forbidOnly), and so does a run that finds no
// test at all (a wrong folder, a suite that no longer registers its tests) - it must never pass
// by testing nothing.
//
// Output: the extension host has no terminal. When BWDC_INTEGRATION_LOG names a file, the spec
// reporter's lines are appended to it and the runner streams that file to its stdout;
// otherwise they go to the console (the Debug Console when run from VS Code's debugger).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

export const LOG_FILE_VARIABLE = 'BWDC_INTEGRATION_LOG';

export function run(): Promise<void> {
  return runSuite(__dirname);
}

/** Runs every `*.test.js` under `folder` with mocha; rejects when one fails or none is found. */
export async function runSuite(folder: string): Promise<void> {
  const logFile = process.env[LOG_FILE_VARIABLE];
  // Every reporter line goes through Base.consoleLog (console.log by default).
  const write = logFile ? (...args: unknown[]) => fs.appendFileSync(logFile, `${util.format(...args)}\n`) : (...args: unknown[]) => console.log(...args);
  const originalConsoleLog = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = write;

  const mocha = new Mocha({
    ui: 'bdd',
    reporter: Mocha.reporters.Spec,
    timeout: 20_000,
    color: process.env.BWDC_INTEGRATION_COLOR === '1',
    forbidOnly: true,
  });
  try {
    const files = findTestFiles(folder);
    for (const file of files) mocha.addFile(file);
    let failures: number;
    let total = 0;
    try {
      // mocha.run() loads the test files synchronously: a file that throws ends up here. Its
      // runner counts the tests it is about to run at once.
      failures = await new Promise<number>((resolve) => {
        total = mocha.run(resolve).total;
      });
    } catch (error) {
      // The message and the frame that threw are enough (the rest is mocha and VS Code).
      const [message, where] = (error instanceof Error && error.stack ? error.stack : String(error)).split('\n');
      write(`Cannot load the integration tests: ${message}${where ? `\n${where}` : ''}`);
      throw error;
    }
    if (total === 0) {
      const found = files.length === 0 ? 'no *.test.js file' : `${files.length} *.test.js file(s) but not one test in them`;
      const message = `No integration tests ran: found ${found} under ${folder}. A run that tests nothing fails.`;
      write(message);
      throw new Error(message);
    }
    // The spec reporter has already listed the failures.
    if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
  } finally {
    Mocha.reporters.Base.consoleLog = originalConsoleLog;
  }
}

/** Every `*.test.js` under `dir`, recursively, in a stable order. */
function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findTestFiles(full);
      return entry.isFile() && entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}
