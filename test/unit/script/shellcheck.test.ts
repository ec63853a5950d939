import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { SyncJob } from '../../../src/core/schedule/job';
import { instanceLabels } from '../../../src/core/script/bash';
import { generateScript } from '../../../src/core/script/generate';
import { shellQuote } from '../../../src/core/script/quote';
import { jobOf, posixLayout, renderSchedule, requireTool, secretLine, TEST_VERSION, useSandboxes, type NameSet, type SecretScheme } from './support';

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly level: string;
  readonly code: number;
  readonly message: string;
}

/**
 * Findings allowed on purpose. Each says which findings it covers, precisely, and why they are
 * false positives; the last test fails when an allowance is no longer needed, so the list stays short.
 */
const ALLOWED: readonly {
  readonly code: number;
  readonly level: string;
  readonly applies: (finding: Finding, line: string, values: readonly string[]) => boolean;
  readonly reason: string;
}[] = [
  {
    code: 2094,
    level: 'info',
    applies: (_finding, line) => /^ {2}if LC_ALL=C tr -d '\\000' < "\$file" \| LC_ALL=C cmp -s - "\$file"; then$/.test(line),
    reason:
      "json_ok (src/core/script/jsonCheck.ts, another owner's) compares data.json with itself minus NUL bytes: both sides of the pipe only read the file, nothing writes it, but SC2094 cannot tell a read from a write.",
  },
  {
    code: 2016,
    level: 'info',
    applies: (finding, line, values) => insideQuotedValue(finding, line, values),
    reason:
      "Values from the schedule file (a folder called '$HOME x', an env value with `id` in it) are meant literally, so the script single-quotes them on purpose; SC2016 assumes a '$' in single quotes was meant to expand. Allowed only where the flagged text lies inside the single-quoted form of one of the job's own values.",
  },
];

/** Whether the flagged columns (shellcheck counts characters, from 1) lie inside shellQuote(value) for a value of the job. */
function insideQuotedValue(finding: Finding, line: string, values: readonly string[]): boolean {
  const characters = Array.from(line);
  const start = finding.column - 1;
  const end = finding.endColumn - 1;
  return values.some((value) => {
    const quoted = Array.from(shellQuote(value));
    for (let at = 0; at + quoted.length <= characters.length; at++) {
      if (start >= at && end <= at + quoted.length && quoted.every((character, index) => characters[at + index] === character)) return true;
    }
    return false;
  });
}

/** The values of a job that the script writes as shell words. */
function jobValues(job: SyncJob): string[] {
  return [
    job.name,
    job.bwdc,
    job.clientId,
    job.log,
    job.runAs ?? '',
    ...job.instances,
    ...instanceLabels(job.instances, job.platform),
    ...job.env.map((variable) => variable.value),
    job.secret.target,
  ];
}

interface MatrixCase {
  readonly name: string;
  readonly text: string;
  readonly values: readonly string[];
}

/**
 * Every schedule the matrix covers: platform x secret source that fits it x instances x env lines x
 * paths; on linux a file: secret also with `scheduler systemd` (the script reads the credential).
 */
function matrix(): MatrixCase[] {
  const sources: Record<'linux' | 'macos', readonly (SecretScheme | 'file, scheduler systemd')[]> = {
    linux: ['file', 'env', 'file, scheduler systemd'],
    macos: ['file', 'env', 'keychain'],
  };
  const cases: MatrixCase[] = [];
  for (const platform of ['linux', 'macos'] as const) {
    for (const source of sources[platform]) {
      const secret = source === 'file, scheduler systemd' ? 'file' : source;
      const systemd = source !== secret;
      for (const instances of [0, 2]) {
        for (const withEnv of [false, true]) {
          for (const names of ['plain', 'hostile'] as NameSet[]) {
            const layout = posixLayout('/srv/bwdc-test', names);
            const text = renderSchedule('job.template.bwdc-schedule', {
              platform,
              runAs: 'bwdc',
              bwdc: layout.bwdc,
              secret: secretLine(secret, layout),
              instances: layout.instances.slice(0, instances),
              env: withEnv ? layout.names.env : [],
              log: layout.log,
            }).concat(systemd ? 'scheduler systemd\n' : '');
            const name = `${platform}, ${secret}:${systemd ? ' (scheduler systemd)' : ''}, ${instances === 0 ? 'no instances (default folder)' : `${instances} instances`}, ${withEnv ? 'env lines' : 'no env lines'}, ${names} paths`;
            const job = jobOf(text, layout.scheduleFile);
            cases.push({ name, text: generateScript(job, TEST_VERSION).text, values: jobValues(job) });
          }
        }
      }
    }
  }
  return cases;
}

function shellcheck(files: readonly string[]): Promise<Finding[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('shellcheck', ['-S', 'style', '-f', 'json1', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      // 0: nothing found, 1: findings; anything else is shellcheck failing.
      if (code !== 0 && code !== 1) reject(new Error(`shellcheck exited ${code}: ${stderr}`));
      else resolve((JSON.parse(stdout) as { comments: Finding[] }).comments);
    });
  });
}

describe('shellcheck -S style on generated bash scripts (a matrix of schedule files)', function () {
  this.timeout(60_000);
  const sandbox = useSandboxes();
  const cases = matrix();
  const findings = new Map<string, Finding[]>();
  const files: string[] = [];

  before(async () => {
    requireTool('shellcheck', 'shellcheck');
    const folder = sandbox();
    cases.forEach((entry, index) => {
      const file = path.join(folder, `${String(index).padStart(2, '0')}.sh`);
      fs.writeFileSync(file, entry.text);
      files.push(file);
    });
    // Two shellcheck processes, one per core.
    const half = Math.ceil(files.length / 2);
    const results = await Promise.all([shellcheck(files.slice(0, half)), shellcheck(files.slice(half))]);
    for (const finding of results.flat()) findings.set(finding.file, [...(findings.get(finding.file) ?? []), finding]);
  });

  it('covers every platform, secret source, instance and env combination, with plain and hostile paths', () => {
    assert.strictEqual(cases.length, (3 + 3) * 2 * 2 * 2);
    assert.strictEqual(new Set(cases.map((entry) => entry.text)).size, cases.length, 'every case generates a different script');
  });

  cases.forEach((entry, index) => {
    it(`finds nothing but the listed allowances: ${entry.name}`, () => {
      const file = files[index]!;
      const lines = entry.text.split('\n');
      const unexpected = (findings.get(file) ?? []).filter((finding) => !allowed(finding, lines[finding.line - 1] ?? '', entry.values));
      assert.deepStrictEqual(
        unexpected.map((finding) => `line ${finding.line}: SC${finding.code} (${finding.level}) ${finding.message}: ${lines[finding.line - 1]}`),
        [],
      );
    });
  });

  it('still needs every allowance (remove the ones shellcheck no longer reports)', () => {
    for (const allowance of ALLOWED) {
      const used = files.some((file, index) =>
        (findings.get(file) ?? []).some(
          (finding) =>
            finding.code === allowance.code && allowance.applies(finding, cases[index]!.text.split('\n')[finding.line - 1] ?? '', cases[index]!.values),
        ),
      );
      assert.ok(used, `SC${allowance.code} is no longer reported: drop its allowance (${allowance.reason})`);
    }
  });
});

function allowed(finding: Finding, line: string, values: readonly string[]): boolean {
  return ALLOWED.some((allowance) => allowance.code === finding.code && allowance.level === finding.level && allowance.applies(finding, line, values));
}
