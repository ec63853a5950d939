import * as fs from 'fs';
import * as path from 'path';
import { t } from '../core/l10n';
import type { ProcessRunner } from './process';

/**
 * The systemd side of the timer workflow (workflows/systemd.ts) behind one small interface:
 * where unit files live, and the few systemctl verbs it needs. Two implementations:
 * - LiveSystemctl talks to the running systemd through `systemctl` (argv arrays, never a shell);
 * - RootSystemctl works on a tree (`--root DIR`, as `systemctl --root` does): units go to
 *   DIR/etc/systemd/system, enabling is the `<target>.wants/` symlink systemctl would make, and
 *   nothing is started, stopped or reloaded, because no systemd runs that tree.
 */

export class SystemctlError extends Error {}

/** The `systemctl show` properties the status reads, as systemctl prints them (`n/a`, empty or a local time). */
export type UnitProperties = Readonly<Record<string, string>>;

export interface Systemctl {
  /** Where unit files go: /etc/systemd/system, or DIR/etc/systemd/system. */
  readonly unitFolder: string;
  /** The tree worked on (`--root DIR`); undefined for the running system. */
  readonly root?: string;
  /** `systemctl daemon-reload`: systemd reads the changed unit files (nothing in a tree). */
  daemonReload(): Promise<void>;
  /** `systemctl enable --now UNIT` (in a tree: the wants symlinks of its [Install] section). */
  enableNow(unit: string): Promise<void>;
  /** `systemctl disable --now UNIT` (in a tree: those symlinks removed). */
  disableNow(unit: string): Promise<void>;
  /** Whether the unit is enabled (`systemctl is-enabled`, or the symlinks in a tree). */
  isEnabled(unit: string): Promise<boolean>;
  /** `systemctl show -p …` of a loaded unit; undefined in a tree (there is no running state). */
  show(unit: string, properties: readonly string[]): Promise<UnitProperties | undefined>;
}

/** The folder the administrator's unit files go in, under a root or not. */
export const SYSTEM_UNIT_FOLDER = '/etc/systemd/system';

export class LiveSystemctl implements Systemctl {
  constructor(
    private readonly runner: ProcessRunner,
    /** Another folder only in tests, with a runner that records instead of running systemctl. */
    readonly unitFolder: string = SYSTEM_UNIT_FOLDER,
  ) {}

  async daemonReload(): Promise<void> {
    await this.mustRun(['daemon-reload']);
  }

  async enableNow(unit: string): Promise<void> {
    await this.mustRun(['enable', '--now', '--', unit]);
  }

  async disableNow(unit: string): Promise<void> {
    await this.mustRun(['disable', '--now', '--', unit]);
  }

  async isEnabled(unit: string): Promise<boolean> {
    // Exit 0 for enabled, enabled-runtime, static, alias…; 1 with "disabled" or "not-found".
    const result = await this.start(['is-enabled', '--', unit]);
    return result.code === 0 && /^enabled(-runtime)?$/m.test(result.stdout.trim());
  }

  async show(unit: string, properties: readonly string[]): Promise<UnitProperties> {
    const result = await this.mustRun(['show', '-p', properties.join(','), '--', unit]);
    return parseShow(result.stdout);
  }

  private async start(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    try {
      return await this.runner.run('systemctl', args, { timeoutMs: 120_000 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new SystemctlError(t('systemctl was not found: this machine does not run systemd, or PATH does not reach it.'));
      throw error;
    }
  }

  private async mustRun(args: readonly string[]): Promise<{ stdout: string }> {
    const result = await this.start(args);
    if (result.code !== 0) {
      throw new SystemctlError(
        t(
          'systemctl {0} failed (exit {1}): {2}',
          args.filter((arg) => arg !== '--').join(' '),
          String(result.code),
          result.stderr.trim() || result.stdout.trim(),
        ),
      );
    }
    return result;
  }
}

/** `Key=value` lines of `systemctl show`; a value may contain `=`. */
export function parseShow(text: string): UnitProperties {
  const properties: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) properties[line.slice(0, equals)] = line.slice(equals + 1).replace(/\r$/, '');
  }
  return properties;
}

/** The `WantedBy=` and `RequiredBy=` targets of a unit file's [Install] section. */
export function installTargets(unitText: string): { readonly wants: readonly string[]; readonly requires: readonly string[] } {
  const wants: string[] = [];
  const requires: string[] = [];
  let section = '';
  for (const raw of unitText.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    else if (section === '[Install]') {
      const match = /^(WantedBy|RequiredBy)\s*=\s*(.*)$/.exec(line);
      if (match) (match[1] === 'WantedBy' ? wants : requires).push(...match[2]!.split(/\s+/).filter(Boolean));
    }
  }
  return { wants, requires };
}

export class RootSystemctl implements Systemctl {
  readonly unitFolder: string;

  constructor(readonly root: string) {
    this.unitFolder = path.join(root, SYSTEM_UNIT_FOLDER);
  }

  async daemonReload(): Promise<void> {
    // No systemd runs the tree; a system booted from it reads the files at start.
  }

  async enableNow(unit: string): Promise<void> {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.unitFolder, unit), 'utf8');
    } catch (error) {
      throw new SystemctlError(t('Cannot enable {0}: {1}', unit, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
    }
    const { wants, requires } = installTargets(text);
    if (wants.length + requires.length === 0) throw new SystemctlError(t('{0} has no WantedBy= in its [Install] section; nothing would start it.', unit));
    for (const [targets, kind] of [
      [wants, 'wants'],
      [requires, 'requires'],
    ] as const) {
      for (const target of targets) {
        const folder = path.join(this.unitFolder, `${target}.${kind}`);
        fs.mkdirSync(folder, { recursive: true, mode: 0o755 });
        const link = path.join(folder, unit);
        // What `systemctl --root=DIR enable` writes: an absolute path as seen inside the tree.
        const pointsTo = path.posix.join(SYSTEM_UNIT_FOLDER, unit);
        if (readLink(link) === pointsTo) continue;
        fs.rmSync(link, { force: true });
        fs.symlinkSync(pointsTo, link);
      }
    }
  }

  async disableNow(unit: string): Promise<void> {
    for (const link of this.links(unit)) {
      fs.rmSync(link, { force: true });
      // systemctl removes the .wants folder it emptied.
      const folder = path.dirname(link);
      if ((fs.readdirSync(folder) ?? []).length === 0) fs.rmdirSync(folder);
    }
  }

  async isEnabled(unit: string): Promise<boolean> {
    return this.links(unit).length > 0;
  }

  async show(): Promise<undefined> {
    return undefined;
  }

  /** The symlinks to `unit` in the .wants and .requires folders of the tree's unit folder. */
  private links(unit: string): string[] {
    let folders: string[];
    try {
      folders = fs.readdirSync(this.unitFolder).filter((name) => /\.(wants|requires)$/.test(name));
    } catch {
      return [];
    }
    return folders
      .map((folder) => path.join(this.unitFolder, folder, unit))
      .filter((link) => {
        const target = readLink(link);
        return target !== undefined && path.posix.basename(target) === unit;
      });
  }
}

function readLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}
