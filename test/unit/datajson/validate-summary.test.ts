import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataJsonSummary } from '../../../src/core/datajson/api';
import { summaryMarkdown } from '../../../src/core/datajson/summary';
import { validateDataJson } from '../../../src/core/datajson/validate';
import { withTranslations } from '../translations';

/** The hover summary of a data.json: what it configures, in a few Markdown lines, never a secret or a user name. */

const FIXTURES = findFixtures();

function findFixtures(): string {
  for (const up of ['../../../../test/fixtures/datajson/validator', '../../fixtures/datajson/validator']) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(process.cwd(), 'test/fixtures/datajson/validator');
}

function summaryOf(name: string): DataJsonSummary {
  return validateDataJson(fs.readFileSync(path.join(FIXTURES, name), 'utf8')).summary!;
}

describe('data.json summary for the hover', () => {
  it('describes an L3 LDAP file', () => {
    assert.equal(
      summaryMarkdown(summaryOf('l3-ldap.json')),
      [
        '**data.json**: flat state-service layout (Directory Connector v2026.6.0 and later)',
        '',
        '- Directory: Active Directory / LDAP — `ldaps://dc1.corp.example:636`',
        '- Syncs: users and groups',
        '- User filter: `(&(objectClass=person)(memberOf=CN=Bitwarden Users,OU=Groups,DC=corp,DC=example))`',
        '- Group filter: `(cn=Bitwarden*)`',
        '- Last sync: users `2026-07-20T02:00:09.113Z`, groups `2026-07-20T02:00:10.402Z`',
        '- Directory secret: in the OS keychain ("[STORED SECURELY]" in the file)',
        '- Organization: `3b8e2f41-9c6d-4a75-b0e3-7d1f5a2c9e84`',
      ].join('\n'),
    );
  });

  it('describes an upgraded Okta file on a self-hosted server', () => {
    assert.equal(
      summaryMarkdown(summaryOf('l3-upgraded-okta.json')),
      [
        '**data.json**: flat state-service layout (Directory Connector v2026.6.0 and later)',
        '',
        'Upgraded from the account-scoped layout; the old keys it still holds are no longer read.',
        '',
        '- Directory: Okta — `https://acme-example.okta.com`',
        '- Bitwarden server: `https://vault.acme.example`',
        '- Syncs: users only',
        '- User filter: `exclude:contractor.raj@acme.example`',
        '- Last sync: users `2026-07-20T02:00:09.113Z`, groups `2026-07-20T02:00:10.402Z`',
        '- Directory secret: in the OS keychain ("[STORED SECURELY]" in the file)',
        '- Organization: `3b8e2f41-9c6d-4a75-b0e3-7d1f5a2c9e84`',
      ].join('\n'),
    );
  });

  it('names the OneLogin region, the Entra ID tenant and the Google domain', () => {
    assert.match(summaryMarkdown(summaryOf('l1-onelogin.json')), /^- Directory: OneLogin — region `eu`$/m);
    assert.match(summaryMarkdown(summaryOf('l2-entra.json')), /^- Directory: Entra ID — `acme-example\.onmicrosoft\.com`$/m);
    assert.match(summaryMarkdown(summaryOf('l2-gsuite.json')), /^- Directory: Google Workspace — `acme\.example`$/m);
  });

  it('shows no user name, service account or admin', () => {
    for (const name of ['l3-ldap.json', 'l2-ldap.json', 'l1-ldap.json', 'l3-gsuite.json', 'l2-gsuite.json']) {
      const markdown = summaryMarkdown(summaryOf(name));
      assert.doesNotMatch(markdown, /bwdc-bind|it-admin|gserviceaccount/, name);
    }
  });

  it('describes empty and fresh files', () => {
    assert.equal(summaryMarkdown(summaryOf('empty.json')), '**data.json**: empty: no directory configured yet\n\n- No directory configured.');
    assert.equal(
      summaryMarkdown(summaryOf('l3-fresh.json')),
      '**data.json**: flat state-service layout (Directory Connector v2026.6.0 and later)\n\n- Directory: not chosen',
    );
  });

  it('says when nothing syncs and when the last sync is not recorded', () => {
    const markdown = summaryMarkdown({
      layout: 'L3',
      layoutLabel: 'L3',
      upgradedFromL2: false,
      directoryType: 3,
      directoryLabel: 'Okta',
      users: false,
      lastUserSync: '2026-01-01T00:00:00Z',
    });
    assert.match(markdown, /^- Syncs: nothing \(users and groups are both off\)$/m);
    assert.match(markdown, /^- Last sync: users `2026-01-01T00:00:00Z`, groups never$/m);
  });

  it('keeps values from the file inside their code spans, on one line, shortened', () => {
    const markdown = summaryMarkdown({
      layout: 'L3',
      layoutLabel: 'L3',
      upgradedFromL2: false,
      directoryType: 1,
      directoryLabel: 'Entra ID',
      server: 'a`b``c\n# heading [x](https://evil.example)',
      userFilter: '`starts with a tick',
      groupFilter: 'g'.repeat(5000),
    });
    assert.match(markdown, /^- Directory: Entra ID — ```a`b``c # heading \[x\]\(https:\/\/evil\.example\)```$/m);
    assert.match(markdown, /^- User filter: `` `starts with a tick ``$/m);
    const groupLine = markdown.split('\n').find((line) => line.startsWith('- Group filter'))!;
    assert.ok(groupLine.length < 140 && groupLine.endsWith('…`'), groupLine);
    assert.equal(markdown.split('\n').filter((line) => line.startsWith('#')).length, 0);
  });

  it('passes every phrase through the installed translations', () => {
    const summary = summaryOf('l2-okta.json');
    const markdown = withTranslations(
      (message) => `«${message}»`,
      () => summaryMarkdown(summary),
    );
    for (const line of markdown.split('\n').filter((entry) => entry.length > 0)) assert.match(line, /^(- )?«.*»$/, line);
  });
});
