import * as assert from 'assert';
import {
  beginMarker,
  blockFor,
  blockState,
  blockText,
  cronCommand,
  CrontabTextError,
  endMarker,
  installBlock,
  locateBlock,
  removeBlock,
  stripListingHeader,
  unfaithfulListingLines,
  type BlockLocation,
  type BlockSpec,
} from '../../../src/core/crontab/block';
import { resolveJob } from '../../../src/core/schedule/job';
import { debianCommandSplit, readCorpus, readCrontabFixture, readJsonFixture, shellWords, splitKeepingEnds, type CorpusCase } from './support';

const SCRIPT = "'/srv/bwdc/bwdcSyncService.sh'";
const spec: BlockSpec = { name: 'nightly', scheduleFile: '/srv/bwdc/nightly.bwdc-schedule', lines: [`0 3 * * * ${SCRIPT}`, `@reboot ${SCRIPT}`] };
const updated: BlockSpec = { ...spec, lines: [`15 4 * * 1-5 ${SCRIPT}`] };

const BLOCK = [
  '# BEGIN bwdc-schedule nightly (from /srv/bwdc/nightly.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n',
  "0 3 * * * '/srv/bwdc/bwdcSyncService.sh'\n",
  "@reboot '/srv/bwdc/bwdcSyncService.sh'\n",
  '# END bwdc-schedule nightly\n',
].join('');
const UPDATED_BLOCK = [
  '# BEGIN bwdc-schedule nightly (from /srv/bwdc/nightly.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n',
  "15 4 * * 1-5 '/srv/bwdc/bwdcSyncService.sh'\n",
  '# END bwdc-schedule nightly\n',
].join('');

/** The text as crontab(1) insists on it: empty, or ending with a newline. */
function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** What a corpus crontab holds around our block, computed from the fixture's line numbers alone. */
function around(c: CorpusCase): { readonly before: string; readonly after: string } {
  if (c.block === 'absent') return { before: withFinalNewline(c.text), after: '' };
  if ('damaged' in c.block) throw new Error(`${c.name} is damaged`);
  const lines = splitKeepingEnds(c.text);
  return { before: lines.slice(0, c.block.beginLine - 1).join(''), after: lines.slice(c.block.endLine).join('') };
}

function throwsDamage(action: () => unknown, reason: string, lines: readonly number[]): void {
  const expected = `The crontab has ${reason} (line ${lines.join(', ')}): it was edited by hand. Nothing was changed; restore or remove the '# BEGIN bwdc-schedule nightly' … '# END bwdc-schedule nightly' lines with crontab -e, then try again.`;
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof CrontabTextError, `a CrontabTextError, not ${String(error)}`);
    assert.strictEqual(error.message, expected);
    return true;
  });
}

