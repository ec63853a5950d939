// Drives the *packaged* extension in the offline VS Code the way a user would: the .vsix is
// installed into a fresh extensions folder with code-server's `--install-extension`, the VS Code
// server starts WITHOUT a development extension (so the installed copy is what runs), and the
// workbench is opened in headless chromium on a temp copy of a workspace folder. Shared by the
// UI check (test/ui/) and `npm run screenshots` (scripts/screenshots.mjs).
//
// Everything lives in one OfflineVSCode session folder (scripts/offline-vscode.mjs): user data,
// extensions, the workspace copy, XDG and TMPDIR; dispose() kills the server's process group and
// chromium and removes that folder. Use it through `withVSCode()`, which also disposes on
// SIGINT/SIGTERM/SIGHUP and on a timeout.
//
// Every wait is on a condition (a selector, a text, a log line) with a generous deadline: this
// runs on 2-core CI machines where the first hover can take seconds.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SessionError, firstLine, firstSettled, onTerminationSignal, repoRoot, signalExitCode, sleep } from '../lib/helpers.mjs';
import { OfflineVSCode, workbenchUrl } from '../offline-vscode.mjs';
import { ensureOfflineVSCode, isSetupError } from '../setup-vscode-offline.mjs';

/** @typedef {import('playwright-core').Page} Page */

export const defaultVsix = path.join(repoRoot, 'dist', 'bwdc-schedule.vsix');
export const EXTENSION_ID = 'bwdc-schedule.bwdc-schedule';
export { SessionError, repoRoot, sleep };

/** Settings on top of offline-vscode.mjs's quiet defaults: a fixed look for stable pictures. */
const UI_SETTINGS = {
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'update.showReleaseNotes': false,
  'editor.fontSize': 14,
  'files.autoSave': 'off',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.commandCenter': false,
  // Editors open as VS Code's defaults say (a single click opens a preview tab): the first start
  // is checked as a user meets it.
};

// Generous deadlines: a cold workbench and extension host on 2 busy cores are slow.
const WORKBENCH_MS = 120_000;
const STEP_MS = 30_000;

/**
 * Polls `probe` until it returns a truthy value (returned), or throws "timed out waiting for
 * <what>" after `timeoutMs`.
 * @template T
 * @param {string} what
 * @param {() => T | Promise<T>} probe
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 * @returns {Promise<Exclude<T, undefined | null | false | 0 | ''>>}
 */
