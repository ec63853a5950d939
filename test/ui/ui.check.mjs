#!/usr/bin/env node
// The first-run experience, on screen: the packaged .vsix (dist/bwdc-schedule.vsix, from
// `npm run package`) installed into a fresh offline VS Code, as a user installs it, and used
// through the workbench in headless chromium with a temp copy of example/.
//
//   - opening weekly-sync.bwdc-schedule from the explorer shows the "bwdc Schedule" language,
//     and the extension's first start opens its walkthrough;
//   - hovering the cron expression explains it (cronstrue) and lists the next runs;
//   - typing an out-of-range hour puts an error squiggle with its message on the line;
//   - "bwdc: New Schedule File", answered prompt by prompt, writes and opens a schedule file
//     whose expression hovers as expected.
//
// Exits 0 when every step passed; otherwise prints what failed and saves a screenshot of the
// workbench into test-results/ui/ (git-ignored). Run: npm run test:ui (packages first), or
// node test/ui/ui.check.mjs [--verbose] after npm run package.
import * as path from 'node:path';
import { repoRoot, SessionError, waitFor, withVSCode } from '../../scripts/ui/driver.mjs';

const verbose = process.argv.includes('--verbose');
const failureDir = path.join(repoRoot, 'test-results', 'ui');
const FILE = 'weekly-sync.bwdc-schedule';
const SCHEDULE_LINE = /^schedule\s+0 12 \* \* 1\s*$/;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (message) => console.log(`[ui] ${message}`);
const pass = (message) => say(`ok   ${message} (${elapsed()})`);

function expect(condition, message) {
  if (!condition) throw new SessionError(message);
}

async function languageAndHover(ui) {
  await ui.openFromExplorer(FILE);
  const mode = await ui.waitForLanguage('bwdc Schedule');
  pass(`${FILE} opened from the explorer; status bar language: ${mode}`);

  const activation = await ui.waitForActivation();
  pass(`the installed extension activated (${activation})`);

  // A first start (fresh profile) opens the walkthrough.
  await ui.waitForWalkthrough('Get started with bwdc Schedule');
  pass('the first start opened the walkthrough "Get started with bwdc Schedule"');
  await ui.selectTab(FILE);

  const hover = await ui.hoverWord(SCHEDULE_LINE, '12', /At 12:00 PM, only on Monday/);
  const runs = hover.split('\n').filter((line) => /\bMon\b/.test(line) && /\b12:00\b/.test(line));
  expect(/Next \d+ runs/.test(hover) && runs.length >= 2, `the hover on 0 12 * * 1 lists no next runs (Mondays at 12:00):\n${hover}`);
  pass('hover on `0 12 * * 1`: "At 12:00 PM, only on Monday" with the next runs');
}

async function diagnosticWhileTyping(ui) {
  await ui.replaceWord(SCHEDULE_LINE, '12', '25');
  const line = /^schedule\s+0 25 \* \* 1\s*$/;
  await ui.waitForLine(line);
  const squiggle = ui.editor().locator('.view-overlays .squiggly-error');
  await squiggle.first().waitFor({ timeout: 30_000 });
  const message = await ui.hoverWord(line, '25', /out of range/);
  expect(/hour: 25 is out of range 0[–-]23/.test(message), `the hover over the squiggle does not give the range:\n${message}`);
  pass('typing `0 25 * * 1` puts an error squiggle there: "hour: 25 is out of range 0–23"');
}

/** Step n of "bwdc: New Schedule File" (its prompts are titled "New Schedule File (n/7)"). */
const STEP = (n) => new RegExp(`^New Schedule File \\(${n}/\\d+\\)$`);

async function newScheduleFile(ui) {
  await ui.runCommand('bwdc: New Schedule File');

  const name = await ui.waitForQuickInput(STEP(1));
  expect(/job name/i.test(name.message), `step 1 does not ask for the job name: ${JSON.stringify(name)}`);
  await ui.typeInQuickInput('ui-sync');
  await ui.page.keyboard.press('Enter');

  // The schedule picker filters on the expression (the item's description) too.
  await ui.waitForQuickInput(STEP(2));
  await ui.typeInQuickInput('0 20 * * 0');
  await ui.waitForFocusedItem('At 08:00 PM, only on Sunday');
  await ui.page.keyboard.press('Enter');

  await ui.waitForQuickInput(STEP(3));
  await ui.typeInQuickInput('Linux');
  await ui.waitForFocusedItem('Linux');
  await ui.page.keyboard.press('Enter');

  const runAs = await ui.waitForQuickInput(STEP(4));
  expect(/run-as/i.test(runAs.message) && runAs.value === 'bwdc', `step 4 is not the run-as box prefilled with bwdc: ${JSON.stringify(runAs)}`);
  await ui.page.keyboard.press('Enter');

  const clientId = await ui.waitForQuickInput(STEP(5));
  expect(/client_id/i.test(clientId.message), `step 5 does not ask for the client_id: ${JSON.stringify(clientId)}`);
  await ui.typeInQuickInput('organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11');
  await ui.page.keyboard.press('Enter');

  // The secret source: a pick (file: first on Linux), then its path, prefilled.
  await ui.waitForQuickInput(STEP(6));
  await ui.waitForFocusedItem('file:');
  await ui.page.keyboard.press('Enter');
  await waitFor('the secret file path box, prefilled', async () => {
    const state = await ui.quickInputState();
    return STEP(6).test(state.title) && state.value.startsWith('file:/') && state;
  });
  await ui.page.keyboard.press('Enter');

  // The instance folders: the folder dialog (the simple file dialog in the quick input); skip it.
  await waitFor('the instance folder dialog', async () => {
    const state = await ui.quickInputState();
    return state.visible && STEP(7).test(state.title) && state.value.startsWith('/') && state;
  });
  await ui.page.keyboard.press('Escape');

  await ui.activeTab('ui-sync.bwdc-schedule');
  await ui.waitForLanguage('bwdc Schedule');
  const schedule = /^schedule\s+0 20 \* \* 0\s*$/;
  await ui.waitForLine(schedule);
  await ui.waitForLine(/^client-id\s+organization\.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\s*$/);
  // The other answers made it too: the platform picked, run-as and the secret path accepted.
  for (const line of [/^name\s+ui-sync\s*$/, /^platform\s+linux\s*$/, /^run-as\s+bwdc\s*$/, /^secret\s+file:\/home\/bwdc\/\S+\s*$/]) await ui.waitForLine(line);
  pass('"bwdc: New Schedule File", answered on screen, wrote and opened ui-sync.bwdc-schedule with `schedule   0 20 * * 0` and the client-id');

  await ui.hoverWord(schedule, '20', /At 08:00 PM, only on Sunday/);
  pass('hover on the new file\'s `0 20 * * 0`: "At 08:00 PM, only on Sunday"');
}

const code = await withVSCode(
  'ui',
  { workspace: path.join(repoRoot, 'example'), failureDir, verbose, timeoutSeconds: 600, log: say },
  async (ui) => {
    await languageAndHover(ui);
    await diagnosticWhileTyping(ui);
    await newScheduleFile(ui);
  },
);
if (code === 0) say(`passed (${elapsed()})`);
process.exit(code);