describe('the managed crontab block', () => {
  describe('blockText and the markers', () => {
    it('writes BEGIN with where the block comes from, the job lines, and END, each ending in a newline', () => {
      assert.strictEqual(blockText(spec), BLOCK);
      assert.strictEqual(blockText(updated), UPDATED_BLOCK);
    });

    it('writes just the two markers for a job without lines', () => {
      assert.strictEqual(
        blockText({ ...spec, lines: [] }),
        '# BEGIN bwdc-schedule nightly (from /srv/bwdc/nightly.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n# END bwdc-schedule nightly\n',
      );
    });

    it('names the job in the markers exactly', () => {
      assert.strictEqual(beginMarker('nightly-2'), '# BEGIN bwdc-schedule nightly-2');
      assert.strictEqual(endMarker('a.b'), '# END bwdc-schedule a.b');
    });

    it('replaces control characters of the schedule file path, so a newline in it cannot end the BEGIN line', () => {
      const odd: BlockSpec = { ...spec, scheduleFile: '/srv/a\nb\r\tc\u0000\u007f.bwdc-schedule' };
      const text = blockText(odd);
      assert.strictEqual(
        text.split('\n')[0],
        '# BEGIN bwdc-schedule nightly (from /srv/a?b??c??.bwdc-schedule; managed by bwdc Schedule, edit that file instead)',
      );
      assert.strictEqual(text.split('\n').length, 5);
      assert.deepStrictEqual(blockState(text, odd), { state: 'installed', upToDate: true, lines: spec.lines });
    });

    it("writes lines holding $&, $' and $` literally (no replacement patterns)", () => {
      const dollars: BlockSpec = { name: 'a$&b', scheduleFile: "/srv/$'/x.bwdc-schedule", lines: ["0 3 * * * '/srv/$&/$`/$'\\''.sh'"] };
      const text = '# before\n';
      const installed = installBlock(text, dollars).after;
      assert.strictEqual(
        installed,
        "# before\n# BEGIN bwdc-schedule a$&b (from /srv/$'/x.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n0 3 * * * '/srv/$&/$`/$'\\''.sh'\n# END bwdc-schedule a$&b\n",
      );
      const replaced = installBlock(`${installed}# after\n`, { ...dollars, lines: ['@daily $&$1'] }).after;
      assert.strictEqual(
        replaced,
        "# before\n# BEGIN bwdc-schedule a$&b (from /srv/$'/x.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n@daily $&$1\n# END bwdc-schedule a$&b\n# after\n",
      );
    });
  });

  describe('cronCommand', () => {
    const commands: readonly { readonly script: string; readonly command: string }[] = [
      { script: '/srv/bwdc/bwdcSyncService.sh', command: "'/srv/bwdc/bwdcSyncService.sh'" },
      { script: '/srv/my jobs/sync.sh', command: "'/srv/my jobs/sync.sh'" },
      { script: "/srv/it's/sync.sh", command: "'/srv/it'\\''s/sync.sh'" },
      { script: '/srv/"quoted"/sync.sh', command: '\'/srv/"quoted"/sync.sh\'' },
      { script: '/srv/50%/sync.sh', command: "'/srv/50\\%/sync.sh'" },
      { script: '/srv/%%/x%.sh', command: "'/srv/\\%\\%/x\\%.sh'" },
      { script: "/srv/'%'/x.sh", command: "'/srv/'\\''\\%'\\''/x.sh'" },
      { script: '/srv/$HOME/`id`;x|y&z/#not-a-comment.sh', command: "'/srv/$HOME/`id`;x|y&z/#not-a-comment.sh'" },
      { script: '/srv/ünïcödé/日本.sh', command: "'/srv/ünïcödé/日本.sh'" },
    ];
    for (const { script, command } of commands) {
      it(`writes ${JSON.stringify(script)} as ${command}`, () => {
        assert.strictEqual(cronCommand(script), command);
      });
    }

    // What actually runs: Debian's cron unescapes `\%` and `\\` and cuts at a bare `%` before
    // /bin/sh sees the line (do_command.c). The script must arrive as one word, with no stdin.
    const scripts = commands.map((c) => c.script);
    for (const script of scripts) {
      it(`makes Debian's cron and /bin/sh run exactly ${JSON.stringify(script)}`, () => {
        const run = debianCommandSplit(cronCommand(script));
        assert.strictEqual(run.stdin, undefined, `cron would cut the command at a % and send ${JSON.stringify(run.stdin)} to stdin`);
        assert.deepStrictEqual(shellWords(run.command), [script]);
      });
    }

    // Debian's cron turns `\\` into `\`, cronie and macOS keep it: no spelling of a backslash
    // runs the same path on all of them, so it is refused.
    for (const script of ['/srv/a\\b/x.sh', '/srv/trailing\\', '/srv/a\\\\b/x.sh', '/srv/a\\%b/x.sh', '/srv/100\\\\%/x.sh']) {
      it(`refuses the backslash in ${JSON.stringify(script)}`, () => {
        assert.throws(
          () => cronCommand(script),
          (error: unknown) => error instanceof CrontabTextError && error.message.startsWith(`the script path ${script} contains a backslash`),
        );
      });
    }

    for (const script of ['/srv/a\nb.sh', '/srv/a\rb.sh', '/srv/a\tb.sh', '/srv/a\u0000b.sh', '/srv/a\u001bb.sh', '/srv/a\u007fb.sh']) {
      it(`refuses the control character in ${JSON.stringify(script)}`, () => {
        assert.throws(
          () => cronCommand(script),
          (error: unknown) => error instanceof CrontabTextError && error.message === `the script path contains a control character: ${JSON.stringify(script)}`,
        );
      });
    }

    // Debian reads at most 998 bytes of command (get_string into cmd[MAX_COMMAND=1000], then
    // "command too long" when strnlen is 999): checked with crontab(1) on this machine, 998
    // installs and 999 is refused, also when the bytes are 501 characters of UTF-8.
    const lengths: readonly { readonly what: string; readonly script: string; readonly bytes: number; readonly accepted: boolean }[] = [
      { what: '997 ASCII characters', script: `/${'x'.repeat(994)}`, bytes: 997, accepted: true },
      { what: '998 ASCII characters', script: `/${'x'.repeat(995)}`, bytes: 998, accepted: true },
      { what: "998 characters, 4 of them escapes of % and '", script: `/${'x'.repeat(989)}%'`, bytes: 998, accepted: true },
      { what: '998 bytes in 501 characters of UTF-8', script: `/${'ü'.repeat(497)}x`, bytes: 998, accepted: true },
      { what: '999 ASCII characters', script: `/${'x'.repeat(996)}`, bytes: 999, accepted: false },
      { what: '1000 ASCII characters', script: `/${'x'.repeat(997)}`, bytes: 1000, accepted: false },
      { what: '999 characters once its % is escaped', script: `/${'x'.repeat(994)}%`, bytes: 999, accepted: false },
      { what: '999 bytes in 501 characters of UTF-8', script: `/${'ü'.repeat(498)}`, bytes: 999, accepted: false },
    ];
    for (const { what, script, bytes, accepted } of lengths) {
      it(`${accepted ? 'accepts' : 'refuses'} a command of ${what} (${bytes} bytes), as Debian's crontab does`, () => {
        if (accepted) {
          assert.strictEqual(Buffer.byteLength(cronCommand(script), 'utf8'), bytes);
        } else {
          assert.throws(
            () => cronCommand(script),
            (error: unknown) =>
              error instanceof CrontabTextError && /^the script path is too long for a crontab line \(\d+ (characters|bytes); /.test(error.message),
          );
        }
      });
    }

    it('says how long the command is and what to do when it is too long', () => {
      assert.throws(
        () => cronCommand(`/${'x'.repeat(1997)}`),
        (error: unknown) =>
          error instanceof CrontabTextError &&
          /^the script path is too long for a crontab line \(2000 (characters|bytes); Debian's cron accepts \d+\)\. Use a shorter 'script' path\.$/.test(
            error.message,
          ),
      );
    });
  });

  describe('blockFor', () => {
    it('makes one line per schedule, blanks collapsed, each running the quoted and escaped script', () => {
      const result = resolveJob(readCrontabFixture('nightly.bwdc-schedule'), { scheduleFile: '/srv/bwdc/nightly.bwdc-schedule', hostPlatform: 'linux' });
      assert.ok(result.job, JSON.stringify(result.diagnostics));
      const command = `'/srv/bwdc jobs/50\\%/it'\\''s "here".sh'`;
      assert.deepStrictEqual(blockFor(result.job), {
        name: 'nightly',
        scheduleFile: '/srv/bwdc/nightly.bwdc-schedule',
        lines: [`0 3 * * * ${command}`, `*/15 9-17 * * mon-fri ${command}`, `@reboot ${command}`],
      });
    });

    it('refuses a job whose script cannot be written on a crontab line', () => {
      const result = resolveJob(readCrontabFixture('nightly.bwdc-schedule'), { scheduleFile: '/srv/bwdc/nightly.bwdc-schedule', hostPlatform: 'linux' });
      assert.ok(result.job);
      assert.throws(() => blockFor({ ...result.job, script: `/${'x'.repeat(1200)}` }), CrontabTextError);
    });
  });

  describe('over a corpus of hostile crontabs', () => {
    const TRAILER = '# a foreign line added below us\n';
    for (const c of readCorpus()) {
      const block = c.block;
      if (block !== 'absent' && 'damaged' in block) {
        describe(`${c.name} (damaged)`, () => {
          it('is reported as damaged, with the reason and the marker lines', () => {
            assert.deepStrictEqual(locateBlock(c.text, 'nightly'), { kind: 'damaged', reason: block.damaged.reason, lines: block.damaged.lines });
          });
          it('is neither installed over nor removed, and the error says why and where', () => {
            throwsDamage(() => installBlock(c.text, spec), block.damaged.reason, block.damaged.lines);
            throwsDamage(() => removeBlock(c.text, 'nightly'), block.damaged.reason, block.damaged.lines);
          });
          it('has the state damaged', () => {
            assert.deepStrictEqual(blockState(c.text, spec), { state: 'damaged', reason: block.damaged.reason, lines: block.damaged.lines });
          });
        });
        continue;
      }
      describe(c.name, () => {
        const { before, after } = around(c);

        it(block === 'absent' ? 'has no block of ours' : `has our block on lines ${block.beginLine}-${block.endLine}`, () => {
          const expected: BlockLocation =
            block === 'absent'
              ? { kind: 'absent' }
              : {
                  kind: 'present',
                  start: before.length,
                  end: c.text.length - after.length,
                  text: c.text.slice(before.length, c.text.length - after.length),
                  beginLine: block.beginLine,
                  endLine: block.endLine,
                };
          assert.deepStrictEqual(locateBlock(c.text, 'nightly'), expected);
        });

        it(`installs ${block === 'absent' ? 'at the end' : 'in place'}, keeping every foreign byte`, () => {
          // The foreign text around the block, byte for byte; the only byte added is the final
          // newline an unterminated last line needs (crontab(1) refuses the file without it).
          const change = installBlock(c.text, spec);
          assert.deepStrictEqual(change, { before: c.text, after: withFinalNewline(`${before}${BLOCK}${after}`), changed: true });
        });

        it('installs idempotently: the second install changes nothing', () => {
          const once = installBlock(c.text, spec).after;
          assert.deepStrictEqual(installBlock(once, spec), { before: once, after: once, changed: false });
        });

        it('gives back the crontab without our block when removing after installing', () => {
          const installed = installBlock(c.text, spec).after;
          const removed = removeBlock(installed, 'nightly');
          assert.strictEqual(removed.after, withFinalNewline(`${before}${after}`));
          assert.strictEqual(removed.changed, true);
          if (block === 'absent') {
            assert.strictEqual(
              removed.after,
              c.text === '' || c.text.endsWith('\n') ? c.text : `${c.text}\n`,
              'remove(install(x)) is x, plus the final newline x lacked',
            );
          }
        });

        it(block === 'absent' ? 'changes nothing when removing the absent block' : 'removes our block and nothing else', () => {
          const expected = block === 'absent' ? c.text : withFinalNewline(`${before}${after}`);
          assert.deepStrictEqual(removeBlock(c.text, 'nightly'), { before: c.text, after: expected, changed: expected !== c.text });
        });

        it('updates the block in place, between the same foreign lines', () => {
          const installed = `${withFinalNewline(installBlock(c.text, spec).after)}${TRAILER}`;
          const line = locateBlock(installed, 'nightly');
          const change = installBlock(installed, updated);
          assert.strictEqual(change.after, `${withFinalNewline(`${before}${UPDATED_BLOCK}${after}`)}${TRAILER}`);
          const moved = locateBlock(change.after, 'nightly');
          assert.ok(line.kind === 'present' && moved.kind === 'present');
          assert.strictEqual(moved.beginLine, line.beginLine);
        });

        it('reports the installed block as up to date, and as not installed once removed', () => {
          const installed = installBlock(c.text, spec).after;
          assert.deepStrictEqual(blockState(installed, spec), { state: 'installed', upToDate: true, lines: spec.lines });
          assert.deepStrictEqual(blockState(installed, updated), { state: 'installed', upToDate: false, lines: spec.lines });
          assert.deepStrictEqual(blockState(removeBlock(installed, 'nightly').after, spec), { state: 'not-installed' });
        });

        it('only ever writes a crontab that ends with a newline', () => {
          for (const change of [installBlock(c.text, spec), removeBlock(c.text, 'nightly'), removeBlock(installBlock(c.text, spec).after, 'nightly')]) {
            if (change.changed) assert.ok(change.after === '' || change.after.endsWith('\n'), JSON.stringify(change.after));
          }
        });
      });
    }

    it('agrees with Debian that a crontab without a final newline cannot be installed (so adding one is required, not a choice)', () => {
      const listings = readJsonFixture<{ withoutFinalNewline: { status: number; stderr: string } }>('debian-listings.json');
      assert.deepStrictEqual(listings.withoutFinalNewline, {
        input: '0 3 * * * true',
        status: 1,
        stderr: "new crontab file is missing newline before EOF, can't install.\n",
      });
    });
  });

  describe('job names that are prefixes, suffixes or regular expressions of others', () => {
    const neighbours: readonly { readonly name: string; readonly others: readonly string[] }[] = [
      { name: 'nightly', others: ['nightly-2', 'xnightly', 'nightly.', 'Nightly'] },
      { name: 'a.b', others: ['aXb', 'a.bc', 'xa.b', 'a-b'] },
      { name: 'a+b', others: ['aab', 'aaab', 'a'] },
      { name: '[nightly]', others: ['n', 'nightly', '[nightly'] },
      { name: '(a|b)', others: ['a', 'b', 'a|b'] },
      { name: '^x$', others: ['x', '^x'] },
      { name: 'x?', others: ['x', ''] },
      { name: '\\d+', others: ['1', 'dd', '\\d'] },
      { name: '.*', others: ['anything', '.', ''] },
    ];
    const blockOf = (name: string, line: string): BlockSpec => ({ name, scheduleFile: `/srv/${name}.bwdc-schedule`, lines: [line] });
    for (const { name, others } of neighbours) {
      it(`keeps the blocks of ${others.map((o) => JSON.stringify(o)).join(', ')} apart from ${JSON.stringify(name)}`, () => {
        const foreign = others.map((other, index) => blockText(blockOf(other, `${index} 1 * * * '/srv/other.sh'`))).join('# between\n');
        const text = `MAILTO=""\n${foreign}# end\n`;
        assert.deepStrictEqual(locateBlock(text, name), { kind: 'absent' });
        const ours = blockOf(name, "0 3 * * * '/srv/ours.sh'");
        const installed = installBlock(text, ours).after;
        assert.strictEqual(installed, `${text}${blockText(ours)}`);
        const withOursFirst = `${blockText(ours)}${text}`;
        const location = locateBlock(withOursFirst, name);
        assert.ok(location.kind === 'present');
        assert.deepStrictEqual([location.beginLine, location.endLine, location.start, location.end], [1, 3, 0, blockText(ours).length]);
        assert.strictEqual(removeBlock(withOursFirst, name).after, text);
        for (const other of others) {
          assert.strictEqual(locateBlock(installed, other).kind, 'present', `the block of ${JSON.stringify(other)} is still found`);
        }
      });
    }

    it('installs a second job below the first and removes each without touching the other', () => {
      const second: BlockSpec = { name: 'nightly-2', scheduleFile: '/srv/other/nightly-2.bwdc-schedule', lines: ["0 4 * * * '/srv/other/sync.sh'"] };
      const both = installBlock(installBlock('# mine\n', spec).after, second).after;
      assert.strictEqual(both, `# mine\n${BLOCK}${blockText(second)}`);
      assert.strictEqual(removeBlock(both, 'nightly').after, `# mine\n${blockText(second)}`);
      assert.strictEqual(removeBlock(both, 'nightly-2').after, `# mine\n${BLOCK}`);
    });
  });

  describe('blockState', () => {
    const begin = '# BEGIN bwdc-schedule nightly (from /srv/bwdc/nightly.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n';
    const end = '# END bwdc-schedule nightly\n';
    const states: readonly { readonly what: string; readonly text: string; readonly state: ReturnType<typeof blockState> }[] = [
      { what: 'nothing installed in an empty crontab', text: '', state: { state: 'not-installed' } },
      {
        what: 'nothing installed next to another job',
        text: "# BEGIN bwdc-schedule nightly-2\n0 3 * * * '/x'\n# END bwdc-schedule nightly-2\n",
        state: { state: 'not-installed' },
      },
      { what: 'installed and identical', text: `# mine\n${BLOCK}# after\n`, state: { state: 'installed', upToDate: true, lines: spec.lines } },
      {
        what: 'installed with another time',
        text: `${begin}0 4 * * * ${SCRIPT}\n@reboot ${SCRIPT}\n${end}`,
        state: { state: 'installed', upToDate: false, lines: [`0 4 * * * ${SCRIPT}`, `@reboot ${SCRIPT}`] },
      },
      {
        what: 'installed with a line fewer',
        text: `${begin}0 3 * * * ${SCRIPT}\n${end}`,
        state: { state: 'installed', upToDate: false, lines: [`0 3 * * * ${SCRIPT}`] },
      },
      {
        what: 'installed with a line more',
        text: `${begin}0 3 * * * ${SCRIPT}\n@reboot ${SCRIPT}\n# added by hand\n${end}`,
        state: { state: 'installed', upToDate: false, lines: [...spec.lines, '# added by hand'] },
      },
      {
        what: 'installed with the lines swapped',
        text: `${begin}@reboot ${SCRIPT}\n0 3 * * * ${SCRIPT}\n${end}`,
        state: { state: 'installed', upToDate: false, lines: [`@reboot ${SCRIPT}`, `0 3 * * * ${SCRIPT}`] },
      },
      {
        what: 'installed with a trailing space on a line',
        text: `${begin}0 3 * * * ${SCRIPT} \n@reboot ${SCRIPT}\n${end}`,
        state: { state: 'installed', upToDate: false, lines: [`0 3 * * * ${SCRIPT} `, `@reboot ${SCRIPT}`] },
      },
      { what: 'installed empty', text: `${begin}${end}`, state: { state: 'installed', upToDate: false, lines: [] } },
      // Not up to date: install would add the final newline crontab(1) requires.
      {
        what: 'installed with the END line unterminated',
        text: `${begin}0 3 * * * ${SCRIPT}\n@reboot ${SCRIPT}\n# END bwdc-schedule nightly`,
        state: { state: 'installed', upToDate: false, lines: spec.lines },
      },
      {
        what: 'damaged: BEGIN without END',
        text: `# x\n${begin}0 3 * * * ${SCRIPT}\n`,
        state: { state: 'damaged', reason: "a begin marker of 'nightly' without its end marker", lines: [2] },
      },
      { what: 'damaged: two blocks', text: `${BLOCK}${BLOCK}`, state: { state: 'damaged', reason: "more than one block of 'nightly'", lines: [1, 4, 5, 8] } },
    ];
    for (const { what, text, state } of states) {
      it(`says ${what}`, () => {
        assert.deepStrictEqual(blockState(text, spec), state);
      });
    }

    it('calls a block up to date only when install would change nothing: a BEGIN line naming another schedule file is not', () => {
      const elsewhere = BLOCK.replace('(from /srv/bwdc/nightly.bwdc-schedule;', '(from /old/place/nightly.bwdc-schedule;');
      assert.deepStrictEqual(blockState(elsewhere, spec), { state: 'installed', upToDate: false, lines: spec.lines });
      assert.deepStrictEqual(installBlock(elsewhere, spec), { before: elsewhere, after: BLOCK, changed: true });
    });

    it('reads a CRLF block as its lines without the CR bytes, and as not up to date (install rewrites it with LF)', () => {
      const crlf = BLOCK.replace(/\n/g, '\r\n');
      assert.deepStrictEqual(blockState(crlf, spec), { state: 'installed', upToDate: false, lines: spec.lines });
      assert.strictEqual(installBlock(crlf, spec).after, BLOCK);
    });
  });

  describe("reading Debian's crontab -l", () => {
    interface Listing {
      readonly name: string;
      readonly input: string;
      readonly listingNoHeaderN: string;
      readonly listingDefault: string;
    }
    const { listings } = readJsonFixture<{ listings: Listing[] }>('debian-listings.json');
    /** crontab -l prints CR and backspace bytes as the two characters \r and \b. */
    const asListed = (text: string): string => text.replace(/\r/g, '\\r').replaceAll('\u0008', '\\b');

    for (const listing of listings) {
      it(`strips exactly the header Debian wrote: ${listing.name}`, () => {
        assert.strictEqual(stripListingHeader(listing.listingNoHeaderN), asListed(listing.input));
      });
      it(`leaves a listing without a header as it is: ${listing.name}`, () => {
        assert.strictEqual(stripListingHeader(listing.listingDefault), listing.listingDefault);
      });
      it(`either reads back the installed crontab exactly or flags it: ${listing.name}`, () => {
        const text = stripListingHeader(listing.listingNoHeaderN);
        assert.ok(unfaithfulListingLines(text).length > 0 || text === listing.input, JSON.stringify(text));
      });
    }

    const header = [
      '# DO NOT EDIT THIS FILE - edit the master and reinstall.\n',
      '# (- installed on Mon Nov 23 11:54:54 2026)\n',
      '# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)\n',
    ];
    const stripped: readonly { readonly what: string; readonly listing: string; readonly text: string }[] = [
      { what: 'nothing but the header', listing: header.join(''), text: '' },
      {
        what: 'a header written twice (one pile-up is user text by now)',
        listing: `${header.join('')}${header.join('')}0 3 * * * true\n`,
        text: `${header.join('')}0 3 * * * true\n`,
      },
      { what: 'a header with CRLF endings', listing: `${header.join('').replace(/\n/g, '\r\n')}# mine\n`, text: '# mine\n' },
      { what: 'only the first header line', listing: `${header[0]}# (not a header)\n`, text: '# (not a header)\n' },
      { what: 'the first two header lines', listing: `${header[0]}${header[1]}0 3 * * * true\n`, text: '0 3 * * * true\n' },
      {
        what: 'lines that look like the header but do not start with DO NOT EDIT',
        listing: `${header[1]}${header[2]}# mine\n`,
        text: `${header[1]}${header[2]}# mine\n`,
      },
      { what: 'a header below the first line', listing: `# mine\n${header.join('')}`, text: `# mine\n${header.join('')}` },
      {
        what: 'a header of a file installed from a path',
        listing: `${header[0]}# (/tmp/crontab.Xa9/crontab installed on Tue Feb  3 04:05:06 2026)\n${header[2]}@daily true\n`,
        text: '@daily true\n',
      },
      { what: 'the header without a newline after its last line', listing: `${header[0]}${header[1]}${header[2]!.trimEnd()}`, text: header[2]!.trimEnd() },
    ];
    for (const { what, listing, text } of stripped) {
      it(`strips the header from ${what}`, () => {
        assert.strictEqual(stripListingHeader(listing), text);
      });
    }

    it('flags the lines of a CRLF crontab as listed by Debian', () => {
      const listing = listings.find((l) => l.name === 'CRLF line endings')!;
      assert.deepStrictEqual(unfaithfulListingLines(stripListingHeader(listing.listingNoHeaderN)), [1, 2]);
    });

    it('flags a line whose backspace Debian listed as \\b', () => {
      const listing = listings.find((l) => l.name === 'a backspace byte in a comment')!;
      assert.deepStrictEqual(unfaithfulListingLines(stripListingHeader(listing.listingNoHeaderN)), [1]);
    });

    it('flags \\r and \\b the user wrote (they cannot be told apart from escapes), but not \\% or \\n', () => {
      const listing = listings.find((l) => l.name === 'the characters \\r, \\b and \\% written out')!;
      assert.deepStrictEqual(unfaithfulListingLines(stripListingHeader(listing.listingNoHeaderN)), [1]);
    });

    const flagged: readonly { readonly what: string; readonly text: string; readonly lines: readonly number[] }[] = [
      { what: 'an empty listing', text: '', lines: [] },
      { what: 'ordinary lines', text: "MAILTO=\"\"\n0 3 * * * printf 'a\\tb\\n' | tr -d '\\\\'\n", lines: [] },
      { what: 'real CR bytes (not what crontab -l prints)', text: 'a\r\nb\rc\r\n', lines: [] },
      { what: '\\r and \\b on several lines, counted across CRLF lines', text: 'ok\r\nx\\r\nok\ny\\b\n\\\\r\nlast \\r', lines: [2, 4, 5, 6] },
      { what: 'capital \\R and \\B', text: 'a\\R\nb\\B\n', lines: [] },
    ];
    for (const { what, text, lines } of flagged) {
      it(`flags lines ${JSON.stringify(lines)} in ${what}`, () => {
        assert.deepStrictEqual(unfaithfulListingLines(text), lines);
      });
    }
  });
});