export async function waitFor(what, probe, { timeoutMs = STEP_MS, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return /** @type {Exclude<T, undefined | null | false | 0 | ''>} */ (value);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${firstLine(lastError)})` : '';
      throw new SessionError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

/** Text as the workbench renders it, with non-breaking spaces made plain. */
const plain = (/** @type {string | null | undefined} */ text) => (text ?? '').replace(/\u00a0/g, ' ');

/**
 * What VSCodeUi needs to know:
 * - `workspace`: the folder copied into the session (its basename is kept);
 * - `vsix`: the packaged extension (default dist/bwdc-schedule.vsix);
 * - `settings`: extra user settings; `keybindings`: user keybindings (e.g. to run a command
 *   with an argument);
 * - `log`: where progress lines go; `verbose`: also the server's and the workbench's logs.
 * @typedef {{
 *   workspace: string,
 *   vsix?: string,
 *   settings?: Record<string, unknown>,
 *   keybindings?: Record<string, unknown>[],
 *   log?: (message: string) => void,
 *   verbose?: boolean,
 * }} VSCodeUiOptions
 */

/**
 * A line of the quick input's list, and the whole quick input as quickInputState() reads it.
 * @typedef {{ label: string, description: string, focused: boolean }} QuickInputRow
 * @typedef {{
 *   visible: boolean, title: string, message: string, placeholder: string, ariaLabel: string,
 *   value: string, rows: QuickInputRow[],
 * }} QuickInputState
 */

/** @typedef {{ x: number, y: number, width: number, height: number }} Box */

export class VSCodeUi {
  /** @param {VSCodeUiOptions} options */
  constructor(options) {
    this.options = options;
    this.log = options.log ?? (() => {});
    /** @type {OfflineVSCode | undefined} the session, from start() on */
    this.startedSession = undefined;
    /** @type {Page | undefined} the workbench, once start() has opened it */
    this.openedPage = undefined;
    /** @type {import('../setup-vscode-offline.mjs').OfflinePaths | undefined} */
    this.paths = undefined;
    /** @type {string | undefined} */
    this.workspaceCopy = undefined;
    /** @type {import('../lib/helpers.mjs').FirstSettled<number | null>} */
    const serverExit = firstSettled();
    /** Settles with the server's exit code when it exits (after start()). */
    this.serverExited = serverExit.promise;
    this.onServerExit = serverExit.settle;
  }

  /** The VS Code session (throws before start()). */
  get session() {
    if (!this.startedSession) throw new SessionError('VSCodeUi.start() has not run');
    return this.startedSession;
  }

  /** The workbench page (throws before start() has opened it). */
  get page() {
    if (!this.openedPage) throw new SessionError('VSCodeUi.start() has not opened the workbench');
    return this.openedPage;
  }

  /** The session's copy of the workspace folder (throws before start()). */
  get workspaceFolder() {
    if (!this.workspaceCopy) throw new SessionError('VSCodeUi.start() has not run');
    return this.workspaceCopy;
  }

  /** Installs the .vsix, starts the server and the workbench on the workspace copy. */
  async start() {
    const vsix = this.options.vsix ?? defaultVsix;
    if (!fs.existsSync(vsix)) throw new SessionError(`${path.relative(repoRoot, vsix)} is missing: run \`npm run package\` first`);
    const paths = ensureOfflineVSCode();
    this.paths = paths;
    const session = new OfflineVSCode({ verbose: this.options.verbose });
    this.startedSession = session;

    const settingsFile = path.join(session.userDataDir, 'User', 'settings.json');
    const settings = { ...JSON.parse(fs.readFileSync(settingsFile, 'utf8')), ...UI_SETTINGS, ...this.options.settings };
    fs.writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
    if (this.options.keybindings) {
      fs.writeFileSync(path.join(session.userDataDir, 'User', 'keybindings.json'), `${JSON.stringify(this.options.keybindings, null, 2)}\n`);
    }

    // The workspace copy lives in the session folder, so dispose() removes it too.
    const workspaceFolder = path.join(session.dir, path.basename(this.options.workspace));
    this.workspaceCopy = workspaceFolder;
    fs.cpSync(this.options.workspace, workspaceFolder, { recursive: true });

    this.installVsix(vsix, paths);

    this.log('starting the VS Code server (code-server) with the installed extension, and chromium');
    // No --enable-smoke-test-driver and no payload: no development extension, no test runner.
    const port = await session.startServer(paths);
    session.server?.on('exit', this.onServerExit);
    const page = await session.openBrowser(paths, { deviceScaleFactor: 1 });
    this.openedPage = page;
    await page.goto(workbenchUrl(port, { folder: workspaceFolder }));
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: WORKBENCH_MS });
    this.log('workbench ready');
  }

  /**
   * `code-server --install-extension <vsix>` into the session's (empty) extensions folder: the
   * same install a user does with "Extensions: Install from VSIX...".
   * @param {string} vsix
   * @param {import('../setup-vscode-offline.mjs').OfflinePaths} paths
   */
  installVsix(vsix, { node, codeServerEntry }) {
    const session = this.session;
    const args = [
      codeServerEntry,
      '--config',
      session.file('code-server.yaml'),
      '--user-data-dir',
      session.userDataDir,
      '--extensions-dir',
      session.extensionsDir,
      '--install-extension',
      vsix,
    ];
    const result = spawnSync(node, args, { env: session.env, encoding: 'utf8', timeout: 120_000 });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    if (result.status !== 0 || !/successfully installed/i.test(output)) {
      throw new SessionError(
        `code-server --install-extension ${path.relative(repoRoot, vsix)} failed: ${output.split('\n').pop() || result.error?.message || `exit ${result.status}`}`,
      );
    }
    const installed = fs.readdirSync(session.extensionsDir).filter((name) => name.startsWith(`${EXTENSION_ID}-`));
    if (installed.length !== 1) throw new SessionError(`the .vsix did not install into the extensions folder (found: ${installed.join(', ') || 'nothing'})`);
    this.log(`installed ${installed[0]} from ${path.relative(repoRoot, vsix)}`);
  }

  // --- the extension ----------------------------------------------------------------------

  /** Waits until the remote extension host logged the extension's activation (or its failure). */
  async waitForActivation({ timeoutMs = 60_000 } = {}) {
    const started = `_doActivateExtension ${EXTENSION_ID},`;
    const failed = new RegExp(`Activating extension '?${EXTENSION_ID.replace(/\./g, '\\.')}'? failed.*`);
    const line = await waitFor(
      `${EXTENSION_ID} to activate (remote extension host log)`,
      () => {
        const log = this.session.findExtensionHostLog();
        const text = log ? fs.readFileSync(log, 'utf8') : '';
        const failure = failed.exec(text);
        if (failure) throw new SessionError(`the extension failed to activate: ${failure[0]}`);
        return text.split('\n').find((entry) => entry.includes(started));
      },
      { timeoutMs },
    ).catch((error) => {
      if (/failed to activate/.test(error.message)) throw error;
      const failure = /last error: (the extension failed to activate.*)\)$/.exec(error.message);
      throw failure ? new SessionError(failure[1]) : error;
    });
    return line.slice(line.indexOf('activationEvent')).trim();
  }

  // --- explorer and editor -----------------------------------------------------------------

  /** Opens a file of the workspace root from the explorer (a real click) and waits for its tab. */
  async openFromExplorer(/** @type {string} */ name) {
    const row = this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
    await row.first().click({ timeout: WORKBENCH_MS });
    await this.activeTab(name);
  }

  /**
   * Waits for the walkthrough page titled `title` in an editor tab and returns its tab.
   * @param {string} title
   * @param {{ timeoutMs?: number }} [options]
   */
  async waitForWalkthrough(title, { timeoutMs = 60_000 } = {}) {
    const container = this.page.locator('.gettingStartedContainer', { hasText: title });
    await container.first().waitFor({ state: 'attached', timeout: timeoutMs });
    return this.page.locator('.tabs-container .tab', { hasText: /^Welcome/ }).first();
  }

  /** Whether any walkthrough (Welcome page) is open in an editor. */
  async walkthroughOpen() {
    return (await this.page.locator('.gettingStartedContainer').count()) > 0;
  }

  /** The labels of the editor tabs (the file name with its extension), group by group, left to right. */
  async tabLabels() {
    const texts = await this.page.locator('.tabs-container .tab .tab-label').allInnerTexts();
    return texts.map((text) => text.replace(/\s+/g, '').trim());
  }

  /**
   * Waits for a notification toast whose message matches `message`; returns the toast.
   * @param {RegExp} message
   * @param {{ timeoutMs?: number }} [options]
   */
  async waitForNotification(message, { timeoutMs = 60_000 } = {}) {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: message }).first();
    await toast.waitFor({ timeout: timeoutMs });
    return toast;
  }

  /**
   * Clicks the button labelled `label` of a notification toast.
   * @param {import('playwright-core').Locator} toast
   * @param {string} label
   */
  async clickNotificationButton(toast, label) {
    await toast.locator('.monaco-button', { hasText: label }).first().click({ timeout: STEP_MS });
  }

  /** Makes the tab of `name` the active one (a click on it). */
  async selectTab(/** @type {string | RegExp} */ name) {
    await this.page.locator('.tabs-container .tab', { hasText: name }).first().click({ timeout: STEP_MS });
    await this.activeTab(name);
  }

  /** Closes the editor tab whose label matches `name` with its close button. */
  async closeTab(/** @type {string | RegExp} */ name) {
    const tab = this.page.locator('.tabs-container .tab', { hasText: name }).first();
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click({ timeout: STEP_MS });
    await tab.waitFor({ state: 'detached', timeout: STEP_MS });
  }

  /**
   * Waits until the active editor tab shows `name`.
   * @param {string | RegExp} name
   * @param {{ timeoutMs?: number }} [options]
   */
  async activeTab(name, { timeoutMs = STEP_MS } = {}) {
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: timeoutMs });
  }

  /**
   * Waits for the status bar's language mode to read `name`; returns what it shows.
   * @param {string | RegExp} name
   * @param {{ timeoutMs?: number }} [options]
   */
  async waitForLanguage(name, { timeoutMs = STEP_MS } = {}) {
    const mode = this.page.locator('[id="status.editor.mode"]');
    await mode.filter({ hasText: name }).waitFor({ timeout: timeoutMs });
    return (await mode.innerText()).trim();
  }

  /** The active code editor (not the diff editor's or a hover's). */
  editor() {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** The visible lines of the active editor, top to bottom, as plain text. */
  async editorLines() {
    return this.editor()
      .locator('.view-lines')
      .evaluate((lines) =>
        [...lines.querySelectorAll('.view-line')]
          .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
          .map((line) => line.textContent.replace(/\u00a0/g, ' ')),
      );
  }

  /**
   * Waits until a line of the active editor matches `pattern`; returns it.
   * @param {RegExp} pattern
   * @param {{ timeoutMs?: number }} [options]
   */
  async waitForLine(pattern, { timeoutMs = STEP_MS } = {}) {
    return waitFor(`an editor line matching ${pattern}`, async () => (await this.editorLines()).find((line) => pattern.test(line)), { timeoutMs });
  }

  /**
   * Where a word of the active editor is on screen: the `index`-th whole-word occurrence of
   * `word` on the first line matching `linePattern` (measured over the exact characters, since a
   * rendered token span may also hold the spaces before it).
   * @param {RegExp} linePattern
   * @param {string} word
   * @param {{ index?: number }} [options]
   * @returns {Promise<Box & { center: { x: number, y: number } }>}
   */
  async wordBox(linePattern, word, { index = 0 } = {}) {
    const line = await this.waitForLine(linePattern);
    const box = await this.editor()
      .locator('.view-lines')
      .evaluate(
        (lines, { line, word, index }) => {
          const row = [...lines.querySelectorAll('.view-line')].find((candidate) => candidate.textContent.replace(/\u00a0/g, ' ') === line);
          if (!row) return undefined;
          /** @type {Node[]} */
          const nodes = [];
          const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
          const text = nodes.map((node) => (node.textContent ?? '').replace(/\u00a0/g, ' ')).join('');
          const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          const matches = [...text.matchAll(new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, 'g'))];
          const match = matches[index];
          if (!match) return undefined;
          /** @returns {[Node, number] | undefined} the text node holding character `offset`, and where in it */
          const at = (/** @type {number} */ offset) => {
            for (const node of nodes) {
              const length = (node.textContent ?? '').length;
              if (offset <= length) return [node, offset];
              offset -= length;
            }
            return undefined;
          };
          const start = at(match.index);
          const end = at(match.index + word.length);
          if (!start || !end) return undefined;
          const range = document.createRange();
          range.setStart(...start);
          range.setEnd(...end);
          const rect = range.getBoundingClientRect();
          return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
        },
        { line, word, index },
      );
    if (!box || box.width === 0) throw new SessionError(`no word '${word}' on the editor line '${line}'`);
    return { ...box, center: { x: box.x + box.width / 2, y: box.y + box.height / 2 } };
  }

  /** Closes the completion list if typing opened it (Escape), and waits until it is gone. */
  async closeSuggestions() {
    const suggest = this.page.locator('.editor-widget.suggest-widget.visible');
    if (await suggest.isVisible()) {
      await this.page.keyboard.press('Escape');
      await suggest.waitFor({ state: 'hidden', timeout: STEP_MS });
    }
  }

  /**
   * Double-clicks a word (selecting it) and types `text` over it.
   * @param {RegExp} linePattern
   * @param {string} word
   * @param {string} text
   */
  async replaceWord(linePattern, word, text) {
    const { center } = await this.wordBox(linePattern, word);
    await this.page.mouse.dblclick(center.x, center.y);
    await this.page.keyboard.type(text);
  }

  /** Clicks into a word (puts the cursor there). */
  async clickWord(/** @type {RegExp} */ linePattern, /** @type {string} */ word) {
    const { center } = await this.wordBox(linePattern, word);
    await this.page.mouse.click(center.x, center.y);
  }

  /**
   * Hovers a word until the editor's hover shows text matching `expected`; returns that text.
   * The first hover may come back empty while the extension activates: move away and re-hover.
   * @param {RegExp} linePattern
   * @param {string} word
   * @param {string | RegExp} expected
   * @param {{ timeoutMs?: number }} [options]
   */
  async hoverWord(linePattern, word, expected, { timeoutMs = 60_000 } = {}) {
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)');
    let attempt = 0;
    let seen = '';
    return waitFor(
      `a hover on '${word}' matching ${expected}`,
      async () => {
        attempt += 1;
        await this.page.mouse.move(5, 400); // away (over the activity bar) so the hover closes
        await hover
          .first()
          .waitFor({ state: 'hidden', timeout: 5000 })
          .catch(() => {});
        const { center } = await this.wordBox(linePattern, word);
        await this.page.mouse.move(center.x, center.y, { steps: 2 });
        const shown = await hover
          .filter({ hasText: expected })
          .first()
          .waitFor({ timeout: attempt === 1 ? 10_000 : 5000 })
          .then(
            () => true,
            () => false,
          );
        if (shown) return plain(await hover.filter({ hasText: expected }).first().innerText());
        seen = plain(
          await hover
            .first()
            .innerText({ timeout: 1000 })
            .catch(() => ''),
        ).trim();
        return undefined;
      },
      { timeoutMs, intervalMs: 500 },
    ).catch((error) => {
      error.message += seen ? `; the hover showed:\n${seen}` : '; no hover appeared';
      throw error;
    });
  }

  /**
   * Makes the open editor hover tall enough for all its content, the way a user does: by
   * dragging its bottom edge (a new hover opens at most 250 px tall here).
   */
  async growHoverToFit() {
    const hover = this.page
      .locator('.monaco-editor .monaco-resizable-hover')
      .filter({ has: this.page.locator('.monaco-hover:not(.hidden)') })
      .first();
    const overflow = () => hover.locator('.monaco-hover-content').evaluate((content) => content.scrollHeight - content.clientHeight);
    const missing = await overflow();
    if (missing <= 0) return;
    const sash = await hover.locator('.monaco-sash.horizontal.orthogonal-edge-south:not(.disabled)').boundingBox();
    if (!sash) throw new SessionError('the hover has no bottom edge to drag');
    const x = sash.x + sash.width / 2;
    const y = sash.y + sash.height / 2;
    await this.page.mouse.move(x, y, { steps: 2 });
    await this.page.mouse.down();
    await this.page.mouse.move(x, y + missing + 6, { steps: 8 });
    await this.page.mouse.up();
    await waitFor('the hover to show all its content', async () => (await overflow()) <= 0, { timeoutMs: 10_000 });
  }

  // --- command palette and quick input -----------------------------------------------------

  quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Runs a command from the palette (F1), choosing the entry whose label is exactly `title`.
   * @param {string} title
   * @param {{ timeoutMs?: number }} [options]
   */
  async runCommand(title, { timeoutMs = STEP_MS } = {}) {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1'); // the workbench's binding, wherever the focus is
    const input = this.quickInput().locator('.quick-input-box input');
    await input.waitFor({ timeout: timeoutMs });
    await input.fill(`>${title}`);
    const row = this.quickInput().locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
    await row.first().waitFor({ timeout: timeoutMs });
    // Enter runs the focused (first) entry; make sure it is ours.
    await waitFor(`'${title}' to be the focused palette entry`, async () => {
      const focused = this.quickInput().locator('.monaco-list-row.focused .label-name');
      return (await focused.count()) > 0 && plain(await focused.first().innerText()).trim() === title;
    });
    await this.page.keyboard.press('Enter');
  }

  /** Closes an open quick input (Escape) and waits until it is hidden. */
  async closeQuickInput() {
    if (await this.quickInput().isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput().waitFor({ state: 'hidden', timeout: STEP_MS });
    }
  }

  /**
   * What the quick input shows now: title, prompt/validation message, placeholder, the input's
   * value, and the labels and descriptions of the visible rows.
   * @returns {Promise<QuickInputState>}
   */
  async quickInputState() {
    return this.quickInput().evaluate((/** @type {HTMLElement} */ widget) => {
      const text = (/** @type {string} */ selector) =>
        widget
          .querySelector(selector)
          ?.textContent?.replace(/\u00a0/g, ' ')
          .trim() ?? '';
      /** @type {HTMLInputElement | null} */
      const input = widget.querySelector('.quick-input-box input');
      const visible = widget.style.display !== 'none' && widget.offsetParent !== null;
      return {
        visible,
        title: text('.quick-input-title'),
        message: text('.quick-input-message'),
        placeholder: input?.getAttribute('placeholder') ?? '',
        ariaLabel: input?.getAttribute('aria-label') ?? '',
        value: input?.value ?? '',
        rows: [...widget.querySelectorAll('.quick-input-list .monaco-list-row')].map((row) => ({
          label:
            row
              .querySelector('.label-name')
              ?.textContent?.replace(/\u00a0/g, ' ')
              .trim() ?? '',
          description:
            row
              .querySelector('.label-description')
              ?.textContent?.replace(/\u00a0/g, ' ')
              .trim() ?? '',
          focused: row.classList.contains('focused'),
        })),
      };
    });
  }

  /**
   * Waits for a quick input step whose title, prompt, placeholder or aria label matches
   * `pattern` (each step of a multi-step command replaces those); returns its state.
   * @param {RegExp} pattern
   * @param {{ timeoutMs?: number }} [options]
   */
  async waitForQuickInput(pattern, { timeoutMs = STEP_MS } = {}) {
    /** @type {QuickInputState | undefined} */
    let last;
    return waitFor(
      `the quick input '${pattern}'`,
      async () => {
        last = await this.quickInputState().catch(() => undefined);
        if (!last?.visible) return undefined;
        return [last.title, last.message, last.placeholder, last.ariaLabel].some((text) => pattern.test(text)) && last;
      },
      { timeoutMs },
    ).catch((error) => {
      if (last) error.message += `; the quick input showed ${JSON.stringify({ ...last, rows: last.rows.slice(0, 5) })}`;
      throw error;
    });
  }

  /** Replaces the quick input's text with `text` (typed, so validation and filtering run). */
  async typeInQuickInput(/** @type {string} */ text) {
    const input = this.quickInput().locator('.quick-input-box input');
    await input.focus();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Backspace');
    if (text) await this.page.keyboard.type(text);
    await waitFor(`the quick input to read '${text}'`, async () => (await input.inputValue()) === text);
  }

  /**
   * Waits until the focused quick pick row has the label `label`.
   * @param {string} label
   * @param {{ timeoutMs?: number }} [options]
   */
  async waitForFocusedItem(label, { timeoutMs = STEP_MS } = {}) {
    /** @type {QuickInputState | undefined} */
    let last;
    await waitFor(
      `the quick pick item '${label}' to be focused`,
      async () => {
        last = await this.quickInputState();
        return last.rows.find((row) => row.focused)?.label === label;
      },
      { timeoutMs },
    ).catch((error) => {
      if (last) error.message += `; rows: ${JSON.stringify(last.rows.slice(0, 8))}`;
      throw error;
    });
  }

  // --- pictures ----------------------------------------------------------------------------

  /** A PNG of the whole workbench (the page is exactly the viewport); returns its size in bytes. */
  async screenshot(/** @type {string} */ file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file, animations: 'disabled', caret: 'hide', scale: 'css' });
    return fs.statSync(file).size;
  }

  /** Moves the mouse where it shows nothing (the empty part of the status bar). */
  async parkMouse() {
    await this.page.mouse.move(640, 795);
  }

  async dispose() {
    await this.startedSession?.dispose();
  }
}

