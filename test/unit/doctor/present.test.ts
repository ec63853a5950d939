import * as assert from 'assert';
import { runChecks } from '../../../src/core/doctor/checks';
import { setupMarkdown } from '../../../src/core/doctor/present';
import type { CronFacts, DoctorSnapshot } from '../../../src/core/doctor/snapshot';
import { germanBundle, withBundle } from '../translations';
import { healthySnapshot, SCHEDULE_FILE } from './support';

const presentation = { scheduleFile: SCHEDULE_FILE, job: 'weekly-sync', runAs: 'bwdc' };

function broken(): DoctorSnapshot {
  const healthy = healthySnapshot();
  return {
    ...healthy,
    scheduler: { ...(healthy.scheduler as CronFacts), daemon: undefined, daemonZone: { zone: 'UTC', source: '/etc/timezone' } },
    secret: { scheme: 'file', file: { ...(healthy.secret as { file: DoctorSnapshot['log'] }).file, mode: 0o644 } },
  };
}

describe('doctor: the Check Setup report in Markdown', () => {
  it('says everything is in place and lists what passed, without problem sections', () => {
    const markdown = setupMarkdown(runChecks(healthySnapshot()), presentation);
    const lines = markdown.split('\n');
    assert.strictEqual(lines[0], '# Check Setup: weekly-sync.bwdc-schedule');
    assert.ok(lines.includes('**Everything the scheduled sync needs is in place \\(19 checks\\).**'), markdown);
    assert.ok(!markdown.includes('## Problems') && !markdown.includes('## Warnings'));
    assert.ok(lines.includes('- ✅ The cron daemon is running \\(pid 412\\).'), markdown);
    assert.strictEqual(lines.filter((line) => line.startsWith('- ✅')).length, 19);
  });

  it('puts problems first, then warnings, each with its fix under it, Markdown escaped', () => {
    const markdown = setupMarkdown(runChecks(broken()), presentation);
    const lines = markdown.split('\n');
    assert.ok(lines.includes('**2 problems keep the scheduled sync from working.**'), markdown);
    const problems = lines.indexOf('## Problems');
    const warnings = lines.indexOf('## Warnings');
    const inPlace = lines.indexOf('## In place');
    assert.ok(problems > 0 && problems < warnings && warnings < inPlace, markdown);
    const daemon = lines.indexOf('- ❌ No cron daemon is running, so nothing starts the job at its times. (`cron-daemon`)');
    assert.ok(daemon > problems && daemon < warnings, markdown);
    assert.match(lines[daemon + 1]!, /^ {2}- Fix: Start it and have it start at boot: sudo systemctl enable --now cron \\\(without systemd/);
    const secret = lines.findIndex((line) => line.includes('(`secret-mode`)'));
    assert.match(lines[secret + 1]!, /^ {2}- Fix: sudo chown bwdc \/home\/bwdc\/client\\_secret && sudo chmod 600/);
    assert.ok(lines.some((line, index) => index > warnings && index < inPlace && line.includes('(`timezone`)')));
    assert.strictEqual(lines.at(-2), 'The same check on a server: bwdc-schedule doctor /srv/bwdc/weekly-sync.bwdc-schedule');
  });

  it('speaks German with the German bundle', () => {
    const markdown = withBundle(germanBundle(), () => setupMarkdown(runChecks(broken()), presentation));
    assert.match(markdown, /^# Einrichtung prüfen: weekly-sync\.bwdc-schedule$/m);
    assert.match(markdown, /^\*\*2 Probleme verhindern, dass die geplante Synchronisierung funktioniert\.\*\*$/m);
    assert.match(markdown, /^- ❌ Es läuft kein cron-Daemon, also startet nichts den Job zu seinen Zeiten\. \(`cron-daemon`\)$/m);
    assert.match(markdown, /^ {2}- Abhilfe: /m);
  });
});
