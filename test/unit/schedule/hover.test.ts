import * as assert from 'assert';
import { directiveHover, scheduleHover, type HoverOptions, type HoverResult } from '../../../src/core/schedule/hover';
import type { Position } from '../../../src/core/text';
import { pathKind } from '../../../src/host/files';
import { fixturePath, plainSpaces, r } from './support';
import { withTranslations } from '../translations';

/** 2025-01-01T00:00:00Z, a Wednesday. */
const NEW_YEAR = Date.UTC(2025, 0, 1, 0, 0);

const OPTIONS: HoverOptions = { nextRunCount: 5, now: NEW_YEAR, hostZone: 'Europe/Berlin', hostPlatform: 'linux' };

function hover(text: string, position: Position, options: Partial<HoverOptions> = {}): HoverResult | undefined {
  const result = scheduleHover(text, position, { ...OPTIONS, ...options });
  return result && { ...result, markdown: plainSpaces(result.markdown) };
}

function hoverText(text: string, position: Position, options: Partial<HoverOptions> = {}): string {
  const result = hover(text, position, options);
  assert.ok(result, `a hover at ${position.line}:${position.character} of ${JSON.stringify(text)}`);
  return result.markdown;
}

function lines(markdown: string): string[] {
  return markdown.split('\n');
}

/** The run lines of a hover ("- Mon, 01/06/2025, …"). */
function runLines(markdown: string): string[] {
  return lines(markdown).filter((line) => line.startsWith('- '));
}

/** The table row whose field label is marked with ▶, if any. */
function markedRows(markdown: string): string[] {
  return lines(markdown).filter((line) => line.includes('▶'));
}

/** Mondays at 12:00 after `from`, found by walking the calendar one day at a time. */
function mondaysAfter(from: number, count: number): string[] {
  const found: string[] = [];
  for (let day = new Date(from); found.length < count; day = new Date(day.getTime() + 86_400_000)) {
    if (day.getUTCDay() === 1) {
      const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
      const dd = String(day.getUTCDate()).padStart(2, '0');
      found.push(`${mm}/${dd}/${day.getUTCFullYear()}`);
    }
  }
  return found;
}

