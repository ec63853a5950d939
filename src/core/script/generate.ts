import type { Platform } from '../schedule/directives';
import { jobFingerprint, type SyncJob } from '../schedule/job';
import { generateBashScript } from './bash';
import { generatePowerShellScript } from './powershell';

export interface GeneratedScript {
  readonly text: string;
  readonly fingerprint: string;
}

/** The sync script for the job's platform (or another one, for `--platform`). */
export function generateScript(job: SyncJob, generatorVersion: string, platform: Platform = job.platform): GeneratedScript {
  const target = platform === job.platform ? job : { ...job, platform };
  const fingerprint = jobFingerprint(target, generatorVersion);
  const header = { generatorVersion, fingerprint };
  const text = platform === 'windows' ? generatePowerShellScript(target, header) : generateBashScript(target, header);
  return { text, fingerprint };
}

export type ScriptState = 'missing' | 'current' | 'outdated' | 'foreign';

/** Whether the script on disk is the one this schedule file would generate now. */
export function scriptState(existing: string | undefined, fingerprint: string): ScriptState {
  if (existing === undefined) return 'missing';
  const found = /^# Fingerprint: (\S+)/m.exec(existing.slice(0, 2000));
  if (!found) return 'foreign';
  return found[1] === fingerprint ? 'current' : 'outdated';
}
