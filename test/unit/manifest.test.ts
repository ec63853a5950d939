import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/** The manifest's commands, menus and walkthrough hold together: every link resolves. */

const root = [path.resolve(__dirname, '../../..'), path.resolve(__dirname, '../..'), process.cwd()].find((dir) =>
  fs.existsSync(path.join(dir, 'package.nls.json')),
)!;
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const contributed = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));

function resolved(value: string): string {
  const key = /^%(.+)%$/.exec(value)?.[1];
  if (!key) return value;
  assert.ok(key in nls, `package.nls.json lacks ${key}`);
  return nls[key]!;
}

function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(command:([\w.]+)/g)].map((match) => match[1]!);
}

describe('the manifest', () => {
  it('titles every command through package.nls.json, under the bwdc category', () => {
    for (const command of manifest.contributes.commands) {
      assert.match(command.title, /^%command\.\w+%$/, command.command);
      assert.ok(resolved(command.title).length > 0);
      assert.strictEqual(command.category, 'bwdc');
    }
  });

  it('shows only contributed commands in menus', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus as Record<string, { command: string }[]>)) {
      for (const entry of entries) assert.ok(contributed.has(entry.command), `${menu}: ${entry.command}`);
    }
  });

  describe('walkthrough', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    const steps: { id: string; title: string; description: string; when?: string; media: { markdown: string }; completionEvents: string[] }[] =
      walkthrough.steps;

    it('has four or five steps for each host: schedule, data.json, secret, script, install', () => {
      for (const host of ['linux', 'windows']) {
        const shown = steps.filter((step) => !step.when || (host === 'windows' ? step.when.includes('== windows') : step.when.includes('!= windows')));
        assert.ok(shown.length >= 4 && shown.length <= 5, `${host}: ${shown.map((s) => s.id).join(', ')}`);
      }
    });

    it('gives every step a button that runs a contributed command, and completes it when that command runs', () => {
      for (const step of steps) {
        const links = commandLinks(resolved(step.description));
        assert.ok(links.length > 0, `${step.id} has no command button`);
        for (const link of links) assert.ok(contributed.has(link), `${step.id} links ${link}, which is not contributed`);
        assert.ok(resolved(step.title).length > 0);
        assert.ok(step.completionEvents.length > 0, step.id);
        for (const event of step.completionEvents) {
          const command = /^onCommand:(.+)$/.exec(event)?.[1];
          assert.ok(command && links.includes(command), `${step.id}: ${event} is not one of its buttons (${links.join(', ')})`);
        }
      }
    });

    it('installs with crontab on Linux and macOS, with Task Scheduler on Windows', () => {
      const install = (id: string) => steps.find((step) => step.id === id)!;
      assert.strictEqual(install('installCrontab').when, 'bwdcSchedule.hostPlatform != windows');
      assert.strictEqual(install('installTask').when, 'bwdcSchedule.hostPlatform == windows');
    });

    it("ships every step's media", () => {
      const shipped = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
      for (const step of steps) {
        assert.ok(fs.existsSync(path.join(root, step.media.markdown)), step.media.markdown);
        assert.ok(shipped.includes(`!${path.dirname(step.media.markdown)}/**`), `.vscodeignore does not ship ${step.media.markdown}`);
      }
    });
  });
});