describe('scheduleHover on a schedule', () => {
  const SEED = 'schedule   0 12 * * 1';

  it("describes the seeds' example in plain words and lists the next five Mondays in this machine's zone", () => {
    const markdown = hoverText(SEED, { line: 0, character: 11 });
    assert.strictEqual(lines(markdown)[0], '**At 12:00 PM, only on Monday**');
    assert.ok(markdown.includes("**Next 5 runs** in Europe/Berlin (this machine's time zone):"), markdown);
    assert.deepStrictEqual(
      runLines(markdown),
      mondaysAfter(NEW_YEAR, 5).map((date) => `- Mon, ${date}, 12:00 PM GMT+1`),
    );
    assert.deepStrictEqual(mondaysAfter(NEW_YEAR, 5), ['01/06/2025', '01/13/2025', '01/20/2025', '01/27/2025', '02/03/2025']);
  });

  it('uses 24-hour times when the setting asks for them', () => {
    const markdown = hoverText(SEED, { line: 0, character: 11 }, { use24HourTime: true });
    assert.strictEqual(lines(markdown)[0], '**At 12:00, only on Monday**');
    assert.strictEqual(runLines(markdown)[0], '- Mon, 01/06/2025, 12:00 GMT+1');
  });

  it('speaks German for a German editor', () => {
    const markdown = hoverText(SEED, { line: 0, character: 11 }, { locale: 'de' });
    assert.strictEqual(lines(markdown)[0], '**Um 12:00, nur jeden Montag**');
    assert.match(runLines(markdown)[0]!, /^- Mo\.?, 06\.01\.2025, 12:00 (MEZ|GMT\+1)$/);
    assert.match(markdown, /\| day of week \| `1` \| Mo\.? \|/);
  });

  it("shows the runs in the file's timezone and names it", () => {
    const markdown = hoverText(`timezone America/New_York\n${SEED}`, { line: 1, character: 11 });
    assert.ok(markdown.includes('**Next 5 runs** in America/New_York (the `timezone` line):'), markdown);
    assert.deepStrictEqual(
      runLines(markdown),
      mondaysAfter(NEW_YEAR, 5).map((date) => `- Mon, ${date}, 12:00 PM GMT-5`),
    );
  });

  it("falls back to this machine's zone when the timezone line is not a zone", () => {
    const markdown = hoverText(`timezone Europe/Berln\n${SEED}`, { line: 1, character: 11 });
    assert.ok(markdown.includes("in Europe/Berlin (this machine's time zone)"), markdown);
  });

  it("falls back to UTC when this machine's zone is unknown", () => {
    const markdown = hoverText(SEED, { line: 0, character: 11 }, { hostZone: 'Not/AZone' });
    assert.ok(markdown.includes("in UTC (this machine's time zone)"), markdown);
    assert.match(runLines(markdown)[0]!, /^- Mon, 01\/06\/2025, 12:00 PM GMT(\+0)?$/);
  });

  it('lists as many runs as the setting asks for', () => {
    const markdown = hoverText(SEED, { line: 0, character: 11 }, { nextRunCount: 2 });
    assert.ok(markdown.includes('**Next 2 runs**'), markdown);
    assert.strictEqual(runLines(markdown).length, 2);
  });

  it('lists runs strictly after now', () => {
    const justThen = Date.UTC(2025, 0, 6, 11, 0);
    assert.strictEqual(runLines(hoverText(SEED, { line: 0, character: 11 }, { now: justThen }))[0], '- Mon, 01/13/2025, 12:00 PM GMT+1');
  });

  describe('marks the hovered field in the field table', () => {
    const fields: { readonly label: string; readonly character: number; readonly range: [number, number]; readonly cell: string }[] = [
      { label: 'minute', character: 11, range: [11, 12], cell: '`0` | **0**' },
      { label: 'hour', character: 14, range: [13, 15], cell: '`12` | **12**' },
      { label: 'day of month', character: 16, range: [16, 17], cell: '`*` | **every day of the month**' },
      { label: 'month', character: 18, range: [18, 19], cell: '`*` | **every month**' },
      { label: 'day of week', character: 20, range: [20, 21], cell: '`1` | **Mon**' },
    ];
    for (const field of fields) {
      it(`highlights the ${field.label} row and its text when hovering column ${field.character}`, () => {
        const result = hover(SEED, { line: 0, character: field.character });
        assert.ok(result);
        assert.deepStrictEqual(markedRows(result.markdown), [`| **▶ ${field.label}** | ${field.cell} |`]);
        assert.deepStrictEqual(result.range, r(0, ...field.range));
      });
    }

    it('has one row per field, in order, under a header', () => {
      const table = lines(hoverText(SEED, { line: 0, character: 11 })).filter((line) => line.startsWith('|'));
      assert.deepStrictEqual(table, [
        '| field | value | meaning |',
        '|---|---|---|',
        '| **▶ minute** | `0` | **0** |',
        '| hour | `12` | 12 |',
        '| day of month | `*` | every day of the month |',
        '| month | `*` | every month |',
        '| day of week | `1` | Mon |',
      ]);
    });
  });

  it('spells out the OR of two restricted day fields', () => {
    const markdown = hoverText('schedule 0 0 13 * 5', { line: 0, character: 13 }, { hostZone: 'UTC' });
    assert.strictEqual(lines(markdown)[0], '**At 12:00 AM, on day 13 of the month, or on Friday**');
    assert.ok(markdown.includes('or the day of the week \\(5\\)') && markdown.includes('OR'), markdown);
    assert.ok(markdown.includes('| **▶ day of month** | `13` | **13 — or the other day field** |'), markdown);
    assert.deepStrictEqual(runLines(markdown), [
      '- Fri, 01/03/2025, 12:00 AM GMT+0',
      '- Fri, 01/10/2025, 12:00 AM GMT+0',
      '- Mon, 01/13/2025, 12:00 AM GMT+0',
      '- Fri, 01/17/2025, 12:00 AM GMT+0',
      '- Fri, 01/24/2025, 12:00 AM GMT+0',
    ]);
  });

  it('says a schedule that can never fire never runs, and lists no runs', () => {
    const markdown = hoverText('schedule 0 0 31 2 *', { line: 0, character: 13 });
    assert.strictEqual(lines(markdown)[0], '**Never runs.** February never has day 31.');
    assert.ok(!markdown.includes('Next'), markdown);
    assert.deepStrictEqual(runLines(markdown), []);
  });

  it('says @reboot runs at boot, with no clock times', () => {
    const result = hover('schedule @reboot', { line: 0, character: 12 });
    assert.ok(result);
    assert.match(lines(result.markdown)[0]!, /^\*\*Runs at boot:\*\* /);
    assert.ok(result.markdown.includes('once when cron starts after a boot'), result.markdown);
    assert.ok(!result.markdown.includes('Next') && !result.markdown.includes('| field |'), result.markdown);
    assert.deepStrictEqual(result.range, r(0, 9, 16));
  });

  it('explains a macro by its five fields without marking one', () => {
    const result = hover('schedule @weekly', { line: 0, character: 12 }, { hostZone: 'UTC' });
    assert.ok(result);
    assert.strictEqual(lines(result.markdown)[0], '**At 12:00 AM, only on Sunday**');
    assert.ok(result.markdown.includes('@weekly is the same as 0 0 \\* \\* 0.'), result.markdown);
    assert.deepStrictEqual(markedRows(result.markdown), []);
    assert.deepStrictEqual(result.range, r(0, 9, 16));
    assert.strictEqual(runLines(result.markdown)[0], '- Sun, 01/05/2025, 12:00 AM GMT+0');
  });

  it('shows the error of an invalid expression instead of a description', () => {
    const result = hover('schedule 0 24 * * *', { line: 0, character: 11 });
    assert.deepStrictEqual(result, { markdown: '$(error) hour: 24 is out of range 0–23.', range: r(0, 9, 19) });
  });

  it('notes a run that a DST change moves', () => {
    const beforeSpringForward = Date.UTC(2025, 2, 28, 12, 0);
    const markdown = hoverText('timezone Europe/Berlin\nschedule 30 2 * * *', { line: 1, character: 9 }, { now: beforeSpringForward });
    assert.deepStrictEqual(runLines(markdown).slice(0, 3), [
      '- Sat, 03/29/2025, 02:30 AM GMT+1',
      '- Sun, 03/30/2025, 03:00 AM GMT+2 — 02:30 does not exist that day (clocks go forward); cron runs the job when they jump',
      '- Mon, 03/31/2025, 02:30 AM GMT+2',
    ]);
  });

  it('ignores a trailing comment', () => {
    const result = hover('schedule 0 12 * * 1 # weekly', { line: 0, character: 25 });
    assert.strictEqual(result, undefined);
    assert.ok(hoverText('schedule 0 12 * * 1 # weekly', { line: 0, character: 18 }).startsWith('**At 12:00 PM, only on Monday**'));
  });

  it('passes its own words through the installed translations', () => {
    const markdown = withTranslations(
      (message) => `[${message}]`,
      () => hoverText(SEED, { line: 0, character: 11 }),
    );
    assert.ok(markdown.includes("[**Next 5 runs** in Europe/Berlin (this machine's time zone):]"), markdown);
    assert.ok(markdown.includes('| [field] | [value] | [meaning] |'), markdown);
  });
});

