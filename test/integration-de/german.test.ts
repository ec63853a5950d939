import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open } from '../integration/workspace';
import { waitFor } from '../integration/wait';

/**
 * The extension in a VS Code whose display language is German: the manifest, the editor's own
 * messages (vscode.l10n.t) and core's (both bundles, dist/extension.js and dist/commands.js)
 * come from package.nls.de.json and l10n/bundle.l10n.de.json, and cron descriptions follow.
 */

const EXTENSION_ID = 'bwdc-schedule.bwdc-schedule';

function positionOf(document: vscode.TextDocument, text: string, offset = 0): vscode.Position {
  for (let line = 0; line < document.lineCount; line++) {
    const index = document.lineAt(line).text.indexOf(text);
    if (index >= 0) return new vscode.Position(line, index + offset);
  }
  throw new Error(`'${text}' is not in ${document.uri.fsPath}`);
}

/** The hover text at a position, once it contains `expect` (the first request can race activation). */
async function hoverAt(document: vscode.TextDocument, position: vscode.Position, expect: string): Promise<string> {
  let last = '';
  return waitFor(`a hover containing '${expect}'`, async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    last = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
      .join('\n');
    return last.includes(expect) ? last : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last hover was:\n${last}`);
  });
}

describe('bwdc Schedule in German', () => {
  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
  });

  it('runs in a VS Code whose display language is German, with the German bundle loaded', () => {
    assert.equal(vscode.env.language, 'de');
    // This suite lives in the extension's folder, so its `vscode` is the extension's API.
    assert.equal(vscode.l10n.bundle?.['Show Log'], 'Protokoll anzeigen');
    assert.equal(vscode.l10n.t('Checked {0}: {1} error(s), {2} warning(s).', 'data.json', 0, 1), 'data.json geprüft: 0 Fehler, 1 Warnung(en).');
  });

  it('shows the command titles from package.nls.de.json', () => {
    // A translated title comes as { value, original } (the palette finds a command by either).
    const commands = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands as {
      command: string;
      title: string | { value: string; original: string };
    }[];
    const title = (id: string): unknown => commands.find((command) => command.command === id)?.title;
    assert.deepEqual(title('bwdcSchedule.generateScript'), { value: 'Synchronisierungsskript erzeugen', original: 'Generate Sync Script' });
    assert.deepEqual(title('bwdcSchedule.validateDataJson'), { value: 'data.json prüfen', original: 'Validate data.json' });
  });

  it('reports a bad cron field in German', async () => {
    const document = await open('problems.bwdc-schedule');
    const diagnostics = await waitFor('the schedule diagnostics', () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === 'bwdc-schedule');
      return found.length > 0 ? found : undefined;
    });
    const messages = diagnostics.map((diagnostic) => diagnostic.message);
    assert.ok(messages.includes('Minute: 60 liegt außerhalb des Bereichs 0–59.'), messages.join('\n'));
    assert.ok(messages.includes('Läuft nie: Februar hat nie den Tag 31.'), messages.join('\n'));
    assert.ok(messages.includes("Unbekannte Direktive 'schedul'. Meinten Sie 'schedule'?"), messages.join('\n'));
  });

  it('explains directives and cron expressions in German hovers', async () => {
    const document = await open('example.bwdc-schedule');
    const key = await hoverAt(document, positionOf(document, 'schedule', 2), '**schedule**');
    assert.equal(key.split('\n')[0], '**schedule** — erforderlich, eine oder mehrere Zeilen');
    const cron = await hoverAt(document, positionOf(document, '0 12 * * 1', 1), 'Ausführungen');
    assert.match(cron, /^\*\*Um 12:00, nur jeden Montag\*\*$/m);
    assert.match(cron, /^\| Feld \| Wert \| Bedeutung \|$/m);
    assert.match(cron, /^\*\*Nächste 5 Ausführungen\*\* in /m);
  });

  it('describes an instance folder and its data.json in German (core in both bundles)', async () => {
    const document = await open('example.bwdc-schedule');
    const text = await hoverAt(document, positionOf(document, './instance-1', 2), '**data.json**');
    assert.ok(text.includes('**Instanzordner**'), text);
    assert.ok(text.includes('**data.json**: leer: noch kein Verzeichnis konfiguriert'), text);
    assert.ok(text.includes('data.json hat 0 Fehler und 1 Warnung(en)'), text);
  });

  it('lists the recent runs on the log line in German, and titles Show Sync History in German', async () => {
    const document = await open('example.bwdc-schedule');
    // Whatever this machine holds at /home/bwdc/bwdc.log: runs, none yet, or why it cannot be read.
    const text = await hoverAt(document, positionOf(document, '/home/bwdc/bwdc.log', 2), 'Letzte Läufe');
    assert.match(text, /\*\*Letzte Läufe(\*\*, neueste zuerst|:\*\* letzte Synchronisierung)/);
    const commands = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands as { command: string; title: unknown }[];
    assert.deepEqual(commands.find((command) => command.command === 'bwdcSchedule.showHistory')?.title, {
      value: 'Synchronisierungsverlauf anzeigen',
      original: 'Show Sync History',
    });
  });
});
