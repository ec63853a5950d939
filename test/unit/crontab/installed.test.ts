import * as assert from 'assert';
import { blockState, blockText, installBlock, installedAt, installStamp, locateBlock, removeBlock, type BlockSpec } from '../../../src/core/crontab/block';
import { readCorpus, splitKeepingEnds } from './support';

const SCRIPT = "'/srv/bwdc/bwdcSyncService.sh'";
const spec: BlockSpec = { name: 'nightly', scheduleFile: '/srv/bwdc/nightly.bwdc-schedule', lines: [`0 3 * * * ${SCRIPT}`] };
const first = installStamp(Date.parse('2026-12-04T20:41:00.750Z'), '0.1.0');
const later = installStamp(Date.parse('2026-12-06T08:00:00Z'), '0.2.0');
const BEGIN = '# BEGIN bwdc-schedule nightly (from /srv/bwdc/nightly.bwdc-schedule; managed by bwdc Schedule, edit that file instead)\n';
const OLD_BLOCK = `${BEGIN}0 3 * * * ${SCRIPT}\n# END bwdc-schedule nightly\n`;

describe('the install line of the crontab block', () => {
  it('is a comment right after the begin marker, in UTC whole seconds, with the version that wrote it', () => {
    assert.deepStrictEqual(first, { at: '2026-12-04T20:41:00Z', version: '0.1.0' });
    assert.strictEqual(
      blockText({ ...spec, installed: first }),
      `${BEGIN}# installed 2026-12-04T20:41:00Z by bwdc-schedule 0.1.0\n0 3 * * * ${SCRIPT}\n# END bwdc-schedule nightly\n`,
    );
  });

  it('is read back from the crontab (round trip), and is absent without a block or in an old block', () => {
    const text = installBlock('MAILTO=""\n', { ...spec, installed: first }).after;
    assert.deepStrictEqual(installedAt(text, 'nightly'), first);
    assert.strictEqual(installedAt('MAILTO=""\n', 'nightly'), undefined);
    assert.strictEqual(installedAt(OLD_BLOCK, 'nightly'), undefined);
    assert.strictEqual(installedAt(text, 'other'), undefined);
  });

  it('is kept by an identical reinstall: nothing changes, whatever the new time', () => {
    const text = installBlock('', { ...spec, installed: first }).after;
    assert.deepStrictEqual(installBlock(text, { ...spec, installed: later }), { before: text, after: text, changed: false });
  });

  it('is renewed when the schedule lines change: the new schedule takes effect then', () => {
    const text = installBlock('', { ...spec, installed: first }).after;
    const change = installBlock(text, { ...spec, lines: [`15 4 * * 1-5 ${SCRIPT}`], installed: later });
    assert.ok(change.changed);
    assert.deepStrictEqual(installedAt(change.after, 'nightly'), later);
  });

  it('leaves an old block (written before there was one) as it is while it runs what the file says, and stamps it once it changes', () => {
    assert.deepStrictEqual(blockState(OLD_BLOCK, spec), { state: 'installed', upToDate: true, lines: spec.lines });
    assert.deepStrictEqual(installBlock(OLD_BLOCK, { ...spec, installed: first }), { before: OLD_BLOCK, after: OLD_BLOCK, changed: false });
    const change = installBlock(OLD_BLOCK, { ...spec, lines: ['@daily x'], installed: first });
    assert.strictEqual(change.after, blockText({ ...spec, lines: ['@daily x'], installed: first }));
  });

  it('makes no difference to the status: up to date with it, the lines shown without it, its stamp given', () => {
    const text = installBlock('', { ...spec, installed: first }).after;
    assert.deepStrictEqual(blockState(text, spec), { state: 'installed', upToDate: true, lines: spec.lines, installed: first });
    assert.deepStrictEqual(blockState(text, { ...spec, lines: ['@daily x'] }), { state: 'installed', upToDate: false, lines: spec.lines, installed: first });
  });

  it('is replaced when it was edited into something this tool does not write', () => {
    const text = installBlock('', { ...spec, installed: first }).after.replace('2026-12-04T20:41:00Z', 'yesterday');
    assert.strictEqual(installedAt(text, 'nightly'), undefined);
    // Not an install line: it is one of the block's lines, so the block differs and is rewritten.
    const state = blockState(text, spec);
    assert.ok(state.state === 'installed' && !state.upToDate);
    assert.deepStrictEqual(installedAt(installBlock(text, { ...spec, installed: later }).after, 'nightly'), later);
  });

  it('never puts a control character of the version on the line', () => {
    assert.ok(!blockText({ ...spec, installed: { at: first.at, version: '1.0\n* * * * * evil' } }).includes('\n* * * * * evil'));
  });

  describe('keeps every foreign byte of the corpus crontabs', () => {
    for (const c of readCorpus()) {
      if (c.block !== 'absent' && 'damaged' in c.block) continue;
      it(c.name, () => {
        const stamped = installBlock(c.text, { ...spec, installed: first }).after;
        const plain = installBlock(c.text, spec).after;
        // The same crontab as without the line, but for the line itself.
        const lines = splitKeepingEnds(stamped);
        const location = locateBlock(stamped, 'nightly');
        assert.ok(location.kind === 'present');
        assert.strictEqual(lines[location.beginLine]!, '# installed 2026-12-04T20:41:00Z by bwdc-schedule 0.1.0\n');
        assert.strictEqual([...lines.slice(0, location.beginLine), ...lines.slice(location.beginLine + 1)].join(''), plain);
        assert.strictEqual(removeBlock(stamped, 'nightly').after, removeBlock(plain, 'nightly').after);
        assert.deepStrictEqual(installBlock(stamped, { ...spec, installed: later }).changed, false);
      });
    }
  });
});
