import * as assert from 'assert';
import * as path from 'path';
import { generateScript } from '../../../src/core/script/generate';
import { jobOf, renderSchedule, TEST_VERSION, VALUES } from './support';

/**
 * The PowerShell script's -Test switch, read as text (PowerShell cannot run here; the parse and
 * the cmdlets are checked for every script in powershell.test.ts): the same markers and lines
 * as the bash script's --test, which test/unit/script/testMode.test.ts runs.
 */
describe('the generated PowerShell script in test mode (-Test; text only)', () => {
  const values = VALUES.windows.plain;
  const join = (...parts: string[]): string => path.win32.join(values.root, ...parts);
  const text = renderSchedule('windows.template.bwdc-schedule', {
    platform: 'windows',
    runAs: values.runAs,
    bwdc: values.bwdc,
    secret: `dpapi:${join(values.dpapiFile)}`,
    instances: values.instances.slice(0, 2).map((name) => join(name)),
    env: values.env,
    log: join(values.logFile),
  });
  const lines = generateScript(jobOf(text, join('job.bwdc-schedule'), 'windows'), TEST_VERSION)
    .text.split('\r\n')
    .map((line) => line.trim());

  it('takes a -Test switch and marks the run as a test run in the log and in <log>.last.json', () => {
    assert.ok(lines.includes('param([switch]$Test)'));
    assert.ok(
      lines.includes("if ($Test) { Write-Log $Job ('run started in test mode (pid {0})' -f $PID) } else { Write-Log $Job ('run started (pid {0})' -f $PID) }"),
    );
    assert.ok(lines.includes("if ($Test) { $result = 'test' }"));
  });

  it('calls bwdc test in place of bwdc sync, and fails the instance for the step test', () => {
    const branch = lines.indexOf('if ($Test) {');
    assert.ok(branch > 0);
    assert.strictEqual(lines[branch + 1], "$step = Invoke-Bwdc $Folder 'test'");
    assert.strictEqual(lines[branch + 2], "if ($step.Status -ne 0) { return (Complete-Failure $Folder $Label 'test' $step) }");
    const otherwise = lines.indexOf('} else {', branch);
    assert.strictEqual(lines[otherwise + 1], "$step = Invoke-Bwdc $Folder 'sync'");
  });

  it("hands bwdc's answer and each result to the caller on stdout with the bash script's markers, and logs only the counts", () => {
    assert.ok(lines.includes("[Console]::Out.WriteLine(('bwdc-schedule test output begin {0}' -f $script:Begun))"));
    assert.ok(lines.includes("[Console]::Out.WriteLine(('bwdc-schedule test output end {0}' -f $script:Begun))"));
    assert.ok(
      lines.some((line) => line.startsWith("if ($Test) { [Console]::Out.WriteLine(('bwdc-schedule test result {0} {1}' -f $script:Begun, (ConvertTo-Json")),
    );
    assert.ok(
      lines.includes(
        "return ('tested: {0} users ({1} enabled, {2} disabled, {3} deleted), {4} groups' -f $users, $counts['enabledUsers'], $counts['disabledUsers'], $counts['deletedUsers'], $counts['groups'])",
      ),
    );
    assert.ok(!lines.some((line) => /Write-Log.*\$step\.Stdout/.test(line)), "bwdc's answer never goes to the log");
  });
});
