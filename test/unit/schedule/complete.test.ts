import * as assert from 'assert';
import { completeAt, type CompletionEntry, type CompletionOptions } from '../../../src/core/schedule/complete';
import type { Platform } from '../../../src/core/schedule/directives';
import type { Position } from '../../../src/core/text';
import { r, readFixture } from './support';

const ALL_KEYS = [
  'name',
  'schedule',
  'timezone',
  'platform',
  'run-as',
  'bwdc',
  'client-id',
  'secret',
  'instance',
  'env',
  'log',
  'script',
  'timeout',
  'scheduler',
  'catch-up',
  'random-delay',
  'notify',
];

function complete(text: string, position: Position, options: Partial<CompletionOptions> = {}): CompletionEntry[] {
  return completeAt(text, position, { hostPlatform: 'linux', ...options });
}

/** Completion at the end of the last line of `text`. */
function completeAtEnd(text: string, options: Partial<CompletionOptions> = {}): CompletionEntry[] {
  const lines = text.split('\n');
  return complete(text, { line: lines.length - 1, character: lines[lines.length - 1]!.length }, options);
}

function labels(entries: readonly CompletionEntry[]): string[] {
  return entries.map((entry) => entry.label);
}

describe('completeAt on an empty line', () => {
  it('offers every directive in an empty file, the required ones first', () => {
    const entries = complete('', { line: 0, character: 0 });
    assert.deepStrictEqual(labels(entries).sort(), [...ALL_KEYS].sort());
    const sorted = [...entries].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.deepStrictEqual(labels(sorted).slice(0, 3), ['schedule', 'client-id', 'secret']);
    assert.ok(entries.every((entry) => entry.kind === 'directive' && entry.snippet === true));
    assert.deepStrictEqual(entries[0]!.range, r(0, 0, 0));
  });

  it('inserts the key with its value aligned in the column of the seed file, as a snippet', () => {
    const entries = complete('', { line: 0, character: 0 });
    const insert = (key: string): string => entries.find((entry) => entry.label === key)!.insertText;
    assert.strictEqual(insert('schedule'), 'schedule   ${1:0 12 * * 1}');
    assert.strictEqual(insert('client-id'), 'client-id  organization.${1:00000000-0000-0000-0000-000000000000}');
    assert.strictEqual(insert('platform'), 'platform   ${1|linux,macos,windows|}');
    assert.strictEqual(insert('env'), 'env        ${1:BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS}=${2:true}');
    assert.match(insert('secret'), /^secret {5}\$\{1\|file:,env:,keychain:,dpapi:\|\}/);
  });

  it('asks for completion again after the keys whose values it can complete', () => {
    const entries = complete('', { line: 0, character: 0 });
    assert.deepStrictEqual(labels(entries.filter((entry) => entry.retrigger)).sort(), ['platform', 'schedule', 'secret', 'timezone']);
  });

  it('describes each directive with an example and whether it is required', () => {
    for (const entry of complete('', { line: 0, character: 0 })) {
      assert.ok(entry.documentation?.includes(`Example: \`${entry.label} `), entry.label);
      assert.strictEqual(entry.detail, ['schedule', 'client-id', 'secret'].includes(entry.label) ? 'required' : 'optional', entry.label);
    }
  });

  it('leaves out directives that may appear once and already do, but keeps repeatable ones', () => {
    const text = readFixture('linux.bwdc-schedule');
    const line = text.split('\n').length - 1;
    assert.deepStrictEqual(labels(complete(text, { line, character: 0 })), [
      'schedule',
      'instance',
      'env',
      'timeout',
      'scheduler',
      'catch-up',
      'random-delay',
      'notify',
    ]);
  });

  it('puts required directives already written after the others', () => {
    const entries = complete('schedule 0 1 * * *\n', { line: 1, character: 0 });
    const schedule = entries.find((entry) => entry.label === 'schedule')!;
    const clientId = entries.find((entry) => entry.label === 'client-id')!;
    assert.ok(clientId.sortText! < schedule.sortText!, `${clientId.sortText} before ${schedule.sortText}`);
  });
});