function escapeRegExp(/** @type {string} */ text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs `body(ui)` with a started VSCodeUi and always cleans up: on success, on failure (after a
 * screenshot into `failureDir`), on a timeout and on SIGINT/SIGTERM/SIGHUP. Resolves with the
 * exit code: 0 when `body` resolved; prints the reason otherwise.
 * @param {string} name   prefix of messages and of the failure screenshot
 * @param {VSCodeUiOptions & { timeoutSeconds?: number, failureDir: string }} options
 * @param {(ui: VSCodeUi) => Promise<void>} body
 * @returns {Promise<number>} the exit code
 */
export async function withVSCode(name, options, body) {
  const say = options.log ?? ((message) => console.log(`[${name}] ${message}`));
  const ui = new VSCodeUi({ ...options, log: say });
  /** @type {import('../lib/helpers.mjs').FirstSettled<{ code: number, reason?: string, error?: unknown }>} */
  const { promise: settled, settle } = firstSettled();
  const removeSignalHandlers = onTerminationSignal((signal) => settle({ code: signalExitCode(signal), reason: `interrupted by ${signal}` }));
  const timeoutSeconds = options.timeoutSeconds ?? 600;
  const timer = setTimeout(() => settle({ code: 1, reason: `did not finish within ${timeoutSeconds} s` }), timeoutSeconds * 1000);
  const run = (async () => {
    await ui.start();
    const exited = ui.serverExited.then((code) => {
      throw new SessionError(`the VS Code server exited unexpectedly (code ${code})`);
    });
    await Promise.race([body(ui), exited]);
  })();
  run.then(
    () => settle({ code: 0 }),
    (error) => settle({ code: 1, reason: describe(error), error }),
  );
  try {
    const result = await settled;
    if (result.code !== 0) {
      if (ui.openedPage && !ui.openedPage.isClosed()) {
        const file = path.join(options.failureDir, `${name}-failure.png`);
        try {
          await Promise.race([ui.screenshot(file), sleep(10_000)]);
          console.error(`[${name}] screenshot of the workbench at the failure: ${path.relative(process.cwd(), file)}`);
        } catch {
          // no picture; the message still says what failed
        }
      }
      console.error(`[${name}] FAILED: ${result.reason}`);
      if (options.verbose && result.error && !(result.error instanceof SessionError)) console.error(result.error);
    }
    return result.code;
  } finally {
    clearTimeout(timer);
    await ui.dispose();
    removeSignalHandlers();
  }
}

/** A one-line explanation of `error` (with what was awaited, for Playwright's). */
function describe(/** @type {unknown} */ error) {
  if (error instanceof SessionError || isSetupError(error)) return error.message;
  // Playwright's messages are multi-line: keep the first line and what was awaited.
  const lines = String(error instanceof Error ? error.message : error)
    .split('\n')
    .map((line) => line.trim());
  const awaited = lines.find((line) => /waiting for /.test(line));
  return [lines[0], awaited].filter(Boolean).join(' - ');
}
