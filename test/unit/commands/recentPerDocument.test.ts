import * as assert from 'assert';
import type * as vscode from 'vscode';
import { RecentPerDocument } from '../../../src/editor/recentPerDocument';

const doc = (uri: string, version: number): vscode.TextDocument => ({ uri: { toString: () => uri }, version }) as unknown as vscode.TextDocument;

describe('RecentPerDocument: one process for the CodeLens and the status item', () => {
  it('reuses a result for the same document version, and computes again for a new version, another document or after clear()', () => {
    const recent = new RecentPerDocument<number>();
    let computed = 0;
    const compute = () => ++computed;
    assert.strictEqual(recent.get(doc('file:///a', 1), compute), 1);
    assert.strictEqual(recent.get(doc('file:///a', 1), compute), 1);
    assert.strictEqual(recent.get(doc('file:///a', 2), compute), 2);
    assert.strictEqual(recent.get(doc('file:///b', 2), compute), 3);
    recent.clear();
    assert.strictEqual(recent.get(doc('file:///a', 2), compute), 4);
  });

  it('computes again once a result is older than its age limit', () => {
    const recent = new RecentPerDocument<number>(0);
    let computed = 0;
    recent.get(doc('file:///a', 1), () => ++computed);
    const start = Date.now();
    while (Date.now() === start) {
      // wait for the clock to move on
    }
    assert.strictEqual(
      recent.get(doc('file:///a', 1), () => ++computed),
      2,
    );
  });
});