describe('completeAt on a key', () => {
  it('replaces a partial key with the chosen directive', () => {
    const entries = complete('sch', { line: 0, character: 3 });
    assert.ok(labels(entries).includes('schedule'));
    assert.ok(entries.every((entry) => entry.range.start.character === 0 && entry.range.end.character === 3));
  });

  it('replaces only the key, without a snippet, when the line already has a value', () => {
    const entries = complete('shedule 0 12 * * 1', { line: 0, character: 4 });
    const schedule = entries.find((entry) => entry.label === 'schedule')!;
    assert.strictEqual(schedule.insertText, 'schedule');
    assert.strictEqual(schedule.snippet, false);
    assert.deepStrictEqual(schedule.range, r(0, 0, 7));
  });

  it('leaves out a single-use key written on another line, but not the one under the cursor', () => {
    assert.strictEqual(labels(complete('name x\nnam', { line: 1, character: 3 })).includes('name'), false);
    assert.ok(labels(complete('nam', { line: 0, character: 3 })).includes('name'));
    assert.ok(labels(complete('name x', { line: 0, character: 4 })).includes('name'));
  });

  it('offers nothing before an indented key that has a value', () => {
    assert.deepStrictEqual(complete('   log /x', { line: 0, character: 1 }), []);
  });
});

