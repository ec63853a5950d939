import * as path from 'path';
import { version } from '../../package.json';
import { PLATFORMS, type Platform } from '../core/schedule/directives';
import { SCHEME_PLATFORMS } from '../core/schedule/secret';
import { generateScript, scriptState } from '../core/script/generate';
import { accountIdsSync, writesOnBehalf, type AccountIds } from '../host/accounts';
import { NotOursError, readTextIfExists, TextFileError, writeOwnFile } from '../host/files';
import { parse, stringOption } from './args';
import type { CliIo } from './io';
import { UsageError } from './io';
import { loadJob } from './job';

export const SCRIPT_HELP = `Usage: bwdc-schedule script FILE [--platform linux|macos|windows] [--output PATH|-]

Generates the sync script of a schedule file: bash for linux and macos, PowerShell
for windows. It locks each instance folder, checks its data.json, runs bwdc logout,
login, sync and logout, and logs every line with a timestamp.

Options:
  --platform P   generate for another platform than the file's
  --output PATH  where to write it (default: the file's 'script' path, or
                 bwdcSyncService.sh/.ps1 beside the schedule file); - for stdout
  -h, --help     show this help

A file at the target that bwdc Schedule did not generate is never replaced. Run as
root for a job with a run-as user, the script (and any folder made for it) belongs
to that user.

Exit status: 0 written, 1 the schedule file has errors or the target is not a script
bwdc Schedule wrote, 2 usage error or unwritable.
`;

export function runScript(args: readonly string[], io: CliIo): number {
  const parsed = parse('script', args, { platform: { type: 'string' }, output: { type: 'string' } });
  if (parsed.values['help']) {
    io.stdout(SCRIPT_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) throw new UsageError('script: name exactly one schedule file.');
  const platformText = stringOption(parsed, 'platform');
  if (platformText !== undefined && !(PLATFORMS as readonly string[]).includes(platformText)) {
    throw new UsageError(`script: --platform must be linux, macos or windows, not '${platformText}'.`);
  }
  const loaded = loadJob(parsed.positionals[0]!, io);
  if ('exitCode' in loaded) return loaded.exitCode;
  const platform = (platformText as Platform | undefined) ?? loaded.job.platform;
  if (!SCHEME_PLATFORMS[loaded.job.secret.scheme].includes(platform)) {
    io.stderr(`bwdc-schedule: a ${platform} script cannot read a '${loaded.job.secret.scheme}:' secret; change the secret line for that platform.\n`);
    return 1;
  }
  const generated = generateScript(loaded.job, version, platform);
  const output = stringOption(parsed, 'output');
  if (output === '-') {
    io.stdout(generated.text);
    return 0;
  }
  // For the other language (PowerShell or bash): the same name with its extension, added if the
  // `script` path has none, so the job's own script is never overwritten with the other language.
  const sameLanguage = (platform === 'windows') === (loaded.job.platform === 'windows');
  const otherLanguageScript = (): string => `${loaded.job.script.replace(/\.(sh|ps1)$/i, '')}${platform === 'windows' ? '.ps1' : '.sh'}`;
  const target = output !== undefined ? path.resolve(io.cwd, output) : sameLanguage ? loaded.job.script : otherLanguageScript();
  // Root writing the script of a job that runs as someone else: it must be theirs to run.
  const runAs = loaded.job.runAs;
  let owner: AccountIds | undefined;
  if (platform !== 'windows' && io.hostPlatform !== 'windows' && writesOnBehalf(runAs, io.currentUser)) {
    owner = accountIdsSync(runAs);
    if (!owner) {
      io.stderr(
        `bwdc-schedule: note: the run-as user ${runAs} does not exist on this machine yet, so the script belongs to root; 'crontab install' writes it again for ${runAs} once the user exists (bwdc-schedule crontab prepare-user ${parsed.positionals[0]!}).\n`,
      );
    }
  }
  let before: ReturnType<typeof scriptState>;
  try {
    before = scriptState(readTextIfExists(target), generated.fingerprint);
    writeOwnFile(target, generated.text, 'script', { mode: 0o700, ...(owner ? { owner } : {}) });
  } catch (error) {
    if (error instanceof NotOursError || error instanceof TextFileError) {
      io.stderr(`bwdc-schedule: ${error.message}\n`);
      return 1;
    }
    io.stderr(`bwdc-schedule: cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 2;
  }
  const what = before === 'missing' ? 'wrote' : before === 'current' ? 'rewrote (unchanged)' : 'updated';
  io.stdout(`${what} ${target}\n`);
  return 0;
}