describe('scheduleHover on directive keys', () => {
  const counts: Record<string, string> = {
    name: 'optional, at most once',
    schedule: 'required, one or more lines',
    timezone: 'optional, at most once',
    platform: 'optional, at most once',
    'run-as': 'optional, at most once',
    bwdc: 'optional, at most once',
    'client-id': 'required, once',
    secret: 'required, once',
    instance: 'optional, any number of lines',
    env: 'optional, any number of lines',
    log: 'optional, at most once',
    script: 'optional, at most once',
  };
  for (const [key, count] of Object.entries(counts)) {
    it(`documents '${key}' (${count}) with its default and an example`, () => {
      const text = `  ${key}   value`;
      const result = hover(text, { line: 0, character: 2 + Math.floor(key.length / 2) });
      assert.ok(result);
      assert.deepStrictEqual(result.range, r(0, 2, 2 + key.length));
      const [title, , summary, , defaults, , example] = lines(result.markdown);
      assert.strictEqual(title, `**${key}** — ${count}`);
      assert.ok(summary && summary.length > 20, summary);
      assert.match(defaults!, /^Default: \S/);
      assert.match(example!, new RegExp(`^Example: \`${key} \\S`));
    });
  }

  it('says secret holds a source, never the secret itself', () => {
    assert.ok(directiveHover('secret')!.includes('never the secret itself'));
  });

  it('has nothing to say about an unknown key', () => {
    assert.strictEqual(hover('frobnicate yes', { line: 0, character: 3 }), undefined);
    assert.strictEqual(directiveHover('frobnicate'), undefined);
  });
});