describe('completeAt after each directive', () => {
  const empty: readonly string[] = ['name', 'bwdc', 'instance', 'log', 'script', 'frobnicate'];
  for (const key of empty) {
    it(`offers nothing after '${key}', whose value is the user's own`, () => {
      assert.deepStrictEqual(completeAtEnd(`${key} `), []);
    });
  }

  it('offers the three platforms after platform', () => {
    const entries = completeAtEnd('platform ');
    assert.deepStrictEqual(labels(entries), ['linux', 'macos', 'windows']);
    assert.match(entries.find((entry) => entry.label === 'windows')!.detail!, /Task Scheduler/);
    assert.deepStrictEqual(entries[0]!.range, r(0, 9, 9));
  });

  it('offers the schedulers that run on the platform after scheduler, and yes or no after catch-up', () => {
    assert.deepStrictEqual(labels(completeAtEnd('scheduler ')), ['cron', 'systemd']);
    assert.deepStrictEqual(labels(completeAtEnd('scheduler ', { hostPlatform: 'macos' })), ['cron']);
    assert.deepStrictEqual(labels(completeAtEnd('platform windows\nscheduler ')), ['task']);
    assert.match(completeAtEnd('scheduler ').find((entry) => entry.label === 'systemd')!.detail!, /systemd timer/);
    assert.deepStrictEqual(labels(completeAtEnd('catch-up ')), ['yes', 'no']);
  });

  const schemes: { readonly host: Platform; readonly text: string; readonly expected: readonly string[] }[] = [
    { host: 'linux', text: 'secret ', expected: ['file:', 'env:'] },
    { host: 'macos', text: 'secret ', expected: ['file:', 'env:', 'keychain:'] },
    { host: 'windows', text: 'secret ', expected: ['env:', 'dpapi:'] },
    { host: 'linux', text: 'platform windows\nsecret ', expected: ['env:', 'dpapi:'] },
    { host: 'windows', text: 'platform macos\nsecret ', expected: ['file:', 'env:', 'keychain:'] },
    { host: 'macos', text: 'platform Linux\nsecret ', expected: ['file:', 'env:', 'keychain:'] },
  ];
  for (const { host, text, expected } of schemes) {
    it(`offers ${expected.join(' ')} after ${JSON.stringify(text)} on a ${host} host`, () => {
      const entries = completeAtEnd(text, { hostPlatform: host });
      assert.deepStrictEqual(labels(entries), expected);
      assert.ok(entries.every((entry) => entry.kind === 'scheme' && entry.snippet === true && entry.insertText.startsWith(entry.label)));
    });
  }

  it('fills each secret scheme with an example target', () => {
    const entries = completeAtEnd('secret ', { hostPlatform: 'windows' });
    assert.deepStrictEqual(
      entries.map((entry) => entry.insertText),
      ['env:${1:BWDC_CLIENT_SECRET}', 'dpapi:${1:C:\\\\ProgramData\\\\bwdc\\\\client_secret.xml}'],
    );
  });

  it('offers IANA zones after timezone', () => {
    const zones = labels(completeAtEnd('timezone '));
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo']) assert.ok(zones.includes(zone), zone);
    assert.ok(zones.length > 300, `${zones.length} zones`);
    assert.ok(!zones.includes('Mars/Base'));
  });

  it('replaces a partly typed zone as a whole', () => {
    const entries = completeAtEnd('timezone Europe/Be');
    assert.deepStrictEqual(entries[0]!.range, r(0, 9, 18));
  });

  it('offers the well-known variables after env', () => {
    const entries = completeAtEnd('env ');
    assert.deepStrictEqual(labels(entries), [
      'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS',
      'NODE_EXTRA_CA_CERTS',
      'https_proxy',
      'http_proxy',
      'BITWARDENCLI_CONNECTOR_DEBUG',
    ]);
    assert.strictEqual(entries[0]!.insertText, 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=${1:true}');
    assert.match(entries[0]!.documentation!, /started by cron has no desktop keyring/);
  });

  it('offers the organization prefix after client-id', () => {
    const entries = completeAtEnd('client-id ');
    assert.deepStrictEqual(labels(entries), ['organization.']);
    assert.strictEqual(entries[0]!.insertText, 'organization.${1:00000000-0000-0000-0000-000000000000}');
  });

  it('offers the dedicated bwdc user after run-as', () => {
    assert.deepStrictEqual(labels(completeAtEnd('run-as ')), ['bwdc']);
  });

  describe('after schedule', () => {
    const common: { readonly expression: string; readonly detail: string; readonly why: string }[] = [
      { expression: '0 * * * *', detail: 'Every hour', why: 'every hour' },
      { expression: '0 2 * * *', detail: 'At 02:00 AM', why: 'daily at 02:00' },
      { expression: '0 8 * * 1-5', detail: 'At 08:00 AM, Monday through Friday', why: 'weekdays at 08:00' },
      { expression: '0 12 * * 1', detail: 'At 12:00 PM, only on Monday', why: 'Mondays at 12:00' },
      { expression: '0 0 * * 2', detail: 'At 12:00 AM, only on Tuesday', why: 'Tuesdays at midnight' },
      { expression: '0 20 * * 0', detail: 'At 08:00 PM, only on Sunday', why: 'Sundays at 20:00' },
    ];
    for (const { expression, detail, why } of common) {
      it(`offers '${expression}' described as "${detail}" (${why})`, () => {
        const entry = completeAtEnd('schedule ').find((e) => e.label === expression);
        assert.ok(entry, expression);
        assert.strictEqual(entry.kind, 'schedule');
        assert.strictEqual(entry.insertText, expression);
        assert.strictEqual(entry.detail, detail);
        assert.ok(entry.documentation!.includes(why), entry.documentation);
      });
    }

    it('offers every macro with what it stands for', () => {
      const macros = completeAtEnd('schedule ').filter((entry) => entry.kind === 'macro');
      assert.deepStrictEqual(labels(macros), ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot']);
      assert.strictEqual(macros.find((m) => m.label === '@weekly')!.documentation, 'The same as 0 0 * * 0.');
      assert.match(macros.find((m) => m.label === '@reboot')!.documentation!, /boot/);
    });

    it('lists common schedules before macros', () => {
      const entries = completeAtEnd('schedule ');
      const sorted = [...entries].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
      assert.strictEqual(sorted[0]!.kind, 'schedule');
      assert.strictEqual(sorted[sorted.length - 1]!.kind, 'macro');
    });

    it('describes them in 24-hour time and in the editor language when asked', () => {
      const find = (entries: CompletionEntry[]): string => entries.find((e) => e.label === '0 20 * * 0')!.detail!;
      assert.strictEqual(find(completeAtEnd('schedule ', { use24HourTime: true })), 'At 20:00, only on Sunday');
      assert.strictEqual(find(completeAtEnd('schedule ', { locale: 'de' })), 'Um 20:00, nur jeden Sonntag');
    });

    it('replaces what is already typed of the expression', () => {
      const entries = completeAtEnd('schedule   0 1');
      assert.ok(entries.length > 0);
      assert.ok(entries.every((entry) => entry.range.start.character === 11 && entry.range.end.character === 14));
    });

    it('completes with a Windows CRLF file too', () => {
      const text = 'name x\r\nschedule ';
      assert.ok(complete(text, { line: 1, character: 9 }).some((entry) => entry.label === '0 12 * * 1'));
    });
  });
});

describe('completeAt where nothing fits', () => {
  const quiet: { readonly text: string; readonly position: Position; readonly why: string }[] = [
    { text: '# a comment', position: { line: 0, character: 5 }, why: 'in a comment line' },
    { text: 'schedule 0 12 * * 1 # weekly', position: { line: 0, character: 25 }, why: 'in a trailing comment' },
  ];
  for (const { text, position, why } of quiet) {
    it(`offers nothing ${why}`, () => {
      assert.deepStrictEqual(complete(text, position), []);
    });
  }
});
