import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { INSTALL_SYSTEMD_TIMER_COMMAND, REMOVE_SYSTEMD_TIMER_COMMAND } from '../../../src/editor/ids';
import { saysSchedulerSystemd } from '../../../src/core/systemd/detect';
import { repositoryRoot } from '../cli/fakeIo';

const root = repositoryRoot();
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the systemd timer commands in the manifest', () => {
  it('contributes both, shown in the palette on Linux hosts and schedule files only', () => {
    const palette = manifest.contributes.menus.commandPalette as { command: string; when: string }[];
    for (const command of [INSTALL_SYSTEMD_TIMER_COMMAND, REMOVE_SYSTEMD_TIMER_COMMAND]) {
      assert.ok(
        (manifest.contributes.commands as { command: string }[]).some((entry) => entry.command === command),
        command,
      );
      assert.strictEqual(palette.find((entry) => entry.command === command)?.when, 'editorLangId == bwdc-schedule && bwdcSchedule.hostPlatform == linux');
    }
  });

  it('has a walkthrough step for Linux hosts that installs the timer', () => {
    const step = (manifest.contributes.walkthroughs[0].steps as { id: string; when?: string; completionEvents: string[] }[]).find(
      (candidate) => candidate.id === 'installSystemdTimer',
    );
    assert.ok(step);
    assert.strictEqual(step.when, 'bwdcSchedule.hostPlatform == linux');
    assert.deepStrictEqual(step.completionEvents, [`onCommand:${INSTALL_SYSTEMD_TIMER_COMMAND}`]);
  });

  it('tells a systemd file from its text alone, as the CodeLens and the status item do', () => {
    assert.ok(saysSchedulerSystemd('name x\nscheduler  systemd\n'));
    assert.ok(saysSchedulerSystemd('scheduler systemd   # a timer\n'));
    assert.ok(!saysSchedulerSystemd('# scheduler systemd\nscheduler cron\n'));
    assert.ok(!saysSchedulerSystemd('scheduler systemdx\n'));
  });
});
