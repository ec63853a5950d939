import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './wait';

/**
 * data.json checks in the real editor: VS Code's JSON support with our schema, and our own
 * diagnostics, for the Directory Connector's folders, instance folders of open schedule files,
 * and files validated by the command.
 */

const ORG = '6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

/** An L3 (v2026.6+) file for LDAP with a string directoryType ("0"): bwdc compares with ===. */
function brokenLdap(): string {
  return `${JSON.stringify(
    {
      stateVersion: 6,
      directoryType: '0',
      organizationId: ORG,
      directoryLdap: {
        ssl: false,
        startTls: false,
        hostname: 'dc1.corp.example',
        port: 389,
        rootPath: 'dc=corp,dc=example',
        username: 'cn=bwdc,dc=corp,dc=example',
        password: '[STORED SECURELY]',
        ad: true,
        pagedSearch: true,
      },
      sync: { users: true, groups: true, removeDisabled: false, overwriteExisting: false, largeImport: false, interval: 5 },
    },
    null,
    2,
  )}\n`;
}

function ourCodes(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'bwdc-data-json')
    .map((d) => String(typeof d.code === 'object' ? d.code.value : d.code))
    .sort();
}

describe('data.json in a real VS Code', function () {
  this.timeout(60_000);
  let folder: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-datajson-'));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('bwdcSchedule').update('validateDataJson', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("shows the schema's and our diagnostics for a data.json in a Bitwarden Directory Connector folder, with a quick fix", async () => {
    const appData = path.join(folder, 'Bitwarden Directory Connector');
    fs.mkdirSync(appData);
    const file = path.join(appData, 'data.json');
    fs.writeFileSync(file, brokenLdap());
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'json');

    await waitFor('our diagnostic', () => ourCodes(uri).includes('data-directory-type-not-number'), { timeoutMs: 20_000 });
    // VS Code's JSON language server applies the contributed schema: "0" is not a number there either.
    await waitFor(
      'the schema diagnostic',
      () =>
        vscode.languages.getDiagnostics(uri).some((d) => d.source !== 'bwdc-data-json' && /directoryType|type|number|Value is not accepted/i.test(d.message)),
      { timeoutMs: 30_000 },
    );

    const ours = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'bwdc-data-json' && d.code === 'data-directory-type-not-number')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, ours.range);
    const fix = actions.find((action) => action.title === 'Change to the number 0');
    assert.ok(fix?.edit, `a quick fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /"directoryType": 0,/);
    await waitFor('the diagnostic to go', () => !ourCodes(uri).includes('data-directory-type-not-number'), { timeoutMs: 20_000 });
    assert.ok(fs.readFileSync(file, 'utf8').includes('"directoryType": "0"'), 'nothing was written to the file by the extension');
  });

  it('checks a data.json elsewhere only once an open schedule file names its folder, in that schedule’s secrets mode', async () => {
    const instance = path.join(folder, 'instance-1');
    fs.mkdirSync(instance);
    const file = path.join(instance, 'data.json');
    fs.writeFileSync(file, brokenLdap());
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    // Give the extension time to (wrongly) react; then check it did not.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(ourCodes(uri), [], 'a data.json outside the connector folders is not checked on its own');

    const schedule = path.join(folder, 'nightly.bwdc-schedule');
    fs.writeFileSync(
      schedule,
      [
        'name      nightly',
        'schedule  0 2 * * *',
        'platform  linux',
        'bwdc      /usr/local/bin/bwdc',
        `client-id organization.${ORG}`,
        `secret    file:${path.join(folder, 'client_secret')}`,
        'instance  ./instance-1',
        'env       BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
        '',
      ].join('\n'),
    );
    const scheduleUri = vscode.Uri.file(schedule);
    await vscode.window.showTextDocument(scheduleUri, { preview: false });
    // Plaintext mode: the "[STORED SECURELY]" placeholder would be sent as the LDAP password.
    await waitFor('diagnostics for the instance data.json', () => ourCodes(uri).includes('data-secret-placeholder'), { timeoutMs: 20_000 });
    assert.ok(ourCodes(uri).includes('data-directory-type-not-number'));

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', scheduleUri, new vscode.Position(6, 12));
    const text = hovers
      .flatMap((hover) => hover.contents.map((content) => (content instanceof vscode.MarkdownString ? content.value : String(content))))
      .join('\n');
    assert.match(text, /dc1\.corp\.example/, text);
    assert.match(text, /error/, text);
    assert.doesNotMatch(text, /cn=bwdc/, 'no username in the hover');

    await vscode.workspace.getConfiguration('bwdcSchedule').update('validateDataJson', false, vscode.ConfigurationTarget.Global);
    await waitFor('the automatic diagnostics to go', () => ourCodes(uri).length === 0, { timeoutMs: 20_000 });
  });

  it('validates a data.json on request, whatever the setting, and reports what it found', async () => {
    await vscode.workspace.getConfiguration('bwdcSchedule').update('validateDataJson', false, vscode.ConfigurationTarget.Global);
    const file = path.join(folder, 'data.json');
    fs.writeFileSync(file, '{\n  // a comment\n  "directoryType": 0,\n}\n');
    const uri = vscode.Uri.file(file);
    const results = await vscode.commands.executeCommand<{ file: string; report?: { diagnostics: { code: string }[] } }[]>(
      'bwdcSchedule.validateDataJson',
      uri,
    );
    assert.equal(results.length, 1);
    const codes = results[0]!.report!.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('data-json-comment') && codes.includes('data-json-trailing-comma'), codes.join(', '));
    await waitFor('the diagnostics in the Problems view', () => ourCodes(uri).includes('data-json-comment'), { timeoutMs: 20_000 });
    assert.equal(fs.readFileSync(file, 'utf8'), '{\n  // a comment\n  "directoryType": 0,\n}\n', 'never written');
  });
});
