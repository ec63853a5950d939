import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { blockFor, blockState } from '../../../src/core/crontab/block';
import { createUser, crontabOf, setCrontab } from '../users';
import { BUNDLE, jobOf, useCrontabSystem, writeSchedule } from './support';

/** Lines a user keeps in their crontab: every byte must survive every round. */
const FOREIGN = [
  '# my own jobs, keep them',
  'MAILTO=ops@example.com',
  '*/5 * * * * /usr/local/bin/backup --quiet',
  '0 1 * * * printf "%s\\n" "100%" >> /tmp/percent',
  '',
].join('\n');

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI as root, as a configuration tool would start it: no terminal, --yes. */
function startCli(argv: readonly string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE, ...argv], {
      env: { PATH: process.env['PATH'], HOME: '/root', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Busy loops on every core, so that the CLI processes interleave as badly as they can. */
function loadCpu(): ChildProcess[] {
  return [0, 1].map(() => spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
}

/** The crontab with every bwdc Schedule block taken out: what the user wrote. */
function withoutOurBlocks(text: string): string {
  return text.replace(/^# BEGIN bwdc-schedule [^\n]*\n(?:[^\n]*\n)*?# END bwdc-schedule [^\n]*\n/gm, '');
}

describe('crontab changes at the same moment (built CLI, as root, on a throwaway user)', function () {
  this.timeout(300_000);
  useCrontabSystem();

  it('loses nothing: of parallel installs and removes of distinct jobs, every success holds and every other run says it failed', async () => {
    const user = createUser();
    setCrontab(user.name, FOREIGN);
    const jobs = Array.from({ length: 6 }, (_, index) =>
      writeSchedule({ name: `parallel-${index}`, runAs: user.name, home: path.join(user.home, `job-${index}`) }),
    );
    const specs = jobs.map((job) => blockFor(jobOf(job.file)));
    const installed = jobs.map(() => false);
    const load = loadCpu();
    let successes = 0;
    try {
      for (let round = 0; round < 6; round++) {
        // Each job flips: installs where it is absent, removes where it is present; some twice.
        const actions = jobs.map((_, index) => (installed[index] ? 'remove' : 'install'));
        const doubled = round % jobs.length;
        const runs = [...jobs.map((_, index) => ({ index, action: actions[index]! })), { index: doubled, action: actions[doubled]! }];
        const outcomes = await Promise.all(runs.map((run) => startCli(['crontab', run.action, jobs[run.index]!.file, '--yes'])));

        const text = crontabOf(user.name) ?? '';
        assert.strictEqual(withoutOurBlocks(text), FOREIGN, `round ${round}: the user's own lines changed:\n${text}`);
        runs.forEach((run, position) => {
          const outcome = outcomes[position]!;
          const state = blockState(text, specs[run.index]!);
          const present = state.state === 'installed' && state.upToDate;
          const context = `round ${round}, ${run.action} ${jobs[run.index]!.file}: exit ${String(outcome.code)}\n${outcome.stdout}${outcome.stderr}\ncrontab:\n${text}`;
          assert.notStrictEqual(state.state, 'damaged', context);
          if (outcome.code === 0) {
            successes++;
            assert.strictEqual(present, run.action === 'install', `said it succeeded, but its effect is missing: ${context}`);
          } else {
            assert.match(
              outcome.stderr,
              /^bwdc-schedule: .*(nothing was changed|Nothing was written|try again|Try again)/im,
              `failed without saying so: ${context}`,
            );
          }
        });
        jobs.forEach((_, index) => {
          const state = blockState(text, specs[index]!);
          installed[index] = state.state === 'installed';
        });
      }
    } finally {
      for (const busy of load) busy.kill('SIGKILL');
    }
    assert.ok(successes >= 6 * 6, `only ${successes} of ${6 * 7} runs succeeded: the lock should let nearly all through`);
  });
});
