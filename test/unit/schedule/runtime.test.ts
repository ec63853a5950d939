import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDuration, isoDuration, parseDuration } from '../../../src/core/duration';
import { diagnoseSchedule } from '../../../src/core/schedule/diagnose';
import { resolveJob } from '../../../src/core/schedule/job';
import { taskTimeLimitSeconds } from '../../../src/core/task/xml';
import { diskLookups } from '../../../src/host/files';
import { applyEdits } from './support';

const BASE = ['schedule 0 12 * * 1', 'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11', 'secret env:BWDC_CLIENT_SECRET'];
const PLAINTEXT = 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true';

function codes(lines: readonly string[], platform: 'linux' | 'macos' | 'windows' = 'linux'): string[] {
  return diagnoseSchedule(lines.join('\n'), { hostPlatform: platform }).map((d) => `${d.severity} ${d.code} ${d.range.start.line}:${d.range.start.character}`);
}

describe('what the schedule file says about running unattended', () => {
  describe('timeout', () => {
    const durations: readonly (readonly [string, number | undefined])[] = [
      ['30s', 30],
      ['20m', 1200],
      ['2h', 7200],
      ['1h30m', 5400],
      ['1h30m15s', 5415],
      ['30', undefined],
      ['30 m', undefined],
      ['1.5h', undefined],
      ['m', undefined],
      ['', undefined],
      ['30m1h', undefined],
    ];
    for (const [text, seconds] of durations) {
      it(`reads '${text}' as ${seconds === undefined ? 'no duration' : `${seconds} s`}`, () => {
        assert.strictEqual(parseDuration(text), seconds);
      });
    }

    it('writes durations back in their shortest form, and as ISO 8601 for Task Scheduler', () => {
      assert.deepStrictEqual([1800, 5400, 45, 86400].map(formatDuration), ['30m', '1h30m', '45s', '24h']);
      assert.deepStrictEqual([1800, 5400, 45, 2400].map(isoDuration), ['PT30M', 'PT1H30M', 'PT45S', 'PT40M']);
    });

    it('accepts 10 seconds to 24 hours, and says what a wrong value should look like', () => {
      assert.deepStrictEqual(codes([...BASE, PLAINTEXT, 'timeout 20m']), []);
      assert.deepStrictEqual(codes([...BASE, PLAINTEXT, 'timeout 10s']), []);
      assert.deepStrictEqual(codes([...BASE, PLAINTEXT, 'timeout 24h']), []);
      for (const bad of ['9s', '25h', '20', 'soon']) assert.deepStrictEqual(codes([...BASE, PLAINTEXT, `timeout ${bad}`]), ['error invalid-timeout 4:8'], bad);
      const [fix] = diagnoseSchedule([...BASE, PLAINTEXT, 'timeout 20'].join('\n'), { hostPlatform: 'linux' })[0]!.fixes!;
      assert.strictEqual(fix!.title, "Change to '20m'");
    });

    it('gives the job 30 minutes per instance unless the file says otherwise, and Task Scheduler the sum plus ten minutes', () => {
      const job = (extra: readonly string[]): { instances: readonly string[]; timeoutSeconds: number } =>
        resolveJob([...BASE, 'bwdc /usr/bin/bwdc', PLAINTEXT, ...extra].join('\n'), { hostPlatform: 'linux', scheduleFile: '/srv/job.bwdc-schedule' }).job!;
      assert.strictEqual(job([]).timeoutSeconds, 1800);
      assert.strictEqual(job(['timeout 1h']).timeoutSeconds, 3600);
      assert.strictEqual(taskTimeLimitSeconds(job([])), 40 * 60, 'the default folder counts as one instance');
      assert.strictEqual(taskTimeLimitSeconds(job(['timeout 20m', 'instance /a', 'instance /b'])), 50 * 60);
    });
  });

  describe('plaintext-missing', () => {
    it('warns on a Linux or macOS job without plaintext mode, on the client-id key', () => {
      assert.deepStrictEqual(codes(BASE), ['warning plaintext-missing 1:0']);
      assert.deepStrictEqual(codes(['platform macos', ...BASE]), ['warning plaintext-missing 2:0']);
      assert.match(diagnoseSchedule(BASE.join('\n'), { hostPlatform: 'linux' })[0]!.message, /a job started by cron has no keyring/);
    });

    it('says nothing for a Windows job, or when the line is there (a wrong value is plaintext-value)', () => {
      assert.deepStrictEqual(
        codes(['platform windows', 'schedule 0 12 * * 1', 'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11', 'secret env:S']),
        [],
      );
      assert.deepStrictEqual(codes([...BASE, PLAINTEXT]), []);
      assert.deepStrictEqual(codes([...BASE, 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=yes']), ['warning plaintext-value 3:45']);
    });

    for (const [name, text] of [
      ['after the last env line', `${BASE.join('\n')}\nenv NODE_EXTRA_CA_CERTS=/ca.pem\nlog /var/log/bwdc.log\n`],
      ['at the end of a file without a final line break', BASE.join('\n')],
      ['after the last line', `${BASE.join('\n')}\n`],
    ] as const) {
      it(`has a preferred quick fix that adds the line ${name}, after which the file is clean`, () => {
        const diagnostic = diagnoseSchedule(text, { hostPlatform: 'linux' }).find((d) => d.code === 'plaintext-missing')!;
        const fix = diagnostic.fixes![0]!;
        assert.strictEqual(fix.preferred, true);
        const fixed = applyEdits(text, fix.edits);
        assert.match(fixed, /^env {8}BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true$/m);
        assert.deepStrictEqual(codes(fixed.split('\n')), []);
      });
    }
  });

  describe('bwdc-native-missing', () => {
    let folder: string;
    beforeEach(() => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-native-'));
    });
    afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

    function check(): string[] {
      const text = [...BASE, PLAINTEXT, `bwdc ${path.join(folder, 'bwdc')}`].join('\n');
      return diagnoseSchedule(text, { hostPlatform: 'linux', scheduleFile: path.join(folder, 'job.bwdc-schedule'), ...diskLookups() }).map((d) => d.code);
    }

    it('warns when a packaged bwdc (an executable) has neither keytar.node nor dc_native.*.node beside it', () => {
      fs.writeFileSync(path.join(folder, 'bwdc'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]), Buffer.alloc(64)]), {
        mode: 0o755,
      });
      assert.deepStrictEqual(check(), ['bwdc-native-missing']);
      fs.writeFileSync(path.join(folder, 'dc_native.linux-x64-gnu.node'), '');
      assert.deepStrictEqual(check(), []);
      fs.rmSync(path.join(folder, 'dc_native.linux-x64-gnu.node'));
      fs.writeFileSync(path.join(folder, 'keytar.node'), '');
      assert.deepStrictEqual(check(), []);
    });

    it('leaves a bwdc that is a script (a wrapper, or bwdc.js run by node) alone', () => {
      fs.writeFileSync(path.join(folder, 'bwdc'), '#!/bin/sh\nexec node /opt/bwdc/bwdc.js "$@"\n', { mode: 0o755 });
      assert.deepStrictEqual(check(), []);
    });
  });
});
