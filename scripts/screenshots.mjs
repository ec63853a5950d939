#!/usr/bin/env node
// `npm run screenshots`: the README's pictures, taken from the real editor. Builds the .vsix
// (npm run package), installs it into a fresh offline VS Code (scripts/ui/driver.mjs), opens a
// temp copy of example/ and saves into images/screenshots/:
//
//   hover.png             the hover on the `schedule` line
//   diagnostics.png       a misspelt directive key, its squiggle and the quick fix menu
//   walkthrough.png       the "Get started with bwdc Schedule" walkthrough
//   new-schedule-file.png "bwdc: New Schedule File" with its schedule picker open
//   install-diff.png      "bwdc: Install Crontab Entry": the crontab diff and the modal question,
//                         which is then CANCELLED (nothing is ever installed)
//
// The install preview reads the crontab of the file's `run-as` user, so it is taken with a
// throwaway user (created here with a crontab of two foreign lines, deleted afterwards with
// its crontab) and never shows or touches anybody's real crontab. That needs root; without it
// that picture is skipped with a message.
//
// Options: --no-package (use dist/bwdc-schedule.vsix as it is), --verbose.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitCodeOf, repoRoot, SessionError } from './lib/helpers.mjs';
import { defaultVsix, waitFor, withVSCode } from './ui/driver.mjs';

/** @typedef {import('./ui/driver.mjs').VSCodeUi} VSCodeUi */
/** @typedef {{ name: string, uid: number, gid: number }} DemoUser */

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const outDir = path.join(repoRoot, 'images', 'screenshots');
const failureDir = path.join(repoRoot, 'test-results', 'screenshots');
const FILE = 'weekly-sync.bwdc-schedule';
const WALKTHROUGH = 'bwdc-schedule.bwdc-schedule#bwdcSchedule.gettingStarted';
const WALKTHROUGH_KEY = { keybinding: 'ctrl+alt+shift+w', playwright: 'Control+Alt+Shift+W' };

const say = (/** @type {string} */ message) => console.log(`[screenshots] ${message}`);
/** @type {{ name: string, bytes: number }[]} */
const saved = [];

/**
 * Runs a command; returns its stdout, or throws with its output when it fails.
 * @param {string} command
 * @param {string[]} commandArgs
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 * @returns {string}
 */
