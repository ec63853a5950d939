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
import { fileURLToPath } from 'node:url';
import { OfflineVSCode, SessionError, firstLine, onTerminationSignal, signalExitCode, workbenchUrl } from '../offline-vscode.mjs';
import { ensureOfflineVSCode, isSetupError } from '../setup-vscode-offline.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultVsix = path.join(repoRoot, 'dist', 'bwdc-schedule.vsix');
export const EXTENSION_ID = 'bwdc-schedule.bwdc-schedule';
export { SessionError };

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
  // Every editor in a tab of its own: a page the extension opens (its walkthrough, a diff)
  // never replaces the file under test.
  'workbench.editor.enablePreview': false,
};

// Generous deadlines: a cold workbench and extension host on 2 busy cores are slow.
const WORKBENCH_MS = 120_000;
const STEP_MS = 30_000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a truthy value (returned), or throws "timed out waiting for
 * <what>" after `timeoutMs`.
 */
export async function waitFor(what, probe, { timeoutMs = STEP_MS, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
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
const plain = (text) => (text ?? '').replace(/\u00a0/g, ' ');

export class VSCodeUi {
  /**
   * @param {{
   *   workspace: string,            folder copied into the session (its basename is kept)
   *   vsix?: string,                the packaged extension (default dist/bwdc-schedule.vsix)
   *   settings?: object,            extra user settings
   *   keybindings?: object[],       user keybindings (e.g. to run a command with an argument)
   *   log?: (message: string) => void,
   *   verbose?: boolean,
   * }} options
   */
  constructor(options) {
    this.options = options;
    this.log = options.log ?? (() => {});
    /** @type {OfflineVSCode | undefined} */
    this.session = undefined;
    /** @type {import('playwright-core').Page | undefined} */
    this.page = undefined;
  }

  /** Installs the .vsix, starts the server and the workbench on the workspace copy. */
  async start() {
    const vsix = this.options.vsix ?? defaultVsix;
    if (!fs.existsSync(vsix)) throw new SessionError(`${path.relative(repoRoot, vsix)} is missing: run \`npm run package\` first`);
    const paths = ensureOfflineVSCode();
    this.paths = paths;
    const session = new OfflineVSCode({ verbose: this.options.verbose });
    this.session = session;

    const settingsFile = path.join(session.userDataDir, 'User', 'settings.json');
    const settings = { ...JSON.parse(fs.readFileSync(settingsFile, 'utf8')), ...UI_SETTINGS, ...this.options.settings };
    fs.writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
    if (this.options.keybindings) {
      fs.writeFileSync(path.join(session.userDataDir, 'User', 'keybindings.json'), `${JSON.stringify(this.options.keybindings, null, 2)}\n`);
    }

    // The workspace copy lives in the session folder, so dispose() removes it too.
    this.workspaceFolder = path.join(session.dir, path.basename(this.options.workspace));
    fs.cpSync(this.options.workspace, this.workspaceFolder, { recursive: true });

    this.installVsix(vsix);

    this.log('starting the VS Code server (code-server) with the installed extension, and chromium');
    // No --enable-smoke-test-driver and no payload: no development extension, no test runner.
    const port = await session.startServer(paths);
    this.serverExited = new Promise((resolve) => session.server.on('exit', resolve));
    this.page = await session.openBrowser(paths, { deviceScaleFactor: 1 });
    await this.page.goto(workbenchUrl(port, { folder: this.workspaceFolder }));
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: WORKBENCH_MS });
    this.log('workbench ready');
  }

  /**
   * `code-server --install-extension <vsix>` into the session's (empty) extensions folder: the
   * same install a user does with "Extensions: Install from VSIX...".
   */
  installVsix(vsix) {
    const { node, codeServerEntry } = this.paths;
    const session = this.session;
    const args = [
      codeServerEntry,
      '--config', session.file('code-server.yaml'),
      '--user-data-dir', session.userDataDir,
      '--extensions-dir', session.extensionsDir,
      '--install-extension', vsix,
    ];
    const result = spawnSync(node, args, { env: session.env, encoding: 'utf8', timeout: 120_000 });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    if (result.status !== 0 || !/successfully installed/i.test(output)) {
      throw new SessionError(`code-server --install-extension ${path.relative(repoRoot, vsix)} failed: ${output.split('\n').pop() || result.error?.message || `exit ${result.status}`}`);
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
  async openFromExplorer(name) {
    const row = this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
    await row.first().click({ timeout: WORKBENCH_MS });
    await this.activeTab(name);
  }

  /**
   * Waits for the walkthrough page titled `title` in an editor tab (the extension opens it on
   * its first start) and returns its tab.
   */
  async waitForWalkthrough(title, { timeoutMs = 60_000 } = {}) {
    const container = this.page.locator('.gettingStartedContainer', { hasText: title });
    await container.first().waitFor({ state: 'attached', timeout: timeoutMs });
    return this.page.locator('.tabs-container .tab', { hasText: /^Welcome/ }).first();
  }

  /** Makes the tab of `name` the active one (a click on it). */
  async selectTab(name) {
    await this.page.locator('.tabs-container .tab', { hasText: name }).first().click({ timeout: STEP_MS });
    await this.activeTab(name);
  }

  /** Closes the editor tab whose label matches `name` with its close button. */
  async closeTab(name) {
    const tab = this.page.locator('.tabs-container .tab', { hasText: name }).first();
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click({ timeout: STEP_MS });
    await tab.waitFor({ state: 'detached', timeout: STEP_MS });
  }

  /** Waits until the active editor tab shows `name`. */
  async activeTab(name, { timeoutMs = STEP_MS } = {}) {
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: timeoutMs });
  }

  /** Waits for the status bar's language mode to read `name`; returns what it shows. */
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
    return this.editor().locator('.view-lines').evaluate((lines) =>
      [...lines.querySelectorAll('.view-line')]
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
        .map((line) => line.textContent.replace(/\u00a0/g, ' ')),
    );
  }

  /** Waits until a line of the active editor matches `pattern`; returns it. */
  async waitForLine(pattern, { timeoutMs = STEP_MS } = {}) {
    return waitFor(`an editor line matching ${pattern}`, async () => (await this.editorLines()).find((line) => pattern.test(line)), { timeoutMs });
  }

  /**
   * Where a word of the active editor is on screen: the `index`-th whole-word occurrence of
   * `word` on the first line matching `linePattern` (measured over the exact characters, since a
   * rendered token span may also hold the spaces before it).
   */
  async wordBox(linePattern, word, { index = 0 } = {}) {
    const line = await this.waitForLine(linePattern);
    const box = await this.editor()
      .locator('.view-lines')
      .evaluate(
        (lines, { line, word, index }) => {
          const row = [...lines.querySelectorAll('.view-line')].find((candidate) => candidate.textContent.replace(/\u00a0/g, ' ') === line);
          if (!row) return undefined;
          const nodes = [];
          const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
          const text = nodes.map((node) => node.textContent.replace(/\u00a0/g, ' ')).join('');
          const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          const matches = [...text.matchAll(new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, 'g'))];
          const match = matches[index];
          if (!match) return undefined;
          const at = (offset) => {
            for (const node of nodes) {
              if (offset <= node.textContent.length) return [node, offset];
              offset -= node.textContent.length;
            }
            return undefined;
          };
          const range = document.createRange();
          range.setStart(...at(match.index));
          range.setEnd(...at(match.index + word.length));
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

  /** Double-clicks a word (selecting it) and types `text` over it. */
  async replaceWord(linePattern, word, text) {
    const { center } = await this.wordBox(linePattern, word);
    await this.page.mouse.dblclick(center.x, center.y);
    await this.page.keyboard.type(text);
  }

  /** Clicks into a word (puts the cursor there). */
  async clickWord(linePattern, word) {
    const { center } = await this.wordBox(linePattern, word);
    await this.page.mouse.click(center.x, center.y);
  }

  /**
   * Hovers a word until the editor's hover shows text matching `expected`; returns that text.
   * The first hover may come back empty while the extension activates: move away and re-hover.
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
        await hover.first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
        const { center } = await this.wordBox(linePattern, word);
        await this.page.mouse.move(center.x, center.y, { steps: 2 });
        const shown = await hover.filter({ hasText: expected }).first().waitFor({ timeout: attempt === 1 ? 10_000 : 5000 }).then(
          () => true,
          () => false,
        );
        if (shown) return plain(await hover.filter({ hasText: expected }).first().innerText());
        seen = plain(await hover.first().innerText({ timeout: 1000 }).catch(() => '')).trim();
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
    const hover = this.page.locator('.monaco-editor .monaco-resizable-hover').filter({ has: this.page.locator('.monaco-hover:not(.hidden)') }).first();
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

  /** Runs a command from the palette (F1), choosing the entry whose label is exactly `title`. */
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
   */
  async quickInputState() {
    return this.quickInput().evaluate((widget) => {
      const text = (selector) => widget.querySelector(selector)?.textContent?.replace(/\u00a0/g, ' ').trim() ?? '';
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
          label: row.querySelector('.label-name')?.textContent?.replace(/\u00a0/g, ' ').trim() ?? '',
          description: row.querySelector('.label-description')?.textContent?.replace(/\u00a0/g, ' ').trim() ?? '',
          focused: row.classList.contains('focused'),
        })),
      };
    });
  }

  /**
   * Waits for a quick input step whose title, prompt, placeholder or aria label matches
   * `pattern` (each step of a multi-step command replaces those); returns its state.
   */
  async waitForQuickInput(pattern, { timeoutMs = STEP_MS } = {}) {
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
  async typeInQuickInput(text) {
    const input = this.quickInput().locator('.quick-input-box input');
    await input.focus();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Backspace');
    if (text) await this.page.keyboard.type(text);
    await waitFor(`the quick input to read '${text}'`, async () => (await input.inputValue()) === text);
  }

  /** Waits until the focused quick pick row has the label `label`. */
  async waitForFocusedItem(label, { timeoutMs = STEP_MS } = {}) {
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
  async screenshot(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file, animations: 'disabled', caret: 'hide', scale: 'css' });
    return fs.statSync(file).size;
  }

  /** Moves the mouse where it shows nothing (the empty part of the status bar). */
  async parkMouse() {
    await this.page.mouse.move(640, 795);
  }

  async dispose() {
    await this.session?.dispose();
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs `body(ui)` with a started VSCodeUi and always cleans up: on success, on failure (after a
 * screenshot into `failureDir`), on a timeout and on SIGINT/SIGTERM/SIGHUP. Resolves with the
 * exit code: 0 when `body` resolved; prints the reason otherwise.
 * @param {string} name   prefix of messages and of the failure screenshot
 * @param {ConstructorParameters<typeof VSCodeUi>[0] & { timeoutSeconds?: number, failureDir: string }} options
 * @param {(ui: VSCodeUi) => Promise<void>} body
 */
export async function withVSCode(name, options, body) {
  const say = options.log ?? ((message) => console.log(`[${name}] ${message}`));
  const ui = new VSCodeUi({ ...options, log: say });
  let settle;
  const settled = new Promise((resolve) => {
    settle = resolve;
  });
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
      if (ui.page && !ui.page.isClosed()) {
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

function describe(error) {
  if (error instanceof SessionError || isSetupError(error)) return error.message;
  // Playwright's messages are multi-line: keep the first line and what was awaited.
  const lines = String(error?.message ?? error).split('\n').map((line) => line.trim());
  const awaited = lines.find((line) => /waiting for /.test(line));
  return [lines[0], awaited].filter(Boolean).join(' - ');
}
