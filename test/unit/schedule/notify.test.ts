import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { completeAt } from '../../../src/core/schedule/complete';
import { diagnoseSchedule, type DiagnoseContext, type ScheduleDiagnostic } from '../../../src/core/schedule/diagnose';
import type { Platform } from '../../../src/core/schedule/directives';
import { directiveHover, scheduleHover } from '../../../src/core/schedule/hover';
import { resolveJob } from '../../../src/core/schedule/job';
import { parseNotify, pingUrls } from '../../../src/core/schedule/notify';
import { pathKind } from '../../../src/host/files';
import { germanBundle, withBundle } from '../translations';

const REQUIRED = [
  'schedule 0 12 * * 1',
  'bwdc /usr/local/bin/bwdc',
  'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
  'secret env:BWDC_CLIENT_SECRET',
  'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
];
const WINDOWS_REQUIRED = [
  'platform windows',
  'schedule 0 12 * * 1',
  'bwdc C:\\bwdc\\bwdc.exe',
  'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
  'secret env:BWDC_CLIENT_SECRET',
];

/** The file with the notify line first (line 0), then what a complete file needs. */
function file(notifyLines: readonly string[], platform: Platform = 'linux'): string {
  return [...notifyLines, ...(platform === 'windows' ? WINDOWS_REQUIRED : REQUIRED)].join('\n');
}

function diagnose(text: string, context: Partial<DiagnoseContext> = {}): ScheduleDiagnostic[] {
  return diagnoseSchedule(text, { hostPlatform: 'linux', scheduleFile: '/srv/bwdc/job.bwdc-schedule', ...context });
}

/** "severity code line:start-end" of each diagnostic on the notify lines. */
function onNotify(text: string, context: Partial<DiagnoseContext> = {}): string[] {
  return diagnose(text, context)
    .filter((d) => text.split('\n')[d.range.start.line]!.startsWith('notify'))
    .map((d) => `${d.severity} ${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`);
}