function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new SessionError(
      `\`${[command, ...commandArgs].join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`})${output ? `:\n${output}` : ''}`,
    );
  }
  return String(result.stdout);
}

/** Saves a picture of the workbench as images/screenshots/<name>. */
async function save(/** @type {VSCodeUi} */ ui, /** @type {string} */ name) {
  await ui.page.waitForTimeout(300); // let a fade-in animation end; the content was awaited
  const file = path.join(outDir, name);
  const bytes = await ui.screenshot(file);
  saved.push({ name, bytes });
  say(`saved images/screenshots/${name} (${(bytes / 1024).toFixed(0)} KB)`);
}

// --- the throwaway run-as user -------------------------------------------------------------

// A fixed name keeps the pictures stable; the comment field marks the account as ours, so that
// a leftover from an interrupted run is recognized and removed, and a real account of that name
// is never touched.
const DEMO_USER = 'bwdcdemo';
const DEMO_MARK = 'bwdc Schedule screenshots (throwaway)';
const DEMO_CRONTAB = ['MAILTO=admin@example.com', "# another tool's job: stays as it is", '30 2 * * * /usr/local/sbin/backup-bwdc-folders', ''].join('\n');

/** The fields of `name`'s line in /etc/passwd, or undefined. */
function passwdEntry(/** @type {string} */ name) {
  return fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === name);
}

/** @returns {DemoUser | undefined} */
function createDemoUser() {
  const existing = passwdEntry(DEMO_USER);
  if (existing && existing[4] !== DEMO_MARK) {
    say(`skip install-diff.png: a user '${DEMO_USER}' exists and is not a throwaway of this script; it is left alone`);
    return undefined;
  }
  if (existing) removeDemoUser(); // left over from an interrupted run
  run('useradd', [
    '--system',
    '--no-create-home',
    '--home-dir',
    '/nonexistent',
    '--shell',
    '/usr/sbin/nologin',
    '--user-group',
    '--comment',
    DEMO_MARK,
    DEMO_USER,
  ]);
  process.on('exit', removeDemoUser); // last resort; removeDemoUser() is idempotent
  const entry = passwdEntry(DEMO_USER);
  if (!entry) throw new SessionError(`useradd did not create the user ${DEMO_USER}`);
  run('crontab', ['-u', DEMO_USER, '-'], { input: DEMO_CRONTAB });
  say(`created the throwaway user ${DEMO_USER} with a crontab of two foreign lines`);
  return { name: DEMO_USER, uid: Number(entry[2]), gid: Number(entry[3]) };
}

function removeDemoUser() {
  const entry = passwdEntry(DEMO_USER);
  if (!entry || entry[4] !== DEMO_MARK) return;
  spawnSync('crontab', ['-u', DEMO_USER, '-r'], { stdio: 'ignore' });
  spawnSync('pkill', ['-KILL', '-u', DEMO_USER], { stdio: 'ignore' });
  spawnSync('userdel', [DEMO_USER], { stdio: 'ignore' });
  if (passwdEntry(DEMO_USER) || fs.existsSync(`/var/spool/cron/crontabs/${DEMO_USER}`)) {
    console.error(
      `[screenshots] could not remove the throwaway user ${DEMO_USER} or its crontab; remove them: crontab -u ${DEMO_USER} -r; userdel ${DEMO_USER}`,
    );
    process.exitCode = 1;
  } else {
    say(`removed the throwaway user ${DEMO_USER} and its crontab`);
  }
}

/** The crontab of `user` without the header crontab(1) adds. */
function crontabOf(/** @type {string} */ user) {
  return run('crontab', ['-u', user, '-l'], { env: { ...process.env, CRONTAB_NOHEADER: 'N', LC_ALL: 'C' } })
    .split('\n')
    .filter((line, index) => !(index < 3 && /^# (DO NOT EDIT|\(\S+ installed on|\(Cron version)/.test(line)))
    .join('\n');
}

// --- the pictures ------------------------------------------------------------------------------

const SCHEDULE_LINE = /^schedule\s+0 12 \* \* 1\s*$/;
const INSTANCE_LINE = /^instance\s+\.\/instance-1\s*$/;

async function hover(/** @type {VSCodeUi} */ ui) {
  await ui.hoverWord(SCHEDULE_LINE, '12', /At 12:00 PM, only on Monday/);
  await ui.growHoverToFit();
  await save(ui, 'hover.png');
}

async function diagnostics(/** @type {VSCodeUi} */ ui) {
  await ui.parkMouse();
  await ui.replaceWord(INSTANCE_LINE, 'instance', 'instnace');
  const misspelt = /^instnace\s+\.\/instance-1\s*$/;
  await ui.waitForLine(misspelt);
  await ui.closeSuggestions();
  await ui.editor().locator('.view-overlays .squiggly-error').first().waitFor({ timeout: 30_000 });
  // The Problems panel shows the message; the quick fix menu the fix.
  await ui.page.keyboard.press('ControlOrMeta+Shift+M');
  const problem = ui.page.locator('.markers-panel .monaco-list-row', { hasText: "Unknown directive 'instnace'. Did you mean 'instance'?" });
  await problem.first().waitFor({ timeout: 30_000 });
  await ui.clickWord(misspelt, 'instnace');
  const menu = ui.page.locator('.action-widget', { hasText: "Change to 'instance'" });
  await waitFor('the quick fix menu', async () => {
    if (await menu.isVisible()) return true;
    await ui.page.keyboard.press('ControlOrMeta+.');
    return menu.waitFor({ timeout: 5000 }).then(
      () => true,
      () => false,
    );
  });
  await ui.parkMouse();
  await save(ui, 'diagnostics.png');
  await ui.page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden' });
  await ui.runCommand('File: Revert File');
  await ui.waitForLine(INSTANCE_LINE);
  await ui.runCommand('View: Toggle Panel Visibility');
  await ui.page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 30_000 });
}

async function walkthrough(/** @type {VSCodeUi} */ ui) {
  await ui.parkMouse();
  // A user keybinding runs workbench.action.openWalkthrough with the walkthrough's id.
  await ui.page.keyboard.press(WALKTHROUGH_KEY.playwright);
  await ui.page.locator('.gettingStartedContainer', { hasText: 'Get started with bwdc Schedule' }).first().waitFor({ timeout: 30_000 });
  await ui.page.locator('.gettingStartedContainer .getting-started-step.expanded', { hasText: 'Create a schedule file' }).first().waitFor({ timeout: 30_000 });
  // Without the side bar the page is wide enough to show each step's media beside it.
  await ui.page.keyboard.press('ControlOrMeta+B');
  await ui.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 30_000 });
  // The first step's media: markdown (walkthrough/schedule.md) rendered in a webview.
  await waitFor(
    "the walkthrough step's markdown in its webview",
    async () => {
      for (const frame of ui.page.frames()) {
        if (frame === ui.page.mainFrame()) continue;
        const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (text.includes('organization.6f1c0ea6')) return true;
      }
      return false;
    },
    { timeoutMs: 60_000 },
  );
  await ui.parkMouse();
  await save(ui, 'walkthrough.png');
  await ui.page.keyboard.press('ControlOrMeta+B');
  await ui.page.locator('.part.sidebar').waitFor({ timeout: 30_000 });
  await ui.closeTab(/^Welcome/);
  await ui.selectTab(FILE);
}

async function newScheduleFile(/** @type {VSCodeUi} */ ui) {
  await ui.parkMouse();
  await ui.runCommand('bwdc: New Schedule File');
  await ui.waitForQuickInput(/^New Schedule File \(1\/\d+\)$/);
  await ui.page.keyboard.press('Enter'); // the prefilled name
  const state = await ui.waitForQuickInput(/^New Schedule File \(2\/\d+\)$/);
  await waitFor('the common schedules in the picker', async () => (await ui.quickInputState()).rows.length >= 5);
  if (verbose) say(`schedule picker: ${JSON.stringify(state.rows)}`);
  await save(ui, 'new-schedule-file.png');
  await ui.closeQuickInput(); // cancels the command: nothing is written
}

async function installDiff(/** @type {VSCodeUi} */ ui, /** @type {DemoUser} */ user) {
  await ui.parkMouse();
  // run-as: the throwaway user; and where bwdc is (it is not installed here, and a job needs
  // it: the script calls it by its absolute path). Typed and saved as a user would.
  await ui.replaceWord(/^run-as\s+bwdc\s*$/, 'bwdc', user.name);
  const runAsLine = new RegExp(`^run-as\\s+${user.name}\\s*$`);
  await ui.waitForLine(runAsLine);
  await ui.page.keyboard.press('End');
  await ui.page.keyboard.press('Enter');
  await ui.page.keyboard.type('bwdc       /usr/local/bin/bwdc');
  await ui.waitForLine(/^bwdc\s+\/usr\/local\/bin\/bwdc\s*$/);
  await ui.page.keyboard.press('ControlOrMeta+S');
  await ui.page.locator('.tabs-container .tab.active:not(.dirty)', { hasText: FILE }).first().waitFor({ timeout: 30_000 });
  // The sync script, current and owned by run-as, so that the command goes straight to the
  // crontab preview instead of first asking to write the script.
  const scheduleFile = path.join(ui.workspaceFolder, FILE);
  run(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'script', scheduleFile]);
  const script = path.join(ui.workspaceFolder, 'bwdcSyncService.sh');
  fs.chownSync(script, user.uid, user.gid);

  // More room for the diff: hide the side bar.
  await ui.page.keyboard.press('ControlOrMeta+B');
  await ui.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 30_000 });
  await ui.runCommand('bwdc: Install Crontab Entry');
  const dialog = ui.page.locator('.monaco-dialog-box', { hasText: `Install weekly-sync into the crontab of ${user.name}?` });
  await dialog.first().waitFor({ timeout: 60_000 });
  const diff = ui.page.locator('.monaco-diff-editor');
  await diff.first().waitFor({ timeout: 30_000 });
  await diff.locator('.editor.modified .view-line', { hasText: 'BEGIN bwdc-schedule weekly-sync' }).first().waitFor({ timeout: 30_000 });
  await diff.locator('.editor.original .view-line', { hasText: 'backup-bwdc-folders' }).first().waitFor({ timeout: 30_000 });
  await save(ui, 'install-diff.png');

  // CANCEL: never confirm.
  await dialog
    .locator('.dialog-buttons .monaco-button', { hasText: /^Cancel$/ })
    .first()
    .click();
  await dialog.first().waitFor({ state: 'hidden', timeout: 30_000 });
  await ui.page.locator('.notifications-toasts', { hasText: 'Nothing was changed.' }).first().waitFor({ timeout: 30_000 });
  const after = crontabOf(user.name);
  if (after !== DEMO_CRONTAB) throw new SessionError(`the throwaway crontab changed although the install was cancelled:\n${after}`);
  say('install cancelled; the throwaway crontab is unchanged');
}

// --- main ----------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  if (!args.includes('--no-package')) {
    say('building the .vsix (npm run package)');
    run('npm', ['run', '-s', 'package'], { cwd: repoRoot });
  }
  const manifest = JSON.parse(run('unzip', ['-p', defaultVsix, 'extension/package.json']));
  if (!manifest.contributes.walkthroughs?.some((/** @type {{ id: string }} */ w) => `${manifest.publisher}.${manifest.name}#${w.id}` === WALKTHROUGH)) {
    throw new SessionError(`the .vsix has no walkthrough ${WALKTHROUGH}`);
  }

  /** @type {DemoUser | undefined} */
  let user;
  if (process.getuid?.() === 0) user = createDemoUser();
  else say('skip install-diff.png: it needs root, to create a throwaway run-as user whose crontab the preview can show');

  /** @type {number} */
  let code;
  try {
    code = await withVSCode(
      'screenshots',
      {
        workspace: path.join(repoRoot, 'example'),
        failureDir,
        verbose,
        timeoutSeconds: 900,
        log: say,
        // No completion list popping up while the pictures' typos are typed.
        settings: {
          'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
          'editor.suggestOnTriggerCharacters': false,
          // Every editor in a tab of its own: a page opened later (the walkthrough, a diff)
          // never replaces the file pictured.
          'workbench.editor.enablePreview': false,
        },
        keybindings: [{ key: WALKTHROUGH_KEY.keybinding, command: 'workbench.action.openWalkthrough', args: WALKTHROUGH }],
      },
      async (ui) => {
        await ui.openFromExplorer(FILE);
        await ui.waitForLanguage('bwdc Schedule');
        await ui.waitForActivation();
        // The extension's first start offers its walkthrough in a notification: dismiss it (the
        // walkthrough is pictured below).
        await ui.waitForNotification(/Get started with bwdc Schedule/);
        await ui.runCommand('Notifications: Clear All Notifications');
        await ui.selectTab(FILE);
        await hover(ui);
        await diagnostics(ui);
        await walkthrough(ui);
        await newScheduleFile(ui);
        if (user) await installDiff(ui, user);
      },
    );
  } finally {
    if (user) removeDemoUser();
  }
  if (code === 0) {
    const total = saved.reduce((sum, { bytes }) => sum + bytes, 0);
    say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s: ${saved.length} pictures, ${(total / 1024).toFixed(0)} KB in images/screenshots/`);
  }
  return code;
}

main().then(
  (code) => process.exit(exitCodeOf(process.exitCode || code)),
  (error) => {
    console.error(`[screenshots] FAILED: ${error instanceof SessionError ? error.message : (error?.stack ?? error)}`);
    process.exit(1);
  },
);