describe('scheduleHover on other values', () => {
  const sources: { readonly value: string; readonly words: readonly string[] }[] = [
    {
      value: 'file:/home/bwdc/.config/bwdc/client_secret',
      words: ['**file:** — ', '`/home/bwdc/.config/bwdc/client_secret`', 'shell builtin', 'owned by the run-as user', 'BW_CLIENTSECRET'],
    },
    { value: 'env:BWDC_CLIENT_SECRET', words: ['**env:** — ', '`BWDC_CLIENT_SECRET`', 'environment variable', 'Never put the value in the crontab'] },
    { value: 'keychain:bwdc-client-secret', words: ['**keychain:** — ', '`bwdc-client-secret`', 'security find-generic-password -w', 'locked'] },
    { value: 'dpapi:C:\\ProgramData\\bwdc\\client_secret.xml', words: ['**dpapi:** — ', '`C:\\ProgramData\\bwdc\\client_secret.xml`', 'Import-Clixml', 'S4U'] },
  ];
  for (const source of sources) {
    it(`explains how the script reads a ${source.value.slice(0, source.value.indexOf(':') + 1)} secret`, () => {
      const text = `secret  ${source.value}`;
      const result = hover(text, { line: 0, character: 12 });
      assert.ok(result);
      assert.deepStrictEqual(result.range, r(0, 8, 8 + source.value.length));
      for (const word of source.words) assert.ok(result.markdown.includes(word), `${word} in ${result.markdown}`);
    });
  }

  it('has nothing to say about a secret value that is not a source', () => {
    assert.strictEqual(hover('secret hunter2', { line: 0, character: 9 }), undefined);
  });

  it("shows a timezone's current time and warns that cron uses the machine's zone", () => {
    const markdown = hoverText('timezone Asia/Tokyo', { line: 0, character: 12 });
    assert.strictEqual(lines(markdown)[0], '**Asia/Tokyo** — now Wed, 01/01/2025, 09:00 AM GMT+9');
    assert.ok(markdown.includes("This machine's zone is Europe/Berlin. cron always uses the zone of the machine it runs on"), markdown);
  });

  it("does not warn when the timezone is this machine's", () => {
    const markdown = hoverText('timezone Europe/Berlin', { line: 0, character: 12 });
    assert.deepStrictEqual(lines(markdown), ['**Europe/Berlin** — now Wed, 01/01/2025, 01:00 AM GMT+1']);
  });

  it('says when a timezone is not a zone', () => {
    assert.strictEqual(hoverText('timezone Mars/Base', { line: 0, character: 12 }), "'Mars/Base' is not a known IANA time zone.");
  });

  describe('shows where an instance folder is and whether it is ready', () => {
    const scheduleFile = fixturePath('disk.bwdc-schedule');
    const instances: { readonly value: string; readonly state: string }[] = [
      { value: './instances/with-data-json', state: 'data.json is present.' },
      { value: './instances/without-data-json', state: 'The folder has no data.json yet.' },
      { value: './instances/no-such-folder', state: 'The folder does not exist on this machine.' },
    ];
    for (const { value, state } of instances) {
      it(`says "${state}" for ${value}`, () => {
        const markdown = hoverText(`instance ${value}`, { line: 0, character: 12 }, { scheduleFile, pathKind });
        assert.deepStrictEqual(lines(markdown), [
          `**Instance folder** \`${fixturePath(value)}\``,
          '',
          'Synced with BITWARDENCLI_CONNECTOR_APPDATA_DIR set to this folder.',
          '',
          state,
        ]);
      });
    }

    it('looks nothing up for a job that runs on another platform', () => {
      const markdown = hoverText('platform windows\ninstance C:\\bwdc\\instance-1', { line: 1, character: 12 }, { scheduleFile, pathKind });
      assert.deepStrictEqual(lines(markdown), [
        '**Instance folder** `C:\\bwdc\\instance-1`',
        '',
        'Synced with BITWARDENCLI_CONNECTOR_APPDATA_DIR set to this folder.',
      ]);
    });

    it('looks nothing up for a relative folder of an unsaved file', () => {
      const markdown = hoverText('instance ./instances/no-such-folder', { line: 0, character: 12 }, { pathKind: () => 'missing' });
      assert.ok(!markdown.includes('does not exist'), markdown);
    });
  });

  const silent: { readonly text: string; readonly position: Position; readonly why: string }[] = [
    { text: '# schedule 0 12 * * 1', position: { line: 0, character: 4 }, why: 'a comment' },
    { text: '', position: { line: 0, character: 0 }, why: 'a blank line' },
    { text: 'schedule     0 12 * * 1', position: { line: 0, character: 10 }, why: 'the blanks between key and value' },
    { text: 'name weekly-sync', position: { line: 0, character: 8 }, why: 'a name value' },
    { text: 'log /var/log/bwdc.log', position: { line: 0, character: 8 }, why: 'a log path' },
    { text: 'schedule 0 12 * * 1', position: { line: 3, character: 0 }, why: 'a line past the end' },
  ];
  for (const { text, position, why } of silent) {
    it(`stays silent on ${why}`, () => {
      assert.strictEqual(hover(text, position), undefined);
    });
  }
});
