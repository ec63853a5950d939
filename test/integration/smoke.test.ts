import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './wait';

const EXTENSION_ID = 'bwdc-schedule.bwdc-schedule';

/** The fixture folder test/fixtures/workspace, opened by both runners. */
function fixtureUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens test/fixtures/workspace as the workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

describe('bwdc Schedule in VS Code', () => {
  it('opens *.bwdc-schedule files in the bwdc-schedule language', async () => {
    const document = await vscode.workspace.openTextDocument(fixtureUri('example.bwdc-schedule'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'bwdc-schedule');
  });

  it('activates the extension for a bwdc schedule file', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    await waitFor(`${EXTENSION_ID} to activate`, () => extension.isActive);
  });

  // Checks the runner's failure path: `BWDC_SELFTEST_FAIL=1 npm run test:integration` must
  // report this failure and exit non-zero. The test does not exist otherwise.
  if (process.env.BWDC_SELFTEST_FAIL === '1') {
    it('fails on purpose because BWDC_SELFTEST_FAIL=1', () => {
      assert.fail('deliberate failure (BWDC_SELFTEST_FAIL=1) to check the test runner');
    });
  }
});
