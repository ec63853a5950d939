// Entry point of the German session: the same runner as test/integration, on the tests in this
// folder, loaded by a VS Code whose display language is German (scripts/run-integration.mjs
// --locale=de). runSuite's guards hold here too: `.only` fails the run (forbidOnly), and so
// does finding no test.
import { runSuite } from '../integration/index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
