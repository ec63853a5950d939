#!/usr/bin/env node
// The first-run experience, on screen: the packaged .vsix (dist/bwdc-schedule.vsix, from
// `npm run package`) installed into a fresh offline VS Code, as a user installs it, and used
// through the workbench in headless chromium with a temp copy of example/.
//
//   - opening weekly-sync.bwdc-schedule from the explorer shows the "bwdc Schedule" language; the
//     extension's first start (no test-mode exemption: the packaged extension in a fresh
//     profile) leaves that file in its tab, offers the walkthrough in a notification, and opens
//     it beside the file only when asked;
//   - hovering the cron expression explains it (cronstrue) and lists the next runs;
//   - typing an out-of-range hour puts an error squiggle with its message on the line;
//   - "bwdc: New Schedule File", answered prompt by prompt, writes and opens a schedule file
//     whose expression hovers as expected;
//   - the extension's page (Extensions view) shows the README with its pictures, loaded from
//     the installed .vsix.
//
// Exits 0 when every step passed; otherwise prints what failed and saves a screenshot of the
// workbench into test-results/ui/ (git-ignored). Run: npm run test:ui (packages first), or
// node test/ui/ui.check.mjs [--verbose] after npm run package.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitCodeOf, repoRoot, SessionError } from '../../scripts/lib/helpers.mjs';
import { waitFor, withVSCode } from '../../scripts/ui/driver.mjs';

/** @typedef {import('../../scripts/ui/driver.mjs').VSCodeUi} VSCodeUi */

const verbose = process.argv.includes('--verbose');
const failureDir = path.join(repoRoot, 'test-results', 'ui');
const FILE = 'weekly-sync.bwdc-schedule';
const SCHEDULE_LINE = /^schedule\s+0 12 \* \* 1\s*$/;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (/** @type {string} */ message) => console.log(`[ui] ${message}`);
const pass = (/** @type {string} */ message) => say(`ok   ${message} (${elapsed()})`);

/** Fails the check with `message` unless `condition` holds. */
function expect(/** @type {unknown} */ condition, /** @type {string} */ message) {
  if (!condition) throw new SessionError(message);
}

async function languageAndHover(/** @type {VSCodeUi} */ ui) {
  await ui.openFromExplorer(FILE);
  const mode = await ui.waitForLanguage('bwdc Schedule');
  pass(`${FILE} opened from the explorer; status bar language: ${mode}`);

  const activation = await ui.waitForActivation();
  pass(`the installed extension activated (${activation})`);

  // The first start, as a new user meets it: the file stays where it was opened, the
  // walkthrough is offered, not opened in its place.
  const offer = await ui.waitForNotification(/Get started with bwdc Schedule/);
  await ui.activeTab(FILE);
  expect(!(await ui.walkthroughOpen()), `the first start opened a walkthrough by itself; tabs: ${(await ui.tabLabels()).join(', ')}`);
  expect((await ui.tabLabels()).includes(FILE), `${FILE} lost its tab on the first start; tabs: ${(await ui.tabLabels()).join(', ')}`);
  pass(`the first start kept ${FILE} in its tab and offered the walkthrough in a notification, opening nothing`);

  const hover = await ui.hoverWord(SCHEDULE_LINE, '12', /At 12:00 PM, only on Monday/);
  const runs = hover.split('\n').filter((line) => /\bMon\b/.test(line) && /\b12:00\b/.test(line));
  expect(/Next \d+ runs/.test(hover) && runs.length >= 2, `the hover on 0 12 * * 1 lists no next runs (Mondays at 12:00):\n${hover}`);
  pass('hover on `0 12 * * 1`: "At 12:00 PM, only on Monday" with the next runs');

  // Asked for, the walkthrough opens beside the file, which keeps its tab.
  await ui.clickNotificationButton(offer, 'Open Walkthrough');
  await ui.waitForWalkthrough('Get started with bwdc Schedule');
  const groups = await ui.page.locator('.editor-group-container').count();
  expect(
    groups >= 2 && (await ui.tabLabels()).includes(FILE),
    `"Open Walkthrough" did not open it beside ${FILE}: ${groups} editor group(s), tabs ${(await ui.tabLabels()).join(', ')}`,
  );
  pass(`"Open Walkthrough" opened "Get started with bwdc Schedule" beside ${FILE}`);
  await ui.selectTab(FILE);
}

async function diagnosticWhileTyping(/** @type {VSCodeUi} */ ui) {
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
const STEP = (/** @type {number} */ n) => new RegExp(`^New Schedule File \\(${n}/\\d+\\)$`);

async function newScheduleFile(/** @type {VSCodeUi} */ ui) {
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

/**
 * The extension's page shows the packaged README, and the pictures it links are in the installed
 * extension beside it (where a repository page or a Markdown preview of the README finds them).
 * The page itself cannot show them offline: VS Code renders a README there with pictures from
 * https only (the webview's Content-Security-Policy is `img-src https: data:`, and its sanitizer
 * keeps http and https media only), so a relative or data: picture is dropped; only a real,
 * published repository (vsce then rewrites the links to it) or the Marketplace makes them show.
 */
async function extensionPage(/** @type {VSCodeUi} */ ui) {
  // As a user gets there: the Extensions view's installed list, a click on the extension.
  await ui.runCommand('Extensions: Show Installed Extensions');
  await ui.page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'bwdc Schedule' }).first().click({ timeout: 60_000 });
  // The README is rendered in a webview (nested frames).
  /** @type {string[]} */
  const links = await waitFor(
    "the README on the extension's page",
    async () => {
      for (const frame of ui.page.frames()) {
        const found = await frame
          .evaluate(() =>
            [...document.querySelectorAll('h2')].some((heading) => heading.textContent === 'What you will see')
              ? [...document.querySelectorAll('img')].map((img) => img.getAttribute('alt') ?? '')
              : undefined,
          )
          .catch(() => undefined);
        if (found) return found;
      }
      return undefined;
    },
    { timeoutMs: 60_000 },
  );
  const installed = fs.readdirSync(ui.session.extensionsDir).find((name) => name.startsWith('bwdc-schedule.bwdc-schedule-'));
  expect(installed, 'the extension is not in the extensions folder');
  const folder = path.join(ui.session.extensionsDir, installed ?? '');
  const readmeName = fs.readdirSync(folder).find((name) => /^readme\.md$/i.test(name)) ?? 'README.md';
  const readme = fs.readFileSync(path.join(folder, readmeName), 'utf8');
  const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  const missing = pictures.filter((picture) => !fs.existsSync(path.join(folder, picture)));
  expect(pictures.length > 0 && missing.length === 0, `the installed README links pictures that are not beside it: ${missing.join(', ')}`);
  pass(`the extension's page shows the README (${links.length} picture slots); its ${pictures.length} pictures are installed beside it, linked relatively`);
}

const code = await withVSCode(
  'ui',
  {
    workspace: path.join(repoRoot, 'example'),
    failureDir,
    verbose,
    timeoutSeconds: 600,
    log: say,
  },
  async (ui) => {
    await languageAndHover(ui);
    await diagnosticWhileTyping(ui);
    await newScheduleFile(ui);
    await extensionPage(ui);
  },
);
if (code === 0) say(`passed (${elapsed()})`);
process.exit(exitCodeOf(code));
