import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixtureUri, open } from './workspace';
import { waitFor } from './wait';

/**
 * The language features through VS Code's own command API (`vscode.execute*Provider`), on the
 * fixture workspace: what a user sees in hovers, squiggles, quick fixes, completion, snippets,
 * the outline and folding.
 */

/** The position of the first occurrence of `text` on a line starting with `key`, plus `offset`. */
function positionOf(document: vscode.TextDocument, key: string, text: string, offset = 0): vscode.Position {
  for (let line = 0; line < document.lineCount; line++) {
    const content = document.lineAt(line).text;
    if (content.startsWith(key) && content.includes(text)) return new vscode.Position(line, content.indexOf(text) + offset);
  }
  throw new Error(`no '${key}' line with '${text}' in ${document.uri.fsPath}`);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

async function hoverAt(document: vscode.TextDocument, position: vscode.Position, expect: string): Promise<{ text: string; hovers: vscode.Hover[] }> {
  // The first request can race the extension's activation: poll until the hover says what we expect.
  let last = '';
  const hovers = await waitFor(`a hover containing '${expect}'`, async () => {
    const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    last = hoverText(result);
    return last.includes(expect) ? result : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last hover was:\n${last}`);
  });
  return { text: hoverText(hovers), hovers };
}

async function diagnosticsOf(uri: vscode.Uri, minimum = 1): Promise<vscode.Diagnostic[]> {
  return waitFor(`${minimum}+ diagnostics on ${uri.fsPath}`, () => {
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'bwdc-schedule');
    return diagnostics.length >= minimum ? diagnostics : undefined;
  });
}

describe('the bwdc schedule language in a real VS Code', () => {
  afterEach(async () => {
    await vscode.workspace.getConfiguration('bwdcSchedule').update('timeFormat', undefined, vscode.ConfigurationTarget.Global);
  });

  it("explains the seeds' '0 12 * * 1' on hover, with the next five Mondays and the zone", async () => {
    const document = await open('example.bwdc-schedule');
    const { text } = await hoverAt(document, positionOf(document, 'schedule', '0 12'), 'At 12:00 PM, only on Monday');
    const runs = text.split('\n').filter((line) => line.startsWith('- '));
    assert.equal(runs.length, 5, text);
    for (const run of runs) assert.match(run, /^- Mon/, run);
    assert.match(text, /Next 5 runs\*\* in \S+/);
  });

  it('highlights the hovered field and narrows the hover to it', async () => {
    const document = await open('example.bwdc-schedule');
    const position = positionOf(document, 'schedule', '12 *');
    const { text, hovers } = await hoverAt(document, position, '▶');
    assert.match(text, /\*\*▶ hour\*\*/);
    const hoverRange = hovers.find((hover) => hover.range)?.range;
    assert.ok(hoverRange);
    assert.equal(document.getText(hoverRange), '12');
  });

  it('uses 24-hour times when the setting asks for them', async () => {
    await vscode.workspace.getConfiguration('bwdcSchedule').update('timeFormat', '24h', vscode.ConfigurationTarget.Global);
    const document = await open('example.bwdc-schedule');
    await hoverAt(document, positionOf(document, 'schedule', '0 12'), 'At 12:00, only on Monday');
  });

  it('documents directives and secret sources on hover', async () => {
    const document = await open('example.bwdc-schedule');
    await hoverAt(document, positionOf(document, 'client-id', 'client-id', 2), 'organization');
    await hoverAt(document, positionOf(document, 'secret', 'file:', 6), 'BW_CLIENTSECRET');
  });

  it('puts no diagnostic at all on a valid file', async () => {
    const document = await open('example.bwdc-schedule');
    // Wait until the extension has looked at it (it diagnoses on open), then expect nothing.
    await waitFor('the extension to be active', () => vscode.extensions.getExtension('bwdc-schedule.bwdc-schedule')?.isActive);
    await open('problems.bwdc-schedule');
    await diagnosticsOf(fixtureUri('problems.bwdc-schedule'));
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri), []);
  });

  it('reports mistakes with stable codes and exact ranges', async () => {
    const document = await open('problems.bwdc-schedule');
    const diagnostics = await diagnosticsOf(document.uri, 6);
    const byCode = (code: string): vscode.Diagnostic => {
      const found = diagnostics.find((d) => d.code === code);
      assert.ok(found, `a ${code} diagnostic among ${diagnostics.map((d) => d.code).join(', ')}`);
      return found;
    };
    assert.equal(document.getText(byCode('invalid-name').range), 'nightly sync');
    assert.equal(document.getText(byCode('unknown-directive').range), 'schedul');
    const outOfRange = byCode('cron-out-of-range');
    assert.equal(document.getText(outOfRange.range), '60');
    assert.match(outOfRange.message, /minute: 60 is out of range 0–59/);
    assert.equal(outOfRange.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(byCode('cron-never-fires').severity, vscode.DiagnosticSeverity.Warning);
    assert.match(byCode('cron-day-or').message, /OR/);
    assert.equal(byCode('instance-missing').severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(diagnostics.every((d) => d.severity !== vscode.DiagnosticSeverity.Information && d.severity !== vscode.DiagnosticSeverity.Hint));
  });

  it("offers 'did you mean' as the preferred quick fix", async () => {
    const document = await open('problems.bwdc-schedule');
    const diagnostic = (await diagnosticsOf(document.uri)).find((d) => d.code === 'unknown-directive');
    assert.ok(diagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((action) => action.title === "Change to 'schedule'");
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.equal(fix.isPreferred, true);
    const edits = fix.edit?.get(document.uri) ?? [];
    assert.deepEqual(
      edits.map((edit) => edit.newText),
      ['schedule'],
    );
  });

  it('updates diagnostics while typing', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'bwdc-schedule',
      content:
        'schedule 0 12 * * 1\nclient-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\nsecret env:BWDC_SECRET\nenv BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\n',
    });
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.replace(new vscode.Range(0, 9, 0, 10), '75'));
    const diagnostics = await diagnosticsOf(document.uri);
    assert.equal(diagnostics[0]!.code, 'cron-out-of-range');
    await editor.edit((edit) => edit.replace(new vscode.Range(0, 9, 0, 11), '0'));
    await waitFor('the diagnostic to go away', () => vscode.languages.getDiagnostics(document.uri).length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('completes directive names, platform values and common schedules with descriptions', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'bwdc-schedule', content: '\nplatform \nschedule \n' });
    await vscode.window.showTextDocument(document);
    const complete = async (line: number, character: number): Promise<vscode.CompletionItem[]> =>
      (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(line, character)))
        .items;
    const label = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);
    const keys = (await complete(0, 0)).map(label);
    for (const key of ['schedule', 'client-id', 'secret', 'instance', 'run-as']) assert.ok(keys.includes(key), `${key} in ${keys.join(', ')}`);
    const platforms = (await complete(1, 9)).map(label);
    for (const platform of ['linux', 'macos', 'windows']) assert.ok(platforms.includes(platform), platforms.join(', '));
    const schedules = await complete(2, 9);
    const monday = schedules.find((item) => label(item) === '0 12 * * 1');
    assert.ok(monday, schedules.map(label).join(', '));
    assert.equal(monday.detail, 'At 12:00 PM, only on Monday');
    assert.ok(schedules.some((item) => label(item) === '@daily'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers the snippets for Linux, Windows and several instances', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'bwdc-schedule', content: 'bwdc' });
    await vscode.window.showTextDocument(document);
    const items = await waitFor('the snippets', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 4));
      const snippets = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Snippet);
      return snippets.length >= 3 ? snippets : undefined;
    });
    const bodies = items.map((item) => (item.insertText instanceof vscode.SnippetString ? item.insertText.value : String(item.insertText)));
    assert.ok(
      bodies.some((body) => body.includes('platform') && body.includes('windows')),
      'a Windows snippet',
    );
    assert.ok(
      bodies.some((body) => body.includes('0 12 * * 1')),
      "the seeds' Linux example",
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows sections and directives in the outline, and folds them', async () => {
    const document = await open('problems.bwdc-schedule');
    const symbols = await waitFor('document symbols', async () => {
      const result = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
      return result && result.length > 0 ? result : undefined;
    });
    assert.equal(symbols[0]!.name, 'A file with mistakes, for the integration tests');
    assert.deepEqual(
      symbols[0]!.children.map((child) => child.name),
      ['name', 'schedul', 'schedule', 'schedule', 'schedule', 'client-id', 'secret', 'instance'],
    );
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
    assert.ok(
      folds.some((fold) => fold.start === 0 && fold.end === document.lineCount - 2),
      JSON.stringify(folds),
    );
  });
});
