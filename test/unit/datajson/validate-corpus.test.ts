import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { summaryMarkdown } from '../../../src/core/datajson/summary';
import { STORED_SECURELY, validateDataJson } from '../../../src/core/datajson/validate';

/**
 * The shared data.json corpus (test/fixtures/datajson/corpus, also used for the JSON schema):
 * its index.json says which of our codes each file should get. The validator must agree, so
 * the schema and the cross-field checks describe the same files the same way.
 */

interface CorpusEntry {
  readonly file: string;
  readonly description: string;
  readonly expectedCodes: readonly string[];
}

const CORPUS = findCorpus();

function findCorpus(): string | undefined {
  for (const up of ['../../../../test/fixtures/datajson/corpus', '../../fixtures/datajson/corpus']) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(path.join(candidate, 'index.json'))) return candidate;
  }
  return undefined;
}

describe('data.json validator on the shared corpus', () => {
  const entries: readonly CorpusEntry[] = CORPUS
    ? (JSON.parse(fs.readFileSync(path.join(CORPUS, 'index.json'), 'utf8')) as { files: CorpusEntry[] }).files
    : [];

  it('finds the shared corpus', () => {
    assert.ok(CORPUS, 'test/fixtures/datajson/corpus/index.json is missing');
    assert.ok(entries.length > 0);
  });

  for (const entry of entries) {
    it(`${entry.file}: ${entry.description}`, () => {
      const text = fs.readFileSync(path.join(CORPUS!, entry.file), 'utf8');
      const report = validateDataJson(text);
      assert.deepEqual([...new Set(report.diagnostics.map((d) => d.code))].sort(), [...new Set(entry.expectedCodes)].sort());
      const shown = [...report.diagnostics.map((d) => d.message), report.summary ? summaryMarkdown(report.summary) : ''].join('\n');
      for (const match of text.matchAll(
        /"(password|key|privateKey|token|clientSecret|accessToken|refreshToken|apiKeyClientSecret|apikey_clientSecret|username|adminUser|clientEmail)"\s*:\s*"([^"\\]{6,})"/g,
      )) {
        if (match[2] !== STORED_SECURELY) assert.ok(!shown.includes(match[2]!), `${match[1]} shown`);
      }
    });
  }
});