describe('the notify directive', () => {
  describe('diagnostics', () => {
    const valid: readonly string[] = [
      'notify ping:https://hc-ping.com/6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
      'notify ping:https://hc-ping.com/fqOOd6-F4MMNuCEnzTU01w/bwdc-sync?create=1',
      'notify ping:http://127.0.0.1:8000/ping/abc',
      'notify ping:http://localhost/ping/abc',
      'notify ping:http://[::1]:8000/ping/abc',
      'notify ping:https://example.com/a$b(c);d&e',
      'notify exec:/usr/local/bin/bwdc-failed',
    ];
    for (const line of valid) {
      it(`accepts ${line}`, () => {
        assert.deepStrictEqual(onNotify(file([line])), []);
      });
    }

    const cases: readonly { readonly line: string; readonly expect: readonly string[]; readonly words?: readonly string[]; readonly platform?: Platform }[] = [
      { line: 'notify mail:admin@example.com', expect: ['error invalid-notify 0:7-29'], words: ['ping:URL', 'exec:PATH'] },
      { line: 'notify admin', expect: ['error invalid-notify 0:7-12'], words: ['ping:URL', 'exec:PATH'] },
      { line: 'notify https://hc-ping.com/x', expect: ['error invalid-notify 0:7-28'], words: ["'ping:https://hc-ping.com/x'"] },
      { line: 'notify /usr/local/bin/x', expect: ['error invalid-notify 0:7-23'], words: ["'exec:/usr/local/bin/x'"] },
      { line: 'notify ping:', expect: ['error invalid-notify 0:7-12'], words: ['URL'] },
      { line: 'notify exec:', expect: ['error invalid-notify 0:7-12'], words: ['absolute path'] },
      { line: 'notify exec:bin/notify-me', expect: ['error notify-relative-path 0:12-25'], words: ['absolute path', 'PATH'] },
      { line: 'notify exec:~/bin/notify-me', expect: ['error invalid-path 0:12-27'], words: ['~'] },
      { line: 'notify exec:/usr/bin/x', platform: 'windows', expect: ['error notify-relative-path 0:12-22'] },
      { line: 'notify exec:C:\\bwdc\\mail.exe', platform: 'windows', expect: [] },
      { line: 'notify ping:ftp://example.com/x', expect: ['error invalid-notify-url 0:12-31'], words: ['http:', 'https:'] },
      { line: 'notify ping:hc-ping.com/x', expect: ['error invalid-notify-url 0:12-25'] },
      { line: 'notify ping:https:///x', expect: ['error invalid-notify-url 0:12-22'] },
      { line: "notify ping:https://hc.example/x';reboot;'", expect: ['error notify-url-character 0:32-33'], words: ["'"] },
      { line: 'notify ping:https://hc.example/x"y', expect: ['error notify-url-character 0:32-33'] },
      { line: 'notify ping:https://hc.example/`id`', expect: ['error notify-url-character 0:31-32'] },
      { line: 'notify ping:https://hc.example/a b', expect: ['error notify-url-character 0:32-33'], words: ['%20'] },
      { line: 'notify ping:https://hc.example/{a,b}', expect: ['error notify-url-character 0:31-32'] },
      { line: 'notify ping:https://hc.example/a\\b', expect: ['error notify-url-character 0:32-33'] },
      {
        line: 'notify ping:https://user:pass@hc.example/x',
        expect: ['warning notify-url-credentials 0:12-42'],
        words: ['password', 'generated script'],
      },
      { line: 'notify ping:http://hc.example/x', expect: ['warning notify-url-http 0:12-17'], words: ['https:'] },
      {
        line: 'notify ping:http://admin:pw@monitor.lan/x',
        expect: ['warning notify-url-credentials 0:12-41', 'warning notify-url-http 0:12-17'],
      },
    ];
    for (const entry of cases) {
      it(`reports ${entry.expect.join(', ') || 'nothing'} for ${entry.line}${entry.platform ? ` (${entry.platform})` : ''}`, () => {
        const text = file([entry.line], entry.platform);
        assert.deepStrictEqual(onNotify(text, { hostPlatform: entry.platform ?? 'linux' }).sort(), [...entry.expect].sort());
        const messages = diagnose(text, { hostPlatform: entry.platform ?? 'linux' })
          .filter((d) => d.range.start.line === 0)
          .map((d) => d.message)
          .join('\n');
        for (const word of entry.words ?? []) assert.ok(messages.includes(word), `'${word}' in ${messages}`);
      });
    }

    it('offers the prefix as the preferred fix for a bare URL, and https: for http:', () => {
      const bare = diagnose(file(['notify https://hc-ping.com/x'])).find((d) => d.code === 'invalid-notify')!;
      assert.deepStrictEqual(
        bare.fixes?.map((fix) => [fix.title, fix.edits[0]!.newText, fix.preferred]),
        [["Change to 'ping:https://hc-ping.com/x'", 'ping:https://hc-ping.com/x', true]],
      );
      const http = diagnose(file(['notify ping:http://hc.example/x'])).find((d) => d.code === 'notify-url-http')!;
      assert.deepStrictEqual(http.fixes?.[0]?.edits, [{ range: http.range, newText: 'https:' }]);
    });

    it('warns about a repeated line, and allows several different ones', () => {
      const text = file([
        'notify ping:https://a.example/x',
        'notify exec:/usr/local/bin/x',
        'notify ping:https://b.example/y',
        'notify ping:https://a.example/x',
      ]);
      assert.deepStrictEqual(onNotify(text), ['warning duplicate-notify 3:7-31']);
      assert.match(diagnose(text).find((d) => d.code === 'duplicate-notify')!.message, /Line 1 already notifies the same target/);
    });

    it('refuses a secret pasted on its own, and warns about one inside a URL, without repeating it', () => {
      const secret = 'Zq8vR2mW5tY1pL9xK3nB7cD4fG6hJ0';
      const alone = diagnose(file([`notify ping:https://hc.example/x ${secret}`])).filter((d) => d.range.start.line === 0);
      assert.deepStrictEqual(
        alone.map((d) => d.code),
        ['literal-secret'],
      );
      const inside = diagnose(file([`notify ping:https://hc.example/${secret}?x=1`])).filter((d) => d.range.start.line === 0);
      assert.deepStrictEqual(
        inside.map((d) => `${d.severity} ${d.code} ${d.range.start.character}-${d.range.end.character}`),
        ['warning notify-url-secret 31-61'],
      );
      for (const diagnostic of [...alone, ...inside]) assert.ok(!diagnostic.message.includes(secret));
    });

    it('looks an exec: program up on this machine', () => {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-notify-'));
      try {
        const program = path.join(folder, 'on-failure');
        fs.writeFileSync(program, '#!/bin/sh\n', { mode: 0o755 });
        assert.deepStrictEqual(onNotify(file([`notify exec:${program}`]), { pathKind }), []);
        assert.deepStrictEqual(onNotify(file([`notify exec:${folder}/missing`]), { pathKind }), [
          `warning notify-exec-missing 0:12-${12 + folder.length + '/missing'.length}`,
        ]);
        assert.deepStrictEqual(onNotify(file([`notify exec:${folder}`]), { pathKind }), [`warning notify-exec-missing 0:12-${12 + folder.length}`]);
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    });

    it('treats " #" as the start of a comment, and warns when "#" may belong to the URL', () => {
      assert.deepStrictEqual(onNotify(file(['notify ping:https://hc.example/x # the weekly check'])), []);
      assert.deepStrictEqual(
        diagnose(file(['notify ping:https://hc.example/x #frag'])).map((d) => d.code),
        ['ambiguous-comment'],
      );
    });

    it('has German messages', () => {
      const messages = withBundle(germanBundle(), () =>
        diagnose(file(['notify mail:x', 'notify exec:relative', 'notify ping:http://user:pw@hc.example/x', 'notify ping:https://a b'])).map((d) => d.message),
      );
      assert.strictEqual(messages.length, 5);
      for (const message of messages) assert.ok(/[äöüß]|\b(der|die|das|ein|eine|nicht)\b/i.test(message), `German: ${message}`);
    });
  });

  describe('the job and the URLs it pings', () => {
    it('keeps the notify lines in order, once each, and leaves the job without them as before', () => {
      const result = resolveJob(file(['notify ping:https://a.example/x', 'notify exec:/usr/local/bin/y', 'notify ping:https://a.example/x']), {
        scheduleFile: '/srv/job.bwdc-schedule',
        hostPlatform: 'linux',
      });
      assert.deepStrictEqual(result.job?.notify, [
        { kind: 'ping', url: 'https://a.example/x' },
        { kind: 'exec', path: '/usr/local/bin/y' },
      ]);
      const without = resolveJob(file([]), { scheduleFile: '/srv/job.bwdc-schedule', hostPlatform: 'linux' });
      assert.ok(without.job && !('notify' in without.job), 'no notify key, so the fingerprint of an existing job does not change');
    });

    it('puts /start and /fail on the path, before a query, and never sends a fragment', () => {
      assert.deepStrictEqual(pingUrls('https://hc-ping.com/abc'), {
        start: 'https://hc-ping.com/abc/start',
        success: 'https://hc-ping.com/abc',
        failure: 'https://hc-ping.com/abc/fail',
        display: 'https://hc-ping.com',
      });
      assert.deepStrictEqual(pingUrls('https://hc-ping.com/key/slug/?create=1#top'), {
        start: 'https://hc-ping.com/key/slug/start?create=1',
        success: 'https://hc-ping.com/key/slug/?create=1',
        failure: 'https://hc-ping.com/key/slug/fail?create=1',
        display: 'https://hc-ping.com',
      });
      assert.strictEqual(pingUrls('http://user:pw@127.0.0.1:8000/x').display, 'http://127.0.0.1:8000', 'no credentials in the log');
    });

    it('parses only the two kinds', () => {
      assert.deepStrictEqual(parseNotify('ping:https://x'), { kind: 'ping', url: 'https://x' });
      assert.deepStrictEqual(parseNotify('exec:/bin/x'), { kind: 'exec', path: '/bin/x' });
      assert.strictEqual(parseNotify('mail:x'), undefined);
      assert.strictEqual(parseNotify('Ping:https://x'), undefined);
    });
  });

  describe('completion and hover', () => {
    it('offers notify among the directives, also when one is already there', () => {
      const text = file(['notify ping:https://a.example/x', '']);
      const entries = completeAt(text, { line: 1, character: 0 }, { hostPlatform: 'linux' });
      const entry = entries.find((candidate) => candidate.label === 'notify');
      assert.ok(entry, 'notify is offered again (it is repeatable)');
      assert.strictEqual(entry.insertText, 'notify     ping:${1:https://hc-ping.com/uuid}');
      assert.match(entry.documentation ?? '', /URL\/start/);
    });

    it('offers ping: and exec: as values, with a program path that fits the platform', () => {
      const linux = completeAt('notify ', { line: 0, character: 7 }, { hostPlatform: 'linux' });
      assert.deepStrictEqual(
        linux.map((entry) => [entry.label, entry.insertText]),
        [
          ['ping:', 'ping:${1:https://hc-ping.com/uuid}'],
          ['exec:', 'exec:${1:/usr/local/bin/bwdc-failed}'],
        ],
      );
      const windows = completeAt('platform windows\nnotify ', { line: 1, character: 7 }, { hostPlatform: 'linux' });
      assert.strictEqual(windows[1]!.insertText, 'exec:${1:C:\\\\ProgramData\\\\bwdc\\\\on-failure.exe}');
    });

    it('explains the directive, and on a ping: value shows the three URLs it requests', () => {
      assert.match(directiveHover('notify')!, /optional, any number of lines/);
      const text = file(['notify ping:https://hc-ping.com/abc?create=1']);
      const options = { nextRunCount: 3, now: 0, hostZone: 'UTC', hostPlatform: 'linux' as const };
      const markdown = scheduleHover(text, { line: 0, character: 20 }, options)!.markdown;
      assert.ok(markdown.includes('`https://hc-ping.com/abc/start?create=1`'), markdown);
      assert.ok(markdown.includes('`https://hc-ping.com/abc?create=1`'), markdown);
      assert.ok(markdown.includes('`https://hc-ping.com/abc/fail?create=1`'), markdown);
      const exec = scheduleHover(file(['notify exec:/usr/local/bin/x']), { line: 0, character: 15 }, options)!.markdown;
      assert.match(exec, /After a failed run .* `\/usr\/local\/bin\/x` .* stdin/);
    });
  });
});
